// What every `picoformer <command>` provides; main.ts dispatches through the table in commands/index.ts.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliCommand {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Full help for `picoformer <name> --help`. */
  usage: string;
  /** Runs with the arguments after the command name; returns the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
  /**
   * The command is a terminal to a board (sim): its output goes through as the board sends it, escape sequences
   * included. Every other command's output is made printable (printable.ts).
   */
  rawTerminal?: boolean;
}

/** Wrong arguments: main prints the message and the command's usage, and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
