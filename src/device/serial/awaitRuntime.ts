// Reaching the Picoformer runtime on a board: say hello until it answers (it may still be booting, or loading its
// default model). A board whose code.py has ended (at the REPL, or at "Press any key to enter the REPL") never
// answers by itself, and a hello's bytes are what pressed that key, so after a few silent hellos such a board is
// soft-reloaded once and code.py runs again. Shared by the extension and the CLI.
import type { ReadyEvent } from '../protocol/events';
import type { Session } from './session';

export interface AwaitRuntimeOptions {
  /** Hellos before giving up (default 8). */
  attempts?: number;
  /** How long each hello waits for `ready` (default 3 s). */
  timeoutMs?: number;
  /** Unanswered hellos before a board seen at the REPL is soft-reloaded (default 2). */
  reloadAfter?: number;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** Opens the session if it is closed, then resolves with the runtime's `ready`; rejects with the last failure. */
export async function awaitRuntime(session: Session, options: AwaitRuntimeOptions = {}): Promise<ReadyEvent> {
  const attempts = options.attempts ?? 8;
  const reloadAfter = options.reloadAfter ?? 2;
  const aborted = () => Object.assign(new Error('Cancelled while connecting.'), { name: 'AbortError' });
  // Whether code.py has ended (REPL prompt, "Press any key...", a banner): then only a soft reload brings it back.
  let atRepl = false;
  const watch = session.onItem((item) => {
    if (item.kind === 'prompt') atRepl = true;
    else if (item.kind === 'board') {
      const kind = item.message.kind;
      if (kind === 'code-done' || kind === 'press-any-key' || kind === 'banner') atRepl = true;
      else if (kind === 'code-output' || kind === 'soft-reboot' || kind === 'auto-reload-stopped') atRepl = false;
    } else if (item.kind === 'event') atRepl = false;
  });
  try {
    if (options.signal?.aborted) throw aborted();
    if (session.state === 'closed') await session.open();
    let last: unknown = new Error('no hello was sent');
    let reloaded = false;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (options.signal?.aborted) throw aborted();
      try {
        return await session.hello(options.timeoutMs ?? 3000);
      } catch (error) {
        last = error;
        if ((error as { code?: unknown }).code === 'disconnected' || session.state !== 'connected') throw error;
        if (options.signal?.aborted) throw aborted();
        if (attempt >= reloadAfter && atRepl && !reloaded) {
          reloaded = true;
          options.log?.('the runtime is not running (the board is at the REPL): soft reload');
          await session.softReload().catch((err: Error) => options.log?.(`soft reload: ${err.message}`));
        }
      }
    }
    throw last;
  } finally {
    watch.dispose();
  }
}
