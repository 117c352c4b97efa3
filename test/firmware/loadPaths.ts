// Every code path of the runtime on the official firmware: the ulab and the pure-Python forward pass, each with
// resident and streamed loads of int8, float32 and float16 files (small random-weight models: the trained samples
// are all int8), gelu/layernorm/learned positions and silu/rmsnorm/none among them. Pure Python is chosen by
// /picoformer.json {"ulab": false} (docs/firmware.md). Tokens are compared with the TypeScript reference on the
// bytes the board holds, up to the first near-tie (the board computes in 30-bit floats, or float32 with ulab).
import assert from 'node:assert/strict';
import type { Dtype } from '../../src/model/tensor';
import { type Booted, bootWith, compareWithReference, modelOf, randomModelFile } from './support';

const Models: { fileName: string; dtype: Dtype; bytes: Uint8Array }[] = [
  { fileName: 'p-i8.safetensors', dtype: 'I8', bytes: randomModelFile({ vocab_size: 48, dim: 16, hidden_dim: 40, n_layers: 1, n_heads: 2, context_length: 32 }, 'I8', 3) },
  {
    fileName: 'p-f32.safetensors',
    dtype: 'F32',
    bytes: randomModelFile({ vocab_size: 40, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: 24, norm: 'layernorm', activation: 'gelu' }, 'F32', 4),
  },
  {
    fileName: 'p-f16.safetensors',
    dtype: 'F16',
    bytes: randomModelFile({ vocab_size: 44, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 4, context_length: 24, positional: 'none', activation: 'relu', tied_embeddings: false }, 'F16', 6),
  },
];

/** Below this reference margin the board's arithmetic may pick another token (30-bit floats: errors ~3e-3). */
const MinMargin = 0.02;

/** The suite for one forward pass (pathsUlab.test.ts, pathsPython.test.ts: two files, so two mocha workers). */
export function describeLoadPaths(engine: 'ulab' | 'pure Python'): void {
  describe(`firmware: every load path, ${engine}`, function () {
    let booted: Booted;

    before(async () => {
      booted = await bootWith(
        Models.map(({ fileName, bytes }) => ({ fileName, bytes })),
        engine === 'pure Python' ? { settings: { ulab: false } } : {},
      );
    });
    after(async () => booted?.close());

    it(`says ulab ${engine === 'ulab'} in ready`, () => {
      assert.equal(booted.board.session.runtime?.ulab, engine === 'ulab');
      assert.equal(booted.board.session.runtime?.impl_version, '9.2.8');
    });

    for (const { fileName, dtype, bytes } of Models) {
      for (const mode of ['resident', 'streamed'] as const) {
        it(`${dtype} ${mode}: loads and generates the reference's tokens`, async () => {
          const { board } = booted;
          await board.session.list(); // the start-up load is over
          const loaded = await board.session.load(fileName, mode);
          assert.equal(loaded.mode, mode);
          assert.equal(loaded.dtype, dtype);
          const model = modelOf(bytes);
          const differences: string[] = [];
          for (const c of [
            { prompt: '', tokens: 8, temperature: 0, seed: 1 },
            { prompt: 'te', tokens: 8, temperature: 0.9, seed: 7 },
          ]) {
            const { difference } = await compareWithReference(board, model, c, MinMargin, 3);
            if (difference) differences.push(difference);
          }
          assert.deepEqual(differences, []);
        });
      }
    }
  });
}
