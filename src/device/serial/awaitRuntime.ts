// Reaching the Picoformer runtime on a board: say hello until it answers (it may still be booting, or loading its
// default model). A board whose code.py has ended (at the REPL, at "Press any key to enter the REPL", or in a REPL
// continuation: a hello typed at the REPL starts with "@", a decorator, so the REPL answers "... " and waits for
// more) never answers by itself, and auto-reload is off at the REPL. So as soon as the console shows the REPL, the
// board is soft-reloaded once and code.py runs again; when code.py then ends without starting the runtime (no
// code.py, or it raised), that is said at once instead of waiting out the remaining hellos. Shared by the extension
// and the CLI.
import type { ConsoleItem } from '../protocol/consoleParser';
import type { ReadyEvent } from '../protocol/events';
import type { Session } from './session';

export interface AwaitRuntimeOptions {
  /** Hellos before giving up (default 8). */
  attempts?: number;
  /** How long each hello waits for `ready` (default 3 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Called when the board was found at the REPL and soft-reloaded. */
  onSoftReload?: () => void;
}

/** The board runs no Picoformer runtime: code.py is missing, or it ended (raised) before the runtime started. */
export class NoRuntimeError extends Error {
  readonly code = 'no_runtime';
  constructor(
    message: string,
    /** The exception line code.py ended with ("ImportError: no module named 'picoformer'"), if it raised. */
    readonly exception?: string,
  ) {
    super(message);
    this.name = 'NoRuntimeError';
  }
}

/** A host command line coming back: echoed by the REPL (the runtime echoes no line that starts with "@"). */
const EchoedCommand = /^@pf\s*\{.*"cmd"\s*:/;

/** What the console has shown about code.py since the watch began. */
class ConsoleWatch {
  /** code.py has ended: the board is at the REPL, at "Press any key...", or showing a REPL prompt or echo. */
  atRepl = false;
  /** Since the last soft reboot: whether code.py started ("code.py output:"), and how it ended. */
  codeStarted = false;
  codeEnded = false;
  exception: string | undefined;
  private wake: (() => void) | undefined;

  see(item: ConsoleItem): void {
    if (item.kind === 'prompt') this.replSeen();
    else if (item.kind === 'board') {
      const kind = item.message.kind;
      if (kind === 'code-output') this.codeStarted = true;
      if (kind === 'code-done') this.codeEnded = true;
      if (kind === 'code-done' || kind === 'press-any-key' || kind === 'banner') this.replSeen();
      else if (kind === 'code-output' || kind === 'soft-reboot' || kind === 'auto-reload-stopped') this.atRepl = false;
    } else if (item.kind === 'traceback') {
      if (item.traceback.exception) this.exception = `${item.traceback.exception}${item.traceback.message ? `: ${item.traceback.message}` : ''}`;
    } else if (item.kind === 'event') this.atRepl = false;
    else if (item.kind === 'text' || item.kind === 'garbage') {
      // The REPL echoes what is typed: ">>> @pf {...}", "... @pf {...}" when continuing a statement, or the bare
      // command when its prompt went by earlier. The runtime never echoes a line that starts with "@".
      const line = item.kind === 'text' ? item.text : item.line;
      if (/^(>>>|\.\.\.)( |$)/.test(line) || EchoedCommand.test(line)) this.replSeen();
    }
  }

  /** Forgets what code.py did (a soft reboot is about to run it again). */
  restart(): void {
    this.atRepl = false;
    this.codeStarted = false;
    this.codeEnded = false;
    this.exception = undefined;
  }

  /** Resolves when the REPL shows (or at once if it has). */
  untilRepl(): { promise: Promise<void>; cancel(): void } {
    if (this.atRepl) return { promise: Promise.resolve(), cancel: () => undefined };
    const promise = new Promise<void>((resolve) => (this.wake = resolve));
    return { promise, cancel: () => (this.wake = undefined) };
  }

  private replSeen(): void {
    this.atRepl = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Opens the session if it is closed, then resolves with the runtime's `ready`; rejects with the last failure. */
export async function awaitRuntime(session: Session, options: AwaitRuntimeOptions = {}): Promise<ReadyEvent> {
  const attempts = options.attempts ?? 8;
  const signal = options.signal;
  const aborted = () => Object.assign(new Error('Cancelled while connecting.'), { name: 'AbortError' });
  const watch = new ConsoleWatch();
  const subscription = session.onItem((item) => watch.see(item));
  // A cancel ends any wait at once (the hello is left to time out by itself).
  let onAbort: (() => void) | undefined;
  const abortPromise = new Promise<never>((_, reject) => {
    onAbort = () => reject(aborted());
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  abortPromise.catch(() => undefined);
  const orAbort = <T>(promise: Promise<T>): Promise<T> => (signal ? Promise.race([promise, abortPromise]) : promise);
  try {
    if (signal?.aborted) throw aborted();
    if (session.state === 'closed') await orAbort(session.open());
    let last: unknown = new Error('no hello was sent');
    let reloaded = false;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (signal?.aborted) throw aborted();
      // A hello the REPL swallowed is never answered: stop waiting as soon as the REPL shows.
      const repl = watch.untilRepl();
      const hello = session.hello(options.timeoutMs ?? 3000);
      hello.catch(() => undefined);
      try {
        const answer = await orAbort(Promise.race([hello, repl.promise.then(() => undefined)]));
        if (answer) return answer;
        last = new Error('the board is at the REPL: its code.py has ended');
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        last = error;
        if ((error as { code?: unknown }).code === 'disconnected' || session.state !== 'connected') throw error;
      } finally {
        repl.cancel();
      }
      if (signal?.aborted) throw aborted();
      if (!watch.atRepl) continue;
      if (reloaded) throw noRuntime(watch);
      reloaded = true;
      options.log?.('the runtime is not running (the board is at the REPL): soft reload');
      options.onSoftReload?.();
      watch.restart();
      await orAbort(session.softReload()).catch((err: Error) => {
        if (err.name === 'AbortError') throw err;
        options.log?.(`soft reload: ${err.message}`);
      });
      // code.py runs again: the runtime says ready (answering the next hello), or code.py ends and the REPL shows.
    }
    throw watch.codeEnded ? noRuntime(watch) : last;
  } finally {
    subscription.dispose();
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

function noRuntime(watch: ConsoleWatch): NoRuntimeError {
  if (!watch.codeStarted && watch.codeEnded) return new NoRuntimeError('there is no code.py on the board, so nothing starts the runtime');
  if (watch.exception) return new NoRuntimeError(`code.py stopped with ${watch.exception} before the runtime started`, watch.exception);
  return new NoRuntimeError('code.py ended without starting the runtime');
}
