// Which model a command works on: the one it was given (a path, a Uri, a Models view row) or one the user picks
// from the workspace's models, listed with their size and zone.
import * as vscode from 'vscode';
import type { ReadableModelEntry } from '../services/modelEntry';
import type { Services } from '../services/services';
import { selectedBoard } from '../services/settings';
import { modelPickItems } from './pickItems';
import { UserError } from './userError';

/** A model path from a command argument: a string, a Uri, or a tree row ({ entry: { path } }). */
export function modelPathFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const entry = (arg as { entry?: { path?: unknown } } | null | undefined)?.entry;
  return typeof entry?.path === 'string' ? entry.path : undefined;
}

/** The model from `arg`, or picked; undefined when the user cancels. Throws UserError for an unreadable model. */
export async function resolveModel(services: Services, arg: unknown, title: string): Promise<ReadableModelEntry | undefined> {
  let path = modelPathFromArg(arg);
  if (path === undefined) {
    const settings = services.settings.current();
    const entries = await services.catalog.entries();
    const items = modelPickItems(entries, selectedBoard(settings), settings.defaultQuantization, (p) => vscode.workspace.asRelativePath(p, false));
    if (items.length === 0) throw new UserError('There is no readable model in this workspace. Import one with "Picoformer: Import Model…" or add a .safetensors file.');
    const selected = services.selection.path;
    items.sort((a, b) => Number(b.value === selected) - Number(a.value === selected));
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Choose a model (size, peak heap and zone as deployed)', matchOnDescription: true, matchOnDetail: true });
    if (!picked) return undefined;
    path = picked.value;
  }
  const entry = await services.catalog.entry(path);
  if (!entry.ok) throw new UserError(`${entry.fileLabel} cannot be used: ${entry.problem}`);
  return entry;
}
