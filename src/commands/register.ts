import * as vscode from 'vscode';
import type { Command } from './command';
import { messageOf } from './userError';

/** What a command resolves to when it failed: the message was shown to the user (and logged). */
export interface CommandFailure {
  error: string;
  /** The error's code when it has one (ModelFormatError, DeployError, ...). */
  code?: string;
}

/**
 * Registers each command, refusing the trust-requiring ones in untrusted workspaces with a clear message. A command
 * that throws has its message shown and logged, and resolves to a CommandFailure (never an unhandled rejection).
 */
export function registerCommands(commands: readonly Command[], log: vscode.LogOutputChannel): vscode.Disposable[] {
  return commands.map((command) =>
    vscode.commands.registerCommand(command.id, async (...args: unknown[]) => {
      if (command.needsTrust && !vscode.workspace.isTrusted) {
        await vscode.window.showWarningMessage(
          'Picoformer: this command writes to a board or runs code on it, so it needs a trusted workspace.',
        );
        return undefined;
      }
      try {
        return await command.execute(...args);
      } catch (error) {
        const message = messageOf(error);
        const code = (error as { code?: unknown } | null)?.code;
        log.error(`${command.id}: ${message}`);
        void vscode.window.showErrorMessage(`Picoformer: ${message}`);
        return { error: message, ...(typeof code === 'string' ? { code } : {}) } satisfies CommandFailure;
      }
    }),
  );
}
