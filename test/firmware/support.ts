// Helpers of the firmware tests: a drive folder filled by the project's deploy code, the emulated Pico booted from
// it, small random-weight models for the paths the sample models do not take, and the comparison of the board's
// tokens with the TypeScript reference's.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadMode } from '../../src/device/protocol/events';
import { deployToFolder } from '../../src/emu/emulateDeploy';
import { REPO_ROOT } from '../../src/emu/firmware';
import { FirmwareBoard, type TimedGeneration } from '../../src/emu/firmwareBoard';
import { type ConfigSizes, type ModelConfig, makeConfig } from '../../src/model/config';
import { generate } from '../../src/model/generate';
import { type Model, readModel, writeModel } from '../../src/model/modelFile';
import { convertModel } from '../../src/model/quantize';
import { randomModel } from '../../src/model/random';
import type { Dtype } from '../../src/model/tensor';

export const RUNTIME_DIR = join(REPO_ROOT, 'board');
export const MODELS_DIR = join(REPO_ROOT, 'models');

export type DriveModel = { path: string } | { fileName: string; bytes: Uint8Array };

export interface DriveOptions {
  /** The default model (file name); default the first. */
  defaultModel?: string;
  /** The default model's load mode, as `deploy --mode` writes it. */
  mode?: LoadMode;
  /** Extra /picoformer.json keys, written before the deploy (which keeps keys it does not know). */
  settings?: Record<string, unknown>;
}

/** A temporary drive folder holding the runtime and `models`, written by the project's deploy code. */
export async function makeDrive(models: readonly DriveModel[], options: DriveOptions = {}): Promise<string> {
  const drive = mkdtempSync(join(tmpdir(), 'picoformer-firmware-'));
  if (options.settings) writeFileSync(join(drive, 'picoformer.json'), `${JSON.stringify(options.settings)}\n`);
  await deployToFolder(drive, {
    runtimeDir: RUNTIME_DIR,
    models: models.map((m) => ('path' in m ? { path: m.path } : { bytes: m.bytes, fileName: m.fileName })),
    ...(options.defaultModel ? { defaultModel: options.defaultModel } : {}),
    ...(options.mode ? { defaultModelMode: options.mode } : {}),
  });
  return drive;
}

export interface Booted {
  board: FirmwareBoard;
  drive: string;
  close(): Promise<void>;
}

/** Deploys `models` to a fresh drive folder and boots the emulated Pico from it (host mode). */
export async function bootWith(models: readonly DriveModel[], options: DriveOptions & { hello?: boolean } = {}): Promise<Booted> {
  const drive = await makeDrive(models, options);
  try {
    const board = await FirmwareBoard.boot({ driveDir: drive, hello: options.hello ?? true });
    return {
      board,
      drive,
      close: async () => {
        await board.close();
        rmSync(drive, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(drive, { recursive: true, force: true });
    throw error;
  }
}

/** A random-weight model of `sizes` in `dtype`, as file bytes. */
export function randomModelFile(sizes: ConfigSizes & Partial<ModelConfig>, dtype: Dtype, seed = 5): Uint8Array {
  const f32 = randomModel(makeConfig(sizes), seed);
  return writeModel(dtype === 'F32' ? f32 : convertModel(f32, dtype));
}

export interface GenerationCase {
  prompt: string;
  tokens: number;
  temperature: number;
  seed: number;
}

/**
 * Generates `c` on the board and in the reference (on the very bytes the board has) and returns what differs.
 * minMargin: a difference is excused when the board's tokens first differ at or after the first choice whose
 * reference margin (top logit minus the next, or the sampler's equivalent) is below it, where the board's float
 * arithmetic may legitimately choose another token; 0 excuses nothing. An excused difference still needs
 * `minAgreed` equal tokens first (else the case proves nothing).
 */
export async function compareWithReference(board: FirmwareBoard, model: Model, c: GenerationCase, minMargin = 0, minAgreed = 1): Promise<{ difference?: string; run: TimedGeneration }> {
  const run = await board.generate({ prompt: c.prompt, max_tokens: c.tokens, temperature: c.temperature, top_k: 0, seed: c.seed });
  assert.equal(run.result.state, 'done', `${JSON.stringify(c)}: ${run.result.error?.code}: ${run.result.error?.message}`);
  const reference = generate(model, c.prompt, { maxTokens: c.tokens, temperature: c.temperature, topK: 0, seed: c.seed });
  const ids = run.result.tokens.map((t) => t.id);
  if (JSON.stringify([ids, run.result.reason]) === JSON.stringify([reference.ids, reference.stopReason])) return { run };
  let firstDiff = 0;
  while (firstDiff < ids.length && ids[firstDiff] === reference.ids[firstDiff]) firstDiff++;
  const firstTie = minMargin > 0 ? reference.margins.findIndex((m) => m < minMargin) : -1;
  const describe = `${JSON.stringify(c)}: first difference at token ${firstDiff}, first near-tie at ${firstTie}\n  board     ${JSON.stringify(run.result.text)} (${run.result.reason}) ${ids.join(',')}\n  reference ${JSON.stringify(reference.text)} (${reference.stopReason}) ${reference.ids.join(',')}`;
  if (firstTie >= 0 && firstDiff >= firstTie && firstDiff >= minAgreed) return { run };
  return { difference: describe, run };
}

/** The model the board reads from a drive file's bytes. */
export function modelOf(bytes: Uint8Array): Model {
  return readModel(bytes);
}
