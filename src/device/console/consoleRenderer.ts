// What the serial console's terminal shows: the board's output as it comes (human mode, the REPL, tracebacks,
// escape sequences and all), except event lines ("@pf {...}" at the start of a line), which are shown as readable
// host traffic (hostTraffic.ts), and the command lines the extension writes. Bytes arrive in any chunking; a line
// that might become an event line is held until its first four characters decide it. Lone "\n" becomes "\r\n"
// (a terminal needs both). Pure: strings in, strings out.
import { EVENT_PREFIX, parseEventLine } from '../protocol/events';
import { AnsiStripper } from '../protocol/ansi';
import { type TrafficText, describeCommandLine, describeEventLine } from './hostTraffic';

const Style = {
  board: (t: string) => `\x1b[2m← ${t}\x1b[0m`,
  host: (t: string) => `\x1b[2m→ ${t}\x1b[0m`,
  error: (t: string) => `\x1b[31m← ${t}\x1b[0m`,
  note: (t: string) => `\x1b[33m[${t}]\x1b[0m`,
};

export class ConsoleRenderer {
  /** The terminal's cursor is at the start of a line. */
  private col0 = true;
  /** The board's output is at the start of a line (where an event line may begin). */
  private boardLineStart = true;
  /** The start of a line that may still turn out to be "@pf ". */
  private held = '';
  /** An event line being collected, up to its line end. */
  private eventLine: string | undefined;
  private skipLf = false;
  private lastRaw = '';

  /** Terminal text for a chunk of the board's output. */
  board(text: string): string {
    let out = '';
    for (const ch of text) {
      if (this.skipLf) {
        this.skipLf = false;
        if (ch === '\n') continue;
      }
      if (this.eventLine !== undefined) {
        if (ch === '\r' || ch === '\n') {
          out += this.event(this.eventLine);
          this.eventLine = undefined;
          this.boardLineStart = true;
          this.skipLf = ch === '\r';
        } else this.eventLine += ch;
        continue;
      }
      if (this.boardLineStart && EVENT_PREFIX.startsWith(this.held + ch)) {
        this.held += ch;
        if (this.held === EVENT_PREFIX) {
          this.eventLine = this.held;
          this.held = '';
        }
        continue;
      }
      out += this.flush() + this.raw(ch);
    }
    return out;
  }

  /** The held start of a line, when no more output came to decide it (a lone "@" echoed at the REPL). */
  flush(): string {
    const held = this.held;
    this.held = '';
    let out = '';
    for (const ch of held) out += this.raw(ch);
    return out;
  }

  /** Terminal text for a command line the extension wrote. */
  command(line: string): string {
    return this.traffic(describeCommandLine(line));
  }

  /** A line of the console's own (connected, handed over, ...), set apart from the board's output. */
  note(text: string): string {
    return this.line(Style.note(text));
  }

  private event(line: string): string {
    const parsed = parseEventLine(new AnsiStripper().push(line));
    return parsed ? (this.traffic(describeEventLine(parsed)) ?? '') : '';
  }

  private traffic(text: TrafficText | undefined): string {
    if (!text) return '';
    if (text.kind === 'line') return this.line(Style[text.tone](text.text));
    let out = '';
    for (const ch of text.text) out += this.raw(ch);
    return out;
  }

  private line(styled: string): string {
    const out = `${this.col0 ? '' : '\r\n'}${styled}\r\n`;
    this.col0 = true;
    this.lastRaw = '\n';
    return out;
  }

  /** One character of plain output: "\n" not after "\r" gets its "\r". */
  private raw(ch: string): string {
    const out = ch === '\n' && this.lastRaw !== '\r' ? '\r\n' : ch;
    this.lastRaw = ch;
    this.boardLineStart = ch === '\n' || ch === '\r';
    this.col0 = this.boardLineStart;
    return out;
  }
}
