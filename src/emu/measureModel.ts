// One model measured on the emulated Pico for the calibration sweep and the firmware tests: deployed alone with the
// runtime as `deploy` writes it, loaded at start-up in a forced mode (then in the others, each after an unload),
// each load's heap read from its events and, with the step probe (stepProbe.ts), each load step's bound; then timed
// generations (simulated time) and the live heap after them.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorEvent, LoadedEvent, ModelsEvent, ReadyEvent, RuntimeEvent } from '../device/protocol/events';
import { RuntimeCommandError } from '../device/serial/session';
import { deployToFolder } from './emulateDeploy';
import { simMs } from './emulatedPico';
import { REPO_ROOT } from './firmware';
import { FirmwareBoard } from './firmwareBoard';
import { parseStepProbe, STEP_PROBE_CODE, type StepRecord } from './stepProbe';

export type MeasuredMode = 'resident' | 'streamed';

export interface GenerationPlan {
  /** The prompt: its tokens (plus BOS) are fed before the first new token. */
  prompt: string;
  /** New tokens; decode time is the mean gap between consecutive tokens. */
  tokens: number;
  temperature: number;
  seed: number;
}

export interface MeasureOptions {
  fileName: string;
  bytes: Uint8Array;
  /** Load modes in order: the first is forced for the start-up load, each other one is loaded after an unload. */
  modes: readonly MeasuredMode[];
  /** false: /picoformer.json {"ulab": false}, the runtime's pure-Python forward pass. */
  ulab: boolean;
  /** Generations after each successful load. */
  generations?: readonly GenerationPlan[];
  /** Measure every list and load step (stepProbe.ts) instead of running board/code.py as it is. */
  probeSteps?: boolean;
  runtimeDir?: string;
  shared?: string;
  log?: (message: string) => void;
}

export interface GenerationRecord extends GenerationPlan {
  ids: number[];
  reason: string | undefined;
  promptTokens: number;
  /** Mean simulated ms between consecutive token events: one forward pass, sampling and printing. */
  decodeMs: number;
  /** Simulated ms from the start event to the first token, per position fed (BOS and the prompt). */
  prefillMsPerToken: number;
}

export interface LoadRecord {
  mode: MeasuredMode;
  loaded?: LoadedEvent;
  /** The runtime's error when the load failed (out_of_memory, too_big...). */
  error?: { code: string; message: string };
  /** The probe's records of this load's steps, from its decision to report_loaded (with probeSteps). */
  steps: StepRecord[];
  generations: GenerationRecord[];
  /** A generation that failed after the load succeeded (a model near the heap's end can load, then run out of
   *  memory generating): its error; the load's later generations are not run. */
  generationError?: { code: string; message: string };
  /** `mem` after the generations: the live heap while the model runs (after a collection). */
  allocAfterGenerating?: number;
}

export interface ModelMeasurement {
  ready: ReadyEvent;
  /** The start-up model list (mem_available: what the runtime judged a load by). */
  bootList?: ModelsEvent;
  /** The probe wrapper's own heap (with probeSteps): subtract it from live figures. */
  probeOverhead: number;
  loads: LoadRecord[];
  simSeconds: number;
}

/** Simulated ms to wait for a start-up load. */
const StartupLoadMs = 120_000;

