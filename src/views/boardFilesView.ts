// The Board Files view: what is on each board's CIRCUITPY drive (the virtual Pico's while it runs), as MicroPico
// users expect: folders and files with their sizes, the drive's free space; click a file to open it; delete from
// the context menu (Delete from Board… asks first, needs a trusted workspace). Listing and deleting live in
// src/device/drives/driveFiles.ts. It refreshes when a drive comes or goes and when files on a drive change
// (DriveWatchers).
import * as vscode from 'vscode';
import { type DriveEntry, driveSpace, driveUsage, listDriveFolder, nodeDriveFs } from '../device/drives/driveFiles';
import type { BoardDevice } from '../device/types';
import { Views } from '../ids';
import type { Services } from '../services/services';
import { DriveWatchers, listedDriveBoards } from './driveWatchers';
import { formatSize } from './viewModels/format';

/** A board's drive (the root of its files): a real drive's free space, the virtual Pico's bytes in use (its folder's
 *  free space is this computer's disk). */
export class DriveItem extends vscode.TreeItem {
  constructor(readonly device: BoardDevice, readonly drivePath: string, space: string | undefined) {
    super(device.virtual ? 'Virtual Pico' : device.label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `drive:${device.key}`;
    this.description = space;
    this.iconPath = new vscode.ThemeIcon(device.virtual ? 'vm' : 'circuit-board');
    this.tooltip = `${device.virtual ? 'The virtual Pico’s drive' : `CIRCUITPY drive of ${device.label}`}: ${drivePath}`;
    this.contextValue = 'boardDrive';
  }
}

/** A file or a folder on a drive. */
export class BoardFileItem extends vscode.TreeItem {
  constructor(readonly drive: DriveItem, readonly entry: DriveEntry) {
    super(entry.name, entry.kind === 'folder' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = `drive:${drive.device.key}:${entry.target}`;
    this.resourceUri = vscode.Uri.joinPath(vscode.Uri.file(drive.drivePath), ...entry.target.split('/'));
    if (entry.kind === 'file') {
      this.description = formatSize(entry.size);
      this.command = { command: 'vscode.open', title: 'Open', arguments: [this.resourceUri] };
    }
    this.tooltip = `/${entry.target}${entry.kind === 'file' ? ` · ${formatSize(entry.size)}` : ''}`;
    this.contextValue = entry.kind === 'folder' ? 'boardFolder' : 'boardFile';
  }
}

class MessageItem extends vscode.TreeItem {
  constructor(label: string, tooltip?: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon('info');
    if (tooltip) this.tooltip = tooltip;
    this.contextValue = 'note';
  }
}

export type BoardFilesTreeItem = DriveItem | BoardFileItem | MessageItem;

export class BoardFilesViewProvider implements vscode.TreeDataProvider<BoardFilesTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly fs = nodeDriveFs();
  private drives: DriveItem[] = [];
  readonly view: vscode.TreeView<BoardFilesTreeItem>;

  constructor(private readonly services: Services) {
    this.view = vscode.window.createTreeView(Views.boardFiles, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.view, new DriveWatchers(services, '**', () => this.refresh()));
  }

  refresh(): void {
    this.changed.fire();
  }

  /** The file or folder selected in the view (a context menu selects its row first). */
  get selectedEntry(): BoardFileItem | undefined {
    const item = this.view.selection[0];
    return item instanceof BoardFileItem ? item : undefined;
  }

  getTreeItem(item: BoardFilesTreeItem): vscode.TreeItem {
    return item;
  }

  getParent(item: BoardFilesTreeItem): BoardFilesTreeItem | undefined {
    return item instanceof BoardFileItem ? item.drive : undefined;
  }

  async getChildren(item?: BoardFilesTreeItem): Promise<BoardFilesTreeItem[]> {
    if (item instanceof DriveItem) return this.folder(item, '');
    if (item instanceof BoardFileItem) return item.entry.kind === 'folder' ? this.folder(item.drive, item.entry.target) : [];
    if (item) return [];
    await this.services.devices.snapshot(); // the first scan, when the view opens before it ends
    const boards = listedDriveBoards(this.services);
    this.drives = await Promise.all(
      boards.map(async (d) => {
        const drivePath = (d.drive as { path: string }).path;
        const space = d.virtual
          ? driveUsage(this.fs, drivePath).then((used) => `${formatSize(used)} in use`)
          : driveSpace(this.fs, drivePath).then((s) => `${formatSize(s.freeBytes)} free of ${formatSize(s.totalBytes)}`);
        return new DriveItem(d, drivePath, await space.catch(() => undefined));
      }),
    );
    return this.drives;
  }

  /** Shows a board's drive in the view (Open Drive where there is no file manager to open). */
  async reveal(drivePath: string): Promise<boolean> {
    await vscode.commands.executeCommand(`${Views.boardFiles}.focus`);
    await this.getChildren();
    const drive = this.drives.find((d) => d.drivePath === drivePath);
    if (!drive) return false;
    await this.view.reveal(drive, { expand: true, select: true, focus: true });
    return true;
  }

  private async folder(drive: DriveItem, folder: string): Promise<BoardFilesTreeItem[]> {
    try {
      const entries = await listDriveFolder(this.fs, drive.drivePath, folder);
      if (entries.length === 0) return [new MessageItem(folder ? 'Empty folder' : 'Nothing on this drive yet', 'Deploy the runtime or a model to fill it.')];
      return entries.map((e) => new BoardFileItem(drive, e));
    } catch (error) {
      return [new MessageItem(`Cannot read ${folder || 'the drive'}`, error instanceof Error ? error.message : String(error))];
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
