// Which tensors a config calls for, with their shapes, in the order the writer lays them out (docs/format.md).
import type { ModelConfig } from './config';

/** Matrices may be F32, F16 or I8 (+ a `.scale`); norm weights F32 or F16. */
export type TensorKind = 'matrix' | 'norm';

export interface TensorSpec {
  name: string;
  kind: TensorKind;
  /** [rows, cols] for matrices (rows are outputs), [dim] for norms. */
  shape: [number, number] | [number];
}

export const ScaleSuffix = '.scale';

/** Every weight tensor of the model (scales excluded), in file order. */
export function tensorLayout(c: ModelConfig): TensorSpec[] {
  const specs: TensorSpec[] = [{ name: 'tok_emb', kind: 'matrix', shape: [c.vocab_size, c.dim] }];
  if (c.positional === 'learned') specs.push({ name: 'pos_emb', kind: 'matrix', shape: [c.context_length, c.dim] });
  for (let i = 0; i < c.n_layers; i++) {
    const p = `layers.${i}.`;
    specs.push(
      { name: `${p}attn_norm`, kind: 'norm', shape: [c.dim] },
      { name: `${p}wq`, kind: 'matrix', shape: [c.dim, c.dim] },
      { name: `${p}wk`, kind: 'matrix', shape: [c.dim, c.dim] },
      { name: `${p}wv`, kind: 'matrix', shape: [c.dim, c.dim] },
      { name: `${p}wo`, kind: 'matrix', shape: [c.dim, c.dim] },
      { name: `${p}ffn_norm`, kind: 'norm', shape: [c.dim] },
      { name: `${p}w1`, kind: 'matrix', shape: [c.hidden_dim, c.dim] },
      { name: `${p}w2`, kind: 'matrix', shape: [c.dim, c.hidden_dim] },
    );
  }
  specs.push({ name: 'final_norm', kind: 'norm', shape: [c.dim] });
  if (!c.tied_embeddings) specs.push({ name: 'lm_head', kind: 'matrix', shape: [c.vocab_size, c.dim] });
  return specs;
}
