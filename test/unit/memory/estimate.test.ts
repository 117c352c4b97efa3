import assert from 'node:assert/strict';
import { boardProfile } from '../../../src/memory/boards';
import { boardParts, unitRows } from '../../../src/memory/boardParts';
import { BoardC, HostC, arrayCost } from '../../../src/memory/constants';
import { estimate } from '../../../src/memory/estimate';
import { type EstimateModel, estimateModelFromConfig, withMatrixDtype } from '../../../src/memory/input';
import { makeConfig } from '../../../src/model/config';
import { syntheticVocab } from '../../../src/model/random';
import { modelOf } from './memestCases';

// vocab 8, dim 4, hidden 8, one layer, context 4, no positions, tied: seven int8 matrices.
const tiny = makeConfig({ vocab_size: 8, dim: 4, hidden_dim: 8, n_layers: 1, n_heads: 1, context_length: 4, positional: 'none' });
const tinyI8 = (): EstimateModel => estimateModelFromConfig(tiny, syntheticVocab(8, 'char'), 'I8');
const pico = boardProfile('pico-cp9');
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('memory estimate', () => {
  describe('board parts, computed by hand for a tiny int8 model', () => {
    const m = tinyI8();

    it('counts every buffer as a 16-byte array object plus its items in whole 16-byte blocks', () => {
      assert.equal(arrayCost(0), 16);
      assert.equal(arrayCost(1), 32);
      assert.equal(arrayCost(16), 32);
      assert.equal(arrayCost(17), 48);
      assert.equal(arrayCost(1000), 1024); // bytearray(1000) measured in the MicroPython VM
    });

    it('resident', () => {
      const p = boardParts(m, 'resident', false);
      // tok_emb 8x4, wq wk wv wo 4x4, w1 8x4, w2 4x8: one byte per weight
      assert.equal(p.weights, sum([32, 16, 16, 16, 16, 32, 32].map(arrayCost)));
      // one float per row
      assert.equal(p.scales, sum([8, 4, 4, 4, 4, 8, 4].map((rows) => arrayCost(4 * rows))));
      assert.equal(p.norms, 3 * arrayCost(16)); // attn_norm, ffn_norm, final_norm
      assert.equal(p.kvCache, 2 * arrayCost(4 * 4 * 4)); // key and value: context x dim floats
      // x xb xb2 q (dim), hb (hidden), att (context), logits topv (vocab), seq (context u16)
      assert.equal(p.activations, 4 * arrayCost(16) + arrayCost(32) + arrayCost(16) + 2 * arrayCost(32) + arrayCost(8));
      assert.equal(p.layerBuffer, 0);
      // "<pad>" "<s>" "</s>" "<unk>" " " "e" "t" "a": 21 UTF-8 bytes, one blob, 9 u16 offsets, 8 flags
      assert.equal(m.vocabBytes, 21);
      assert.equal(p.vocab, BoardC.BYTES_OBJ + 32 + arrayCost(18) + arrayCost(8));
      assert.equal(p.objects, BoardC.MODEL_OBJ + BoardC.CONFIG_OBJ + 7 * BoardC.MAT_OBJ + BoardC.LAYER_OBJ);
      assert.equal(p.live, p.weights + p.scales + p.norms + p.kvCache + p.activations + p.vocab + p.objects);
      assert.equal(p.transient, BoardC.LOAD_CODE + 17 * BoardC.LOAD_PER_TENSOR); // 17 tensors with the scales
      assert.equal(p.header, BoardC.HEADER_CODE + BoardC.HEADER_PER_BYTE * m.headerLength + 17 * BoardC.HEADER_PER_TENSOR + 8 * BoardC.HEADER_PER_WORD);
      assert.equal(p.total, Math.max(p.live + p.transient, p.header));
      assert.equal(p.largest, arrayCost(4 * 4 * 4)); // a KV cache array is the biggest buffer here
    });

    it('streamed: no resident matrices, one stream buffer of the largest unit, the file kept open', () => {
      const p = boardParts(m, 'streamed', false);
      assert.equal(p.weights, 0);
      assert.equal(p.layerBuffer, arrayCost(32)); // the 8x4 matrices, whole (4096 bytes of rows per unit)
      // a streamed Mat holds its file place, stream buffer and name: more than a resident one
      assert.equal(p.objects, BoardC.MODEL_OBJ + BoardC.CONFIG_OBJ + 7 * BoardC.MAT_STREAMED_OBJ + BoardC.LAYER_OBJ + BoardC.FILE_OBJ);
      assert.ok(BoardC.MAT_STREAMED_OBJ > BoardC.MAT_OBJ);
    });

    it('ulab adds one view per matrix, scale, norm, cache array and six activations, and needs no att array', () => {
      const p = boardParts(m, 'resident', true);
      const pure = boardParts(m, 'resident', false);
      const views = 7 + 7 + 3 + 2 + 6; // matrices, scales, norms, key and value caches (2D), x xb xb2 q hb logits
      assert.equal(p.objects - pure.objects, views * BoardC.NDARRAY_OBJ);
      assert.equal(pure.activations - p.activations, arrayCost(4 * 4)); // att: context floats
    });

    it('streams whole rows up to STREAM_CHUNK bytes, at least one row', () => {
      assert.equal(unitRows(100, 64), Math.min(100, BoardC.STREAM_CHUNK / 64));
      assert.equal(unitRows(3, 64), 3);
      assert.equal(unitRows(10, BoardC.STREAM_CHUNK * 2), 1);
    });

    it('F16 matrices become float arrays, and loading them needs a conversion chunk', () => {
      const f16 = withMatrixDtype(m, 'F16');
      const p = boardParts(f16, 'resident', false);
      assert.equal(p.weights, sum([32, 16, 16, 16, 16, 32, 32].map((n) => arrayCost(4 * n))));
      assert.equal(p.scales, 0);
      assert.equal(p.transient, BoardC.LOAD_CODE + 10 * BoardC.LOAD_PER_TENSOR + arrayCost(BoardC.F16_CHUNK));
      // streamed: a float buffer and the raw F16 bytes of one unit
      assert.equal(boardParts(f16, 'streamed', false).layerBuffer, arrayCost(4 * 32) + arrayCost(2 * 32));
    });
  });

  describe('estimate()', () => {
    it('adds the runtime to the board parts, and the reserve to the peak', () => {
      const m = tinyI8();
      const e = estimate(m, pico, { ulab: false });
      const p = boardParts(m, 'resident', false);
      const r = e.resident;
      assert.equal(r.breakdown.runtimeImport, HostC.runtimeImportBytes);
      const b = r.breakdown;
      assert.equal(r.liveAfterLoad, b.runtimeImport + b.weights + b.scales + b.kvCache + b.activations + b.runtimeObjects + b.vocabulary + b.streamBuffer);
      assert.equal(r.liveAfterLoad, HostC.runtimeImportBytes + p.live);
      assert.equal(r.peak, HostC.runtimeImportBytes + p.total);
      assert.equal(r.required, r.peak + BoardC.MARGIN);
      assert.equal(r.headroom, pico.heapBytes - r.required);
      assert.equal(b.fragmentationReserve, BoardC.MARGIN);
    });

    it('a shorter context shrinks the KV cache and nothing else, and is checked', () => {
      const m = modelOf(makeConfig({ vocab_size: 64, dim: 32, hidden_dim: 64, n_layers: 2, n_heads: 4, context_length: 64 }), 'I8');
      const full = estimate(m, pico).resident.breakdown;
      const short = estimate(m, pico, { contextLength: 16 }).resident.breakdown;
      assert.equal(full.kvCache, 4 * arrayCost(4 * 64 * 32));
      assert.equal(short.kvCache, 4 * arrayCost(4 * 16 * 32));
      assert.equal(full.weights, short.weights);
      assert.throws(() => estimate(m, pico, { contextLength: 65 }), /Context length must be a whole number in 1..64 \(the model's\), got 65/);
      assert.throws(() => estimate(m, pico, { contextLength: 0 }), /got 0/);
    });

    it('estimates a float file as deployed in int8 when asked', () => {
      const config = makeConfig({ vocab_size: 64, dim: 32, hidden_dim: 64, n_layers: 2, n_heads: 4, context_length: 64 });
      const asInt8 = estimate(modelOf(config, 'F32'), pico, { dtype: 'I8' });
      const int8 = estimate(modelOf(config, 'I8'), pico);
      assert.deepEqual(asInt8.resident.breakdown.weights, int8.resident.breakdown.weights);
      assert.equal(asInt8.resident.breakdown.scales, int8.resident.breakdown.scales);
      assert.ok(Math.abs(asInt8.fileBytes - int8.fileBytes) < 200);
    });
  });

  describe('mode selection', () => {
    const small = makeConfig({ vocab_size: 64, dim: 16, hidden_dim: 48, n_layers: 1, n_heads: 2, context_length: 32 });
    const medium = makeConfig({ vocab_size: 96, dim: 96, hidden_dim: 192, n_layers: 2, n_heads: 4, context_length: 16 });
    const huge = makeConfig({ vocab_size: 256, dim: 256, hidden_dim: 512, n_layers: 4, n_heads: 4, context_length: 256 });

    it('auto: resident when it fits the budget', () => {
      const e = estimate(modelOf(small, 'I8'), pico);
      assert.equal(e.mode, 'resident');
      assert.equal(e.zone, 'safe');
      assert.equal(e.chosen, e.resident);
    });

    it('auto: streamed when only that fits', () => {
      const e = estimate(modelOf(medium, 'I8'), pico);
      assert.ok(!e.resident.fitsBudget && e.streamed.fitsBudget, `${e.resident.required} / ${e.streamed.required}`);
      assert.equal(e.mode, 'streamed');
      assert.ok(e.streamed.liveAfterLoad < e.resident.liveAfterLoad);
      assert.ok(e.streamed.breakdown.streamBuffer > 0 && e.streamed.breakdown.weights < e.resident.breakdown.weights);
    });

    it('auto: impossible when neither fits even the most heap ever seen', () => {
      const e = estimate(modelOf(huge, 'I8'), pico);
      assert.equal(e.mode, null);
      assert.equal(e.zone, 'impossible');
    });

    it('a forced mode is reported as it is, impossible when it cannot load', () => {
      const e = estimate(modelOf(medium, 'I8'), pico, { mode: 'resident' });
      assert.equal(e.chosen.mode, 'resident');
      assert.equal(e.mode, e.resident.zone === 'impossible' ? null : 'resident');
      assert.equal(estimate(modelOf(small, 'I8'), pico, { mode: 'streamed' }).mode, 'streamed');
    });

    it('a model file larger than the drive cannot be loaded in any mode', () => {
      const e = estimate(modelOf(medium, 'F32'), { ...pico, driveBytes: 200 * 1024 });
      assert.ok(!e.resident.fitsDrive && !e.streamed.fitsDrive);
      assert.equal(e.zone, 'impossible');
      assert.equal(e.mode, null);
    });

    it('a bigger board takes what a Pico cannot', () => {
      const m = modelOf(medium, 'I8');
      assert.equal(estimate(m, boardProfile('pico2-cp9')).mode, 'resident');
      assert.equal(estimate(m, boardProfile('custom', 64)).mode, null);
    });
  });
});
