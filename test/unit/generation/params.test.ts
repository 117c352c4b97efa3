import assert from 'node:assert/strict';
import type { GenerationEvent } from '../../../src/generation/backend';
import { EventChannel, channelRun } from '../../../src/generation/eventChannel';
import { checkGenerationParams, resolveSeed } from '../../../src/generation/params';

const ok = { prompt: 'hi', maxTokens: 64, temperature: 0.8, topK: 0, seed: 0 };

describe('generation parameters', () => {
  it('accepts the settings\' ranges and names what is wrong otherwise', () => {
    assert.equal(checkGenerationParams(ok), undefined);
    assert.equal(checkGenerationParams({ ...ok, maxTokens: 4096, temperature: 5, topK: 65_535, seed: -3 }), undefined);
    assert.match(checkGenerationParams({ ...ok, maxTokens: 4097 }) ?? '', /max tokens must be a whole number in 1\.\.4096/);
    assert.match(checkGenerationParams({ ...ok, temperature: Infinity }) ?? '', /temperature/);
    assert.match(checkGenerationParams({ ...ok, topK: 1.5 }) ?? '', /top-k/);
    assert.match(checkGenerationParams({ ...ok, seed: 0.5 }) ?? '', /seed/);
    assert.match(checkGenerationParams(null) ?? '', /must be an object/);
  });

  it('seed 0 draws a repeatable seed; any other seed is kept', () => {
    assert.equal(resolveSeed(42), 42);
    assert.equal(resolveSeed(-1), -1);
    assert.equal(resolveSeed(0, () => 0), 1);
    assert.equal(resolveSeed(0, () => 0.999999999), 2_147_483_644); // never above 2^31 - 2
    const drawn = resolveSeed(0);
    assert.ok(Number.isInteger(drawn) && drawn >= 1 && drawn < 2 ** 31);
  });
});

describe('event channel', () => {
  it('delivers pushed events in order, buffered or awaited, then ends', async () => {
    const channel = new EventChannel<number>();
    channel.push(1);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const n of channel) seen.push(n);
    })();
    await new Promise((r) => setImmediate(r));
    channel.push(2);
    channel.push(3);
    channel.close();
    channel.push(4); // after close: dropped
    await reading;
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('a run is iterated once, and stop() reaches the backend once', () => {
    const channel = new EventChannel<GenerationEvent>();
    let stops = 0;
    const run = channelRun(channel, () => stops++);
    run[Symbol.asyncIterator]();
    assert.throws(() => run[Symbol.asyncIterator](), /only once/);
    run.stop();
    run.stop();
    assert.equal(stops, 1);
  });
});
