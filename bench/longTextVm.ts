// Text longer than the context, timed: the board runtime in the MicroPython VM (pure Python; no ulab there) generates
// `--tokens` tokens with a story-8k-shaped model (vocabulary 38, dim 16, 2 layers, 4 heads, hidden 66, context 64, no
// EOS, random int8 weights) after a 17-token prompt, and the time of its generation steps is set against that of the
// tokens generated within the context, in the same VM, for the int8 and the float32 KV cache (the same weights).
// The measure is the bytes the decode steps allocate per token, which in this VM are almost all float boxes (16 bytes
// per float operation): a deterministic count of the pure-Python float work. Wall time is not used: on the shared
// 2-core machine two runs of the same generation differed by 2.5x. Neither is a board's speed (no ulab here; the VM
// boxes floats, the RP2040 does not); the firmware measurement comes later (issue 13).
// Usage: npx tsx bench/longTextVm.ts [--tokens N]
import { type KvCacheKind, makeConfig } from '../src/model/config';
import { writeModel } from '../src/model/modelFile';
import { convertModel } from '../src/model/quantize';
import { randomModel, syntheticVocab } from '../src/model/random';
import { AppSession } from '../test/board/memory-app';
import { option } from './sampleValidation';

const Prompt = 'once upon a time'; // BOS + 16 characters: 17 tokens

function model(kv: KvCacheKind): Uint8Array {
  const config = makeConfig({
    vocab_size: 38, dim: 16, hidden_dim: 66, n_layers: 2, n_heads: 4, context_length: 64,
    eos_id: null, special_ids: [0, 1, 3], family: 'random', ...(kv === 'int8' ? { kv_cache: 'int8' as const } : {}),
  });
  const vocab = syntheticVocab(38, 'char');
  vocab[2] = '~';
  return writeModel(convertModel(randomModel(config, 1010, vocab), 'I8'));
}

interface Cost {
  /** Bytes allocated inside the decode steps per token (float work). */
  alloc: number;
  refills: number;
}

/** The decode cost per new token of a run of `tokens` tokens, and the refills it reported. */
async function decodeCost(file: Uint8Array, tokens: number): Promise<Cost> {
  const s = await AppSession.start({ 'm.safetensors': file });
  s.boot();
  s.command({ cmd: 'load', name: 'm.safetensors', mode: 'resident' });
  s.command({ cmd: 'generate', prompt: Prompt, max_tokens: 3, temperature: 0.8, seed: 2024 }); // warm-up
  s.newEvents();
  const steps = s.command({ cmd: 'generate', prompt: Prompt, max_tokens: tokens, temperature: 0.8, seed: 2024 });
  const done = s.newEvents().find((e) => e.ev === 'done');
  if (done?.tokens !== tokens) throw new Error(`the run ended early: ${JSON.stringify(done)}`);
  // Generation steps are one forward pass each; the first 17 feed the prompt (the 17th also picks the first token):
  // decode is the rest, which feeds tokens 1..N-1 (and the refills' passes) and picks tokens 2..N.
  const decode = steps.filter((x) => x.label === 'gen').slice(17);
  const per = (f: (x: (typeof decode)[number]) => number): number => decode.reduce((sum, x) => sum + f(x), 0) / (tokens - 1);
  return { alloc: per((x) => x.allocated), refills: done.refills as number };
}

async function main(): Promise<void> {
  const tokens = Number(option('--tokens') ?? 1000);
  const within = 64 - 17; // tokens until the context is full
  console.log(`| KV cache | refills in ${tokens} tokens | float work per token within the context (${within} tokens) | over ${tokens} tokens | speed ratio |`);
  console.log('| --- | --- | --- | --- | --- |');
  for (const kv of ['int8', 'float32'] as const) {
    const file = model(kv);
    const inside = await decodeCost(file, within);
    const long = await decodeCost(file, tokens);
    const kb = (x: number): string => `${(x / 1024).toFixed(0)} KB`;
    console.log(`| ${kv} | ${long.refills} | ${kb(inside.alloc)} | ${kb(long.alloc)} | ${((inside.alloc / long.alloc) * 100).toFixed(1)}% |`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