export async function measureModel(options: MeasureOptions): Promise<ModelMeasurement> {
  const drive = mkdtempSync(join(tmpdir(), 'picoformer-measure-'));
  let board: FirmwareBoard | undefined;
  try {
    if (!options.ulab) writeFileSync(join(drive, 'picoformer.json'), '{"ulab": false}\n');
    await deployToFolder(drive, {
      runtimeDir: options.runtimeDir ?? join(REPO_ROOT, 'board'),
      models: [{ bytes: options.bytes, fileName: options.fileName }],
      defaultModelMode: options.modes[0],
    });
    if (options.probeSteps) writeFileSync(join(drive, 'code.py'), STEP_PROBE_CODE);
    board = await FirmwareBoard.boot({ driveDir: drive, ...(options.shared ? { shared: options.shared } : {}), ...(options.log ? { log: options.log } : {}) });
    const b = board;
    const startup = await waitForEvent(b, (e) => e.ev === 'loaded' || (e.ev === 'error' && e.req === undefined), StartupLoadMs);
    const loads: LoadRecord[] = [];
    for (const [i, mode] of options.modes.entries()) {
      let outcome: LoadedEvent | ErrorEvent | undefined = i === 0 ? (startup as LoadedEvent | ErrorEvent | undefined) : undefined;
      if (i > 0) {
        if ((await b.session.info()).model) await b.session.unload();
        outcome = await b.session.load(options.fileName, mode).catch((error: unknown) => {
          if (error instanceof RuntimeCommandError) return { ev: 'error', code: error.code, message: error.message, recoverable: true } as ErrorEvent;
          throw error;
        });
      }
      const record: LoadRecord = { mode, steps: [], generations: [] };
      if (outcome?.ev === 'loaded') record.loaded = outcome;
      else record.error = outcome ? { code: outcome.code, message: outcome.message } : { code: 'timeout', message: 'no loaded or error event at start-up' };
      if (record.loaded) {
        for (const plan of options.generations ?? []) {
          const run = await timedGeneration(b, plan);
          if ('error' in run) {
            record.generationError = run.error;
            break;
          }
          record.generations.push(run);
        }
        record.allocAfterGenerating = (await b.mem()).alloc;
      }
      loads.push(record);
    }
    const probe = parseStepProbe(b.raw);
    splitSteps(probe.steps, loads);
    return {
      ready: b.events.map((e) => e.event).find((e): e is ReadyEvent => e.ev === 'ready') as ReadyEvent,
      bootList: b.events.map((e) => e.event).find((e): e is ModelsEvent => e.ev === 'models'),
      probeOverhead: probe.overhead?.wrapper ?? 0,
      loads,
      simSeconds: b.now / 1000,
    };
  } finally {
    await board?.close();
    rmSync(drive, { recursive: true, force: true });
  }
}

/** Resolves with the first event (already seen or coming) that `match`es, or undefined after `timeoutMs` simulated ms. */
function waitForEvent(board: FirmwareBoard, match: (e: RuntimeEvent) => boolean, timeoutMs: number): Promise<RuntimeEvent | undefined> {
  const seen = board.events.find((e) => match(e.event));
  if (seen) return Promise.resolve(seen.event);
  return new Promise((resolve) => {
    const watch = board.session.onEvent((event) => {
      if (!match(event)) return;
      watch.dispose();
      board.pico.clock.clearTimeout(timer);
      resolve(event);
    });
    const timer = board.pico.clock.setTimeout(() => {
      watch.dispose();
      resolve(undefined);
    }, timeoutMs);
  });
}

/** The generation's record, or the runtime's error when it failed (the board still answers after it). */
async function timedGeneration(board: FirmwareBoard, plan: GenerationPlan): Promise<GenerationRecord | { error: { code: string; message: string } }> {
  const run = await board.generate({ prompt: plan.prompt, max_tokens: plan.tokens, temperature: plan.temperature, top_k: 0, seed: plan.seed });
  if (run.result.state !== 'done') return { error: { code: run.result.error?.code ?? 'error', message: run.result.error?.message ?? `generation ended ${run.result.state}` } };
  const promptTokens = run.result.start?.prompt_tokens ?? 0;
  const first = run.tokenTimes[0];
  return {
    ...plan,
    ids: run.result.tokens.map((t) => t.id),
    reason: run.result.reason,
    promptTokens,
    decodeMs: run.msPerToken,
    prefillMsPerToken: run.startTime && first && promptTokens > 0 ? (simMs(first) - simMs(run.startTime)) / promptTokens : Number.NaN,
  };
}

/** Gives each load the probe records from its decision ("measured:autoload" or "measured:c_load") to report_loaded. */
function splitSteps(steps: readonly StepRecord[], loads: LoadRecord[]): void {
  let current = -1;
  for (const s of steps) {
    if (s.step === 'measured:autoload' || s.step === 'measured:c_load') current++;
    if (current >= 0 && current < loads.length) loads[current].steps.push(s);
    if (s.step === 'report_loaded' && current >= loads.length - 1) current = loads.length;
  }
}
