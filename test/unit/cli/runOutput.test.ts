import assert from 'node:assert/strict';
import type { GenerationEvent, GenerationRun } from '../../../src/generation/backend';
import { streamGeneration } from '../../../src/cli/runOutput';

function runOf(events: GenerationEvent[]): GenerationRun {
  return {
    stop: () => undefined,
    async *[Symbol.asyncIterator]() {
      yield* events;
    },
  };
}

const events: GenerationEvent[] = [
  { type: 'start', promptTokens: 2, truncated: 0, unknown: 0, seed: 7 },
  { type: 'token', id: 4, text: 'a', index: 0, elapsedMs: 5 },
  { type: 'token', id: 5, text: 'b', index: 1, elapsedMs: 9 },
  { type: 'done', reason: 'max_tokens', tokens: 2, promptTokens: 2, ms: 10, tokensPerSecond: 250 },
];

async function statistics(virtual: boolean): Promise<string> {
  let err = '';
  const io = { out: () => undefined, err: (t: string) => (err += t) };
  const label = virtual ? 'the virtual Pico' : '/dev/ttyACM0';
  assert.equal(await streamGeneration(runOf(events), io, { json: false, label, virtual, seed: 7, interrupted: () => false }), 0);
  return err;
}

describe('picoformer run: the closing statistics', () => {
  it("say that the virtual Pico's speed is this computer's, not a Pico's; a board's speed is its own", async () => {
    assert.equal(await statistics(true), "[2 tokens, stop: max_tokens, seed 7, 250 tok/s decode on the virtual Pico (this computer's speed, not a Pico's)]\n");
    assert.equal(await statistics(false), '[2 tokens, stop: max_tokens, seed 7, 250 tok/s decode on /dev/ttyACM0]\n');
  });
});
