// What a Session's promises reject with: the runtime's own error events, and what went wrong on the way to the board.

/** The runtime answered a command with an error event. */
export class RuntimeCommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly command: string,
  ) {
    super(message);
    this.name = 'RuntimeCommandError';
  }
}

/** The board did not do what the session needed (no answer, could not reach the REPL, went away). */
export class SessionError extends Error {
  constructor(
    readonly code: 'timeout' | 'disconnected' | 'busy' | 'no-repl' | 'raw-repl' | 'closed' | 'restarted' | 'released',
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}
