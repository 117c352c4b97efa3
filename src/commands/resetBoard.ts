// Picoformer: Reset Board: a soft reload, as Ctrl-D at the REPL does (the runtime stops, then starts afresh with the
// default model). A generation in progress is stopped first. Argument (optional): a Devices row, "virtual" or a
// port path; default: the board generation runs go to.
import * as vscode from 'vscode';
import { readDeployedState } from '../device/deploy/deployedState';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';
import { chooseBoard } from './shared/chooseBoard';
import { resetOutcome } from './resetOutcome';
import { UserError } from './userError';

const DeployRuntime = 'Deploy Runtime';

export function resetBoardCommand(ctx: CommandContext): Command {
  return {
    id: Commands.resetBoard,
    needsTrust: true,
    execute: async (arg?: unknown) => {
      const board = await chooseBoard(ctx.services, arg, 'Reset which board?');
      if (!board) return undefined;
      if (board.spec.kind === 'virtual' && !ctx.services.virtualPico.machine) throw new UserError('The virtual Pico is not running: start it with "Picoformer: Start Virtual Pico".');
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Resetting ${board.label}…` }, async () => {
        const session = await ctx.services.targets.link(board.spec);
        const generation = session.activeGeneration;
        if (generation && !generation.ended) {
          await generation.stop();
          await generation.result;
        }
        await session.softReload();
      });
      ctx.log.info(`Reset ${board.label} (soft reload).`);
      const drive = ctx.services.targets.drivePath;
      const outcome = resetOutcome(board.label, drive ? readDeployedState(drive) : undefined);
      if (outcome.runtime === 'missing') {
        void vscode.window.showInformationMessage(`Picoformer: ${outcome.text}`, DeployRuntime).then((choice) => {
          if (choice === DeployRuntime) void vscode.commands.executeCommand(Commands.deployRuntime, drive ? { drivePath: drive } : {});
        });
      } else vscode.window.setStatusBarMessage(`$(check) Picoformer: ${outcome.text}`, 5000);
      return { reset: true, target: board.spec, runtime: outcome.runtime };
    },
  };
}
