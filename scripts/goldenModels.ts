// The models the golden vectors cover: random-init ones of about 1K, 8K, 30K and 100K parameters (options varied
// across them) and the two legacy anchors, each as float and as int8, and as int8 with the int8 KV cache.
import { join } from 'node:path';
import { type ModelConfig, makeConfig } from '../src/model/config';
import { importLegacy } from '../src/model/legacy';
import { readLegacyTrio } from '../src/model/legacyFiles';
import type { Model } from '../src/model/modelFile';
import { convertModel } from '../src/model/quantize';
import { randomModel, syntheticVocab } from '../src/model/random';

export interface GoldenModel {
  name: string;
  source: string;
  model: Model;
}

interface RandomSpec {
  size: string;
  seed: number;
  config: ModelConfig;
  /** Replaces vocab entries (e.g. when an id is not special in this config). */
  vocabPatch?: Record<number, string>;
  /** Also write a float16 copy (every tensor F16, norms included). */
  f16?: boolean;
}

const randomSpecs: RandomSpec[] = [
  {
    size: '1k',
    seed: 101,
    config: makeConfig({
      vocab_size: 48, dim: 8, hidden_dim: 24, n_layers: 1, n_heads: 2, context_length: 24,
      norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, family: 'random',
    }),
  },
  {
    // No BOS (the prompt starts the sequence), layernorm, gelu, no positions, separate lm_head.
    size: '8k',
    seed: 202,
    config: makeConfig({
      vocab_size: 64, dim: 24, hidden_dim: 64, n_layers: 1, n_heads: 3, context_length: 48,
      norm: 'layernorm', norm_eps: 1e-6, activation: 'gelu', positional: 'none', tied_embeddings: false,
      bos_id: null, special_ids: [0, 2, 3], family: 'random',
    }),
    vocabPatch: { 1: '~' },
    f16: true,
  },
  {
    // longest_match + lowercase, relu, no EOS (generation stops only on max_tokens or context).
    size: '30k',
    seed: 303,
    config: makeConfig({
      vocab_size: 96, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64,
      norm: 'rmsnorm', activation: 'relu', positional: 'learned', tied_embeddings: false,
      tokenizer: 'longest_match', lowercase: true, eos_id: null, special_ids: [0, 1, 2, 3], family: 'random',
    }),
  },
  {
    size: '100k',
    seed: 404,
    config: makeConfig({
      vocab_size: 128, dim: 64, hidden_dim: 224, n_layers: 2, n_heads: 8, context_length: 64,
      norm: 'layernorm', activation: 'silu', positional: 'learned', tied_embeddings: true, family: 'random',
    }),
  },
];

const anchors = ['v5/story-1k-balanced', 'v5/chat-10k-balanced'];

/** Every golden model, float first then int8 (then float16 where asked) for each, in a fixed order. */
export async function goldenModels(sharedDir: string): Promise<GoldenModel[]> {
  const out: GoldenModel[] = [];
  const both = (name: string, source: string, model: Model): void => {
    out.push({ name: `${name}-f32`, source, model });
    const i8 = convertModel(model, 'I8');
    out.push({ name: `${name}-i8`, source: `${source}, quantized to int8 per row`, model: i8 });
    out.push({ name: `${name}-i8-kv8`, source: `${source}, quantized to int8 per row, int8 KV cache`, model: withKvInt8(i8) });
  };
  for (const spec of randomSpecs) {
    const vocab = syntheticVocab(spec.config.vocab_size, spec.config.tokenizer);
    for (const [id, text] of Object.entries(spec.vocabPatch ?? {})) vocab[Number(id)] = text;
    const name = `random-${spec.size}`;
    const source = `random init (src/model/random.ts), seed ${spec.seed}`;
    const model = randomModel(spec.config, spec.seed, vocab);
    both(name, source, model);
    if (spec.f16) {
      out.push({ name: `${name}-f16`, source: `${source}, every tensor converted to float16`, model: convertModel(model, 'F16') });
      out.push({ name: `${name}-f32-kv8`, source: `${source}, float32 weights, int8 KV cache`, model: withKvInt8(model) });
    }
  }
  for (const anchor of anchors) {
    const trio = await readLegacyTrio(join(sharedDir, 'anchors', 'tiny-transformers-rp2040', anchor));
    const name = anchor.split('/').pop() as string;
    both(`legacy-${name}`, `legacy import of anchors/tiny-transformers-rp2040/${anchor}`, importLegacy(trio));
  }
  return out;
}

function withKvInt8(model: Model): Model {
  return { ...model, config: { ...model.config, kv_cache: 'int8' } };
}
