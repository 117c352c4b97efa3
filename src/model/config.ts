// The picoformer/1 config (docs/format.md "Config"): its type, defaults, and the validator the reader uses.
import { boardFloat } from './boardFloat';
import { fail } from './errors';

export type NormKind = 'rmsnorm' | 'layernorm';
export type ActivationKind = 'silu' | 'gelu' | 'relu';
export type PositionalKind = 'learned' | 'none';
export type TokenizerKind = 'char' | 'longest_match';
/** How the attention's key/value cache is stored (docs/format.md "KV cache"). */
export type KvCacheKind = 'float32' | 'int8';
export const KvCacheKinds: readonly KvCacheKind[] = ['float32', 'int8'];
/** What new models get (trainer, quantize): int8 loses less than the rule it was chosen by on every sample model
 *  (bench/README.md "KV cache"). */
export const NewModelKvCache: KvCacheKind = 'int8';

/** The config key for a chosen cache: int8 is written, float32 (the meaning of an absent key) is left out, so a
 *  float-cache file is byte for byte what it was before the key existed. */
export function kvCacheKey(kind: KvCacheKind): Pick<ModelConfig, 'kv_cache'> {
  return kind === 'int8' ? { kv_cache: 'int8' } : {};
}

export interface ModelConfig {
  vocab_size: number;
  dim: number;
  hidden_dim: number;
  n_layers: number;
  n_heads: number;
  context_length: number;
  norm: NormKind;
  norm_eps: number;
  activation: ActivationKind;
  positional: PositionalKind;
  tied_embeddings: boolean;
  tokenizer: TokenizerKind;
  lowercase: boolean;
  bos_id: number | null;
  eos_id: number | null;
  unk_id: number;
  pad_id: number | null;
  special_ids: number[];
  family?: string;
  /** Absent: float32 (every file written before the field existed). */
  kv_cache?: KvCacheKind;
}

/** The model's KV cache kind, float32 when the config does not say. */
export function kvCacheOf(config: Pick<ModelConfig, 'kv_cache'>): KvCacheKind {
  return config.kv_cache ?? 'float32';
}

/** The conventional special tokens at ids 0..3, as the vocabulary builder lays them out. */
export const DefaultSpecialTokens = ['<pad>', '<s>', '</s>', '<unk>'] as const;

/** Defaults for everything but the sizes; `makeConfig` fills these in. */
export const ConfigDefaults = {
  norm: 'rmsnorm',
  norm_eps: 1e-5,
  activation: 'silu',
  positional: 'learned',
  tied_embeddings: true,
  tokenizer: 'char',
  lowercase: false,
  bos_id: 1,
  eos_id: 2,
  unk_id: 3,
  pad_id: 0,
  special_ids: [0, 1, 2, 3],
} as const satisfies Partial<ModelConfig>;

export type ConfigSizes = Pick<ModelConfig, 'vocab_size' | 'dim' | 'hidden_dim' | 'n_layers' | 'n_heads' | 'context_length'>;

/** A full config from the sizes plus any overrides; validated. */
export function makeConfig(sizes: ConfigSizes & Partial<ModelConfig>): ModelConfig {
  const config: ModelConfig = { ...ConfigDefaults, special_ids: [...ConfigDefaults.special_ids], ...sizes };
  return validateConfig(config);
}

const Keys: readonly (keyof ModelConfig)[] = [
  'vocab_size', 'dim', 'hidden_dim', 'n_layers', 'n_heads', 'context_length', 'norm', 'norm_eps', 'activation',
  'positional', 'tied_embeddings', 'tokenizer', 'lowercase', 'bos_id', 'eos_id', 'unk_id', 'pad_id', 'special_ids',
  'family', 'kv_cache',
];

