// Issue 13's figures on the official CircuitPython 9.2.8 firmware (the emulated Pico, docs/firmware.md), before and
// after the int8 KV cache and text longer than the context. "Before" is a runtime without them (`--before DIR`: a
// board/ folder, e.g. `git archive <main's commit> board | tar -x -C DIR`) with the float32 cache (the sample files
// without their kv_cache key); "after" is this checkout's runtime with the int8 cache.
//   heap      story-8k's live heap after a 24-token generation, before and after
//   long      1,000 tokens of story-8k past its context: tokens against the reference, refills, the live heap
//             during the generation (mem between passes), the decode rate against tokens within the context
//   shapes    the old project's 101K and 229K shapes (int8, random weights): load and generate, after; refused before
//   largest   the largest int8 model resident at a 64-token context, the largest streamed, and the longest context
//             of story-8k's shape, before and after (each candidate booted, loaded and asked for 3 tokens)
// Usage: npx tsx bench/firmwareKv.ts <heap|long|shapes|largest> [--before DIR] [--before-kv int8] [--only resident|streamed|context|101K|229K]
// Simulated time is deterministic; host time is slow (0.1-0.5x real time): `long` takes tens of minutes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadMode } from '../src/device/protocol/events';
import { deployToFolder } from '../src/emu/emulateDeploy';
import { simMs } from '../src/emu/emulatedPico';
import { REPO_ROOT } from '../src/emu/firmware';
import { FirmwareBoard } from '../src/emu/firmwareBoard';
import { type KvCacheKind, type ModelConfig, makeConfig } from '../src/model/config';
import { generate } from '../src/model/generate';
import { type Model, readModel, writeModel } from '../src/model/modelFile';
import { parameterCount } from '../src/model/params';
import { convertModel } from '../src/model/quantize';
import { randomModel, syntheticVocab } from '../src/model/random';
import { option } from './sampleValidation';

const AfterRuntime = join(REPO_ROOT, 'board');
/** The character story-8k issue 13's figures were set on (test/firmware/fixtures/README.md). */
const Story8k = join(REPO_ROOT, 'test', 'firmware', 'fixtures', 'story-8k-char.safetensors');
const print = (line: Record<string, unknown>): void => console.log(JSON.stringify(line));

interface Drive {
  runtime: string;
  files: { fileName: string; bytes: Uint8Array }[];
  mode?: LoadMode;
}

async function boot<T>(d: Drive, body: (board: FirmwareBoard) => Promise<T>): Promise<T> {
  const drive = mkdtempSync(join(tmpdir(), 'picoformer-kv-firmware-'));
  let board: FirmwareBoard | undefined;
  try {
    await deployToFolder(drive, { runtimeDir: d.runtime, models: d.files, ...(d.mode ? { defaultModelMode: d.mode } : {}) });
    board = await FirmwareBoard.boot({ driveDir: drive });
    // Answered once the start-up load is over (the runtime answers a list between loads, not during one; the 229K
    // shape's streamed start-up load takes longer than the session's 5 s, hence the longer wait); an answer that is
    // an error (listing beside a big loaded model can run out of heap) says so too, and is a figure of its own.
    await board.request({ cmd: 'list' }, ['models'], 120_000).catch((e: Error) => print({ listError: e.message }));
    return await body(board);
  } finally {
    await board?.close();
    rmSync(drive, { recursive: true, force: true });
  }
}

/** The model with the given KV cache (float32: the key left out, as files made before it). */
function withKv(model: Model, kind: KvCacheKind): Model {
  const { kv_cache: _old, ...config } = model.config;
  return { ...model, config: { ...config, ...(kind === 'int8' ? { kv_cache: 'int8' as const } : {}) } };
}

function story8k(kind: KvCacheKind): Uint8Array {
  return writeModel(withKv(readModel(new Uint8Array(readFileSync(Story8k))), kind));
}

/** After (this runtime, int8 cache), and before (--before DIR, float32 cache) when given. */
function sides(): [string, string, KvCacheKind][] {
  const out: [string, string, KvCacheKind][] = [['after', AfterRuntime, 'int8']];
  if (option('--before')) out.push(['before', beforeRuntime(), 'float32']);
  return out;
}

