// Picoformer: Import Model…: a legacy tiny-transformers-rp2040 trio (its folder or config_<N>p.json) to a
// .safetensors model, float as the trio or int8. Arguments (optional): the source path or Uri, then
// { dtype: 'keep'|'I8'|'F16', output: path, overwrite: true } so it runs without prompts.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomically } from '../files/writeAtomically';
import { Commands } from '../ids';
import { importLegacy } from '../model/legacy';
import { readLegacyTrio } from '../model/legacyFiles';
import { readModelHeader, writeModel } from '../model/modelFile';
import { convertModel } from '../model/quantize';
import { summarize } from '../model/summary';
import type { Command, CommandContext } from './command';
import { modelPathFromArg } from './pickModel';
import { askDtype, type DtypeChoice } from './shared/askDtype';
import { UserError } from './userError';

export interface ImportOptions {
  dtype?: DtypeChoice;
  output?: string;
  overwrite?: boolean;
}

export function importModelCommand(ctx: CommandContext): Command {
  return {
    id: Commands.importModel,
    execute: async (arg?: unknown, options: ImportOptions = {}) => {
      const source = modelPathFromArg(arg) ?? (await askSource());
      if (!source) return undefined;
      const imported = importLegacy(await readLegacyTrio(source));
      const dtype = options.dtype ?? (await askDtype(ctx.services.settings.current().defaultQuantization, 'Import Model: weight type', imported.tensors.get('tok_emb')?.dtype ?? 'F32'));
      if (!dtype) return undefined;
      const bytes = writeModel(dtype === 'keep' ? imported : convertModel(imported, dtype));
      const summary = summarize(readModelHeader(bytes));
      const folder = existsSync(source) && !source.endsWith('.json') ? source : dirname(source);
      const output = options.output ?? (await askOutput(join(folder, `${summary.name}.safetensors`)));
      if (!output) return undefined;
      if (options.output && existsSync(output) && !options.overwrite) throw new UserError(`${output} already exists; pass { overwrite: true } to replace it.`);
      await writeFileAtomically(output, bytes);
      ctx.log.info(`Imported ${source} as ${output} (${summary.name}, ${summary.weights}, ${bytes.length} bytes).`);
      ctx.services.catalog.refresh();
      ctx.services.selection.select(output);
      void vscode.window.showInformationMessage(`Picoformer: imported ${vscode.workspace.asRelativePath(output, false)} (${summary.name}, ${summary.weights}) from ${basename(source)}.`);
      return { output, name: summary.name, weights: summary.weights, parameters: summary.parameterCount, bytes: bytes.length };
    },
  };
}

async function askSource(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Import Model: choose a legacy model folder or its config_<N>p.json',
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Import',
    filters: { 'Legacy model config': ['json'] },
  });
  return picked?.[0]?.fsPath;
}

async function askOutput(suggested: string): Promise<string | undefined> {
  const uri = await vscode.window.showSaveDialog({ title: 'Import Model: save the model as', defaultUri: vscode.Uri.file(suggested), filters: { 'Picoformer model': ['safetensors'] } });
  return uri?.fsPath;
}
