// One training run from start (or a checkpoint) to exported model files: data, size, the step loop with validation
// and checkpoints, cancellation (the best weights so far are kept and exported), export with the int8 error.
// Runs on whatever thread calls it: worker.ts calls it in the trainer thread, host.ts falls back to calling it here.
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname } from 'node:path';
import { writeFileAtomically } from '../files/writeAtomically';
import { boardProfile } from '../memory/boards';
import { estimate } from '../memory/estimate';
import { estimateModelFromHeader } from '../memory/input';
import type { ModelConfig } from '../model/config';
import { readModelHeader, writeModel } from '../model/modelFile';
import { modelName, parameterCount } from '../model/params';
import { type Checkpoint, CheckpointFormat, hashTokens, readCheckpoint, writeCheckpoint } from './checkpoint';
import { readCorpus } from './corpusFiles';
import { headerProblem } from './headerFit';
import { fillWindow, prepareData, sampleStart, tooShort, validationStarts } from './data';
import { GradientEngine } from './engine';
import { exportModel, modelFromParams } from './export';
import { initParams } from './init';
import { adamWStep, clipGradients } from './optimizer';
import { decayMask, paramLayout } from './paramLayout';
import type { PreparedInfo, ProgressPoint, TrainEvent, TrainJob, TrainSummary } from './protocol';
import { TrainRng } from './rng';
import { learningRate } from './schedule';
import { type TrainSettings, defaultSettings, settingsProblem } from './settings';
import { type SizeRequest, sizeModel } from './sizing';
import { settleData } from './vocabChoice';

export interface RunControl {
  emit(event: TrainEvent): void;
  cancelled(): boolean;
  /** The worker script, for a second gradient thread; undefined: one thread. */
  workerScript?: string;
}

/** The data order's seed, apart from the weights' so the two streams never share numbers. */
function dataSeed(seed: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2f) >>> 0) || 1;
}

