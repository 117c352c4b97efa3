// src/model/generate.ts's loop cut into single forward steps, so a caller can yield between them (the reference
// backend runs on the extension host's thread). Keep it in step with generate(): a unit test requires the same
// tokens, stop reason and refills for the same model, prompt and options. As on the board (gen.py), a chosen token
// is fed by the next step, and a refill of the context is fed one token per step.
import { canRefill, refillLength, refilled } from '../model/contextWindow';
import type { Transformer } from '../model/forward';
import { type StopReason, promptSequence } from '../model/generate';
import type { Model } from '../model/modelFile';
import { type Xorshift32, generationRng, sampleToken } from '../model/sampling';
import { Tokenizer } from '../model/tokenizer';

export interface StepperOptions {
  maxTokens: number;
  temperature: number;
  topK: number;
  seed: number | bigint;
  /** Stop when the context is full instead of refilling it. Default false. */
  stopAtContext?: boolean;
}

/** What one step did: fed a token (the prompt's, a chosen one, or a refill's), emitted a new token, or finished. */
export type StepOutcome =
  | { kind: 'feed' }
  | { kind: 'token'; id: number; text: string; index: number }
  | { kind: 'done'; reason: StopReason };

export class GenerationStepper {
  readonly promptIds: readonly number[];
  readonly truncated: number;
  readonly unknown: number;
  private readonly tokenizer: Tokenizer;
  private readonly rng: Xorshift32;
  private readonly refillTo: number;
  private readonly slides: boolean;
  /** The tokens the model sees, at most context_length; `fed` of them are in the cache. */
  private window: number[];
  private fed = 0;
  private produced = 0;
  private refilled = 0;
  private logits: Float32Array = new Float32Array(0);
  private finished: StopReason | undefined;

  constructor(
    private readonly model: Model,
    private readonly transformer: Transformer,
    prompt: string,
    private readonly options: StepperOptions,
  ) {
    this.tokenizer = new Tokenizer(model.vocab, model.config);
    const sequence = promptSequence(model, this.tokenizer, prompt);
    if (sequence.ids.length === 0) throw new RangeError('the prompt is empty and this model has no BOS token to start from');
    this.promptIds = sequence.ids;
    this.truncated = sequence.truncated;
    this.unknown = sequence.unknown;
    this.window = [...sequence.ids];
    const { context_length: ctx, bos_id: bos } = model.config;
    this.refillTo = refillLength(ctx, bos !== null);
    this.slides = options.stopAtContext !== true && canRefill(ctx, bos !== null);
    this.rng = generationRng(options.seed);
    transformer.reset();
  }

  get tokens(): number {
    return this.produced;
  }

  /** Times the context was refilled so far. */
  get refills(): number {
    return this.refilled;
  }

  /** One forward step (or the choice of a token, or the final decision). After `done`, keeps returning it. */
  step(): StepOutcome {
    if (this.finished !== undefined) return { kind: 'done', reason: this.finished };
    if (this.fed < this.window.length) {
      const token = this.window[this.fed++];
      // Only the last fed token's logits are read (generate()'s prefill).
      if (this.fed < this.window.length) this.transformer.feed(token);
      else this.logits = this.transformer.step(token);
      return { kind: 'feed' };
    }
    const { eos_id: eos, bos_id: bos, context_length: ctx } = this.model.config;
    if (this.produced >= this.options.maxTokens) return this.finish('max_tokens');
    if (this.window.length >= ctx && !this.slides) return this.finish('context');
    const next = sampleToken(this.logits, this.options, this.rng);
    if (next === eos) return this.finish('eos');
    const index = this.produced++;
    if (this.produced < this.options.maxTokens) this.append(next, ctx, bos);
    return { kind: 'token', id: next, text: this.tokenizer.decodeToken(next), index };
  }

  /** Adds a chosen token to the window (refilled when full), to be fed by the following steps. */
  private append(next: number, ctx: number, bos: number | null): void {
    if (this.window.length < ctx) {
      this.window.push(next);
      // A window that is now full is fed only when it can be refilled later (as generate()).
      if (this.window.length === ctx && !this.slides) this.fed = this.window.length;
      return;
    }
    this.window = refilled(this.window, next, this.refillTo, bos);
    this.transformer.reset();
    this.fed = 0;
    this.refilled++;
  }

  private finish(reason: StopReason): StepOutcome {
    this.finished = reason;
    return { kind: 'done', reason };
  }
}
