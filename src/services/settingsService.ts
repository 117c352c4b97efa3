// The picoformer.* settings, read afresh on every call (so a changed setting needs no restart) and written back
// where the user keeps them.
import * as vscode from 'vscode';
import { ConfigSection } from '../ids';
import { type PicoformerSettings, parseSettings } from './settings';

export class SettingsService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after any picoformer.* setting changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private reported = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(ConfigSection)) this.changed.fire();
    });
  }

  current(): PicoformerSettings {
    const config = vscode.workspace.getConfiguration(ConfigSection);
    const settings = parseSettings((key) => config.get(key));
    for (const problem of settings.problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.log.warn(problem);
    }
    return settings;
  }

  /** Writes `picoformer.<key>` into the workspace settings when a folder is open (a board is a per-project choice), else the user settings. */
  async update(key: string, value: unknown): Promise<void> {
    const config = vscode.workspace.getConfiguration(ConfigSection);
    const target =
      config.inspect(key)?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : (vscode.workspace.workspaceFolders?.length ?? 0) > 0
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await config.update(key, value, target);
    this.reported = new Set();
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
