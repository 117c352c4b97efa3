// The int8 KV cache against the float32 one, on every sample model (models/*.safetensors) and its validation text
// (bench/sampleValidation.ts): the text cut into windows of the model's context (BOS, then context - 1 tokens, placed
// as the trainer places its validation windows), each fed with the float32 cache and with the int8 one (docs/format.md "KV cache": one scale
// per cached vector), and with one scale per head for comparison. Per model: the validation loss (mean cross-entropy
// per token, which is per character for these models) with each cache, its rise, the share of positions where both
// caches put the same token first, the largest logit difference, and the cache's bytes on the board. The rule for
// new models' default (issue 13): int8 where top-1 agreement stays >= 98% and the loss rises by <= 0.02 nats.
// Usage: npx tsx bench/kvCache.ts [--chars N] [--windows N] [--only story-8k,chat-8k]
import { Transformer } from '../src/model/forward';
import { Int8KvCache, type KvCache } from '../src/model/kvCache';
import type { Model } from '../src/model/modelFile';
import { argmax } from '../src/model/sampling';
import { Special, fillWindow, validationStarts } from '../src/train/data';
import { arrayCost } from '../src/memory/constants';
import { logProb, option, sampleTexts, signed } from './sampleValidation';

const Rule = { top1: 0.98, lossRise: 0.02 };

interface Variant {
  label: string;
  cache: (model: Model) => KvCache | undefined;
  bytes: (model: Model) => number;
}

const Variants: Variant[] = [
  { label: 'float32', cache: () => undefined, bytes: (m) => kvBytes(m, null) },
  { label: 'int8, scale per vector', cache: (m) => new Int8KvCache({ ...m.config, kv_cache: 'int8' }), bytes: (m) => kvBytes(m, 1) },
  {
    label: 'int8, scale per head',
    cache: (m) => new Int8KvCache({ ...m.config, kv_cache: 'int8' }, m.config.dim / m.config.n_heads),
    bytes: (m) => kvBytes(m, m.config.n_heads),
  },
];

interface Outcome {
  loss: number;
  top1: number;
  maxAbs: number;
}

function runVariant(model: Model, cache: KvCache | undefined, windows: Int32Array[], reference: Float32Array[][] | undefined, keep: Float32Array[][]): Outcome {
  const t = new Transformer({ ...model, config: { ...model.config, kv_cache: 'float32' } }, cache);
  let loss = 0;
  let agree = 0;
  let positions = 0;
  let maxAbs = 0;
  windows.forEach((w, wi) => {
    t.reset();
    const rows: Float32Array[] = [];
    for (let p = 0; p < w.length - 1; p++) {
      const logits = t.step(w[p]).slice();
      loss -= logProb(logits, w[p + 1]);
      if (reference) {
        const ref = reference[wi][p];
        if (argmax(ref) === argmax(logits)) agree++;
        for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(ref[i] - logits[i]));
      } else {
        rows.push(logits);
      }
      positions++;
    }
    if (!reference) keep.push(rows);
  });
  return { loss: loss / positions, top1: reference ? agree / positions : 1, maxAbs };
}

/** Validation windows as the trainer places them (alternately at document starts and evenly spread): BOS, then
 *  ctx tokens (the last is only a target). */
function windowsOf(val: Int32Array, ctx: number, count: number): Int32Array[] {
  const stream = { tokens: val, docStarts: docStarts(val) };
  const inputs = new Int32Array(ctx);
  const targets = new Int32Array(ctx);
  return validationStarts(stream, ctx, count).map((start) => {
    fillWindow(stream, start, ctx, inputs, targets, 0);
    const w = new Int32Array(ctx + 1);
    w.set(inputs);
    w[ctx] = targets[ctx - 1];
    return w;
  });
}

/** Where documents start in a validation stream (each document ends with EOS). */
function docStarts(val: Int32Array): Int32Array {
  const starts = [0];
  for (let i = 0; i + 1 < val.length; i++) if (val[i] === Special.eos) starts.push(i + 1);
  return Int32Array.from(starts);
}

/** The board's heap for the cache (both arrays per layer, as memest.py counts them): float32, or int8 items with
 *  `groups` float32 scales per cached vector. */
function kvBytes(model: Model, groups: number | null): number {
  const { n_layers: layers, context_length: ctx, dim } = model.config;
  return 2 * layers * (groups === null ? arrayCost(4 * ctx * dim) : arrayCost(ctx * dim) + arrayCost(4 * ctx * groups));
}

async function main(): Promise<void> {
  const chars = Number(option('--chars') ?? 400_000);
  const count = Number(option('--windows') ?? 640);
  const only = option('--only')?.split(',');
  const rows: string[] = [];
  const verdicts: string[] = [];
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
  for (const { name, model, val } of await sampleTexts(chars, only)) {
    const started = performance.now();
    const windows = windowsOf(val, model.config.context_length, count);
    const floatRows: Float32Array[][] = [];
    const base = runVariant(model, Variants[0].cache(model), windows, undefined, floatRows);
    const positions = windows.length * model.config.context_length;
    rows.push(`| ${name} | ${positions.toLocaleString('en-US')} | float32 | ${base.loss.toFixed(4)} | | | | ${kb(Variants[0].bytes(model))} |`);
    for (const v of Variants.slice(1)) {
      const o = runVariant(model, v.cache(model), windows, floatRows, []);
      const rise = o.loss - base.loss;
      rows.push(`| ${name} | | ${v.label} | ${o.loss.toFixed(4)} | ${signed(rise)} | ${(o.top1 * 100).toFixed(2)}% | ${o.maxAbs.toFixed(3)} | ${kb(v.bytes(model))} |`);
      if (v === Variants[1]) {
        const ok = o.top1 >= Rule.top1 && rise <= Rule.lossRise;
        verdicts.push(`${name}: ${ok ? 'int8 passes' : 'int8 FAILS'} (top-1 ${(o.top1 * 100).toFixed(2)}% >= ${Rule.top1 * 100}%, loss ${signed(rise)} <= +${Rule.lossRise})`);
      }
    }
    process.stderr.write(`${name}: ${windows.length} windows in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  console.log(`Validation text: the held-out documents of the first ${chars.toLocaleString('en-US')} characters of each sample's corpus, ${count} windows of the model's context placed as the trainer places its validation windows.\n`);
  console.log('| model | positions | KV cache | val loss (nats/char) | rise | top-1 agreement with float32 | max logit diff | KV cache on the board |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log('');
  for (const v of verdicts) console.log(`- ${v}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
