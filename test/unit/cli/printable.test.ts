import assert from 'node:assert/strict';
import { printable, printableIo } from '../../../src/cli/printable';

describe('printable: what the CLI prints is safe for the terminal', () => {
  it('shows control characters and bidirectional overrides as \\u escapes, keeping line feeds and tabs', () => {
    assert.equal(printable('a\u001b]0;PWNED\u0007\u001b[2Jb'), 'a\\u001b]0;PWNED\\u0007\\u001b[2Jb');
    assert.equal(printable('one\ntwo\tthree\rfour\u0000\u007f\u009b\u202e\u2066'), 'one\ntwo\tthree\\u000dfour\\u0000\\u007f\\u009b\\u202e\\u2066');
    assert.equal(printable('é 😀 ü — €'), 'é 😀 ü — €');
  });

  it('keeps JSON valid and its values the same', () => {
    const value = { name: 'x\u009b\u202e\u007f', n: 1 };
    assert.deepEqual(JSON.parse(printable(JSON.stringify(value))), value);
  });

  it('lets standard error start a write with a carriage return (a progress line redrawn), nothing else', () => {
    const seen: string[] = [];
    const io = printableIo({ out: (t) => seen.push(`out:${t}`), err: (t) => seen.push(`err:${t}`) });
    io.err('\rcopying 50%');
    io.err('a\rb');
    io.out('\rx');
    assert.deepEqual(seen, ['err:\rcopying 50%', 'err:a\\u000db', 'out:\\u000dx']);
  });
});
