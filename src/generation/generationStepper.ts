// src/model/generate.ts's loop cut into single forward steps, so a caller can yield between them (the reference
// backend runs on the extension host's thread). Keep it in step with generate(): a unit test requires the same
// tokens and stop reason for the same model, prompt and options.
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
}

/** What one step did: fed a prompt token, emitted a new token, or finished. */
export type StepOutcome =
  | { kind: 'prompt' }
  | { kind: 'token'; id: number; text: string; index: number }
  | { kind: 'done'; reason: StopReason };

export class GenerationStepper {
  readonly promptIds: readonly number[];
  readonly truncated: number;
  readonly unknown: number;
  private readonly tokenizer: Tokenizer;
  private readonly rng: Xorshift32;
  private fed = 0;
  private produced = 0;
  private length: number;
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
    this.length = sequence.ids.length;
    this.rng = generationRng(options.seed);
    transformer.reset();
  }

  get tokens(): number {
    return this.produced;
  }

  /** One forward step (or the final decision). After `done`, keeps returning it. */
  step(): StepOutcome {
    if (this.finished !== undefined) return { kind: 'done', reason: this.finished };
    if (this.fed < this.promptIds.length) {
      this.logits = this.transformer.step(this.promptIds[this.fed++]);
      return { kind: 'prompt' };
    }
    const { eos_id: eos, context_length: ctx } = this.model.config;
    if (this.produced >= this.options.maxTokens) return this.finish('max_tokens');
    if (this.length >= ctx) return this.finish('context');
    const next = sampleToken(this.logits, this.options, this.rng);
    if (next === eos) return this.finish('eos');
    const index = this.produced++;
    this.length++;
    // The cache has room for the new token only while the sequence is shorter than the context (as generate()).
    if (this.length < ctx && this.produced < this.options.maxTokens) this.logits = this.transformer.step(next);
    return { kind: 'token', id: next, text: this.tokenizer.decodeToken(next), index };
  }

  private finish(reason: StopReason): StepOutcome {
    this.finished = reason;
    return { kind: 'done', reason };
  }
}