function beforeRuntime(): string {
  const dir = option('--before');
  if (!dir) throw new Error('--before DIR (a board/ folder of the runtime before this work) is needed for this figure');
  return dir;
}

async function heap(): Promise<void> {
  // --before-kv int8: the runtime before with the int8 cache too (a change to the runtime alone, issue 13's heap target)
  const beforeKv: KvCacheKind = option('--before-kv') === 'int8' ? 'int8' : 'float32';
  for (const [label, runtime, kind] of [['before', beforeRuntime(), beforeKv], ['after', AfterRuntime, 'int8']] as const) {
    await boot({ runtime, files: [{ fileName: 'story-8k.safetensors', bytes: story8k(kind) }] }, async (board) => {
      const loaded = board.events.map((e) => e.event).find((e) => e.ev === 'loaded');
      const run = await board.generate({ prompt: 'once upon', max_tokens: 24, temperature: 0, top_k: 0, seed: 1 });
      const mem = await board.mem();
      print({ figure: 'story-8k live heap after a 24-token generation', runtime: label, kv_cache: kind, loaded: loaded && { mode: loaded.mode, model_bytes: loaded.model_bytes }, tokens: run.result.tokens.length, mem_alloc: mem.alloc, mem_free: mem.free, decodeTokPerS: +(1000 / run.msPerToken).toFixed(2) });
    });
  }
}

async function long(): Promise<void> {
  const bytes = story8k('int8');
  const model = readModel(bytes);
  const c = { prompt: 'once upon a time', temperature: 0.5, seed: 2 };
  const within = 64 - 17;
  await boot({ runtime: AfterRuntime, files: [{ fileName: 'story-8k.safetensors', bytes }] }, async (board) => {
    const short = await board.generate({ prompt: c.prompt, max_tokens: within, temperature: c.temperature, top_k: 0, seed: c.seed });
    const afterShort = await board.mem();
    // 1,000 tokens, with the heap read between passes at a few points (mem is answered during a generation)
    const probes = [1, 50, 100, 250, 500, 750, 999];
    const heapAt: Record<number, number> = {};
    const tokenTimes: number[] = [];
    const generation = await board.session.generate({ prompt: c.prompt, max_tokens: 1000, temperature: c.temperature, top_k: 0, seed: c.seed });
    let count = 0;
    const pending: Promise<void>[] = [];
    const watch = generation.onUpdate((u) => {
      if (u.type !== 'token') return;
      count++;
      tokenTimes.push(simMs(board.pico.outputTime));
      if (probes.includes(count)) {
        const at = count;
        pending.push(board.mem().then((m) => void (heapAt[at] = m.alloc)));
      }
    });
    const result = await generation.result;
    watch.dispose();
    await Promise.all(pending);
    const afterLong = await board.mem();
    const reference = generate(model, c.prompt, { maxTokens: 1000, temperature: c.temperature, topK: 0, seed: c.seed });
    const ids = result.tokens.map((t) => t.id);
    let equal = 0;
    while (equal < ids.length && ids[equal] === reference.ids[equal]) equal++;
    const rate = (times: number[]): number => ((times.length - 1) * 1000) / (times[times.length - 1] - times[0]);
    const shortTimes = short.tokenTimes.map((t) => simMs(t));
    print({
      figure: 'story-8k, 1,000 tokens past its context (int8 KV cache), on the firmware',
      reason: result.reason, tokens: ids.length, refills: result.done?.refills, referenceRefills: reference.refills,
      tokensEqualToReference: equal, referenceTokens: reference.ids.length, sameStop: result.reason === reference.stopReason,
      firstDifferenceMargin: equal < ids.length ? reference.margins[equal] : null,
      liveHeapDuring: heapAt, liveHeapAfter: afterLong.alloc, liveHeapAfter47Tokens: afterShort.alloc,
      decodeTokPerSWithinContext: +rate(shortTimes).toFixed(2), decodeTokPerSOver1000: +rate(tokenTimes).toFixed(2),
      ratio: +(rate(tokenTimes) / rate(shortTimes)).toFixed(3),
      boardDecodeMs: result.done?.decode_ms,
    });
  });
}

