// Turns a board's console byte stream into typed items: runtime events, the supervisor's messages, tracebacks,
// REPL prompts, and everything else as plain text. Bytes may arrive in any chunking (a UTF-8 character, an escape
// sequence or a CRLF split across chunks is fine). Nothing here throws on bad input.
//
// Stream -> UTF-8 decode -> strip escape sequences (ansi.ts) -> split lines (lines.ts) -> classify each line:
//   "@pf {...}"           event (events.ts), or garbage/unknown-event when it is not a valid one
//   supervisor lines      board (boardMessages.ts): "Code done running.", "soft reboot", the REPL banner, ...
//   "Traceback (most ..." traceback, gathered until its exception line
//   anything else         text
// A partial line that reads ">>> " is reported as a prompt right away (the REPL prints no newline after it).

import { AnsiStripper } from './ansi';
import { BOARD_TEXT, type BoardMessage, recogniseBoardLine } from './boardMessages';
import { type RuntimeEvent, parseEventLine } from './events';
import { LineSplitter } from './lines';

export interface Traceback {
  /** Every line, from "Traceback (most recent call last):" to the exception line. */
  lines: string[];
  /** "KeyboardInterrupt", "MemoryError", ...; empty when the traceback was cut short. */
  exception: string;
  message: string;
}

export type ConsoleItem =
  | { kind: 'event'; event: RuntimeEvent; line: string }
  | { kind: 'unknown-event'; ev: string; data: Record<string, unknown>; line: string }
  | { kind: 'garbage'; line: string; reason: string }
  | { kind: 'board'; message: BoardMessage; line: string }
  | { kind: 'traceback'; traceback: Traceback }
  | { kind: 'prompt'; prompt: 'repl' }
  | { kind: 'text'; text: string };

const MAX_TRACEBACK_LINES = 64;
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;

export class ConsoleParser {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly stripper = new AnsiStripper();
  private readonly splitter = new LineSplitter();
  private traceback: string[] | undefined;
  private promptReported = false;

  /** Items completed by this chunk of console bytes. */
  push(bytes: Uint8Array): ConsoleItem[] {
    return this.pushText(this.decoder.decode(bytes, { stream: true }));
  }

  /** Same as push, for text already decoded. */
  pushText(text: string): ConsoleItem[] {
    const items: ConsoleItem[] = [];
    const plain = this.stripper.push(text);
    for (const line of this.splitter.push(plain)) {
      const promptLine = this.promptReported && line.trim() === '>>>';
      this.promptReported = false;
      if (!promptLine) this.classify(line, items); // already reported as a prompt
    }
    const partial = this.splitter.partial;
    if (!this.promptReported && partial.endsWith(BOARD_TEXT.replPrompt) && partial.trim() === '>>>') {
      this.promptReported = true;
      this.endTraceback(items);
      items.push({ kind: 'prompt', prompt: 'repl' });
    }
    return items;
  }

  /** Ends what is pending: an unfinished traceback and a partial line (as text). */
  flush(): ConsoleItem[] {
    const items: ConsoleItem[] = [];
    this.endTraceback(items); // an unfinished line cannot be its exception line
    const rest = this.splitter.takePartial();
    if (rest && !(this.promptReported && rest.trim() === '>>>')) this.classify(rest, items);
    this.promptReported = false;
    return items;
  }

  /** Text not yet ended by a line break. */
  get partialLine(): string {
    return this.splitter.partial;
  }

  reset(): void {
    this.stripper.reset();
    this.splitter.reset();
    this.traceback = undefined;
    this.promptReported = false;
  }

  private classify(line: string, items: ConsoleItem[]): void {
    const parsed = parseEventLine(line);
    if (parsed) {
      this.endTraceback(items);
      if (parsed.kind === 'event') items.push({ kind: 'event', event: parsed.event, line });
      else if (parsed.kind === 'unknown') items.push({ kind: 'unknown-event', ev: parsed.ev, data: parsed.data, line });
      else items.push({ kind: 'garbage', line, reason: parsed.reason });
      return;
    }
    if (this.traceback) {
      // Frames are indented; the first line that is not ends the traceback.
      if (/^\s/.test(line) && this.traceback.length < MAX_TRACEBACK_LINES) {
        this.traceback.push(line);
        return;
      }
      const exception = EXCEPTION_LINE.exec(line.trimEnd());
      if (exception) {
        this.traceback.push(line);
        items.push({ kind: 'traceback', traceback: { lines: this.traceback, exception: exception[1], message: exception[2] ?? '' } });
        this.traceback = undefined;
        return;
      }
      this.endTraceback(items);
    }
    if (line.trim() === BOARD_TEXT.tracebackStart) {
      this.traceback = [line];
      return;
    }
    const board = recogniseBoardLine(line);
    if (board) items.push({ kind: 'board', message: board, line });
    else items.push({ kind: 'text', text: line });
  }

  /** A traceback interrupted by something else is reported as it is, without an exception. */
  private endTraceback(items: ConsoleItem[]): void {
    if (!this.traceback) return;
    items.push({ kind: 'traceback', traceback: { lines: this.traceback, exception: '', message: '' } });
    this.traceback = undefined;
  }
}
