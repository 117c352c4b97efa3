// Every trainable tensor of a config as a slice of one flat buffer: the optimizer, clipping, checkpoints and the
// gradient exchange between threads then work on a single array. Order and shapes are docs/format.md's.
import type { ModelConfig } from '../model/config';
import { type TensorSpec, tensorLayout } from '../model/layout';

export interface ParamSlice {
  name: string;
  shape: TensorSpec['shape'];
  offset: number;
  size: number;
  /** AdamW decays only weight matrices that are not embeddings (wq..w2, an untied lm_head); norms and the token
   *  and position tables are left alone, as in GPT-2/nanoGPT: decaying them only shrinks lookups and gains. */
  decay: boolean;
}

export interface ParamLayout {
  slices: ParamSlice[];
  byName: Map<string, ParamSlice>;
  total: number;
}

export function paramLayout(config: ModelConfig): ParamLayout {
  const slices: ParamSlice[] = [];
  let offset = 0;
  for (const spec of tensorLayout(config)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const decay = spec.kind === 'matrix' && spec.name !== 'tok_emb' && spec.name !== 'pos_emb';
    slices.push({ name: spec.name, shape: spec.shape, offset, size, decay });
    offset += size;
  }
  return { slices, byName: new Map(slices.map((s) => [s.name, s])), total: offset };
}

/** One per parameter: 1 where weight decay applies. */
export function decayMask(layout: ParamLayout): Uint8Array {
  const mask = new Uint8Array(layout.total);
  for (const s of layout.slices) if (s.decay) mask.fill(1, s.offset, s.offset + s.size);
  return mask;
}
