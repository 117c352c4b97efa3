// The workspace's models (picoformer/1 files and legacy trios), parsed once and kept until their files change.
// The Models view, the pick lists and the gauge all read from here, so a file is parsed once however many show it.
import * as vscode from 'vscode';
import { type ModelEntry, currentStamp, readModelEntry } from './modelEntry';

/** Our format and the legacy trio's config file. */
export const ModelFileGlob = '**/{*.safetensors,config_*p.json}';
const Excluded = '**/{node_modules,.git,dist,out,.vscode-test}/**';
const MaxFiles = 500;

export class ModelCatalog implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the list or any entry may have changed. */
  readonly onDidChange = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(ModelFileGlob);
  private readonly disposables: vscode.Disposable[] = [this.changed, this.watcher];
  private readonly cache = new Map<string, ModelEntry>();
  private loading: Promise<ModelEntry[]> | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const forget = (uri: vscode.Uri) => {
      this.cache.delete(uri.fsPath);
      this.invalidate();
    };
    this.disposables.push(this.watcher.onDidCreate(forget), this.watcher.onDidChange(forget), this.watcher.onDidDelete(forget));
  }

  /** Every model in the workspace, sorted by path; unreadable files included (they say why). */
  entries(): Promise<ModelEntry[]> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** The entry for one file (in the workspace or not), read if needed. */
  async entry(path: string): Promise<ModelEntry> {
    const cached = this.cache.get(path);
    if (cached && cached.stamp === (await currentStamp(path))) return cached;
    const fresh = await readModelEntry(path);
    this.cache.set(path, fresh);
    return fresh;
  }

  /** Forgets every parsed file (the Refresh button) and tells the views. */
  refresh(): void {
    this.cache.clear();
    this.invalidate();
  }

  private invalidate(): void {
    this.loading = undefined;
    this.changed.fire();
  }

  private async load(): Promise<ModelEntry[]> {
    const uris = await vscode.workspace.findFiles(ModelFileGlob, Excluded, MaxFiles);
    if (uris.length >= MaxFiles) this.log.warn(`The Models view lists the first ${MaxFiles} model files of this workspace only.`);
    const paths = uris.map((u) => u.fsPath).sort((a, b) => a.localeCompare(b));
    const entries: ModelEntry[] = [];
    for (const path of paths) entries.push(await this.entry(path));
    for (const key of [...this.cache.keys()]) if (!paths.includes(key)) this.cache.delete(key);
    return entries;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
