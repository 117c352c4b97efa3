import * as vscode from 'vscode';

/** A board (real or virtual) as a row of the Devices view. */
export class DeviceItem extends vscode.TreeItem {}

/**
 * The Devices view. Device detection lands with the devices issue; until then the view is empty, which makes
 * VS Code show the manifest's welcome content (what to check, and the virtual Pico).
 */
export class DevicesViewProvider implements vscode.TreeDataProvider<DeviceItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: DeviceItem): vscode.TreeItem {
    return item;
  }

  getChildren(): DeviceItem[] {
    return [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
