// Choosing the model's size: explicit dims, a target parameter count (the name must show that target: within 5%),
// or the largest model that runs on a board resident or streamed (src/memory's estimate of the int8 model).
import { ConfigDefaults, type KvCacheKind, type ModelConfig, NewModelKvCache, kvCacheKey, makeConfig } from '../model/config';
import { modelName, parameterCount, sizeLabel } from '../model/params';
import { configForTarget } from '../model/random';
import type { BoardProfile } from '../memory/boards';
import { type MemoryEstimate, estimate } from '../memory/estimate';
import { estimateModelFromConfig } from '../memory/input';
import type { LoadMode } from '../memory/boardParts';
import { ShorterContextHint, Special } from './data';

/** Architecture options every size request shares (docs/format.md "Config"). */
export interface ArchOptions {
  norm: ModelConfig['norm'];
  activation: ModelConfig['activation'];
  positional: ModelConfig['positional'];
  tied_embeddings: boolean;
  tokenizer: ModelConfig['tokenizer'];
  lowercase: boolean;
  family: string;
  /** undefined: 64, or 32 for targets under 4,000 parameters (a 64-entry position table alone would be too much). */
  context_length?: number;
  n_heads?: number;
  n_layers?: number;
  /** undefined: NewModelKvCache (int8). Sizes for a board follow it: the cache is most of a big model's heap. */
  kv_cache?: KvCacheKind;
}

export type SizeRequest =
  | { kind: 'dims'; dim: number; hidden_dim: number; n_layers: number; n_heads: number; context_length: number }
  | { kind: 'params'; target: number }
  | { kind: 'board'; board: BoardProfile; mode: LoadMode };

export interface SizedModel {
  config: ModelConfig;
  parameterCount: number;
  name: string;
  /** For board requests: the int8 model's estimate in the requested mode. */
  estimate?: MemoryEstimate;
}

/** "8k", "1.5k", "300000", "1.2m" as a parameter count. */
export function parseParamCount(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([km]?)\s*$/i.exec(text);
  if (m === null) throw new Error(`"${text}" is not a parameter count (examples: 8k, 1.5k, 300k, 1.2m, 2000)`);
  const n = Math.round(Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1));
  if (n < 100 || n > 50_000_000) throw new Error(`a parameter count must be between 100 and 50m, got ${text}`);
  return n;
}

export function sizeModel(request: SizeRequest, vocab: readonly string[], arch: ArchOptions): SizedModel {
  const fixed = {
    vocab_size: vocab.length,
    norm: arch.norm,
    norm_eps: ConfigDefaults.norm_eps,
    activation: arch.activation,
    positional: arch.positional,
    tied_embeddings: arch.tied_embeddings,
    tokenizer: arch.tokenizer,
    lowercase: arch.lowercase,
    bos_id: Special.bos,
    eos_id: Special.eos,
    unk_id: Special.unk,
    pad_id: Special.pad,
    special_ids: [...Special.ids],
    family: arch.family,
    ...kvCacheKey(arch.kv_cache ?? NewModelKvCache),
  };
  let config: ModelConfig;
  let est: MemoryEstimate | undefined;
  if (request.kind === 'dims') {
    const { kind: _kind, ...dims } = request;
    config = makeConfig({ ...fixed, ...dims });
  } else if (request.kind === 'params') {
    config = forTarget(request.target, fixed, arch);
  } else {
    const found = largestOnBoard(request.board, request.mode, vocab, fixed, arch);
    config = found.config;
    est = found.estimate;
  }
  const count = parameterCount(config);
  return { config, parameterCount: count, name: modelName(count, arch.family), ...(est ? { estimate: est } : {}) };
}

type Fixed = Omit<ModelConfig, 'dim' | 'hidden_dim' | 'n_layers' | 'n_heads' | 'context_length'>;

/** The context a model of about `target` parameters gets unless one is chosen: 64, or 32 under 4,000 parameters. */
export function defaultContext(target: number, chosen?: number): number {
  return chosen ?? (target < 4000 ? 32 : 64);
}

/** configForTarget's shape; if its name does not show the target (story-996 for 1k), a wider search over layers,
 *  heads, dim and hidden for the closest count that does, or at least one within 5%. */
