import * as vscode from 'vscode';
import type { CommandId } from '../ids';
import type { Command, CommandContext } from './command';

/**
 * A command whose feature has not landed yet. It says so plainly (and logs it) instead of doing nothing,
 * so a user never wonders whether the click was lost.
 */
export function notYetAvailable(ctx: CommandContext, id: CommandId, title: string, what: string): Command {
  return {
    id,
    execute: async () => {
      const message = `Picoformer: "${title}" is not available yet. ${what}`;
      ctx.log.info(message);
      await vscode.window.showInformationMessage(message);
      return { available: false };
    },
  };
}
