// picoformer estimate: text and JSON, boards, options, exit codes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { makeConfig } from '../../../src/model/config';
import { writeModel } from '../../../src/model/modelFile';
import { convertModel } from '../../../src/model/quantize';
import { randomModel } from '../../../src/model/random';

const anchors = join(process.env.PICOFORMER_SHARED ?? resolve(__dirname, '../../../../shared'), 'anchors', 'tiny-transformers-rp2040');

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('picoformer estimate', () => {
  let dir: string;
  let small: string;
  let big: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'picoformer-estimate-'));
    small = join(dir, 'small.safetensors');
    big = join(dir, 'big.safetensors');
    writeFileSync(small, writeModel(convertModel(randomModel(makeConfig({ vocab_size: 48, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: 32 }), 1), 'I8')));
    writeFileSync(big, writeModel(randomModel(makeConfig({ vocab_size: 64, dim: 128, hidden_dim: 192, n_layers: 2, n_heads: 4, context_length: 128 }), 1)));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the verdict, both modes side by side, the legacy comparison and the heap source', async () => {
    const r = await cli('estimate', small);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /small\.safetensors on Raspberry Pi Pico \(RP2040\), CircuitPython 9: heap budget 140\.0 KB, context 32/);
    assert.match(r.out, /loads resident; zone SAFE/);
    assert.match(r.out, /resident +streamed/);
    assert.match(r.out, /KV cache +\d+\.\d KB +\d+\.\d KB/);
    assert.match(r.out, /old list-of-floats runtime would need/);
    assert.match(r.out, /194,512/);
    assert.match(r.out, /^ {2}About \d+ tok\/s on a Pico \(resident, sampled decoding at token 20\): a prediction from measurements of the official firmware on an emulated RP2040\.$/m);
    const w = await cli('estimate', small, '--board', 'pico-w-cp9');
    assert.match(w.out, /heap budget 100\.0 KB \(not calibrated on firmware\), context 32/);
  });

  it('gives JSON, and exits 1 when the model cannot load', async () => {
    const r = await cli('estimate', big, '--json');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.equal(j.mode, null);
    assert.equal(j.zone, 'impossible');
    assert.equal(j.board.id, 'pico-cp9');
    assert.ok(j.resident.breakdown.weights > 0 && j.streamed.breakdown.weights < j.resident.breakdown.weights);
    // deployed as int8, streamed, on a Pico 2 it loads
    const ok = JSON.parse((await cli('estimate', big, '--json', '--int8', '--board', 'pico2-cp9')).out);
    assert.ok(ok.mode !== null, JSON.stringify(ok));
    assert.equal(ok.board.calibration, 'not-calibrated');
    assert.equal(ok.speed, null); // no prediction for the RP2350
    assert.equal(j.speed, null); // nor for a model that does not fit
    const fits = JSON.parse((await cli('estimate', small, '--json')).out);
    assert.equal(fits.board.calibration, 'firmware');
    assert.equal(fits.speed.predicted, true);
    assert.equal(fits.speed.mode, 'resident');
    assert.ok(fits.speed.tokens_per_second > 0 && Math.abs(fits.speed.ms_per_token * fits.speed.tokens_per_second - 1000) < 1, JSON.stringify(fits.speed));
  });

  it('takes the context, mode, custom heap and ulab options', async () => {
    const full = JSON.parse((await cli('estimate', small, '--json')).out);
    const short = JSON.parse((await cli('estimate', small, '--json', '--ctx', '8')).out);
    assert.equal(short.context_length, 8);
    assert.ok(short.resident.breakdown.kvCache < full.resident.breakdown.kvCache);
    assert.equal(JSON.parse((await cli('estimate', small, '--json', '--mode', 'streamed')).out).mode, 'streamed');
    const custom = JSON.parse((await cli('estimate', small, '--json', '--board', 'custom', '--heap-kb', '300')).out);
    assert.equal(custom.board.heap_bytes, 300 * 1024);
    const noUlab = JSON.parse((await cli('estimate', small, '--json', '--no-ulab')).out);
    assert.ok(noUlab.resident.breakdown.runtimeObjects < full.resident.breakdown.runtimeObjects);
    // the model's own KV cache, or the one asked for: int8 is about a quarter of float32
    assert.equal(full.kv_cache, 'float32');
    const kv8 = JSON.parse((await cli('estimate', small, '--json', '--kv-cache', 'int8')).out);
    assert.equal(kv8.kv_cache, 'int8');
    assert.ok(kv8.resident.breakdown.kvCache < full.resident.breakdown.kvCache / 3, `${kv8.resident.breakdown.kvCache} vs ${full.resident.breakdown.kvCache}`);
    assert.match((await cli('estimate', small, '--kv-cache', 'int8')).out, /context 32, int8 KV cache/);
  });

  it('estimates a legacy folder as imported', async () => {
    const r = await cli('estimate', join(anchors, 'v5', 'chat-10k-balanced'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /chat-10k-balanced on/);
  });

  it('refuses bad options with a usage error (exit 2)', async () => {
    for (const [args, message] of [
      [['--board', 'pico9'], /Unknown board "pico9"/],
      [['--ctx', '33'], /--ctx must be between 1 and 32, got 33/],
      [['--mode', 'fast'], /--mode must be one of auto, resident, streamed, got "fast"/],
      [['--kv-cache', 'int4'], /--kv-cache must be one of float32, int8, got "int4"/],
      [['--heap-kb', '100'], /--heap-kb goes with --board custom/],
      [['--board', 'custom', '--heap-kb', '4'], /--heap-kb must be between 16 and 8192/],
      [['--int8', '--f32'], /choose one of/],
    ] as const) {
      const r = await cli('estimate', small, ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}`);
      assert.match(r.err, message);
    }
    const missing = await cli('estimate', join(dir, 'nope.safetensors'));
    assert.notEqual(missing.code, 0);
    assert.match(missing.err, /nope\.safetensors/);
  });
});
