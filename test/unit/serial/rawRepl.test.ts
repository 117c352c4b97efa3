import assert from 'node:assert/strict';
import { RawReplResponse } from '../../../src/device/serial/rawRepl';
import { RAW_REPL_NAME_ERROR, RAW_REPL_PRINT_2 } from './support/transcripts';

function feedAll(text: string, size: number): RawReplResponse {
  const r = new RawReplResponse();
  for (let i = 0; i < text.length; i += size) r.feed(text.slice(i, i + size));
  return r;
}

describe('serial/rawRepl response', () => {
  it('reads OK, output, the empty traceback and the prompt, in any chunking', () => {
    for (const size of [1, 2, 5, 100]) {
      const r = feedAll(RAW_REPL_PRINT_2, size);
      assert.equal(r.phase, 'done', `chunks of ${size}`);
      assert.equal(r.stdout, '2\r\n');
      assert.equal(r.stderr, '');
    }
  });

  it('separates a traceback from the output', () => {
    const r = feedAll(RAW_REPL_NAME_ERROR, 3);
    assert.equal(r.phase, 'done');
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Traceback[\s\S]*NameError: name 'nope' is not defined\r\n$/);
  });

  it('returns what follows the final prompt', () => {
    const r = new RawReplResponse();
    assert.equal(r.feed('OK1\x04\x04>after'), 'after');
    assert.equal(r.complete, true);
  });

  it('fails when the board answers with the raw REPL banner instead of OK', () => {
    const r = new RawReplResponse();
    r.feed('\r\nraw REPL; CTRL-B to exit\r\n>');
    assert.equal(r.phase, 'failed');
    assert.match(r.failure ?? '', /did not accept the code/);
  });

  it('fails on a long answer without OK', () => {
    const r = new RawReplResponse();
    r.feed('x'.repeat(600));
    assert.equal(r.phase, 'failed');
  });

  it('is not complete while output is still streaming', () => {
    const r = new RawReplResponse();
    r.feed('OKpartial out');
    assert.equal(r.complete, false);
    assert.equal(r.stdout, 'partial out');
    r.feed('put\x04');
    assert.equal(r.phase, 'stderr');
  });
});
