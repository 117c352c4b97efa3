// Training speed of the TypeScript trainer on this machine: tokens per second and time to a given validation loss
// for ~1K, ~8K and ~30K models on the procedural stories, with one gradient thread and with two (to see whether the
// second thread pays). Where a Python can `import torch`, the same model, steps, batch and validation windows run
// in PyTorch on the CPU (bench/train_torch.py), interleaved with the TypeScript runs, and the table gives the ratio.
// Usage: npx tsx bench/train.ts [--steps N] [--markdown] [--only 1k,8k]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '../src/corpus/generate';
import { readCorpus } from '../src/train/corpusFiles';
import { type DataOptions, type PreparedData, prepareData, validationStarts } from '../src/train/data';
import type { PreparedInfo, SizeSpec, TrainJob } from '../src/train/protocol';
import { runTraining } from '../src/train/run';
import { findWorkerScript } from '../src/train/workerScript';
import type { ArchOptions } from '../src/train/sizing';

interface Shape {
  label: string;
  size: SizeSpec;
  arch?: Partial<ArchOptions>;
  lr: number;
}

// The shapes of the sample models (scripts/train-samples.ts) at 1K, 8K and 30K.
const Shapes: readonly Shape[] = [
  { label: '1k', size: { kind: 'dims', dim: 8, hidden_dim: 27, n_layers: 1, n_heads: 2, context_length: 128 }, arch: { positional: 'none' }, lr: 1e-2 },
  { label: '8k', size: { kind: 'params', target: 8_000 }, lr: 5e-3 },
  { label: '30k', size: { kind: 'dims', dim: 32, hidden_dim: 144, n_layers: 2, n_heads: 4, context_length: 64 }, lr: 4e-3 },
];
const Targets = [2.4, 2.2, 2.0];
const DataSettings: DataOptions = { tokenizer: 'char', lowercase: false, valEvery: 10 };
const TorchScript = join(__dirname, 'train_torch.py');

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const stepsAt = args.indexOf('--steps');
const steps = stepsAt >= 0 ? Number(args[stepsAt + 1]) : 1500;
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : undefined;

/** PyTorch's OpenMP threads spin while they wait by default; on a shared machine that costs a lot at two threads
 *  (bench/README.md), so two threads also run with OMP_WAIT_POLICY=PASSIVE. */
const Passive = 'PyTorch, passive wait';
type Trainer = 'TS' | 'PyTorch' | typeof Passive;

/** Validation loss against training time so far (validation excluded, on both sides). */
interface EvalPoint {
  valLoss: number;
  trainSeconds: number;
}

interface Row {
  label: string;
  trainer: Trainer;
  params: number;
  threads: number;
  tokensPerSecond: number;
  trainSeconds: number;
  finalVal: number;
  toTarget: (number | null)[];
}

function row(label: string, trainer: Trainer, params: number, threads: number, tokensPerSecond: number, curve: EvalPoint[]): Row {
  return {
    label, trainer, params, threads, tokensPerSecond, trainSeconds: curve.at(-1)?.trainSeconds ?? NaN, finalVal: curve.at(-1)?.valLoss ?? NaN,
    toTarget: Targets.map((t) => curve.find((p) => p.valLoss <= t)?.trainSeconds ?? null),
  };
}

async function measureTs(shape: Shape, threads: 1 | 2, corpus: string, dir: string): Promise<{ row: Row; info: PreparedInfo }> {
  let info: PreparedInfo | undefined;
  const curve: EvalPoint[] = [];
  let trainSeconds = 0;
  let lastStep = 0;
  const job: TrainJob = {
    corpus, output: join(dir, `${shape.label}-${threads}.safetensors`), outputDtype: 'I8', checkpoint: join(dir, `${shape.label}-${threads}.ckpt`),
    size: shape.size,
    arch: { norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, lowercase: false, family: 'story', ...shape.arch },
    data: DataSettings,
    settings: { steps, batch: 16, lr: shape.lr, seed: 1, evalEvery: Math.max(1, Math.round(steps / 30)), valWindows: 64 },
    threads, board: 'pico-cp9',
  };
  const summary = await runTraining(job, {
    emit: (e) => {
      if (e.type === 'prepared') info = e.info;
      if (e.type !== 'progress' || info === undefined) return;
      // Each point's speed covers the steps since the previous point: that gives the training time without validation.
      const p = e.point;
      trainSeconds += ((p.step - lastStep) * info.settings.batch * info.config.context_length) / p.tokensPerSecond;
      lastStep = p.step;
      if (p.valLoss !== null) curve.push({ valLoss: p.valLoss, trainSeconds });
    },
    cancelled: () => false,
    workerScript: threads === 2 ? findWorkerScript() : undefined,
  });
  if (info === undefined) throw new Error('the trainer never reported its model');
  return { row: row(shape.label, 'TS', info.parameterCount, threads, summary.tokensPerSecond, curve), info };
}

/** The first of /usr/bin/python3 and python3 that imports torch (Debian's python3-torch is only in the system one). */
function torchPython(): { python: string; version: string; defaultThreads: number } | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__, torch.get_num_threads())'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
    const [version, threads] = probe.stdout.trim().split(' ');
    return { python, version, defaultThreads: Number(threads) };
  }
  return undefined;
}

/** The TS run's tokens as little-endian int32 files, so PyTorch trains on exactly the same streams. */
function writeStreams(data: PreparedData, dir: string): Record<'trainTokens' | 'trainDocStarts' | 'valTokens', string> {
  const files = { trainTokens: data.train.tokens, trainDocStarts: data.train.docStarts, valTokens: data.val.tokens };
  const paths = { trainTokens: '', trainDocStarts: '', valTokens: '' };
  for (const [key, ints] of Object.entries(files) as [keyof typeof files, Int32Array][]) {
    paths[key] = join(dir, `${key}.i32`);
    writeFileSync(paths[key], new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength));
  }
  return paths;
}

