// Removes terminal escape sequences from console text, across chunk boundaries. CircuitPython sends window-title
// updates (OSC: ESC ] 0;title ESC \  or ... BEL) and terminals or REPL line editing add CSI sequences (ESC [ ... final).
// Everything else, including control bytes the raw REPL uses (0x04), passes through unchanged.

const ESC = '\x1b';
const BEL = '\x07';
/** An unterminated string sequence longer than this is junk, not a title: give up on it and resume plain text. */
const MAX_SEQUENCE = 1024;

type Mode = 'text' | 'esc' | 'escIntermediate' | 'csi' | 'string' | 'stringEsc';

export class AnsiStripper {
  private mode: Mode = 'text';
  private sequenceLength = 0;

  /** Returns the plain text of `chunk`; an escape sequence split across chunks is removed once it completes. */
  push(chunk: string): string {
    let out = '';
    for (const ch of chunk) {
      switch (this.mode) {
        case 'text':
          if (ch === ESC) this.enter('esc');
          else if (ch === '\u009b') this.enter('csi'); // 8-bit CSI
          else if (ch === '\u009d') this.enter('string'); // 8-bit OSC
          else if (ch !== BEL) out += ch;
          break;
        case 'esc':
          if (ch === '[') this.mode = 'csi';
          else if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') this.mode = 'string';
          else if (ch >= ' ' && ch <= '/') this.mode = 'escIntermediate'; // ESC ( B and friends
          else if (ch === ESC) this.mode = 'esc';
          else this.mode = 'text'; // two-character sequence (ESC c, ESC 7, ...): dropped
          break;
        case 'escIntermediate':
          if (!(ch >= ' ' && ch <= '/')) this.mode = 'text';
          break;
        case 'csi':
          // Parameters and intermediates are 0x20-0x3F; the final byte is 0x40-0x7E.
          if (ch >= '@' && ch <= '~') this.mode = 'text';
          else if (!(ch >= ' ' && ch <= '?')) out += this.abort(ch);
          else this.grow();
          break;
        case 'string':
          if (ch === BEL || ch === '\u009c') this.mode = 'text';
          else if (ch === ESC) this.mode = 'stringEsc';
          else if (ch === '\n' || ch === '\r') out += this.abort(ch); // titles have no line breaks: junk, keep the line
          else this.grow();
          break;
        case 'stringEsc':
          // ESC \ is the string terminator; any other ESC x ends the string and starts a new sequence.
          if (ch === '\\') this.mode = 'text';
          else if (ch === '[') this.mode = 'csi';
          else if (ch === ']') this.mode = 'string';
          else this.mode = 'text';
          break;
      }
    }
    return out;
  }

  /** True while inside an unfinished escape sequence. */
  get pending(): boolean {
    return this.mode !== 'text';
  }

  reset(): void {
    this.mode = 'text';
    this.sequenceLength = 0;
  }

  private enter(mode: Mode): void {
    this.mode = mode;
    this.sequenceLength = 0;
  }

  private grow(): void {
    if (++this.sequenceLength > MAX_SEQUENCE) this.mode = 'text';
  }

  /** A character that cannot be part of the sequence: the sequence was junk; returns what to keep (a line break must survive). */
  private abort(ch: string): string {
    this.mode = 'text';
    if (ch !== ESC) return ch;
    this.enter('esc');
    return '';
  }
}

/** Strips escape sequences from a complete string. */
export function stripAnsi(text: string): string {
  return new AnsiStripper().push(text);
}
