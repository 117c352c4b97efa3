// Decode speed of a model on the official firmware on the emulated RP2040 (src/emu, docs/firmware.md), in tokens and
// in characters per second: the model alone on a drive written by the project's deploy code, loaded as the
// runtime's start-up decides, then sampled generations from an empty prompt. Simulated time, so the figures do not
// depend on the host's load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployToFolder } from '../src/emu/emulateDeploy';
import { type BoardTime, simMs } from '../src/emu/emulatedPico';
import { FirmwareBoard } from '../src/emu/firmwareBoard';

export interface FirmwareSpeed {
  tokensPerSecond: number;
  charsPerSecond: number;
  /** The characters those tokens decoded to, per token. */
  charsPerToken: number;
  /** Tokens timed (after each generation's first) and the load mode. */
  tokens: number;
  mode: string;
}

/** Generations: temperature 0.8, seeds 1-3, 40 tokens after BOS. */
const Seeds = [1, 2, 3];

/** The decode part of a run: the tokens after the first, over the board time between the first and the last. */
export function decodeSpan(tokenTimes: readonly BoardTime[]): { ms: number; tokens: number } {
  if (tokenTimes.length < 2) return { ms: 0, tokens: 0 };
  return { ms: simMs(tokenTimes[tokenTimes.length - 1]) - simMs(tokenTimes[0]), tokens: tokenTimes.length - 1 };
}

export async function firmwareSpeed(modelPath: string, runtimeDir: string): Promise<FirmwareSpeed> {
  const drive = mkdtempSync(join(tmpdir(), 'picoformer-bench-fw-'));
  let board: FirmwareBoard | undefined;
  try {
    await deployToFolder(drive, { runtimeDir, models: [{ path: modelPath }] });
    board = await FirmwareBoard.boot({ driveDir: drive });
    let ms = 0;
    let tokens = 0;
    let chars = 0;
    for (const seed of Seeds) {
      const run = await board.generate({ prompt: '', max_tokens: 40, temperature: 0.8, top_k: 0, seed });
      const span = decodeSpan(run.tokenTimes);
      if (span.tokens === 0) continue;
      ms += span.ms;
      tokens += span.tokens;
      chars += run.result.tokens.slice(1).reduce((n, t) => n + [...t.text].length, 0);
    }
    const loaded = board.events.map((e) => e.event).find((e) => e.ev === 'loaded');
    if (tokens === 0) throw new Error(`${modelPath}: no generation reached two tokens on the firmware`);
    return {
      tokensPerSecond: (tokens * 1000) / ms, charsPerSecond: (chars * 1000) / ms, charsPerToken: chars / tokens, tokens,
      mode: typeof loaded?.mode === 'string' ? loaded.mode : 'unknown',
    };
  } finally {
    await board?.close();
    rmSync(drive, { recursive: true, force: true });
  }
}
