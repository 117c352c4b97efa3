// The picoformer.* settings as one typed value. Pure (no vscode): the settings service feeds it a getter, and unit
// tests feed it a plain object. Bad values never throw here: each falls back to its default and says why in
// `problems`, so one typo in settings.json does not break every command.
import { type BoardId, type BoardProfile, CustomHeapKbRange, DefaultBoardId, boardProfile, isBoardId } from '../memory/boards';
import { KvCacheKinds } from '../model/config';
import type { Dtype } from '../model/tensor';
import { DefaultTrainingPreferences, type TrainingPreferences } from '../train/quickJob';

export type Quantization = 'int8' | 'f16' | 'f32';

export interface GenerationSettings {
  maxTokens: number;
  temperature: number;
  topK: number;
  seed: number;
}

export interface PicoformerSettings {
  boardProfile: BoardId;
  customHeapKB: number;
  /** Empty: detect. */
  serialPort: string;
  /** Empty: detect. */
  drivePath: string;
  extraUsbIds: string[];
  defaultQuantization: Quantization;
  generation: GenerationSettings;
  /** Train Tiny Model…'s architecture and optimiser choices (picoformer.training.*). */
  training: TrainingPreferences;
  /** Start the virtual Pico when the extension activates (the sample workspace turns this on for `npm start`). */
  virtualPicoStartOnOpen: boolean;
  /** Settings that had unusable values and were replaced by their defaults. */
  problems: string[];
}

export const SettingDefaults: Omit<PicoformerSettings, 'problems'> = {
  boardProfile: DefaultBoardId,
  customHeapKB: 140,
  serialPort: '',
  drivePath: '',
  extraUsbIds: [],
  defaultQuantization: 'int8',
  generation: { maxTokens: 64, temperature: 0.8, topK: 0, seed: 0 },
  training: { ...DefaultTrainingPreferences },
  virtualPicoStartOnOpen: false,
};

export const QuantizationDtypes: Readonly<Record<Quantization, Dtype>> = { int8: 'I8', f16: 'F16', f32: 'F32' };

/** Reads every setting through `get` (a key below "picoformer", e.g. "generation.topK"). */
export function parseSettings(get: (key: string) => unknown): PicoformerSettings {
  const problems: string[] = [];
  const pick = <T>(key: string, fallback: T, ok: (v: unknown) => v is T, expected: string): T => {
    const value = get(key);
    if (value === undefined || value === null) return fallback;
    if (ok(value)) return value;
    problems.push(`picoformer.${key} is ${JSON.stringify(value)}; expected ${expected}. Using ${JSON.stringify(fallback)}.`);
    return fallback;
  };
  const numberIn = (min: number, max: number, integer = false) => (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v));
  const isString = (v: unknown): v is string => typeof v === 'string';
  const oneOf = <T extends string>(options: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (options as readonly string[]).includes(v);
  const zeroOr = (min: number, max: number) => (v: unknown): v is number => v === 0 || numberIn(min, max, true)(v);
  const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
  const d = SettingDefaults;
  return {
    boardProfile: pick('boardProfile', d.boardProfile, (v): v is BoardId => typeof v === 'string' && isBoardId(v), 'a known board profile'),
    customHeapKB: pick('customHeapKB', d.customHeapKB, numberIn(CustomHeapKbRange.min, CustomHeapKbRange.max), `a number of KB in ${CustomHeapKbRange.min}..${CustomHeapKbRange.max}`),
    serialPort: pick('serialPort', d.serialPort, isString, 'a port path').trim(),
    drivePath: pick('drivePath', d.drivePath, isString, 'a folder path').trim(),
    extraUsbIds: pick('extraUsbIds', d.extraUsbIds, (v): v is string[] => Array.isArray(v) && v.every(isString), 'a list of "VID:PID" strings'),
    defaultQuantization: pick('defaultQuantization', d.defaultQuantization, (v): v is Quantization => v === 'int8' || v === 'f16' || v === 'f32', 'int8, f16 or f32'),
    generation: {
      maxTokens: pick('generation.maxTokens', d.generation.maxTokens, numberIn(1, 4096, true), 'a whole number in 1..4096'),
      temperature: pick('generation.temperature', d.generation.temperature, numberIn(0, 5), 'a number in 0..5'),
      topK: pick('generation.topK', d.generation.topK, numberIn(0, 65535, true), 'a whole number >= 0'),
      seed: pick('generation.seed', d.generation.seed, (v): v is number => typeof v === 'number' && Number.isSafeInteger(v), 'a whole number'),
    },
    training: {
      contextLength: pick('training.contextLength', d.training.contextLength, zeroOr(4, 1024), '0 (automatic) or a whole number in 4..1024'),
      layers: pick('training.layers', d.training.layers, zeroOr(1, 16), '0 (automatic) or a whole number in 1..16'),
      heads: pick('training.heads', d.training.heads, zeroOr(1, 16), '0 (automatic) or a whole number in 1..16'),
      norm: pick('training.norm', d.training.norm, oneOf(['rmsnorm', 'layernorm'] as const), 'rmsnorm or layernorm'),
      activation: pick('training.activation', d.training.activation, oneOf(['silu', 'gelu', 'relu'] as const), 'silu, gelu or relu'),
      positions: pick('training.positions', d.training.positions, oneOf(['learned', 'none'] as const), 'learned or none'),
      tiedEmbeddings: pick('training.tiedEmbeddings', d.training.tiedEmbeddings, isBoolean, 'true or false'),
      tokenizer: pick('training.tokenizer', d.training.tokenizer, oneOf(['char', 'longest_match'] as const), 'char or longest_match'),
      merges: pick('training.merges', d.training.merges, numberIn(1, 4096, true), 'a whole number in 1..4096'),
      lowercase: pick('training.lowercase', d.training.lowercase, isBoolean, 'true or false'),
      learningRate: pick('training.learningRate', d.training.learningRate, (v): v is number => v === 0 || numberIn(1e-6, 0.5)(v), '0 (by size) or a number in 0.000001..0.5'),
      batch: pick('training.batch', d.training.batch, numberIn(1, 512, true), 'a whole number in 1..512'),
      seed: pick('training.seed', d.training.seed, (v): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 0xffffffff, 'a whole number in 0..4294967295'),
      kvCache: pick('training.kvCache', d.training.kvCache, oneOf(KvCacheKinds), 'int8 or float32'),
    },
    virtualPicoStartOnOpen: pick('virtualPico.startOnOpen', d.virtualPicoStartOnOpen, isBoolean, 'true or false'),
    problems,
  };
}

/** The board profile the settings select (custom with its heap). */
export function selectedBoard(settings: Pick<PicoformerSettings, 'boardProfile' | 'customHeapKB'>): BoardProfile {
  return boardProfile(settings.boardProfile, settings.boardProfile === 'custom' ? settings.customHeapKB : undefined);
}

/**
 * The matrix type a model is deployed (and so estimated) with: the default quantization, but never a wider type
 * than the file has (an int8 model stays int8; converting it to float would only waste memory).
 */
export function deployDtype(stored: Dtype | 'mixed', quantization: Quantization): Dtype {
  const wanted = QuantizationDtypes[quantization];
  if (stored === 'mixed') return wanted;
  const width: Record<Dtype, number> = { I8: 1, F16: 2, F32: 4 };
  return width[wanted] < width[stored] ? wanted : stored;
}
