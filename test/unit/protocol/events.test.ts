import assert from 'node:assert/strict';
import { type ErrorEvent, parseEventLine } from '../../../src/device/protocol/events';

describe('protocol/events', () => {
  it('ignores lines that are not event lines', () => {
    assert.equal(parseEventLine('hello'), undefined);
    assert.equal(parseEventLine(' @pf {"ev":"token"}'), undefined);
    assert.equal(parseEventLine('>>> @pf {"ev":"token","id":1,"text":"a"}'), undefined);
  });

  it('parses a token event with the board encoder\'s spacing and any field order', () => {
    const parsed = parseEventLine('@pf {"index": 0, "text": "a", "ev": "token", "id": 17}');
    assert.deepEqual(parsed, { kind: 'event', event: { ev: 'token', id: 17, text: 'a', index: 0 } });
  });

  it('parses the board\'s compact lines, a token carrying its generation\'s req', () => {
    const parsed = parseEventLine('@pf {"ev":"token","id":17,"text":"a, b: c","index":0,"req":7}');
    assert.deepEqual(parsed, { kind: 'event', event: { ev: 'token', id: 17, text: 'a, b: c', index: 0, req: 7 } });
    const stringReq = parseEventLine('@pf {"ev":"token","id":1,"text":"","index":3,"req":"gen-2"}');
    assert.equal(stringReq?.kind === 'event' && stringReq.event.req, 'gen-2');
  });

  it('types the numbers of a too_big error and checks them', () => {
    const parsed = parseEventLine('@pf {"ev":"error","code":"too_big","message":"m","recoverable":true,"needed":118128,"available":116688,"req":3}');
    assert.equal(parsed?.kind, 'event');
    const e = (parsed as { event: ErrorEvent }).event;
    assert.deepEqual([e.needed, e.available, e.req], [118128, 116688, 3]);
    assert.match((parseEventLine('@pf {"ev":"error","code":"too_big","message":"m","needed":"lots"}') as { reason: string }).reason, /"needed" should be number/);
  });

  it('decodes \\u escapes and raw UTF-8 alike', () => {
    const a = parseEventLine('@pf {"ev": "token", "id": 5, "text": "\\u00e9"}');
    const b = parseEventLine('@pf {"ev": "token", "id": 5, "text": "é"}');
    assert.deepEqual(a, b);
  });

  it('keeps unknown extra fields', () => {
    const parsed = parseEventLine('@pf {"ev": "done", "reason": "eos", "tokens": 3, "req": 7, "new_field": [1]}');
    assert.equal(parsed?.kind, 'event');
    assert.equal((parsed as unknown as { event: Record<string, unknown> }).event.new_field?.toString(), '1');
  });

  it('reports malformed JSON as garbage, never throws', () => {
    for (const line of ['@pf {"ev": "token", "id": 1', '@pf ', '@pf not json', '@pf {"ev":"tok\u0000en"}}']) {
      const parsed = parseEventLine(line);
      assert.equal(parsed?.kind, 'garbage', line);
    }
  });

  it('reports a JSON value that is not an object, or has no ev', () => {
    assert.deepEqual(parseEventLine('@pf [1,2]'), { kind: 'garbage', reason: 'not a JSON object' });
    assert.deepEqual(parseEventLine('@pf {"id": 3}'), { kind: 'garbage', reason: 'no "ev" string' });
    assert.deepEqual(parseEventLine('@pf {"cmd": "hello"}'), { kind: 'garbage', reason: 'a host command echoed back' });
  });

  it('checks field types and says which field is wrong', () => {
    const parsed = parseEventLine('@pf {"ev": "token", "id": "17", "text": "a"}');
    assert.equal(parsed?.kind, 'garbage');
    assert.match((parsed as { reason: string }).reason, /token event: "id" should be integer/);
    assert.match((parseEventLine('@pf {"ev": "error", "message": "x"}') as { reason: string }).reason, /missing "code"/);
    assert.match((parseEventLine('@pf {"ev": "done", "reason": "bored", "tokens": 1}') as { reason: string }).reason, /unknown reason/);
    assert.match((parseEventLine('@pf {"ev": "help", "text": "x", "req": [1]}') as { reason: string }).reason, /"req"/);
    assert.match((parseEventLine('@pf {"ev": "done", "reason": "eos", "tokens": 1, "refills": "2"}') as { reason: string }).reason, /"refills" should be integer/);
    assert.match((parseEventLine('@pf {"ev": "settings", "max_tokens": 1, "temperature": 0, "top_k": 0, "seed": 1, "mode": "auto", "stop_at_context": 1}') as { reason: string }).reason, /"stop_at_context" should be boolean/);
  });

  it('accepts null where the protocol allows it', () => {
    const parsed = parseEventLine('@pf {"ev": "memory", "free": 1, "alloc": 2, "peak": 2, "heap_limit": null, "model_bytes": 0}');
    assert.equal(parsed?.kind, 'event');
    const settings = parseEventLine('@pf {"ev": "settings", "max_tokens": 64, "temperature": 0.8, "top_k": 0, "seed": null, "mode": "auto"}');
    assert.equal(settings?.kind, 'event', 'a runtime from before stop_at_context');
    const newer = parseEventLine('@pf {"ev": "settings", "max_tokens": 64, "temperature": 0.8, "top_k": 0, "seed": null, "mode": "auto", "stop_at_context": false}');
    assert.equal(newer?.kind, 'event');
  });

  it('checks the entries of a models event', () => {
    const good = parseEventLine(
      '@pf {"ev": "models", "dir": "/models", "mem_available": 100, "models": [{"file": "a.safetensors", "size": 4000, "loaded": true, "mode": "resident"}, {"file": "b.safetensors", "size": 9, "loaded": false, "error": {"code": "truncated", "message": "short"}}]}',
    );
    assert.equal(good?.kind, 'event');
    const bad = parseEventLine('@pf {"ev": "models", "models": [{"size": 1}]}');
    assert.match((bad as { reason: string }).reason, /models\[0\]: missing "file"/);
  });

  it('reports an event this version does not know as unknown, with its data', () => {
    assert.deepEqual(parseEventLine('@pf {"ev": "temperature_sensor", "c": 21.5}'), {
      kind: 'unknown',
      ev: 'temperature_sensor',
      data: { ev: 'temperature_sensor', c: 21.5 },
    });
  });

  it('does not treat inherited object properties as event names', () => {
    assert.equal(parseEventLine('@pf {"ev": "constructor"}')?.kind, 'unknown');
    assert.equal(parseEventLine('@pf {"ev": "toString"}')?.kind, 'unknown');
  });
});
