import assert from 'node:assert/strict';
import { Generation, type GenerationUpdate } from '../../../src/device/serial/generation';
import type { DoneEvent, StartEvent, TokenEvent } from '../../../src/device/protocol/events';

const start: StartEvent = { ev: 'start', req: 1, prompt_tokens: 2, truncated: 0, unknown: 0, seed: 5, max_tokens: 3, temperature: 0.8, top_k: 0 };
const token = (i: number, text: string): TokenEvent => ({ ev: 'token', id: i, text, index: i });
const done = (reason: DoneEvent['reason'], tokens: number): DoneEvent => ({ ev: 'done', req: 1, reason, tokens, prompt_tokens: 2, ms: 10, tok_per_s: 100 });

describe('serial/Generation', () => {
  it('iterates start, tokens and end, even when consumed late', async () => {
    const g = new Generation(1, async () => undefined);
    g.handleStart(start);
    g.handleToken(token(0, 'h'));
    g.handleToken(token(1, 'i'));
    g.handleDone(done('max_tokens', 2));
    const seen: GenerationUpdate['type'][] = [];
    for await (const u of g) seen.push(u.type);
    assert.deepEqual(seen, ['start', 'token', 'token', 'end']);
    const result = await g.result;
    assert.equal(result.text, 'hi');
    assert.equal(result.state, 'done');
    assert.equal(result.reason, 'max_tokens');
  });

  it('an error before start is the whole answer', async () => {
    const g = new Generation(1, async () => undefined);
    g.handleError({ ev: 'error', req: 1, code: 'no_model', message: 'load a model first', recoverable: true });
    const result = await g.result;
    assert.equal(result.state, 'error');
    assert.deepEqual(result.error, { code: 'no_model', message: 'load a model first' });
  });

  it('an error after start waits for done and keeps the error', async () => {
    const g = new Generation(1, async () => undefined);
    g.handleStart(start);
    g.handleToken(token(0, 'a'));
    g.handleError({ ev: 'error', req: 1, code: 'out_of_memory', message: 'ran out of memory', recoverable: true });
    assert.equal(g.ended, false);
    g.handleDone(done('error', 1));
    const result = await g.result;
    assert.equal(result.state, 'error');
    assert.equal(result.error?.code, 'out_of_memory');
    assert.equal(result.tokens.length, 1);
  });

  it('ends once: later events and aborts are ignored', async () => {
    const g = new Generation(1, async () => undefined);
    g.abort('disconnected', 'disconnected', 'unplugged');
    g.handleToken(token(0, 'x'));
    g.handleDone(done('eos', 1));
    const result = await g.result;
    assert.equal(result.state, 'disconnected');
    assert.equal(result.tokens.length, 0);
  });

  it('fails after a silence longer than its idle limit', async () => {
    const g = new Generation(1, async () => undefined, 30);
    g.handleStart(start);
    const result = await g.result;
    assert.equal(result.state, 'error');
    assert.equal(result.error?.code, 'timeout');
  });

  it('stop() asks once it is running and does nothing after the end', async () => {
    let stops = 0;
    const g = new Generation(1, async () => void stops++);
    await g.stop();
    g.handleDone(done('stopped', 0));
    await g.stop();
    assert.equal(stops, 1);
  });
});