/** Checks a parsed config object against docs/format.md and returns it typed (a fresh object in key order). */
export function validateConfig(value: unknown): ModelConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('config_invalid', 'config must be a JSON object');
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!(Keys as readonly string[]).includes(key)) fail('config_invalid', `config has an unknown key "${key}"`);
  }
  const vocabSize = int(raw, 'vocab_size', 2, 65535);
  const dim = int(raw, 'dim', 1, 4096);
  const nHeads = int(raw, 'n_heads', 1, 64);
  if (dim % nHeads !== 0) fail('config_invalid', `config: dim ${dim} is not divisible by n_heads ${nHeads}`);
  const config: ModelConfig = {
    vocab_size: vocabSize,
    dim,
    hidden_dim: int(raw, 'hidden_dim', 1, 16384),
    n_layers: int(raw, 'n_layers', 1, 64),
    n_heads: nHeads,
    context_length: int(raw, 'context_length', 1, 4096),
    norm: oneOf(raw, 'norm', ['rmsnorm', 'layernorm'] as const),
    norm_eps: positive(raw, 'norm_eps'),
    activation: oneOf(raw, 'activation', ['silu', 'gelu', 'relu'] as const),
    positional: oneOf(raw, 'positional', ['learned', 'none'] as const),
    tied_embeddings: bool(raw, 'tied_embeddings'),
    tokenizer: oneOf(raw, 'tokenizer', ['char', 'longest_match'] as const),
    lowercase: bool(raw, 'lowercase'),
    bos_id: tokenId(raw, 'bos_id', vocabSize, true),
    eos_id: tokenId(raw, 'eos_id', vocabSize, true),
    unk_id: tokenId(raw, 'unk_id', vocabSize, false) as number,
    pad_id: tokenId(raw, 'pad_id', vocabSize, true),
    special_ids: specialIds(raw, vocabSize),
  };
  for (const key of ['bos_id', 'eos_id', 'unk_id', 'pad_id'] as const) {
    const id = config[key];
    if (id !== null && !config.special_ids.includes(id)) fail('config_invalid', `config: ${key} ${id} is not in special_ids`);
  }
  if (raw.family !== undefined) {
    if (typeof raw.family !== 'string' || !/^[A-Za-z0-9_.-]{1,40}$/.test(raw.family)) {
      fail('config_invalid', 'config: family must be 1-40 letters, digits, "_", "." or "-"');
    }
    config.family = raw.family;
  }
  // Optional, checked last (after family): absent means float32, so files written before it read unchanged.
  if (raw.kv_cache !== undefined) config.kv_cache = oneOf(raw, 'kv_cache', KvCacheKinds);
  return config;
}

function present(raw: Record<string, unknown>, key: string): unknown {
  if (!Object.hasOwn(raw, key)) fail('config_invalid', `config is missing "${key}"`);
  return raw[key];
}

/**
 * An integer, also written as a whole-number float (Python writers write 1.0), judged by the value the board keeps
 * (boardFloat; every value in a config's ranges is exact there); undefined when it is not a whole number.
 */
function whole(v: unknown): number | undefined {
  if (typeof v !== 'number') return undefined;
  const kept = boardFloat(v);
  return Number.isInteger(kept) ? kept : undefined;
}

function int(raw: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = present(raw, key);
  const n = whole(v);
  if (n === undefined || n < min || n > max) {
    fail('config_invalid', `config: ${key} must be an integer in ${min}..${max}, found ${JSON.stringify(v)}`);
  }
  return n;
}

/** A float the board can use: > 0 and finite as the board keeps it (1e308 is Infinity there, 1e-39 is 0). */
function positive(raw: Record<string, unknown>, key: string): number {
  const v = present(raw, key);
  const kept = typeof v === 'number' ? boardFloat(v) : NaN;
  if (!Number.isFinite(kept) || kept <= 0) {
    fail('config_invalid', `config: ${key} must be a number > 0 within float32's range, found ${JSON.stringify(v)}`);
  }
  return v as number;
}

function bool(raw: Record<string, unknown>, key: string): boolean {
  const v = present(raw, key);
  if (typeof v !== 'boolean') fail('config_invalid', `config: ${key} must be true or false, found ${JSON.stringify(v)}`);
  return v;
}

function oneOf<T extends string>(raw: Record<string, unknown>, key: string, options: readonly T[]): T {
  const v = present(raw, key);
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    fail('config_invalid', `config: ${key} must be one of ${options.join(', ')}, found ${JSON.stringify(v)}`);
  }
  return v as T;
}

function tokenId(raw: Record<string, unknown>, key: string, vocabSize: number, nullable: boolean): number | null {
  const v = present(raw, key);
  if (v === null && nullable) return null;
  const id = whole(v);
  if (id === undefined || id < 0 || id >= vocabSize) {
    fail('config_invalid', `config: ${key} must be a token id in 0..${vocabSize - 1}${nullable ? ' or null' : ''}, found ${JSON.stringify(v)}`);
  }
  return id;
}

function specialIds(raw: Record<string, unknown>, vocabSize: number): number[] {
  const v = present(raw, 'special_ids');
  if (!Array.isArray(v)) fail('config_invalid', 'config: special_ids must be an array of token ids');
  const ids: number[] = [];
  for (const entry of v) {
    const id = whole(entry);
    if (id === undefined || id < 0 || id >= vocabSize) {
      fail('config_invalid', `config: special_ids entry ${JSON.stringify(entry)} is not a token id in 0..${vocabSize - 1}`);
    }
    if (ids.includes(id)) fail('config_invalid', `config: special_ids lists ${id} twice`);
    ids.push(id);
  }
  if (ids.length >= vocabSize) fail('config_invalid', 'config: every token is special, so no text can be encoded');
  return ids;
}
