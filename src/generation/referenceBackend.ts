// Generation with the TypeScript reference forward pass, on the extension host's thread in short slices: it works
// for at most `sliceMs`, then yields to the event loop (setImmediate), so the editor and the panel stay responsive
// and stop() takes effect within one forward step. Tiny models take well under a millisecond per step.
import { Transformer } from '../model/forward';
import { ModelFormatError } from '../model/errors';
import { decodeRate } from './decodeRate';
import type { Model } from '../model/modelFile';
import { loadAnyModel } from '../model/modelIo';
import type {
  GenerationBackend,
  GenerationEvent,
  GenerationModelRef,
  GenerationParams,
  GenerationRun,
  GenerationTarget,
  MemoryFigures,
} from './backend';
import { EventChannel, channelRun } from './eventChannel';
import { GenerationStepper } from './generationStepper';
import { checkGenerationParams } from './params';

export interface ReferenceBackendOptions {
  /** Reads the model's weights; default: the file (or legacy trio) at `ref.path`. */
  load?: (ref: GenerationModelRef) => Promise<Model>;
  /** Work per slice before yielding, in ms. Default 8. */
  sliceMs?: number;
  /** The board heap this model would use (an estimate), reported as `memory` events marked estimated. */
  memoryFigures?: (model: Model) => MemoryFigures | undefined;
  now?: () => number;
}

export const ReferenceTarget: GenerationTarget = { kind: 'reference', label: 'TypeScript reference (this computer)' };

export class ReferenceBackend implements GenerationBackend {
  readonly target = ReferenceTarget;
  private readonly load: (ref: GenerationModelRef) => Promise<Model>;
  private readonly sliceMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ReferenceBackendOptions = {}) {
    this.load = options.load ?? (async (ref) => (await loadAnyModel(ref.path)).model);
    this.sliceMs = options.sliceMs ?? 8;
    this.now = options.now ?? (() => performance.now());
  }

  start(model: GenerationModelRef, params: GenerationParams): GenerationRun {
    const channel = new EventChannel<GenerationEvent>();
    const control = { stopRequested: false };
    void this.run(model, params, channel, control);
    return channelRun(channel, () => (control.stopRequested = true));
  }

  private async run(ref: GenerationModelRef, params: GenerationParams, out: EventChannel<GenerationEvent>, control: { stopRequested: boolean }): Promise<void> {
    const fail = (code: string, message: string): void => {
      out.push({ type: 'error', code, message });
      out.close();
    };
    const problem = checkGenerationParams(params);
    if (problem !== undefined) return fail('bad_params', problem);
    let model: Model;
    try {
      model = await this.load(ref);
    } catch (error) {
      const code = error instanceof ModelFormatError ? error.code : 'load_failed';
      return fail(code, `could not load ${ref.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let stepper: GenerationStepper;
    try {
      stepper = new GenerationStepper(model, new Transformer(model), params.prompt, params);
    } catch (error) {
      return fail('empty_prompt', error instanceof Error ? error.message : String(error));
    }
    const started = this.now();
    const elapsed = (): number => this.now() - started;
    const promptTokens = stepper.promptIds.length;
    out.push({ type: 'start', promptTokens, truncated: stepper.truncated, unknown: stepper.unknown, seed: params.seed });
    const figures = this.options.memoryFigures?.(model);
    if (figures) out.push({ type: 'memory', ...figures, estimated: true, elapsedMs: 0 });
    let firstTokenMs = 0;
    let lastTokenMs = 0;
    const done = (reason: 'max_tokens' | 'eos' | 'context' | 'stopped'): void => {
      const ms = elapsed();
      const tokens = stepper.tokens;
      if (figures) out.push({ type: 'memory', ...figures, estimated: true, elapsedMs: ms });
      out.push({ type: 'done', reason, tokens, promptTokens, ms, tokensPerSecond: decodeRate(firstTokenMs, lastTokenMs, tokens), refills: stepper.refills });
      out.close();
    };
    try {
      for (;;) {
        const sliceEnd = this.now() + this.sliceMs;
        do {
          if (control.stopRequested) return done('stopped');
          const outcome = stepper.step();
          if (outcome.kind === 'done') return done(outcome.reason);
          if (outcome.kind === 'token') {
            lastTokenMs = elapsed();
            if (outcome.index === 0) firstTokenMs = lastTokenMs;
            out.push({ type: 'token', id: outcome.id, text: outcome.text, index: outcome.index, elapsedMs: lastTokenMs });
          }
        } while (this.now() < sliceEnd);
        await yieldToEventLoop();
      }
    } catch (error) {
      fail('internal', `the reference forward pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
