// Picoformer: Open Serial Console: the board's console in a terminal (the runtime's human mode, the REPL, Ctrl-C and
// Ctrl-D), sharing the port with the extension (docs/devices.md, "The serial console"). Argument (optional): a
// Devices row, "virtual" or a port path; default: the board generation runs go to.
import { Commands } from '../ids';
import type { ConsoleTerminals } from '../views/console/consoleTerminals';
import type { Command, CommandContext } from './command';
import { chooseBoard } from './shared/chooseBoard';

export function openConsoleCommand(ctx: CommandContext, terminals: ConsoleTerminals): Command {
  return {
    id: Commands.openConsole,
    needsTrust: true,
    execute: async (arg?: unknown) => {
      const board = await chooseBoard(ctx.services, arg, 'Open the console of which board?');
      if (!board) return undefined;
      const terminal = terminals.show(board.spec, board.label);
      return { name: terminal.name, target: board.spec };
    },
  };
}
