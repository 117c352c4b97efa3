// An error meant for the user as it is: registerCommands shows its message without a stack or a "failed" prefix.
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** A stable code for tests and logs (a DeployError's or ModelFormatError's), when there is one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
