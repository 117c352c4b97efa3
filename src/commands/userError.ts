// An error meant for the user as it is: registerCommands shows its message without a stack or a "failed" prefix,
// with the actions that fix it as buttons.

/** A button on the error: runs `command` with `args`. */
export interface ErrorAction {
  label: string;
  command: string;
  args?: unknown[];
}

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** A stable code for tests and logs (a DeployError's or ModelFormatError's), when there is one. */
    readonly code?: string,
    /** What fixes it ("Open settings", "Start Virtual Pico"), offered as buttons. */
    readonly actions: readonly ErrorAction[] = [],
  ) {
    super(message);
  }
}

/** "Open settings" on one Picoformer setting. */
export function openSettingAction(key: string): ErrorAction {
  return { label: 'Open settings', command: 'workbench.action.openSettings', args: [key] };
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