function torchSpec(info: PreparedInfo, data: PreparedData, streams: Record<string, string>, dir: string): string {
  if (info.vocab.join('\u0000') !== data.vocab.join('\u0000')) throw new Error("the bench's vocabulary differs from the trainer's: PyTorch would not see the same tokens");
  const path = join(dir, `torch-${info.name}.json`);
  const valStarts = validationStarts(data.val, info.config.context_length, info.settings.valWindows);
  writeFileSync(path, JSON.stringify({ config: info.config, settings: info.settings, ...streams, valStarts }));
  return path;
}

function measureTorch(python: string, label: string, spec: string, threads: number, passive: boolean, tsParams: number): Row {
  const env = passive ? { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } : process.env;
  const run = spawnSync(python, [TorchScript, spec, '--threads', String(threads)], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${TorchScript} failed (exit code ${run.status ?? run.signal}) on the ${label} model`);
  const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, number | string>);
  const prepared = events.find((e) => e.event === 'prepared');
  const done = events.find((e) => e.event === 'done');
  if (prepared === undefined || done === undefined) throw new Error(`${TorchScript} stopped before its results on the ${label} model`);
  if (prepared.params !== tsParams) throw new Error(`the PyTorch ${label} model has ${prepared.params} parameters, the TypeScript one ${tsParams}: not the same model`);
  const curve = events.filter((e) => e.event === 'eval').map((e) => ({ valLoss: Number(e.valLoss), trainSeconds: Number(e.trainSeconds) }));
  return row(label, passive ? Passive : 'PyTorch', tsParams, Number(prepared.threads), Number(done.tokensPerSecond), curve);
}

function seconds(s: number | null): string {
  return s === null ? 'not reached' : `${s.toFixed(1)} s`;
}

function table(rows: Row[]): string {
  const find = (r: Row, trainer: Trainer, threads: number): Row | undefined => rows.find((o) => o.label === r.label && o.trainer === trainer && o.threads === threads);
  const head = `| model | params | trainer | threads | tok/s | TS ÷ PyTorch | train time | final val | ${Targets.map((t) => `to val ${t.toFixed(1)}`).join(' | ')} |`;
  const lines = [head, `|${' --- |'.repeat(8 + Targets.length)}`];
  for (const r of rows) {
    const one = find(r, r.trainer === 'TS' ? 'TS' : 'PyTorch', 1); // passive waiting changes nothing at one thread
    const speedup = r.threads !== 1 && one !== undefined ? ` (x${(r.tokensPerSecond / one.tokensPerSecond).toFixed(2)})` : '';
    const ts = r.trainer === 'TS' ? undefined : find(r, 'TS', r.threads);
    const ratio = ts === undefined ? '' : `x${(ts.tokensPerSecond / r.tokensPerSecond).toFixed(2)}`;
    lines.push(
      `| ${r.label} | ${r.params.toLocaleString('en-US')} | ${r.trainer} | ${r.threads} | ${Math.round(r.tokensPerSecond).toLocaleString('en-US')}${speedup} | ${ratio} | ` +
        `${seconds(r.trainSeconds)} | ${r.finalVal.toFixed(3)} | ${r.toTarget.map(seconds).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'picoformer-bench-train-'));
  try {
    const corpus = join(dir, 'stories.txt');
    writeFileSync(corpus, generateCorpus('stories', 1, 1_000_000));
    const torch = torchPython();
    const data = prepareData((await readCorpus(corpus)).documents, DataSettings);
    const streams = torch === undefined ? undefined : writeStreams(data, dir);
    const rows: Row[] = [];
    for (const shape of Shapes.filter((s) => only === undefined || only.includes(s.label))) {
      // Alternate the thread counts and the trainers, and keep each one's faster run: the machine is shared and noisy.
      const best = new Map<string, Row>();
      const keep = (r: Row): void => {
        const key = `${r.trainer} ${r.threads}`;
        const prior = best.get(key);
        if (prior === undefined || r.tokensPerSecond > prior.tokensPerSecond) best.set(key, r);
        if (!markdown) console.error(`${shape.label} ${key}: ${Math.round(r.tokensPerSecond)} tok/s, val ${r.finalVal.toFixed(3)}`);
      };
      let spec: string | undefined;
      for (const threads of [1, 2, 1, 2] as const) {
        const ts = await measureTs(shape, threads, corpus, dir);
        keep(ts.row);
        if (torch === undefined || streams === undefined) continue;
        spec ??= torchSpec(ts.info, data, streams, dir);
        keep(measureTorch(torch.python, shape.label, spec, threads, false, ts.row.params));
        if (threads === 2) keep(measureTorch(torch.python, shape.label, spec, threads, true, ts.row.params));
      }
      for (const key of ['TS 1', 'TS 2', 'PyTorch 1', 'PyTorch 2', `${Passive} 2`]) {
        const r = best.get(key);
        if (r !== undefined) rows.push(r);
      }
    }
    console.log(
      `${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}` +
        `${torch === undefined ? '' : `, PyTorch ${torch.version} (${torch.python}; its default: ${torch.defaultThreads} thread${torch.defaultThreads === 1 ? '' : 's'})`}; ` +
        'batch 16 windows, stories corpus (seed 1, 1M characters), best of 2 runs per trainer and thread count; times are training time, validation excluded',
    );
    console.log(table(rows));
    if (torch === undefined) console.log('PyTorch: neither /usr/bin/python3 nor python3 can `import torch`, so no side-by-side run.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
