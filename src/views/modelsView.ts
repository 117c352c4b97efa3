import * as path from 'node:path';
import * as vscode from 'vscode';

/** Glob patterns of the model files the explorer lists: our format and the legacy trio's config file. */
export const ModelFileGlob = '**/{*.safetensors,config_*p.json}';
const Excluded = '**/{node_modules,.git,dist,out}/**';

/** A model file in the workspace, as a row of the Models view. */
export class ModelItem extends vscode.TreeItem {
  constructor(readonly uri: vscode.Uri) {
    const legacy = uri.path.endsWith('.json');
    super(legacy ? path.basename(path.dirname(uri.fsPath)) : path.basename(uri.fsPath), vscode.TreeItemCollapsibleState.None);
    this.resourceUri = uri;
    this.contextValue = legacy ? 'model.legacy' : 'model';
    this.description = legacy ? 'legacy' : vscode.workspace.asRelativePath(path.dirname(uri.fsPath));
    this.iconPath = new vscode.ThemeIcon(legacy ? 'archive' : 'symbol-constant');
    this.tooltip = uri.fsPath;
    this.command = { command: 'vscode.open', title: 'Open', arguments: [uri] };
  }
}

/** The Models view: model files in the workspace, refreshed when files change. */
export class ModelsViewProvider implements vscode.TreeDataProvider<ModelItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(ModelFileGlob);
  private readonly disposables: vscode.Disposable[] = [this.changed, this.watcher];

  constructor() {
    for (const event of [this.watcher.onDidCreate, this.watcher.onDidDelete, this.watcher.onDidChange]) {
      this.disposables.push(event(() => this.refresh()));
    }
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: ModelItem): vscode.TreeItem {
    return item;
  }

  async getChildren(item?: ModelItem): Promise<ModelItem[]> {
    if (item) return [];
    const uris = await vscode.workspace.findFiles(ModelFileGlob, Excluded, 500);
    return uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri) => new ModelItem(uri));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
