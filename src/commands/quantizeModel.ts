// Picoformer: Quantize Model…: a model (or legacy trio) converted to int8, float16 or float32, with the int8 KV cache
// new models get (docs/format.md), written beside it, with how much the conversion moves the logits. Arguments
// (optional): the model, then { dtype: 'I8'|'F16'|'F32', output: path, overwrite: true, kvCache: 'int8'|'float32' }
// so it runs without prompts.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomically } from '../files/writeAtomically';
import { Commands } from '../ids';
import { type KvCacheKind, NewModelKvCache } from '../model/config';
import { writeModel } from '../model/modelFile';
import { loadAnyModel } from '../model/modelIo';
import { compareLogits, convertModel, sampleSequences } from '../model/quantize';
import type { Dtype } from '../model/tensor';
import type { Command, CommandContext } from './command';
import { dtypeName } from './pickItems';
import { resolveModel } from './pickModel';
import { askDtype } from './shared/askDtype';
import { UserError } from './userError';

export interface QuantizeOptions {
  dtype?: Dtype;
  output?: string;
  overwrite?: boolean;
  /** Default: NewModelKvCache (int8). */
  kvCache?: KvCacheKind;
}

export function quantizeModelCommand(ctx: CommandContext): Command {
  return {
    id: Commands.quantizeModel,
    execute: async (arg?: unknown, options: QuantizeOptions = {}) => {
      const entry = await resolveModel(ctx.services, arg, 'Quantize Model');
      if (!entry) return undefined;
      const stored = entry.summary.weights === 'mixed' ? 'F32' : entry.summary.weights;
      const dtype = options.dtype ?? (await askDtype(ctx.services.settings.current().defaultQuantization, `Quantize ${entry.fileLabel}`, stored, false));
      if (!dtype || dtype === 'keep') return undefined;
      const stem = entry.legacy ? entry.summary.name : basename(entry.path).replace(/\.safetensors$/i, '');
      const folder = entry.legacy ? dirname(dirname(entry.path)) : dirname(entry.path);
      const suggested = join(folder, `${stem.replace(/-(int8|f16|f32)$/, '')}-${dtype === 'I8' ? 'int8' : dtype.toLowerCase()}.safetensors`);
      const output = options.output ?? (await vscode.window.showSaveDialog({ title: `Save the ${dtypeName(dtype)} model as`, defaultUri: vscode.Uri.file(suggested), filters: { 'Picoformer model': ['safetensors'] } }))?.fsPath;
      if (!output) return undefined;
      if (output === entry.path) throw new UserError('Write the converted model to a new file: the original is needed to measure the logit error.');
      if (options.output && existsSync(output) && !options.overwrite) throw new UserError(`${output} already exists; pass { overwrite: true } to replace it.`);
      const kvCache = options.kvCache ?? NewModelKvCache;
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Converting ${entry.fileLabel} to ${dtypeName(dtype)}…` }, async () => {
        const { model } = await loadAnyModel(entry.path);
        const converted = convertModel(model, dtype, kvCache);
        const bytes = writeModel(converted);
        await writeFileAtomically(output, bytes);
        return { bytes: bytes.length, error: compareLogits(model, converted, sampleSequences(model, 4, 64, 1)) };
      });
      const e = result.error;
      const report = `${kvCache} KV cache; max logit error ${e.maxAbs.toPrecision(3)} (mean ${e.meanAbs.toPrecision(3)}, largest logit ${e.maxAbsReference.toPrecision(3)}), top-1 agreement ${(e.top1Agreement * 100).toFixed(1)}% over ${e.positions} positions`;
      ctx.log.info(`Quantized ${entry.path} to ${output} (${dtype}, ${result.bytes} bytes): ${report}.`);
      ctx.services.catalog.refresh();
      void vscode.window.showInformationMessage(`Picoformer: wrote ${vscode.workspace.asRelativePath(output, false)} (${dtypeName(dtype)}): ${report}.`);
      return { output, dtype, bytes: result.bytes, logitError: e };
    },
  };
}