/** The old project's shapes (positional none, tied: 101,712 and 229,952 parameters). */
function oldShape(vocab: number, dim: number, hidden: number, layers: number, heads: number, ctx: number, kind: KvCacheKind): Uint8Array {
  const config = makeConfig({
    vocab_size: vocab, dim, hidden_dim: hidden, n_layers: layers, n_heads: heads, context_length: ctx,
    positional: 'none', tied_embeddings: true, family: 'random', ...(kind === 'int8' ? { kv_cache: 'int8' as const } : {}),
  });
  return writeModel(convertModel(randomModel(config, 1111), 'I8'));
}

async function shapes(): Promise<void> {
  const shapesToTry: [string, [number, number, number, number, number, number]][] = [
    ['101K', [384, 48, 192, 3, 8, 80]],
    ['229K', [512, 64, 256, 4, 16, 96]],
  ];
  for (const [label, s] of shapesToTry.filter(([l]) => !option('--only') || option('--only') === l)) {
    for (const [when, runtime, kind] of sides()) {
      const bytes = oldShape(...s, kind);
      await boot({ runtime, files: [{ fileName: `old-${label}.safetensors`, bytes }] }, async (board) => {
        const evs = board.events.map((e) => e.event);
        const loaded = evs.find((e) => e.ev === 'loaded');
        const errors = evs.filter((e) => e.ev === 'error').map((e) => ({ code: (e as { code: string }).code, message: (e as { message: string }).message }));
        const out: Record<string, unknown> = { figure: `the old ${label} shape`, runtime: when, kv_cache: kind, params: parameterCount(readModel(bytes).config), loaded: loaded ? { mode: loaded.mode, model_bytes: loaded.model_bytes, mem_free: loaded.mem_free, fallback: loaded.fallback } : null, errors };
        if (loaded) {
          const c = { prompt: 'the ', max_tokens: 12, temperature: 0, top_k: 0, seed: 1 };
          try {
            const run = await board.generate(c);
            const reference = generate(readModel(bytes), c.prompt, { maxTokens: c.max_tokens, temperature: 0, topK: 0, seed: 1 });
            out.tokensEqualToReference = JSON.stringify(run.result.tokens.map((t) => t.id)) === JSON.stringify(reference.ids);
            out.decodeTokPerS = +(1000 / run.msPerToken).toFixed(3);
          } catch (e) {
            out.generateError = (e as Error).message; // e.g. the firmware's heap running out mid-generation
          }
          out.mem = await board.mem();
        }
        print(out);
      });
    }
  }
}

const Vocab = syntheticVocab(38, 'char');

/** story-8k-like shapes: vocabulary 38, 4 heads, hidden 3 x dim, learned positions. */
function shape(dim: number, layers: number, ctx: number, kind: KvCacheKind, hidden = 3 * dim): ModelConfig {
  return makeConfig({ vocab_size: 38, dim, hidden_dim: hidden, n_layers: layers, n_heads: 4, context_length: ctx, family: 'random', ...(kind === 'int8' ? { kv_cache: 'int8' as const } : {}) });
}

