// Picoformer: Get Started: opens the walkthrough (package.json contributes.walkthroughs): the virtual Pico, a
// deploy, a generation, training, a real Pico.
import * as vscode from 'vscode';
import { Commands, WalkthroughId } from '../ids';
import type { Command, CommandContext } from './command';

export function openWalkthroughCommand(ctx: CommandContext): Command {
  return {
    id: Commands.openWalkthrough,
    execute: async () => {
      const id = `${ctx.extension.extension.id}#${WalkthroughId}`;
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', id, false);
      return { walkthrough: id };
    },
  };
}
