// Training speed of the TypeScript trainer on this machine: tokens per second and time to a given validation loss
// for ~1K, ~8K and ~30K models on the procedural stories, with one gradient thread and with two (to see whether the
// second thread pays), plus the forward+backward throughput alone. PyTorch side by side when `import torch` works.
// Usage: npx tsx bench/train.ts [--steps N] [--markdown] [--only 1k,8k]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '../src/corpus/generate';
import type { ProgressPoint, SizeSpec, TrainJob } from '../src/train/protocol';
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

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const stepsAt = args.indexOf('--steps');
const steps = stepsAt >= 0 ? Number(args[stepsAt + 1]) : 1500;
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : undefined;

interface Row {
  label: string;
  params: number;
  threads: number;
  tokensPerSecond: number;
  seconds: number;
  finalVal: number;
  toTarget: (number | null)[];
}

async function measure(shape: Shape, threads: 1 | 2, corpus: string, dir: string): Promise<Row> {
  const history: ProgressPoint[] = [];
  let params = 0;
  const job: TrainJob = {
    corpus, output: join(dir, `${shape.label}-${threads}.safetensors`), outputDtype: 'I8', checkpoint: join(dir, `${shape.label}-${threads}.ckpt`),
    size: shape.size,
    arch: { norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, tokenizer: 'char', lowercase: false, family: 'story', ...shape.arch },
    data: { tokenizer: 'char', lowercase: false, merges: 0, valEvery: 10 },
    settings: { steps, batch: 16, lr: shape.lr, seed: 1, evalEvery: Math.max(1, Math.round(steps / 30)), valWindows: 64 },
    threads, board: 'pico-cp9',
  };
  const summary = await runTraining(job, {
    emit: (e) => {
      if (e.type === 'prepared') params = e.info.parameterCount;
      if (e.type === 'progress') history.push(e.point);
    },
    cancelled: () => false,
    workerScript: threads === 2 ? findWorkerScript() : undefined,
  });
  const vals = history.filter((p) => p.valLoss !== null);
  return {
    label: shape.label, params, threads, tokensPerSecond: summary.tokensPerSecond, seconds: summary.elapsedMs / 1000,
    finalVal: vals.at(-1)?.valLoss ?? NaN,
    toTarget: Targets.map((t) => vals.find((p) => (p.valLoss as number) <= t)?.elapsedMs ?? null).map((ms) => (ms === null ? null : ms / 1000)),
  };
}

function torchAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'picoformer-bench-train-'));
  try {
    const corpus = join(dir, 'stories.txt');
    writeFileSync(corpus, generateCorpus('stories', 1, 1_000_000));
    const rows: Row[] = [];
    for (const shape of Shapes.filter((s) => only === undefined || only.includes(s.label))) {
      // Alternate the thread counts and keep each one's faster run: the machine is shared and noisy.
      const best = new Map<number, Row>();
      for (const threads of [1, 2, 1, 2] as const) {
        const row = await measure(shape, threads, corpus, dir);
        const prior = best.get(threads);
        if (prior === undefined || row.tokensPerSecond > prior.tokensPerSecond) best.set(threads, row);
        if (!markdown) console.error(`${shape.label} x${threads}: ${Math.round(row.tokensPerSecond)} tok/s, val ${row.finalVal.toFixed(3)}`);
      }
      rows.push(best.get(1) as Row, best.get(2) as Row);
    }
    const head = `| model | params | threads | tok/s | ${steps} steps | final val | ${Targets.map((t) => `to val ${t}`).join(' | ')} |`;
    const lines = [head, `|${' --- |'.repeat(6 + Targets.length)}`];
    for (const r of rows) {
      const speedup = r.threads === 2 ? ` (x${(r.tokensPerSecond / (rows.find((o) => o.label === r.label && o.threads === 1)?.tokensPerSecond ?? NaN)).toFixed(2)})` : '';
      lines.push(
        `| ${r.label} | ${r.params.toLocaleString('en-US')} | ${r.threads} | ${Math.round(r.tokensPerSecond).toLocaleString('en-US')}${speedup} | ${r.seconds.toFixed(1)} s | ${r.finalVal.toFixed(3)} | ` +
          `${r.toTarget.map((s) => (s === null ? 'not reached' : `${s.toFixed(1)} s`)).join(' | ')} |`,
      );
    }
    console.log(`${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}; batch 16 windows, stories corpus (seed 1, 1M characters), best of 2 runs per thread count`);
    console.log(lines.join('\n'));
    console.log(torchAvailable() ? 'PyTorch: available, but the side-by-side run is not written yet.' : 'PyTorch: not installed here (`python3 -c "import torch"` fails), so no side-by-side comparison.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
