// Prompt in, tokens out (docs/format.md "Generation and sampling"): BOS, left truncation, text longer than the
// context (the window refilled, contextWindow.ts), stop reasons.
import { decodeRate } from '../generation/decodeRate';
import { canRefill, refillLength, refilled } from './contextWindow';
import { Transformer } from './forward';
import type { Model } from './modelFile';
import { type SampleTrace, generationRng, sampleToken } from './sampling';
import { Tokenizer } from './tokenizer';

export type StopReason = 'max_tokens' | 'eos' | 'context';

export interface GenerateOptions {
  maxTokens: number;
  /** <= 0: greedy. */
  temperature: number;
  /** 0: every token. */
  topK: number;
  seed: number | bigint;
  /** Stop when the context is full (reason `context`) instead of refilling it and going on. Default false. */
  stopAtContext?: boolean;
  /** Called with each new token as soon as it is chosen (streaming). */
  onToken?: (id: number, text: string) => void;
}

export interface GenerateResult {
  /** The sequence fed before the first new token: BOS (if any) + the (left-truncated) prompt. */
  promptIds: number[];
  /** Prompt tokens dropped from the left to leave room for one new token. */
  truncated: number;
  /** Prompt code points that became unk_id. */
  unknown: number;
  ids: number[];
  text: string;
  stopReason: StopReason;
  /** Times the full context was refilled (its newest tokens fed again from position 0) to go on past it. */
  refills: number;
  /** The SampleTrace margin of every choice made, in order (a final EOS choice included). */
  margins: number[];
  /** tokensPerSecond is the decode rate (src/generation/decodeRate.ts): the prompt's passes excluded, 0 for one token. */
  stats: { promptTokens: number; newTokens: number; milliseconds: number; tokensPerSecond: number };
}

/** The sequence generation starts from: BOS + prompt, the prompt cut from the left to fit context_length - 1. */
export function promptSequence(model: Model, tokenizer: Tokenizer, prompt: string): { ids: number[]; truncated: number; unknown: number } {
  const { bos_id: bos, context_length: ctx } = model.config;
  const { ids: encoded, unknown } = tokenizer.encode(prompt);
  const room = Math.max(0, ctx - 1 - (bos === null ? 0 : 1));
  const truncated = Math.max(0, encoded.length - room);
  const kept = encoded.slice(truncated);
  return { ids: bos === null ? kept : [bos, ...kept], truncated, unknown };
}

export function generate(model: Model, prompt: string, options: GenerateOptions, transformer = new Transformer(model)): GenerateResult {
  checkOptions(options);
  const started = performance.now();
  const tokenizer = new Tokenizer(model.vocab, model.config);
  const { ids: promptIds, truncated, unknown } = promptSequence(model, tokenizer, prompt);
  if (promptIds.length === 0) throw new RangeError('the prompt is empty and this model has no BOS token to start from');
  const rng = generationRng(options.seed);
  const { eos_id: eos, bos_id: bos, context_length: ctx } = model.config;
  const refillTo = refillLength(ctx, bos !== null);
  const slides = options.stopAtContext !== true && canRefill(ctx, bos !== null);
  transformer.reset();
  let logits = prefill(transformer, promptIds);
  let window = [...promptIds];
  let refills = 0;
  const ids: number[] = [];
  let text = '';
  let stopReason: StopReason;
  const trace: SampleTrace = { margin: Infinity };
  const margins: number[] = [];
  let firstTokenMs = 0;
  let lastTokenMs = 0;
  for (;;) {
    if (ids.length >= options.maxTokens) {
      stopReason = 'max_tokens';
      break;
    }
    if (window.length >= ctx && !slides) {
      stopReason = 'context';
      break;
    }
    const next = sampleToken(logits, options, rng, trace);
    margins.push(trace.margin);
    if (next === eos) {
      stopReason = 'eos';
      break;
    }
    ids.push(next);
    lastTokenMs = performance.now();
    if (ids.length === 1) firstTokenMs = lastTokenMs;
    const piece = tokenizer.decodeToken(next);
    text += piece;
    options.onToken?.(next, piece);
    if (ids.length >= options.maxTokens) continue; // the last token is never fed
    if (window.length < ctx) {
      window.push(next);
      // A window that is now full is fed only when it can be refilled later; else generation stops at it.
      if (window.length < ctx || slides) logits = transformer.step(next);
    } else {
      window = refilled(window, next, refillTo, bos);
      transformer.reset();
      logits = prefill(transformer, window);
      refills++;
    }
  }
  const milliseconds = performance.now() - started;
  return {
    promptIds,
    truncated,
    unknown,
    ids,
    text,
    stopReason,
    refills,
    margins,
    stats: {
      promptTokens: promptIds.length,
      newTokens: ids.length,
      milliseconds,
      tokensPerSecond: decodeRate(firstTokenMs, lastTokenMs, ids.length),
    },
  };
}

/** Feeds `tokens` from the transformer's current position; only the last one's logits are computed (and returned). */
export function prefill(transformer: Transformer, tokens: readonly number[]): Float32Array {
  for (let i = 0; i < tokens.length - 1; i++) transformer.feed(tokens[i]);
  return transformer.step(tokens[tokens.length - 1]);
}

function checkOptions(o: GenerateOptions): void {
  if (!Number.isInteger(o.maxTokens) || o.maxTokens < 0) throw new RangeError(`max tokens must be a whole number >= 0, got ${o.maxTokens}`);
  if (!Number.isFinite(o.temperature)) throw new RangeError(`temperature must be a number, got ${o.temperature}`);
  if (!Number.isInteger(o.topK) || o.topK < 0) throw new RangeError(`top-k must be a whole number >= 0, got ${o.topK}`);
  if (typeof o.seed === 'number' && !Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be a whole number, got ${o.seed}`);
}