/** Whether `config` loads in `mode` (forced, no fallback) and generates 3 tokens; with the figures. */
async function tryLoad(runtime: string, config: ModelConfig, mode: LoadMode): Promise<{ ok: boolean; detail: Record<string, unknown> }> {
  const bytes = writeModel(convertModel(randomModel(config, 77, Vocab), 'I8'));
  return boot({ runtime, files: [{ fileName: 'm.safetensors', bytes }], mode }, async (board) => {
    const evs = board.events.map((e) => e.event);
    const loaded = evs.find((e) => e.ev === 'loaded');
    const errors = evs.filter((e) => e.ev === 'error').map((e) => (e as { code: string }).code);
    const detail: Record<string, unknown> = { params: parameterCount(config), dim: config.dim, layers: config.n_layers, ctx: config.context_length, file: bytes.length, loaded: loaded ? { mode: loaded.mode, model_bytes: loaded.model_bytes, fallback: loaded.fallback ?? null } : null, errors };
    const wrongMode = mode !== 'auto' && (loaded?.mode !== mode || loaded?.fallback); // auto: whatever the runtime chose
    if (!loaded || wrongMode) return { ok: false, detail };
    try {
      const run = await board.generate({ prompt: '', max_tokens: 3, temperature: 0, top_k: 0, seed: 1 });
      detail.generated = run.result.tokens.length;
      detail.mem_free = (await board.mem()).free;
      return { ok: run.result.state === 'done' && run.result.tokens.length === 3, detail };
    } catch (e) {
      detail.generateError = (e as Error).message; // loaded, but generating ran out of heap: does not fit
      return { ok: false, detail };
    }
  });
}

/** The largest of `candidates` (ascending) that loads: walks up from `start` while they load, down while not. */
async function largest(label: string, runtime: string, mode: LoadMode, candidates: ModelConfig[], start: number): Promise<void> {
  let i = start;
  const tried = new Map<number, boolean>();
  const attempt = async (k: number): Promise<boolean> => {
    const r = await tryLoad(runtime, candidates[k], mode).catch((e: unknown) => {
      // past ~840 KB the model file no longer fits the 1 MiB CIRCUITPY drive: that, not the heap, is the edge there
      if (!(e instanceof Error) || !/Disk full/.test(e.message)) throw e;
      return { ok: false, detail: { params: parameterCount(candidates[k]), dim: candidates[k].dim, drive: 'the model file does not fit the 1 MiB drive' } };
    });
    tried.set(k, r.ok);
    print({ probe: label, ok: r.ok, ...r.detail });
    return r.ok;
  };
  if (await attempt(i)) {
    while (i + 1 < candidates.length && (await attempt(i + 1))) i++;
  } else {
    while (i > 0 && !(await attempt(i - 1))) i--;
    i--;
  }
  const best = i >= 0 ? candidates[i] : undefined;
  print({ figure: label, mode, largest: best ? { params: parameterCount(best), dim: best.dim, layers: best.n_layers, ctx: best.context_length } : null });
}

async function largestAll(): Promise<void> {
  const only = option('--only');
  for (const [when, runtime, kind] of sides()) {
    if (!only || only === 'resident') {
      const dims = Array.from({ length: 20 }, (_, k) => 16 + 4 * k);
      const start = dims.indexOf(kind === 'int8' ? 48 : 36);
      await largest(`largest int8 model resident at context 64 (${when}, ${kind} KV cache)`, runtime, 'resident', dims.map((d) => shape(d, 2, 64, kind)), start);
    }
    if (!only || only === 'streamed') {
      const dims = Array.from({ length: 30 }, (_, k) => 32 + 8 * k);
      const start = dims.indexOf(kind === 'int8' ? 200 : 72);
      await largest(`largest int8 model streamed at context 64 (${when}, ${kind} KV cache)`, runtime, 'streamed', dims.map((d) => shape(d, 2, 64, kind)), start);
    }
    if (!only || only === 'context') {
      const ctxs = [64, 96, 128, 192, 256, 320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536];
      const start = ctxs.indexOf(kind === 'int8' ? 768 : 256);
      await largest(`longest context of story-8k's shape (${when}, ${kind} KV cache)`, runtime, 'auto', ctxs.map((c) => shape(16, 2, c, kind, 66)), start);
    }
  }
}

async function main(): Promise<void> {
  const what = process.argv[2];
  const t0 = performance.now();
  if (what === 'heap') await heap();
  else if (what === 'long') await long();
  else if (what === 'shapes') await shapes();
  else if (what === 'largest') await largestAll();
  else throw new Error('usage: npx tsx bench/firmwareKv.ts <heap|long|shapes|largest> [--before DIR] [--only resident|streamed|context|101K|229K]');
  print({ hostSeconds: +((performance.now() - t0) / 1000).toFixed(1) });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
