import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/panels/protocol';

const goodParams = { prompt: 'once', maxTokens: 16, temperature: 0.8, topK: 0, seed: 0 };
const goodWhatIf = { boardId: 'pico-cp9', customHeapKB: 140, contextLength: 32, dtype: 'I8', mode: 'auto', kvCache: 'int8' };

describe('webview message guard', () => {
  it('accepts every message the webview sends, keeping only the known fields', () => {
    for (const type of ['ready', 'stop', 'copyTranscript', 'saveTranscript', 'pickModel', 'deployModel', 'cancelTraining', 'trainModel']) {
      assert.deepEqual(parseWebviewMessage({ type, extra: 'dropped' }), { ok: true, message: { type } });
    }
    const generate = parseWebviewMessage({ type: 'generate', params: { ...goodParams, evil: '<script>' } });
    assert.deepEqual(generate, { ok: true, message: { type: 'generate', params: goodParams } });
    const whatIf = parseWebviewMessage({ type: 'changeWhatIf', whatIf: { ...goodWhatIf, more: 1 } });
    assert.deepEqual(whatIf, { ok: true, message: { type: 'changeWhatIf', whatIf: goodWhatIf } });
  });

  it('refuses anything that is not a message object', () => {
    for (const raw of [null, undefined, 42, 'ready', [], [{ type: 'ready' }], {}, { type: 7 }]) {
      const parsed = parseWebviewMessage(raw);
      assert.equal(parsed.ok, false, JSON.stringify(raw));
    }
  });

  it('refuses an unknown type, naming it (cut short)', () => {
    const parsed = parseWebviewMessage({ type: 'deleteEverything' });
    assert.deepEqual(parsed, { ok: false, reason: 'unknown message type "deleteEverything"' });
    const long = parseWebviewMessage({ type: 'x'.repeat(500) });
    assert.ok(!long.ok && long.reason.length < 80);
  });

  const badParams: [string, unknown][] = [
    ['missing', undefined],
    ['an array', [1, 2]],
    ['prompt not text', { ...goodParams, prompt: 5 }],
    ['prompt too long', { ...goodParams, prompt: 'x'.repeat(20_001) }],
    ['max tokens 0', { ...goodParams, maxTokens: 0 }],
    ['max tokens fractional', { ...goodParams, maxTokens: 2.5 }],
    ['max tokens too many', { ...goodParams, maxTokens: 5000 }],
    ['temperature as text', { ...goodParams, temperature: '0.8' }],
    ['temperature NaN', { ...goodParams, temperature: Number.NaN }],
    ['temperature negative', { ...goodParams, temperature: -1 }],
    ['top-k negative', { ...goodParams, topK: -1 }],
    ['seed unsafe', { ...goodParams, seed: 2 ** 60 }],
    ['seed missing', { prompt: 'a', maxTokens: 1, temperature: 0, topK: 0 }],
  ];
  for (const [name, params] of badParams) {
    it(`refuses generate with ${name}`, () => {
      const parsed = parseWebviewMessage({ type: 'generate', params });
      assert.equal(parsed.ok, false);
      assert.ok(!parsed.ok && parsed.reason.startsWith('generate: '));
    });
  }

  const badWhatIf: [string, unknown][] = [
    ['missing', undefined],
    ['empty board id', { ...goodWhatIf, boardId: '' }],
    ['huge board id', { ...goodWhatIf, boardId: 'b'.repeat(100) }],
    ['heap too small', { ...goodWhatIf, customHeapKB: 8 }],
    ['context 0', { ...goodWhatIf, contextLength: 0 }],
    ['context fractional', { ...goodWhatIf, contextLength: 3.5 }],
    ['unknown dtype', { ...goodWhatIf, dtype: 'I4' }],
    ['unknown mode', { ...goodWhatIf, mode: 'flash' }],
    ['unknown KV cache', { ...goodWhatIf, kvCache: 'int4' }],
    ['no KV cache', { ...goodWhatIf, kvCache: undefined }],
  ];
  for (const [name, whatIf] of badWhatIf) {
    it(`refuses changeWhatIf with ${name}`, () => {
      const parsed = parseWebviewMessage({ type: 'changeWhatIf', whatIf });
      assert.ok(!parsed.ok && parsed.reason.startsWith('changeWhatIf: '), JSON.stringify(parsed));
    });
  }
});
