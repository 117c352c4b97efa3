// Seeded initial weights: norms 1, embeddings N(0, 0.1^2) (a tied table is also the output layer, so small values
// start every prediction near uniform), other matrices N(0, 1/fan_in), the two that write into the residual stream
// (wo, w2) scaled down by sqrt(2 * n_layers) as in GPT-2, so the stream's variance does not grow with depth.
import type { ModelConfig } from '../model/config';
import { paramLayout } from './paramLayout';
import { TrainRng } from './rng';

export const EmbeddingStd = 0.1;

export function initParams(config: ModelConfig, seed: number): Float32Array {
  const layout = paramLayout(config);
  const params = new Float32Array(layout.total);
  const rng = new TrainRng(seed);
  const residualScale = 1 / Math.sqrt(2 * config.n_layers);
  for (const s of layout.slices) {
    const view = params.subarray(s.offset, s.offset + s.size);
    if (s.shape.length === 1) {
      view.fill(1);
      continue;
    }
    const fanIn = s.shape[1];
    let std: number;
    if (s.name === 'tok_emb' || s.name === 'pos_emb') std = EmbeddingStd;
    else if (s.name === 'lm_head') std = EmbeddingStd;
    else std = (1 / Math.sqrt(fanIn)) * (s.name.endsWith('.wo') || s.name.endsWith('.w2') ? residualScale : 1);
    for (let i = 0; i < view.length; i++) view[i] = rng.normal() * std;
  }
  return params;
}
