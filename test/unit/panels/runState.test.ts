import assert from 'node:assert/strict';
import { decodeRate } from '../../../src/generation/decodeRate';
import { applyRunEvent, doneSummary, newRun, tokenTimesOf } from '../../../src/panels/runState';
import { transcriptFileName, transcriptText } from '../../../src/panels/transcript';

const target = { kind: 'virtual' as const, label: 'Virtual Pico' };
const params = { prompt: 'hi', maxTokens: 8, temperature: 0.5, topK: 3, seed: 0 };

describe('run state', () => {
  it('collects text, the decode rate (prompt excluded) as the chart and the status line show it, heap points and the end', () => {
    const run = newRun(1, 'story-8k.safetensors', target, params);
    const times: number[] = [];
    applyRunEvent(run, { type: 'start', promptTokens: 3, truncated: 1, unknown: 2, seed: 99 }, times);
    // The first token comes 500 ms in (the prompt's passes), then one every 100 ms, then every 50 ms.
    for (let i = 0; i < 20; i++) applyRunEvent(run, { type: 'token', text: String(i % 10), index: i, elapsedMs: 500 + (i < 10 ? i * 100 : 900 + (i - 9) * 50) }, times);
    applyRunEvent(run, { type: 'memory', free: 50_000, alloc: 90_000, peak: 95_000, heapLimit: 143_360, estimated: false, elapsedMs: 900 }, times);
    assert.equal(run.params.seed, 99, 'the seed actually used');
    assert.equal(run.text, '01234567890123456789');
    assert.equal(run.tokens, 20);
    assert.equal(run.rate.length, 19, 'a rate needs two tokens: the first one only ends the prompt');
    assert.equal(run.rate[0].tokensPerSecond, 10, 'one token after the first, 100 ms later: the prompt\'s 500 ms do not count');
    // 19 tokens after the first in 900 + 500 ms: the average since the first token, not the last few.
    assert.equal(run.rate[18].tokensPerSecond, (19 * 1000) / 1400);
    assert.equal(run.decodeTokensPerSecond, run.rate[18].tokensPerSecond, 'the chart\'s last point is the running figure');
    assert.deepEqual(run.heap, [{ elapsedMs: 900, free: 50_000, peak: 95_000, heapLimit: 143_360, estimated: false }]);
    assert.deepEqual(tokenTimesOf(run), times);
    // The board measured 13.9 on its own clock: the status line and the chart's last point both take its figure.
    applyRunEvent(run, { type: 'done', reason: 'eos', tokens: 20, promptTokens: 3, ms: 2000, tokensPerSecond: 13.9 }, times);
    assert.equal(run.status, 'done');
    assert.equal(run.decodeTokensPerSecond, 13.9);
    assert.equal(run.rate.at(-1)?.tokensPerSecond, 13.9);
    assert.equal(run.summary, 'end of text (EOS) · 20 tokens in 2.0 s · 13.9 tokens/s decode');
    applyRunEvent(run, { type: 'token', text: 'late', index: 20, elapsedMs: 3000 }, times);
    assert.equal(run.tokens, 20, 'nothing after the end');
  });

  it('decodeRate: the tokens after the first over the time since the first; nothing to say before two tokens', () => {
    assert.equal(decodeRate(500, 1500, 11), 10);
    assert.equal(decodeRate(500, 500, 1), 0);
    assert.equal(decodeRate(500, 500, 2), 0, 'no time between them: no rate');
  });

  it('stopped and failed runs', () => {
    const stopped = newRun(2, 'm', target, params);
    applyRunEvent(stopped, { type: 'done', reason: 'stopped', tokens: 1, promptTokens: 1, ms: 40, tokensPerSecond: 0 });
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.summary, 'stopped · 1 token in 40 ms', 'one token: no decode rate to give');
    const failed = newRun(3, 'm', target, params);
    applyRunEvent(failed, { type: 'error', code: 'out_of_memory', message: 'ran out of memory' });
    assert.equal(failed.status, 'error');
    assert.deepEqual(failed.error, { code: 'out_of_memory', message: 'ran out of memory' });
    assert.match(transcriptText(failed, null), /Error \(out_of_memory\): ran out of memory\n$/);
    assert.equal(doneSummary('context', 2, 1500, 1.33), 'context full · 2 tokens in 1.5 s · 1.3 tokens/s decode');
    assert.equal(doneSummary('max_tokens', 200, 1200, 166.7, 3), 'max tokens reached · context refilled 3 times · 200 tokens in 1.2 s · 166.7 tokens/s decode');
    assert.equal(doneSummary('eos', 70, 400, 175, 1), 'end of text (EOS) · context refilled once · 70 tokens in 400 ms · 175.0 tokens/s decode');
    const past = newRun(5, 'm', target, params);
    applyRunEvent(past, { type: 'done', reason: 'max_tokens', tokens: 100, promptTokens: 3, ms: 500, tokensPerSecond: 200, refills: 2 });
    assert.match(past.summary ?? '', /context refilled 2 times/);
  });

  it('transcript: settings, prompt accounting and a safe file name', () => {
    const run = newRun(4, 'chat/../x y', target, params);
    applyRunEvent(run, { type: 'start', promptTokens: 5, truncated: 2, unknown: 1, seed: 7 });
    applyRunEvent(run, { type: 'token', text: ' there', index: 0, elapsedMs: 5 });
    const text = transcriptText(run, null);
    assert.match(text, /^Picoformer transcript\nModel: chat\/\.\.\/x y\nTarget: Virtual Pico\nSettings: max tokens 8, temperature 0\.5, top-k 3, seed 7\n/);
    assert.match(text, /Prompt tokens: 5 \(2 dropped from the left to fit the context; 1 unknown character\)/);
    assert.match(text, /--- generated ---\n there\n---\nstill running\n$/);
    assert.equal(transcriptFileName(run), 'chat_.._x_y-transcript.txt');
  });
});
