// What the old tiny-transformers-rp2040 runtime (weights in nested Python lists) would need for the same model,
// to show users what the new runtime saves. Its costs, on CircuitPython where a float is packed into its list slot:
// a list is a 16-byte object plus 4 bytes per slot, and lists built by append() double their slots from 4;
// every matrix row is its own list; its own import costs 35-40 KB (../shared/docs/pico-facts.md).
// Calibration against the origin log's measured "memory used" (which leaves out the import): see legacy.test.ts.
import type { BoardProfile } from './boards';
import { LegacyC, roundToBlock } from './constants';
import type { EstimateModel } from './input';
import { ScaleSuffix, tensorLayout } from '../model/layout';
import { type Zone, classifyZone } from './zones';

export interface LegacyEstimate {
  importBytes: number;
  /** Every weight as a float in nested lists (one list per row). */
  weights: number;
  /** The vocabulary as a list of str. */
  vocab: number;
  /** Working lists and tokenizer state (fitted to the origin log, see constants.json). */
  working: number;
  /** Keys and values appended per token, at full context. */
  kvCache: number;
  /** import + weights + vocab + working: the heap in use once the model is loaded. */
  liveAfterLoad: number;
  /** liveAfterLoad + a full KV cache. */
  peak: number;
  zone: Zone;
}

/** Slots a list built by append() has for `n` items: 4, doubled until enough (MicroPython py/objlist.c). */
export function appendSlots(n: number): number {
  let slots = LegacyC.listMinAlloc;
  while (slots < n) slots *= 2;
  return slots;
}

/** Heap bytes of a list of `n` floats (or references) built by append(). */
export function legacyListCost(n: number): number {
  return LegacyC.listObjBytes + LegacyC.slotBytes * appendSlots(n);
}

/** A matrix as `rows` lists of `cols` floats, held in an outer list. */
export function legacyMatrixCost(rows: number, cols: number): number {
  return legacyListCost(rows) + rows * legacyListCost(cols);
}

const Embeddings = new Set(['tok_emb', 'pos_emb', 'lm_head']);

export function legacyEstimate(model: EstimateModel, board: BoardProfile, contextLength?: number): LegacyEstimate {
  const c = model.config;
  const ctx = contextLength ?? c.context_length;
  let weights = 0;
  let longest = c.vocab_size;
  for (const spec of tensorLayout(c)) {
    if (spec.name.endsWith(ScaleSuffix)) continue;
    const [rows, cols] = spec.shape;
    if (cols === undefined) {
      weights += legacyListCost(rows);
      longest = Math.max(longest, rows);
    } else {
      // Embedding rows are looked up by token; projections were stored [in][out], one list per input.
      const [outer, inner] = Embeddings.has(spec.name) ? [rows, cols] : [cols, rows];
      weights += legacyMatrixCost(outer, inner);
      longest = Math.max(longest, outer, inner);
    }
  }
  const averageEntry = model.vocabBytes / c.vocab_size;
  const vocab = legacyListCost(c.vocab_size) + c.vocab_size * (LegacyC.strObjBytes + roundToBlock(averageEntry + 1));
  const kvCache = c.n_layers * 2 * (legacyListCost(ctx) + ctx * legacyListCost(c.dim));
  const liveAfterLoad = LegacyC.importBytes + weights + vocab + LegacyC.workingBytes;
  const peak = liveAfterLoad + kvCache;
  return {
    importBytes: LegacyC.importBytes,
    weights,
    vocab,
    working: LegacyC.workingBytes,
    kvCache,
    liveAfterLoad,
    peak,
    zone: classifyZone(peak, legacyListCost(longest), board),
  };
}
