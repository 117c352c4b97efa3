import assert from 'node:assert/strict';
import { ConsoleOutput } from '../../../src/sim/vm/consoleOutput';

describe('sim/consoleOutput', () => {
  it('turns bare LF into CRLF and leaves CRLF alone', () => {
    const sent: string[] = [];
    const out = new ConsoleOutput((b) => sent.push(Buffer.from(b).toString()));
    out.bytes(new TextEncoder().encode('a\nb\r\nc'));
    out.flush();
    assert.equal(sent.join(''), 'a\r\nb\r\nc');
  });

  it('sends per line, and a long line in batches', () => {
    const sent: string[] = [];
    const out = new ConsoleOutput((b) => sent.push(Buffer.from(b).toString()));
    out.bytes(new TextEncoder().encode('one\ntwo'));
    assert.deepEqual(sent, ['one\r\n']);
    out.bytes(new Uint8Array(1200).fill(0x41));
    assert.ok(sent.length >= 3);
  });

  it('sends output that has waited, and reports whether anything was written', async () => {
    const sent: string[] = [];
    const out = new ConsoleOutput((b) => sent.push(Buffer.from(b).toString()));
    assert.equal(out.takeWroteFlag(), false);
    out.byte(0x3e);
    out.flushIfOld(Date.now());
    assert.deepEqual(sent, []);
    await new Promise((r) => setTimeout(r, 30));
    out.flushIfOld(Date.now());
    assert.deepEqual(sent, ['>']);
    assert.equal(out.takeWroteFlag(), true);
    assert.equal(out.takeWroteFlag(), false);
  });
});
