import assert from 'node:assert/strict';
import { LineSplitter } from '../../../src/device/protocol/lines';

function splitAll(chunks: string[]): { lines: string[]; partial: string } {
  const s = new LineSplitter();
  const lines = chunks.flatMap((c) => s.push(c));
  return { lines, partial: s.partial };
}

describe('protocol/lines', () => {
  it('splits on CRLF, LF and a lone CR', () => {
    assert.deepEqual(splitAll(['a\r\nb\nc\rd']).lines, ['a', 'b', 'c']);
    assert.equal(splitAll(['a\r\nb\nc\rd']).partial, 'd');
  });

  it('treats CR at the end of one chunk and LF at the start of the next as one line end', () => {
    assert.deepEqual(splitAll(['one\r', '\ntwo\r', '\n']).lines, ['one', 'two']);
  });

  it('keeps empty lines', () => {
    assert.deepEqual(splitAll(['\r\n\r\nx\r\n']).lines, ['', '', 'x']);
  });

  it('joins a line split into single characters', () => {
    const chunks = [...'@pf {"ev":"token"}\r\n'];
    assert.deepEqual(splitAll(chunks).lines, ['@pf {"ev":"token"}']);
  });

  it('keeps the prompt without a newline as the partial line', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('banner\r\n>>> '), ['banner']);
    assert.equal(s.partial, '>>> ');
    assert.equal(s.takePartial(), '>>> ');
    assert.equal(s.partial, '');
  });

  it('cuts a line that never ends', () => {
    const s = new LineSplitter(10);
    const lines = s.push('x'.repeat(25));
    assert.deepEqual(lines, ['x'.repeat(10), 'x'.repeat(10)]);
    assert.equal(s.partial, 'x'.repeat(5));
  });
});