function forTarget(target: number, fixed: Fixed, arch: ArchOptions): ModelConfig {
  const ctx = defaultContext(target, arch.context_length);
  const overrides = { ...fixed, context_length: ctx, ...(arch.n_heads ? { n_heads: arch.n_heads } : {}), ...(arch.n_layers ? { n_layers: arch.n_layers } : {}) };
  const label = sizeLabel(target);
  const named = (c: ModelConfig): boolean => sizeLabel(parameterCount(c)) === label;
  const within = (c: ModelConfig): boolean => Math.abs(parameterCount(c) - target) <= 0.05 * target;
  const first = configForTarget(target, overrides);
  if (named(first)) return first;
  // Lower is better: a name that shows the target first, then closeness, then hidden near 3 * dim (the usual shape).
  const score = (c: ModelConfig): number =>
    (named(c) ? 0 : 1) + Math.abs(parameterCount(c) - target) / target + Math.abs(Math.log(c.hidden_dim / (3 * c.dim))) * 0.01;
  let best: ModelConfig = first;
  const layerChoices = arch.n_layers ? [arch.n_layers] : [1, 2, 3, 4, 6];
  const headChoices = arch.n_heads ? [arch.n_heads] : [1, 2, 4];
  for (const layers of layerChoices) {
    for (const heads of headChoices) {
      for (let dim = heads; dim <= 1024; dim += heads) {
        const base = makeConfig({ ...fixed, context_length: ctx, n_layers: layers, n_heads: heads, dim, hidden_dim: 1 });
        const ideal = (target - parameterCount(base)) / (2 * dim * layers) + 1;
        if (ideal < 1) break;
        for (const hidden of [Math.floor(ideal), Math.ceil(ideal)]) {
          if (hidden < 1 || hidden > 8 * dim || hidden > 16384) continue;
          const c = makeConfig({ ...base, hidden_dim: hidden });
          if (score(c) < score(best)) best = c;
        }
      }
    }
  }
  if (!within(best)) {
    throw new Error(
      `no model of about ${label} parameters with a ${fixed.vocab_size}-token vocabulary and a ${ctx}-token context ` +
        `(closest: ${parameterCount(best)}): the vocabulary and position tables alone take too much; try ${ShorterContextHint} or explicit dims`,
    );
  }
  return best;
}

/** The shapes tried for a board: 2-4 layers, feed-forward 3 or 4 x dim (ordinary shapes: a 1-layer model with a
 *  huge feed-forward would hold more weights but use them badly), dim in steps of the head count. The largest count
 *  whose estimate in `mode` is in zone safe or test (danger means it may not load); ties go to more layers. */
function largestOnBoard(board: BoardProfile, mode: LoadMode, vocab: readonly string[], fixed: Fixed, arch: ArchOptions): { config: ModelConfig; estimate: MemoryEstimate } {
  const ctx = arch.context_length ?? 64;
  const heads = arch.n_heads ?? 4;
  const layerChoices = arch.n_layers ? [arch.n_layers] : [2, 3, 4];
  let best: { config: ModelConfig; estimate: MemoryEstimate; count: number } | undefined;
  for (const layers of layerChoices) {
    for (const ratio of [3, 4]) {
      let misses = 0;
      for (let dim = heads; dim <= 1024 && misses < 4; dim += heads) {
        const config = makeConfig({ ...fixed, context_length: ctx, n_layers: layers, n_heads: heads, dim, hidden_dim: Math.min(16384, ratio * dim) });
        const e = estimate(estimateModelFromConfig(config, vocab, 'I8'), board, { mode });
        if (e.chosen.zone !== 'safe' && e.chosen.zone !== 'test') {
          misses++;
          continue;
        }
        misses = 0;
        const count = parameterCount(config);
        if (best === undefined || count > best.count || (count === best.count && layers > best.config.n_layers)) best = { config, estimate: e, count };
      }
    }
  }
  if (best === undefined) {
    throw new Error(`no model with a ${vocab.length}-token vocabulary and a ${ctx}-token context runs ${mode} on ${board.label}; try ${ShorterContextHint}`);
  }
  return best;
}
