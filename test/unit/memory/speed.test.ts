import assert from 'node:assert/strict';
import { boardProfile } from '../../../src/memory/boards';
import { estimate } from '../../../src/memory/estimate';
import { estimateModelFromConfig } from '../../../src/memory/input';
import { SpeedC, predictSpeed, speedFeatures } from '../../../src/memory/speed';
import { formatRate, speedShort, speedText } from '../../../src/memory/speedText';
import { makeConfig } from '../../../src/model/config';
import { syntheticVocab } from '../../../src/model/random';

const config = makeConfig({ vocab_size: 64, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64 });
const int8 = estimateModelFromConfig(config, syntheticVocab(64, 'char'), 'I8');
const f32 = estimateModelFromConfig(config, syntheticVocab(64, 'char'), 'F32');
const untied = makeConfig({ vocab_size: 64, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64, tied_embeddings: false, positional: 'none' });

describe('speed model (src/memory/speed.ts)', () => {
  it('counts the multiply-adds of one token by weight type: every layer matrix and the logit projection', () => {
    const f = speedFeatures(int8, { mode: 'resident', position: 9 });
    const perLayer = 4 * 32 * 32 + 2 * 32 * 96;
    assert.equal(f.macI8, 2 * perLayer + 64 * 32); // the tied token table is the logit projection
    assert.equal(f.macF32, 0);
    assert.equal(speedFeatures(f32, { mode: 'resident', position: 9 }).macF32, f.macI8);
    assert.equal(f.attention, 2 * 10 * 32);
    assert.equal(f.attentionHead, 2 * 4 * 10);
    assert.equal(f.rows, 2 * (4 * 32 + 96 + 32) + 64);
    assert.deepEqual([f.layer, f.head, f.layerDim, f.layerHidden], [2, 8, 64, 192]);
    assert.deepEqual([f.units, f.streamBytes], [0, 0]);
  });

  it('resident float matrices count their multiply-adds again as macF32Resident (streamed and int8 ones do not)', () => {
    const resident = speedFeatures(f32, { mode: 'resident', position: 9 });
    assert.equal(resident.macF32Resident, resident.macF32);
    assert.equal(speedFeatures(f32, { mode: 'streamed', position: 9 }).macF32Resident, 0);
    assert.equal(speedFeatures(int8, { mode: 'resident', position: 9 }).macF32Resident, 0);
    // fitted on the firmware: a resident float32 model decodes slower than its streamed multiply-adds alone say
    assert.ok((SpeedC.decode.ulab.macF32Resident ?? 0) > 0);
  });

  it('an int8 KV cache adds its own attention and per-layer quantizing terms; a float32 one has none', () => {
    const kv8 = estimateModelFromConfig(makeConfig({ ...config, kv_cache: 'int8' }), syntheticVocab(64, 'char'), 'I8');
    const f = speedFeatures(kv8, { mode: 'resident', position: 9 });
    assert.deepEqual([f.attention, f.attentionKv8, f.layerKv8], [2 * 10 * 32, 2 * 10 * 32, 2]);
    const plain = speedFeatures(int8, { mode: 'resident', position: 9 });
    assert.deepEqual([plain.attentionKv8, plain.layerKv8], [0, 0]);
  });

  it('sampled and greedy decoding differ only in the vocabulary pass', () => {
    const s = speedFeatures(int8, { mode: 'resident' });
    const g = speedFeatures(int8, { mode: 'resident', sampling: 'greedy' });
    assert.deepEqual([s.vocabSampled, s.vocabGreedy, g.vocabSampled, g.vocabGreedy], [64, 0, 0, 64]);
  });

  it('streamed: every matrix is read whole each token, in units of whole rows up to 1 KB, the embeddings one row each', () => {
    const f = speedFeatures(estimateModelFromConfig(untied, syntheticVocab(64, 'char'), 'I8'), { mode: 'streamed' });
    // wq wk wv wo (32 rows of 32 B: one unit each), w1 (96 rows: 3 units), w2 (32 rows of 96 B: 4 units) per layer;
    // lm_head (64 rows: 2 units); tok_emb one row read for the embedding.
    assert.equal(f.units, 2 * (4 + 3 + 4) + 2 + 1);
    assert.equal(f.streamBytes, 2 * (4 * 1024 + 2 * 3072) + 64 * 32 + 32);
    assert.equal(f.macI8, 2 * (4 * 1024 + 2 * 3072) + 64 * 32); // the untied token table multiplies nothing
  });

  it('predicts from the fitted coefficients: slower with more work, streamed and pure Python slower', () => {
    const small = predictSpeed(int8, { mode: 'resident' });
    const big = predictSpeed(estimateModelFromConfig(makeConfig({ ...config, dim: 64, hidden_dim: 192 }), syntheticVocab(64, 'char'), 'I8'), { mode: 'resident' });
    assert.ok(small.tokensPerSecond > big.tokensPerSecond, `${small.tokensPerSecond} vs ${big.tokensPerSecond}`);
    assert.ok(Number.isFinite(small.tokensPerSecond) && small.tokensPerSecond > 0);
    assert.ok(predictSpeed(int8, { mode: 'streamed' }).tokensPerSecond < small.tokensPerSecond);
    assert.ok(predictSpeed(int8, { mode: 'resident', ulab: false }).tokensPerSecond < small.tokensPerSecond);
    assert.equal(small.path, 'ulab');
    assert.equal(small.position, SpeedC.position);
    assert.ok(Math.abs(small.msPerToken - 1000 / small.tokensPerSecond) < 1e-9);
  });
});

describe('speed text', () => {
  it('rounds to at most two significant figures', () => {
    assert.deepEqual([formatRate(108.4), formatRate(27.6), formatRate(3.44), formatRate(0.8249)], ['108', '28', '3.4', '0.82']);
  });

  it('is labelled a prediction, says what the emulator does not time when streamed, and marks uncalibrated boards', () => {
    const pico = boardProfile('pico-cp9');
    const resident = estimate(int8, pico);
    assert.equal(resident.mode, 'resident');
    const text = speedText(resident) ?? '';
    assert.match(text, /^About \d+ tok\/s on a Pico \(resident, sampled decoding at token 20\): a prediction from measurements of the official firmware on an emulated RP2040\.$/);
    assert.match(speedText(estimate(int8, pico, { mode: 'streamed' })) ?? '', /Streamed weights are read from flash every token, whose timing the emulator does not model/);
    assert.match(speedText(estimate(int8, pico, { ulab: false })) ?? '', /pure Python \(no ulab\)/);
    assert.match(speedShort(resident) ?? '', /^about \d+ tok\/s on a Pico \(predicted\)$/);
    assert.match(speedText(estimate(int8, boardProfile('pico-w-cp9'))) ?? '', /on its RP2040 \(as a Pico\).*emulated RP2040 \(not calibrated on firmware\)\./);
    const two = estimate(int8, boardProfile('pico2-cp9'));
    assert.equal(two.speed, null);
    assert.equal(speedText(two), 'Speed: no prediction for Raspberry Pi Pico 2 (RP2350, 520 KB SRAM), CircuitPython 9 (not calibrated on firmware).');
  });

  it('says nothing of speed for a model that does not fit', () => {
    const huge = estimateModelFromConfig(makeConfig({ ...config, dim: 512, hidden_dim: 2048, n_layers: 4, n_heads: 8 }), syntheticVocab(64, 'char'), 'F32');
    const e = estimate(huge, boardProfile('pico-cp9'));
    assert.equal(e.mode, null);
    assert.equal(e.speed, null);
    assert.equal(speedText(e), null);
  });
});