export async function runTraining(job: TrainJob, control: RunControl): Promise<TrainSummary> {
  const board = boardProfile(job.board, job.customHeapKB);
  const ckpt: Checkpoint | undefined = job.resume === undefined ? undefined : await readCheckpoint(job.resume);
  const corpus = await readCorpus(job.corpus);
  if (ckpt === undefined && job.size === undefined) throw new Error('no model size given: explicit dims, a parameter count, or a board');
  const request: SizeRequest | undefined = job.size === undefined ? undefined : job.size.kind === 'board' ? { kind: 'board', board, mode: job.size.mode } : job.size;
  const dataOptions = ckpt?.meta.data ?? settleData(job.data, corpus.documents, request as SizeRequest, job.arch);
  const data = prepareData(corpus.documents, dataOptions, ckpt?.meta.vocab);
  const dataHash = hashTokens(data.train.tokens);
  if (ckpt !== undefined && dataHash !== ckpt.meta.dataHash) {
    throw new Error(`${job.corpus} is not the text ${job.resume} was trained on (${ckpt.meta.corpus}): resuming would not continue the same run`);
  }

  let config: ModelConfig;
  let fit: PreparedInfo['fit'];
  if (ckpt !== undefined) config = ckpt.meta.config;
  else {
    const sized = sizeModel(request as SizeRequest, data.vocab, job.arch, dataOptions.tokenizer);
    config = sized.config;
    if (sized.estimate !== undefined) {
      fit = { board: board.id, mode: sized.estimate.chosen.mode, zone: sized.estimate.zone, requiredBytes: sized.estimate.chosen.required };
    }
  }
  const headerWhy = headerProblem(config, data.vocab);
  if (headerWhy !== null) throw new Error(headerWhy);
  const ctx = config.context_length;
  let settings: TrainSettings;
  if (ckpt !== undefined) {
    settings = { ...ckpt.meta.settings, steps: Math.max(job.settings.steps ?? ckpt.meta.settings.steps, ckpt.meta.step) };
  } else {
    if (job.settings.steps === undefined) throw new Error('no step count given for a new run');
    settings = { ...defaultSettings(job.settings.steps, job.settings.seed ?? 1), ...definedOnly(job.settings) };
  }
  const problem = settingsProblem(settings);
  if (problem !== null) throw new Error(problem);
  await mkdir(dirname(job.checkpoint), { recursive: true });
  for (const [stream, what] of [[data.train, 'training'], [data.val, 'validation']] as const) {
    const why = tooShort(stream, ctx, what);
    if (why !== null) throw new Error(why);
  }

  const count = parameterCount(config);
  const name = modelName(count, config.family);
  // A step is milliseconds of work even for a 1K model, a hand-off about 0.1 ms: two threads pay whenever there are
  // two cores (bench/README.md, "Training").
  const twoThreads = job.threads === 2 || (job.threads === 'auto' && availableParallelism() >= 2);
  const valStarts = validationStarts(data.val, ctx, settings.valWindows);
  const chunk = Math.max(settings.batch, 16);
  const engine = new GradientEngine(config, chunk, twoThreads && settings.batch > 1 ? control.workerScript : undefined);
  try {
    control.emit({
      type: 'prepared',
      info: {
        name, parameterCount: count, config, vocab: data.vocab, coverage: data.coverage, unknownTokens: data.unknownTokens,
        missingChars: data.missingChars, documents: data.documents, trainTokens: data.train.tokens.length, valTokens: data.val.tokens.length,
        charsPerToken: data.charsPerToken,
        ...(data.vocabNote !== undefined ? { vocabNote: data.vocabNote } : {}),
        settings, threads: engine.threads,
        ...(ckpt !== undefined && job.resume !== undefined ? { resumed: { path: job.resume, step: ckpt.meta.step } } : {}),
        ...(fit !== undefined ? { fit } : {}),
      },
    });

    const layout = paramLayout(config);
    const params = engine.params;
    params.set(ckpt?.params ?? initParams(config, settings.seed));
    const best = ckpt?.best.slice() ?? params.slice();
    const adam = { m: ckpt?.m ?? new Float64Array(layout.total), v: ckpt?.v ?? new Float64Array(layout.total), t: ckpt?.meta.step ?? 0 };
    const decay = decayMask(layout);
    const rng = new TrainRng(dataSeed(settings.seed));
    if (ckpt !== undefined) rng.state = ckpt.meta.rngState;
    const schedule = { peak: settings.lr, warmupSteps: settings.warmup, totalSteps: settings.steps, minRatio: settings.minLrRatio };
    const adamOptions = { beta1: settings.beta1, beta2: settings.beta2, eps: 1e-8, weightDecay: settings.weightDecay };
    const logEvery = job.logEvery ?? Math.max(1, Math.round(settings.steps / 200));
    const history: ProgressPoint[] = ckpt?.meta.history.slice() ?? [];
    let step = ckpt?.meta.step ?? 0;
    let bestValLoss = ckpt?.meta.bestValLoss ?? null;
    let bestStep = ckpt?.meta.bestStep ?? 0;
    const elapsedBefore = ckpt?.meta.elapsedMs ?? 0;
    const started = performance.now();
    const elapsed = (): number => elapsedBefore + performance.now() - started;
    let trainMs = 0;
    let trainTokens = 0;
    let since = { loss: 0, steps: 0, tokens: 0, ms: 0 };
    let gradNorm = 0;

    const validate = async (): Promise<number> => {
      let total = 0;
      for (let i = 0; i < valStarts.length; i += chunk) {
        const n = Math.min(chunk, valStarts.length - i);
        for (let w = 0; w < n; w++) fillWindow(data.val, valStarts[i + w], ctx, engine.inputs, engine.targets, w * ctx);
        total += await engine.run(n, ctx, false, 1);
      }
      return total / (valStarts.length * ctx);
    };
    const save = async (): Promise<void> => {
      const checkpoint: Checkpoint = {
        meta: {
          format: CheckpointFormat, config, vocab: data.vocab, settings, data: dataOptions, corpus: job.corpus, dataHash,
          step, rngState: rng.state, bestStep, bestValLoss, elapsedMs: elapsed(), history,
        },
        params, best, m: adam.m, v: adam.v,
      };
      await writeCheckpoint(job.checkpoint, checkpoint);
      control.emit({ type: 'checkpoint', path: job.checkpoint, step, best: bestStep === step });
    };
    const evaluate = async (): Promise<number> => {
      const loss = await validate();
      if (bestValLoss === null || loss < bestValLoss) {
        bestValLoss = loss;
        bestStep = step;
        best.set(params);
      }
      return loss;
    };

    let reason: TrainSummary['reason'] = 'completed';
    while (step < settings.steps) {
      if (control.cancelled()) {
        reason = 'cancelled';
        break;
      }
      const t0 = performance.now();
      for (let w = 0; w < settings.batch; w++) fillWindow(data.train, sampleStart(data.train, ctx, rng), ctx, engine.inputs, engine.targets, w * ctx);
      const tokens = settings.batch * ctx;
      const loss = (await engine.run(settings.batch, ctx, true, 1 / tokens)) / tokens;
      gradNorm = clipGradients(engine.grads, settings.clip);
      if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
        throw new Error(`training diverged at step ${step + 1} (loss ${loss}); try a lower learning rate`);
      }
      adamWStep(params, engine.grads, adam, decay, learningRate(schedule, step), adamOptions);
      step++;
      const ms = performance.now() - t0;
      trainMs += ms;
      trainTokens += tokens;
      since = { loss: since.loss + loss, steps: since.steps + 1, tokens: since.tokens + tokens, ms: since.ms + ms };
      const evalNow = step % settings.evalEvery === 0 || step === settings.steps;
      const valLoss = evalNow ? await evaluate() : null;
      if (evalNow || step % logEvery === 0) {
        const point: ProgressPoint = {
          step, totalSteps: settings.steps, trainLoss: since.loss / since.steps, valLoss, lr: learningRate(schedule, step - 1),
          tokensPerSecond: since.ms > 0 ? (since.tokens * 1000) / since.ms : 0, elapsedMs: elapsed(), gradNorm,
        };
        history.push(point);
        control.emit({ type: 'progress', point });
        since = { loss: 0, steps: 0, tokens: 0, ms: 0 };
      }
      if (evalNow) await save();
      await new Promise((resolve) => setImmediate(resolve)); // lets a cancel message in
    }
    if (bestValLoss === null) {
      await evaluate();
    }
    if (reason === 'cancelled') await save();

    const float = modelFromParams(config, data.vocab, best, {
      name,
      created_by: 'picoformer train',
      training: JSON.stringify({ corpus: basename(job.corpus), steps: bestStep, val_loss: bestValLoss, seed: settings.seed, batch: settings.batch, lr: settings.lr }),
    });
    const sequences = valStarts.slice(0, 4).map((start) => {
      fillWindow(data.val, start, ctx, engine.inputs, engine.targets, 0);
      return Array.from(engine.inputs.subarray(0, ctx));
    });
    const { model, error } = exportModel(float, job.outputDtype, sequences);
    const file = writeModel(model);
    await writeAtomically(job.output, file);
    if (job.floatOutput !== undefined) await writeAtomically(job.floatOutput, writeModel(float));
    const e = estimate(estimateModelFromHeader(readModelHeader(file)), board);
    return {
      reason, steps: step, totalSteps: settings.steps, bestStep, bestValLoss, elapsedMs: elapsed(),
      tokensPerSecond: trainMs > 0 ? (trainTokens * 1000) / trainMs : 0, name, parameterCount: count,
      output: { path: job.output, dtype: job.outputDtype, bytes: file.length },
      ...(job.floatOutput !== undefined ? { floatOutput: job.floatOutput } : {}),
      checkpoint: job.checkpoint, quantError: error,
      fit: { board: board.id, mode: e.mode, zone: e.zone, requiredBytes: e.chosen.required },
    };
  } finally {
    await engine.close();
  }
}

/** The keys whose values are not undefined (so a spread does not wipe out defaults). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomically(path, bytes);
}
