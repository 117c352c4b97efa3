// The model the user is working with: chosen in the Models view or by a command, shown by the gauge and the Studio.
import * as vscode from 'vscode';

export class ModelSelection implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the new path (undefined: nothing selected). */
  readonly onDidChange = this.changed.event;
  private selected: string | undefined;

  /** The selected model file (or legacy config_<N>p.json), if any. */
  get path(): string | undefined {
    return this.selected;
  }

  select(path: string | undefined): void {
    if (path === this.selected) return;
    this.selected = path;
    this.changed.fire(path);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
