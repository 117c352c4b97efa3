// The keyboard as a serial terminal sees it: raw bytes from stdin (no line editing, no echo, Ctrl-C as a byte when
// stdin is a terminal), as an interface so `picoformer sim` can be tested with scripted input.

export interface ConsoleInput {
  /** stdin is a terminal: raw mode makes Ctrl-C a byte for the board instead of a signal. */
  readonly isTty: boolean;
  /** Starts reading; `onData` gets each chunk, `onEnd` the end of input (a pipe closed). Returns a stop function. */
  start(onData: (bytes: Uint8Array) => void, onEnd: () => void): () => void;
}

export const processInput: ConsoleInput = {
  get isTty() {
    return Boolean(process.stdin.isTTY);
  },
  start(onData, onEnd) {
    const stdin = process.stdin;
    const raw = stdin.isTTY === true;
    if (raw) stdin.setRawMode(true);
    const data = (chunk: Buffer | string) => onData(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk));
    stdin.on('data', data);
    stdin.once('end', onEnd);
    stdin.resume();
    return () => {
      stdin.off('data', data);
      stdin.off('end', onEnd);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
    };
  },
};

/** Ctrl-] quits the terminal, as in telnet and tio's default: everything before it still goes to the board. */
export const QUIT_BYTE = 0x1d;

/** Splits input at the quit byte: what to send, and whether to quit after sending it. */
export function splitAtQuit(bytes: Uint8Array): { send: Uint8Array; quit: boolean } {
  const at = bytes.indexOf(QUIT_BYTE);
  return at < 0 ? { send: bytes, quit: false } : { send: bytes.subarray(0, at), quit: true };
}
