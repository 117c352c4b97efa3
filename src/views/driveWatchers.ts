// What a view of boards' drives refreshes on: the set of drives listed (a board comes or goes, the virtual Pico
// starts or stops) and changes to the files it shows on them (a watcher per drive, bursts folded into one refresh),
// not every device event (the virtual Pico's state changes often): a refresh under an open context menu loses the
// row the menu was for.
import * as vscode from 'vscode';
import type { BoardDevice } from '../device/types';
import type { Services } from '../services/services';

/** Boards whose drive a view lists: real ones with a usable drive, the virtual Pico's while it runs. */
export function listedDriveBoards(services: Services): BoardDevice[] {
  const virtualRunning = services.virtualPico.machine !== undefined;
  return services.devices.boardsNow().filter((d) => d.drive && !d.drive.problem && !d.bootloader && (!d.virtual || virtualRunning));
}

export class DriveWatchers implements vscode.Disposable {
  private signature: string | undefined;
  private watchers: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscription: vscode.Disposable;

  /** `glob`: the files that matter on each drive ("**", "{models/**,picoformer.json}"). */
  constructor(
    private readonly services: Services,
    private readonly glob: string,
    private readonly refresh: () => void,
  ) {
    this.subscription = services.devices.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const boards = listedDriveBoards(this.services);
    const signature = boards.map((d) => `${d.key}=${(d.drive as { path: string }).path}`).join('\n');
    if (signature === this.signature) return;
    const first = this.signature === undefined;
    this.signature = signature;
    for (const w of this.watchers) w.dispose();
    this.watchers = boards.map((d) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file((d.drive as { path: string }).path), this.glob));
      const soon = () => this.refreshSoon();
      return vscode.Disposable.from(watcher, watcher.onDidCreate(soon), watcher.onDidDelete(soon), watcher.onDidChange(soon));
    });
    if (!first) this.refresh();
  }

  /** One refresh for a burst of file changes (a deploy writes many). */
  private refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, 300);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    for (const w of this.watchers) w.dispose();
  }
}
