import type * as vscode from 'vscode';
import type { CommandId } from '../ids';
import type { Services } from '../services/services';

/** One palette command: its id and what it does. Registered by `registerCommands`. */
export interface Command {
  readonly id: CommandId;
  /** Commands that write to a board or run code on it refuse to run in an untrusted workspace. */
  readonly needsTrust?: boolean;
  execute(...args: unknown[]): unknown;
}

/** Services a command may use; passed in, never reached through globals. */
export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly services: Services;
}
