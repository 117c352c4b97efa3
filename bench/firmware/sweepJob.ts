// One job of the calibration sweep: one shape on the emulated official firmware, with ulab or in pure Python, loaded
// in each mode its estimate allows (resident first when it might fit, then streamed), every load step measured with
// the step probe, then timed generations at a fixed position: a prompt of PromptTokens tokens after BOS, then
// NewTokens tokens whose gaps are the decode time (forward passes at positions PromptTokens+1 .. PromptTokens+NewTokens-1).
import { type MeasuredMode, type ModelMeasurement, type GenerationPlan, measureModel } from '../../src/emu/measureModel';
import { boardParts } from '../../src/memory/boardParts';
import { type EstimateModel, estimateModelFromHeader } from '../../src/memory/input';
import { readModelHeader } from '../../src/model/modelFile';
import { Tokenizer } from '../../src/model/tokenizer';
import { type SweepShape, shapeFile } from './shapes';

export const PromptTokens = 15;
export const NewTokens = 10;
/** The mean position of the timed forward passes (BOS is position 0). */
export const TimedPosition = PromptTokens + 1 + (NewTokens - 2) / 2;

export type SpeedPathName = 'ulab' | 'python';

export interface SweepRecord {
  shape: string;
  dtype: string;
  path: SpeedPathName;
  /** The probe's run (stepProbe.ts): every load step's bound, and the timed generations. */
  measurement: ModelMeasurement;
  /** The same loads with board/code.py as deployed (no probe): the live heap, what can be allocated and each load's
   *  outcome as a user's board has them. The probe changes what CircuitPython's conservative collector keeps alive
   *  (one runtime under it kept ~15 KB more from the start-up list on and refused loads code.py makes). Boundary
   *  loads run plain only (their `measurement`). Absent in older results files. */
  plain?: ModelMeasurement;
  hostSeconds: number;
}

/** Resident is tried when its estimated total is within this of the heap a load has at start-up (else it cannot
 *  load and is not worth the emulator's time). */
const ResidentCeiling = 150_000;

export function jobModes(model: EstimateModel): MeasuredMode[] {
  const resident = boardParts(model, 'resident', true).total;
  return resident <= ResidentCeiling ? ['resident', 'streamed'] : ['streamed'];
}

/** A prompt of exactly `tokens` tokens: one vocabulary character no longer entry starts with, repeated. */
export function fixedPrompt(vocab: readonly string[], config: ConstructorParameters<typeof Tokenizer>[1], tokens: number): string {
  const tokenizer = new Tokenizer(vocab, config);
  for (const candidate of ['e', 't', 'a', 'o', ' ', 'x', ...vocab.filter((v) => [...v].length === 1)]) {
    const text = candidate.repeat(tokens);
    const { ids, unknown } = tokenizer.encode(text);
    if (unknown === 0 && ids.length === tokens) return text;
  }
  throw new Error('no vocabulary character encodes to one token when repeated');
}

export function generationPlans(prompt: string, greedy: boolean): GenerationPlan[] {
  const plans: GenerationPlan[] = [{ prompt, tokens: NewTokens, temperature: 0.8, seed: 11 }];
  if (greedy) plans.push({ prompt, tokens: NewTokens, temperature: 0, seed: 1 });
  return plans;
}

/** `plainFrom`: a record of this job whose plain run is kept (the timings are rerun, the plain boot is not: a runtime
 *  change that only moves speed, such as the token choice, leaves what code.py holds and allocates alone). */
export async function runJob(shape: SweepShape, path: SpeedPathName, runtimeDir?: string, plainFrom?: SweepRecord): Promise<SweepRecord> {
  const bytes = shapeFile(shape);
  const header = readModelHeader(bytes);
  const model = estimateModelFromHeader(header);
  // Pure Python decodes slowly: greedy too only on the small models (the argmax pass's cost needs a few).
  const greedy = path === 'ulab' || header.fileSize < 20_000;
  const timed = shape.speed !== 'none';
  const t0 = performance.now();
  const common = { fileName: `${shape.name}.safetensors`, bytes, modes: shape.modes ?? jobModes(model), ulab: path === 'ulab', ...(runtimeDir ? { runtimeDir } : {}) };
  // Every load generates two tokens at least: the live heap is measured with the forward pass imported.
  const twoTokens: GenerationPlan[] = [{ prompt: fixedPrompt(header.vocab, header.config, 1), tokens: 2, temperature: 0, seed: 1 }];
  if (!timed) {
    // A boundary load: whether a start-up load succeeds, and its heap, as board/code.py has them.
    const measurement = await measureModel({ ...common, generations: twoTokens, probeSteps: false });
    return { shape: shape.name, dtype: shape.dtype, path, measurement, hostSeconds: (performance.now() - t0) / 1000 };
  }
  const measurement = await measureModel({ ...common, generations: generationPlans(fixedPrompt(header.vocab, header.config, PromptTokens), greedy), probeSteps: true });
  // The memory table is ulab's: the pure-Python job needs no plain run.
  const plain = path !== 'ulab' ? undefined : (plainFrom?.plain ?? (await measureModel({ ...common, generations: twoTokens, probeSteps: false })));
  return { shape: shape.name, dtype: shape.dtype, path, measurement, ...(plain ? { plain } : {}), hostSeconds: (performance.now() - t0) / 1000 };
}
