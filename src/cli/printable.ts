// What the command line prints, made safe for the terminal it prints on. Text from a model file or a board (a
// model's name, created_by, vocabulary tokens, tensor names in an error, a drive's boot_out.txt) reaches the
// output, and a name like "\x1b]0;PWNED\x07\x1b[2J" would retitle and clear the terminal. Control characters (C0
// but line feed and tab, DEL, C1) and the bidirectional overrides and isolates (which reorder what is shown)
// become visible \u escapes: valid inside JSON strings too, so --json output keeps its meaning.
import type { CliIo } from './command';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const Unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control character but line feed and tab shown as a \u escape. */
export function printable(text: string): string {
  return text.replace(Unsafe, escape);
}

/**
 * An io whose output is printable(). Standard error keeps a carriage return that starts a write: that is how
 * progress redraws its line (deployText.ts), and no text from a file starts a write there.
 */
export function printableIo(io: CliIo): CliIo {
  return {
    out: (t) => io.out(printable(t)),
    err: (t) => io.err(t.startsWith('\r') ? `\r${printable(t.slice(1))}` : printable(t)),
  };
}
