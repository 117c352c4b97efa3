import * as vscode from 'vscode';
import type { Command } from './command';

/** Registers each command, refusing the trust-requiring ones in untrusted workspaces with a clear message. */
export function registerCommands(commands: readonly Command[]): vscode.Disposable[] {
  return commands.map((command) =>
    vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
      if (command.needsTrust && !vscode.workspace.isTrusted) {
        await vscode.window.showWarningMessage(
          'Picoformer: this command writes to a board or runs code on it, so it needs a trusted workspace.',
        );
        return undefined;
      }
      return command.execute(...args);
    }),
  );
}
