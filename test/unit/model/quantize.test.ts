import assert from 'node:assert/strict';
import { makeConfig } from '../../../src/model/config';
import { roundToF16 } from '../../../src/model/f16';
import { compareLogits, convertModel, quantizeRows, sampleSequences } from '../../../src/model/quantize';
import { randomModel } from '../../../src/model/random';
import { type Tensor, toFloat32 } from '../../../src/model/tensor';
import { tinyModel } from './helpers';

describe('quantization', () => {
  it('scale = max|row| / 127, q rounded half away from zero, zero rows stay zero', () => {
    const { q, scale } = quantizeRows(Float32Array.from([127, 0.5, -0.5, 2.5, -2.5, 0, 0, 0, 0, 0]), 2, 5);
    assert.deepEqual([...scale], [1, 0]);
    assert.deepEqual([...q], [127, 1, -1, 3, -3, 0, 0, 0, 0, 0]);
  });

  it('never writes -128 and keeps every error within half a step', () => {
    const { q } = quantizeRows(Float32Array.from([-1, 1, -1, 0.3]), 1, 4);
    assert.deepEqual([...q], [-127, 127, -127, 38]);
    const rows = 16;
    const cols = 33;
    const values = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 7)));
    const r = quantizeRows(values, rows, cols);
    for (let row = 0; row < rows; row++) {
      for (let c = 0; c < cols; c++) {
        const err = Math.abs(values[row * cols + c] - r.q[row * cols + c] * r.scale[row]);
        assert.ok(err <= r.scale[row] / 2 + 1e-6, `row ${row} col ${c}: ${err}`);
        assert.ok(r.q[row * cols + c] >= -127);
      }
    }
  });

  it('converts matrices to I8 and leaves norms alone; F16 and F32 convert everything', () => {
    const model = tinyModel({ tied_embeddings: false });
    const i8 = convertModel(model, 'I8');
    assert.equal(i8.tensors.get('lm_head')?.dtype, 'I8');
    assert.equal(i8.tensors.get('pos_emb')?.dtype, 'I8');
    assert.equal(i8.tensors.get('final_norm')?.dtype, 'F32');
    const f16 = convertModel(i8, 'F16');
    for (const t of f16.tensors.values()) assert.equal(t.dtype, 'F16');
    const wq = toFloat32(i8.tensors.get('layers.0.wq') as Tensor);
    assert.deepEqual(f16.tensors.get('layers.0.wq')?.data, wq.map(roundToF16));
    const back = convertModel(i8, 'F32');
    assert.deepEqual(back.tensors.get('layers.0.wq')?.data, wq, 'I8 -> F32 is the dequantized matrix');
    assert.equal(convertModel(model, 'F32').tensors.get('tok_emb'), model.tensors.get('tok_emb'), 'no-op conversions share data');
  });

  it('reports zero error for the same model', () => {
    const model = tinyModel();
    const e = compareLogits(model, model, sampleSequences(model, 2, 8, 1));
    assert.deepEqual([e.maxAbs, e.meanAbs, e.top1Agreement, e.positions], [0, 0, 1, 16]);
  });

  it('int8 moves the logits of an 8K model by little', () => {
    const config = makeConfig({ vocab_size: 64, dim: 24, hidden_dim: 64, n_layers: 2, n_heads: 3, context_length: 32 });
    const model = randomModel(config, 3);
    const e = compareLogits(model, convertModel(model, 'I8'), sampleSequences(model, 4, 32, 2));
    assert.ok(e.maxAbs < 0.05 * e.maxAbsReference, `max ${e.maxAbs} vs range ${e.maxAbsReference}`);
    assert.ok(e.meanAbs < 0.005 * e.maxAbsReference, `mean ${e.meanAbs}`);
    assert.ok(e.top1Agreement >= 0.95, `top-1 ${e.top1Agreement}`);
    const f16 = compareLogits(model, convertModel(model, 'F16'), sampleSequences(model, 4, 32, 2));
    assert.ok(f16.maxAbs < e.maxAbs / 4, 'F16 is much closer than I8');
  });

  it('samples sequences of ordinary tokens after BOS', () => {
    const model = tinyModel();
    const seqs = sampleSequences(model, 3, 100, 5);
    assert.equal(seqs.length, 3);
    for (const s of seqs) {
      assert.equal(s.length, model.config.context_length);
      assert.equal(s[0], 1);
      for (const id of s.slice(1)) assert.ok(id >= 4 && id < 12);
    }
  });
});
