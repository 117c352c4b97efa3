// The Models view: the workspace's models (our format and legacy trios), then one node per connected board with the
// models on its drive (the virtual Pico's while it runs). Every row comes from the shared view model
// (viewModels/modelRow.ts), so the tree, the gauge and the Studio agree; a file that cannot be read is a row that says
// why, never a broken view. A row reads "Safe · default · story-8k": the zone word starts the label because VS Code
// cuts a row's end at the side bar's edge, and a long file name must not push the zone out of sight (the name is the
// part that may be cut; the tooltip and the accessible label have it whole). Empty, the view shows its welcome text
// (package.json), "looking for models" until the first listing is done.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BoardDevice } from '../device/types';
import { Commands, ContextKeys } from '../ids';
import { type BoardModelEntry, readBoardModels } from '../services/boardModels';
import type { ModelEntry } from '../services/modelEntry';
import type { Services } from '../services/services';
import { deployDtype, selectedBoard } from '../services/settings';
import { DriveWatchers, listedDriveBoards } from './driveWatchers';
import { type ModelRow, modelRow, unreadableModelRow } from './viewModels/modelRow';

export { ModelFileGlob } from '../services/modelCatalog';

/** A model row: in the workspace (`board` undefined) or on a board's drive. */
export class ModelItem extends vscode.TreeItem {
  /** The model file: commands run from the row's menu receive the row and read this (Open Studio does). */
  readonly uri: vscode.Uri;

  constructor(
    readonly entry: ModelEntry,
    readonly row: ModelRow,
    readonly board?: { device: BoardDevice; drivePath: string; fileName: string; isDefault: boolean },
  ) {
    const text = row.treeRow(board?.isDefault ? 'default' : undefined);
    super(text.label, vscode.TreeItemCollapsibleState.None);
    this.id = `${board ? `board:${board.device.key}:` : ''}${entry.path}`;
    this.uri = vscode.Uri.file(entry.path);
    this.description = text.description;
    this.iconPath = new vscode.ThemeIcon(row.iconId, row.iconColorId ? new vscode.ThemeColor(row.iconColorId) : undefined);
    const tooltip = new vscode.MarkdownString(row.tooltipMarkdown, true);
    tooltip.isTrusted = false;
    this.tooltip = tooltip;
    // "model", "model.legacy", "model.unreadable"; on a board: "boardModel" (menus match these).
    this.contextValue = board ? (entry.ok ? 'boardModel' : 'boardModel.unreadable') : row.contextValue;
    // What the row shows, in its order (a voice-control user says what they see).
    this.accessibilityInformation = { label: [text.label, text.description].filter(Boolean).join(', ') };
  }
}

/** A connected board whose drive holds models. */
export class BoardModelsItem extends vscode.TreeItem {
  constructor(readonly device: BoardDevice, readonly drivePath: string) {
    super(device.virtual ? 'Virtual Pico' : device.label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `board:${device.key}`;
    // The virtual Pico's drive is a folder in the extension's storage: its path says nothing to a user.
    this.description = device.virtual ? 'models on the board' : `${drivePath}${path.sep}models`;
    this.iconPath = new vscode.ThemeIcon(device.virtual ? 'vm' : 'circuit-board');
    this.contextValue = device.virtual ? 'boardModels.virtual' : 'boardModels';
    this.tooltip = device.virtual ? 'Models on the virtual Pico’s drive' : `Models on ${device.label} (${drivePath})`;
  }
}

/** A row that only says something (an empty board, a drive that cannot be read), or offers what to do. */
class NoteItem extends vscode.TreeItem {
  constructor(label: string, icon: string, tooltip?: string, command?: vscode.Command) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon(icon);
    if (tooltip) this.tooltip = tooltip;
    if (command) this.command = command;
    this.contextValue = 'note';
  }
}

export type ModelsTreeItem = ModelItem | BoardModelsItem | NoteItem;

export class ModelsViewProvider implements vscode.TreeDataProvider<ModelsTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly services: Services) {
    const refresh = () => this.refresh();
    // Boards: when one comes or goes, or its models change (not on every device event: see DriveWatchers).
    this.disposables.push(services.catalog.onDidChange(refresh), new DriveWatchers(services, '{models/*,picoformer.json}', refresh), services.settings.onDidChange(refresh));
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: ModelsTreeItem): vscode.TreeItem {
    return item;
  }

  async getChildren(item?: ModelsTreeItem): Promise<ModelsTreeItem[]> {
    if (item instanceof BoardModelsItem) return this.boardChildren(item);
    if (item) return [];
    const entries = await this.services.catalog.entries();
    const rows: ModelsTreeItem[] = entries.map((entry) => this.item(entry, workspaceLocation(entry.path)));
    // The latest scan, not a wait for one: the workspace's models show at once, boards join when the scan ends. The
    // virtual Pico's drive always exists; it is a board here only while the virtual Pico runs.
    const boards = listedDriveBoards(this.services);
    if (entries.length === 0 && boards.length > 0) {
      rows.push(new NoteItem('No models in this workspace yet: train one…', 'lightbulb', 'Train a tiny model on your own text, or import one ("Picoformer: Import Model…").', { command: Commands.trainModel, title: 'Train Tiny Model…' }));
    }
    for (const device of boards) rows.push(new BoardModelsItem(device, (device.drive as { path: string }).path));
    // Only an empty list lets the welcome text say "no models" (set while rows exist, the key could reach the view
    // before the rows do, and the view would claim there are none for a moment).
    if (rows.length === 0) void vscode.commands.executeCommand('setContext', ContextKeys.modelsScanned, true);
    return rows;
  }

  /** The rows of the workspace models, for tests and pick lists. */
  async workspaceItems(): Promise<ModelItem[]> {
    return (await this.services.catalog.entries()).map((entry) => this.item(entry, workspaceLocation(entry.path)));
  }

  private async boardChildren(node: BoardModelsItem): Promise<ModelsTreeItem[]> {
    let models: BoardModelEntry[];
    try {
      models = await readBoardModels(node.drivePath);
    } catch (error) {
      return [new NoteItem(`Cannot read ${node.drivePath}`, 'error', error instanceof Error ? error.message : String(error))];
    }
    if (models.length === 0) return [new NoteItem('No models on this board yet', 'info', 'Deploy one with "Picoformer: Deploy Model to Pico".')];
    return models.map((m) =>
      this.item(m.entry, `${node.device.virtual ? 'Virtual Pico' : node.drivePath}/models/${m.name}`, {
        device: node.device,
        drivePath: node.drivePath,
        fileName: m.name,
        isDefault: m.isDefault,
      }),
    );
  }

  private item(entry: ModelEntry, location: string, board?: ConstructorParameters<typeof ModelItem>[2]): ModelItem {
    if (!entry.ok) return new ModelItem(entry, unreadableModelRow(entry.fileLabel, location, entry.problem), board);
    const settings = this.services.settings.current();
    let row: ModelRow;
    try {
      // Models already on a board are estimated as they are; workspace models as deploying would convert them.
      const dtype = board ? entry.summary.weights === 'mixed' ? undefined : entry.summary.weights : deployDtype(entry.summary.weights, settings.defaultQuantization);
      row = modelRow({ location, header: entry.header, legacy: entry.legacy, labelByFile: true }, selectedBoard(settings), dtype ? { dtype } : {});
    } catch (error) {
      row = unreadableModelRow(entry.fileLabel, location, error instanceof Error ? error.message : String(error));
    }
    return new ModelItem(entry, row, board);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function workspaceLocation(fsPath: string): string {
  return vscode.workspace.asRelativePath(fsPath, false);
}
