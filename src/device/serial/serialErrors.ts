// Turns the many ways an OS says "cannot open this serial port" into one of a few kinds, each with a message that
// tells the user what to do. serialport's errors are plain Errors whose text comes from the OS or the binding.

export type SerialErrorKind = 'busy' | 'permission' | 'not-found' | 'bad-baud' | 'other';

export class SerialOpenError extends Error {
  constructor(
    readonly kind: SerialErrorKind,
    readonly path: string,
    message: string,
    override readonly cause?: Error,
  ) {
    super(message);
    this.name = 'SerialOpenError';
  }
}

/** What the error text says, in order of specificity. Windows reports a port held by another program as "Access denied". */
export function classifySerialError(err: unknown, path: string, platform: NodeJS.Platform = process.platform): SerialOpenError {
  const cause = err instanceof Error ? err : new Error(String(err));
  const text = `${(err as { code?: string })?.code ?? ''} ${cause.message}`;
  if (/EBUSY|Resource busy|temporarily unavailable|Cannot lock port|is locked|being used by another/i.test(text) || (platform === 'win32' && /Access denied|Access is denied/i.test(text))) {
    return new SerialOpenError(
      'busy',
      path,
      `Serial port ${path} is in use by another program (a terminal such as screen, tio, Mu, Thonny, or another editor window). Close it and try again.`,
      cause,
    );
  }
  if (/EACCES|Permission denied|Access denied|Access is denied/i.test(text)) {
    const hint =
      platform === 'linux'
        ? ' Add your user to the dialout group (sudo usermod -aG dialout $USER), then log out and back in.'
        : platform === 'darwin'
          ? ' Check that no security software blocks serial devices.'
          : '';
    return new SerialOpenError('permission', path, `No permission to open serial port ${path}.${hint}`, cause);
  }
  if (/ENOENT|No such file|File not found|cannot find the file|not found|ENODEV|No such device/i.test(text)) {
    return new SerialOpenError(
      'not-found',
      path,
      `Serial port ${path} does not exist. Is the board plugged in with a data (not charge-only) USB cable?`,
      cause,
    );
  }
  return new SerialOpenError('other', path, `Cannot open serial port ${path}: ${cause.message}`, cause);
}

/** A failure of set({dtr}) that only means "this device has no modem lines" (a pty, some adapters). */
export function isHarmlessSignalError(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /Inappropriate ioctl|ENOTTY|not supported|EINVAL|Invalid argument/i.test(text);
}
