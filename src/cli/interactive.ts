// What the device commands need of the terminal besides text: Ctrl-C (SIGINT) as a cancel request, a yes/no
// question when a person is there to answer it, and whether stderr can redraw a progress line.
import { createInterface } from 'node:readline/promises';

export interface Terminal {
  /** Calls `handler` on each Ctrl-C until the returned function is called (the default exit is suppressed). */
  onInterrupt(handler: () => void): () => void;
  /** Asks a yes/no question; undefined when nobody can answer (stdin or stderr is not a terminal). */
  confirm(question: string): Promise<boolean> | undefined;
  /** stderr is a terminal: progress redraws one line instead of printing many. */
  readonly stderrIsTty: boolean;
}

export const processTerminal: Terminal = {
  onInterrupt(handler) {
    const listener = () => handler();
    process.on('SIGINT', listener);
    return () => process.off('SIGINT', listener);
  },
  confirm(question) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    return rl.question(`${question} [y/N] `).then(
      (answer) => /^y(es)?$/i.test(answer.trim()),
      () => false,
    ).finally(() => rl.close());
  },
  get stderrIsTty() {
    return Boolean(process.stderr.isTTY);
  },
};
