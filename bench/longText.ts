// Text longer than the context: how much of the context a refill should keep (src/model/contextWindow.ts), judged on
// every sample model (models/*.safetensors) by what it costs in quality and in speed.
//   Quality: each sample's validation text (bench/sampleValidation.ts) fed as one long stream, BOS first, exactly as
//   generation feeds its own tokens (the window, its refills, the reference forward pass with the model's own KV
//   cache), and the mean loss of predicting every next token; beside it the ideal sliding window (every prediction
//   from BOS and the ctx - 1 tokens before it, one full recompute per token: the best any scheme that keeps at most a
//   context can do), on every `--every`th position past the first context, and each scheme on those same positions.
//   Speed: a generation of `--tokens` new tokens after a prompt of `--prompt` tokens (BOS included), counted in forward
//   passes and in multiply-adds (a refill's passes but the last skip the logits, as the runtime does), against the
//   passes of tokens generated within the context; the firmware measurement comes later (issue 13).
// Usage: npx tsx bench/longText.ts [--chars N] [--stream N] [--every N] [--tokens N] [--prompt N] [--only NAMES]
import { type KeepFraction, refillLength, refilled } from '../src/model/contextWindow';
import { Transformer } from '../src/model/forward';
import type { ModelConfig } from '../src/model/config';
import type { Model } from '../src/model/modelFile';
import { logProb, option, sampleTexts, signed } from './sampleValidation';

const Keeps: { label: string; keep: KeepFraction }[] = [
  { label: '1/2', keep: { num: 1, den: 2 } },
  { label: '3/8', keep: { num: 3, den: 8 } },
  { label: '1/4', keep: { num: 1, den: 4 } },
];

/** Loss per predicted token of the stream fed through the window with `keep`; also on the positions `subset`. */
function streamLoss(model: Model, stream: Int32Array, keep: KeepFraction, subset: Set<number>): { all: number; subset: number } {
  const { context_length: ctx, bos_id: bos } = model.config;
  if (bos === null) throw new Error('the samples all have BOS');
  const t = new Transformer(model);
  const length = refillLength(ctx, true, keep);
  let window = [bos];
  let logits = t.step(bos);
  let all = 0;
  let sub = 0;
  for (let i = 0; i < stream.length; i++) {
    const lp = logProb(logits, stream[i]);
    all -= lp;
    if (subset.has(i)) sub -= lp;
    if (i === stream.length - 1) break;
    if (window.length < ctx) {
      window.push(stream[i]);
      logits = t.step(stream[i]);
    } else {
      window = refilled(window, stream[i], length, bos);
      t.reset();
      for (let k = 0; k < window.length - 1; k++) t.feed(window[k]);
      logits = t.step(window[window.length - 1]);
    }
  }
  return { all: all / stream.length, subset: sub / subset.size };
}

/** The ideal sliding window on `subset`: BOS and the ctx - 1 tokens before each position, recomputed. */
function idealLoss(model: Model, stream: Int32Array, subset: Set<number>): number {
  const { context_length: ctx, bos_id: bos } = model.config;
  const t = new Transformer(model);
  let sum = 0;
  for (const i of subset) {
    t.reset();
    t.feed(bos as number);
    for (let k = i - ctx + 1; k < i - 1; k++) t.feed(stream[k]);
    sum -= logProb(t.step(stream[i - 1]), stream[i]);
  }
  return sum / subset.size;
}

/** Multiply-adds of one forward pass at position `pos` (0-based), with or without the logits. */
function macs(c: ModelConfig, pos: number, logits: boolean): number {
  const perLayer = 4 * c.dim * c.dim + 2 * c.dim * c.hidden_dim + 2 * (pos + 1) * c.dim;
  return c.n_layers * perLayer + (logits ? c.vocab_size * c.dim : 0);
}

interface SpeedCount {
  passes: number;
  macs: number;
}

/** The forward passes and multiply-adds of `tokens` new tokens after a `prompt`-token prompt (the prompt's own
 *  passes excluded: decode speed), each new token fed unless it is the last. */
function decodeCost(c: ModelConfig, prompt: number, tokens: number, keep: KeepFraction | null): SpeedCount {
  const length = keep === null ? c.context_length : refillLength(c.context_length, true, keep);
  let window = prompt;
  let passes = 0;
  let total = 0;
  for (let n = 1; n < tokens; n++) {
    if (window < c.context_length) {
      total += macs(c, window, true);
      passes++;
      window++;
    } else {
      for (let p = 0; p < length; p++) total += macs(c, p, p === length - 1);
      passes += length;
      window = length;
    }
  }
  return { passes, macs: total };
}

async function main(): Promise<void> {
  const chars = Number(option('--chars') ?? 400_000);
  const streamTokens = Number(option('--stream') ?? 8_000);
  const every = Number(option('--every') ?? 16);
  const tokens = Number(option('--tokens') ?? 1000);
  const prompt = Number(option('--prompt') ?? 17);
  const only = option('--only')?.split(',');
  const quality: string[] = [];
  const speed: string[] = [];
  for (const { name, model, val } of await sampleTexts(chars, only)) {
    const started = performance.now();
    const c = model.config;
    const stream = val.subarray(0, streamTokens);
    const subset = new Set<number>();
    for (let i = c.context_length; i < stream.length; i += every) subset.add(i);
    const ideal = idealLoss(model, stream, subset);
    const within = Math.max(1, c.context_length - prompt);
    const base = decodeCost(c, prompt, within, null);
    for (const { label, keep } of Keeps) {
      const l = streamLoss(model, stream, keep, subset);
      const cost = decodeCost(c, prompt, tokens, keep);
      quality.push(`| ${name} | ${label} (${refillLength(c.context_length, true, keep)} of ${c.context_length}) | ${l.all.toFixed(4)} | ${l.subset.toFixed(4)} | ${ideal.toFixed(4)} | ${signed(l.subset - ideal)} |`);
      // Within the context every new token after the first costs one pass; past it, refills add theirs.
      const byPasses = (tokens - 1) / cost.passes;
      const byMacs = base.macs / base.passes / (cost.macs / (tokens - 1));
      speed.push(`| ${name} | ${label} | ${cost.passes.toLocaleString('en-US')} | ${(cost.passes / (tokens - 1)).toFixed(2)} | ${(byPasses * 100).toFixed(1)}% | ${(byMacs * 100).toFixed(1)}% |`);
    }
    process.stderr.write(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  console.log(`Quality: the first ${streamTokens.toLocaleString('en-US')} tokens of each sample's validation stream (first ${chars.toLocaleString('en-US')} characters of its corpus), fed as one text; the ideal on every ${every}th position past the first context.\n`);
  console.log('| model | refill keeps | loss, every position | loss, sampled positions | ideal sliding window there | above ideal |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of quality) console.log(r);
  console.log(`\nSpeed: ${tokens.toLocaleString('en-US')} new tokens after a ${prompt}-token prompt, against the tokens generated before the context fills, from counts.\n`);
  console.log('| model | refill keeps | decode passes | passes per token | speed vs within the context, by passes | by multiply-adds |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of speed) console.log(r);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
