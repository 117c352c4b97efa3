import { Commands } from '../ids';
import type { Command, CommandContext } from './command';

export function showLogCommand(ctx: CommandContext): Command {
  return { id: Commands.showLog, execute: () => ctx.log.show(true) };
}
