// Splits console text into lines, across chunk boundaries. A line ends at CRLF, LF or a lone CR; a CR at the end of
// one chunk followed by LF at the start of the next is one line end, not two. The unfinished tail stays available
// (`partial`) because prompts such as ">>> " never end with a newline.

/** A line longer than this without a line end is cut (a board printing garbage must not grow memory forever). */
export const MAX_LINE_LENGTH = 16 * 1024;

export class LineSplitter {
  private buffer = '';
  private afterCr = false;

  constructor(private readonly maxLength = MAX_LINE_LENGTH) {}

  /** Returns the lines completed by `text`, without their line ends. */
  push(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\n' && this.afterCr && i === start && this.buffer === '') {
        // LF right after a CR that already ended the previous line.
        this.afterCr = false;
        start = i + 1;
        continue;
      }
      this.afterCr = false;
      if (ch === '\n' || ch === '\r') {
        lines.push(this.buffer + text.slice(start, i));
        this.buffer = '';
        start = i + 1;
        if (ch === '\r') this.afterCr = true;
      } else if (this.buffer.length + (i - start) >= this.maxLength) {
        lines.push(this.buffer + text.slice(start, i));
        this.buffer = '';
        start = i;
      }
    }
    this.buffer += text.slice(start);
    return lines;
  }

  /** Text after the last line end. */
  get partial(): string {
    return this.buffer;
  }

  /** Returns and forgets the unfinished tail. */
  takePartial(): string {
    const rest = this.buffer;
    this.buffer = '';
    return rest;
  }

  reset(): void {
    this.buffer = '';
    this.afterCr = false;
  }
}
