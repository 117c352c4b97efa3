import * as vscode from 'vscode';
import type { Command } from './command';
import { UserError, messageOf } from './userError';

/** What a command resolves to when it failed: the message was shown to the user (and logged). */
export interface CommandFailure {
  error: string;
  /** The error's code when it has one (ModelFormatError, DeployError, ...). */
  code?: string;
  /** The buttons the message offered (their labels). */
  actions?: string[];
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
        const actions = error instanceof UserError ? error.actions : [];
        log.error(`${command.id}: ${message}`);
        void vscode.window.showErrorMessage(`Picoformer: ${message}`, ...actions.map((a) => a.label)).then((label) => {
          const action = actions.find((a) => a.label === label);
          if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
        });
        return { error: message, ...(typeof code === 'string' ? { code } : {}), ...(actions.length ? { actions: actions.map((a) => a.label) } : {}) } satisfies CommandFailure;
      }
    }),
  );
}
