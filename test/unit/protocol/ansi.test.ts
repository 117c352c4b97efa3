import assert from 'node:assert/strict';
import { AnsiStripper, stripAnsi } from '../../../src/device/protocol/ansi';

describe('protocol/ansi', () => {
  it('removes the window-title sequence a real board sends (OSC ... ESC \\)', () => {
    assert.equal(stripAnsi('\x1b]0;\u{1F40D}code.py | 9.2.8\x1b\\code.py output:\r\n'), 'code.py output:\r\n');
  });

  it('removes BEL-terminated OSC and CSI sequences', () => {
    assert.equal(stripAnsi('a\x1b]2;title\x07b\x1b[2K\x1b[1;32mc\x1b[0m'), 'abc');
  });

  it('removes a sequence split across chunks, byte by byte', () => {
    const s = new AnsiStripper();
    const input = 'x\x1b]0;\u{1F40D}Done | 9.2.8\x1b\\y\x1b[?25lz';
    let out = '';
    for (const ch of input) out += s.push(ch);
    assert.equal(out, 'xyz');
    assert.equal(s.pending, false);
  });

  it('keeps control bytes the raw REPL uses and line ends', () => {
    assert.equal(stripAnsi('OK2\r\n\x04\x04>'), 'OK2\r\n\x04\x04>');
  });

  it('drops two-character escapes and charset selections', () => {
    assert.equal(stripAnsi('a\x1bcb\x1b(Bc'), 'abc');
  });

  it('gives up on an unterminated title at a line break, keeping the next line', () => {
    assert.equal(stripAnsi('\x1b]0;broken title\r\n@pf {"ev":"help","text":"x"}\r\n'), '\r\n@pf {"ev":"help","text":"x"}\r\n');
  });

  it('does not swallow text forever after a junk sequence', () => {
    const long = 'q'.repeat(2000);
    assert.ok(stripAnsi(`\x1b]0;${long}tail`).endsWith('tail'));
  });

  it('keeps a line break that interrupts a CSI sequence', () => {
    assert.equal(stripAnsi('a\x1b[12\nb'), 'a\nb');
  });
});
