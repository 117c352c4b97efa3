// One session on a board's console, shared by the extension and a person at the serial console (docs/devices.md,
// "The serial console"). The extension takes the runtime in host mode only when it needs it: `hostSession()` says
// hello first when the runtime is not in host mode for this session (first use, after a restart, after the console
// handed the board back with `bye`). The console uses `link()`: the same session, in whatever mode the runtime is.
// Pure (no vscode): the extension's BoardTargets and the tests build it alike.
import type { ReadyEvent } from '../protocol/events';
import { Emitter } from './emitter';
import type { Session } from './session';

export interface SharedSessionOptions {
  /** Opens a new session on the board (transport open, nothing said to the runtime). */
  open(): Promise<Session>;
  /** Brings the runtime to host mode on an open session (awaitRuntime: hello, retries, a soft reload). */
  reachRuntime(session: Session): Promise<ReadyEvent>;
}

export class SharedSession {
  private opening: Promise<Session> | undefined;
  private linking: Promise<Session> | undefined;
  private reaching: { session: Session; ready: Promise<ReadyEvent> } | undefined;
  private closed = false;
  private readonly sessionEmitter = new Emitter<Session>();
  /** A new session was opened (the first, or after the board went away and came back). */
  readonly onSession = this.sessionEmitter.event;

  constructor(private readonly options: SharedSessionOptions) {}

  /** The open session, in whatever mode the runtime is (opened on first use; reopened after the board left).
   *  Callers at the same time share one check (and one open). */
  link(): Promise<Session> {
    this.linking ??= this.relink().finally(() => {
      this.linking = undefined;
    });
    return this.linking;
  }

  private async relink(): Promise<Session> {
    if (this.closed) throw new Error('This board connection was closed.');
    const current = await this.opening?.catch(() => undefined);
    if (current?.state === 'connected') return current;
    await current?.close().catch(() => undefined); // the board went away (or the virtual Pico stopped): start afresh
    const opening = this.options.open();
    this.opening = opening;
    try {
      const session = await opening;
      if (this.closed) {
        await session.close().catch(() => undefined);
        throw new Error('This board connection was closed.');
      }
      this.sessionEmitter.fire(session);
      return session;
    } catch (error) {
      if (this.opening === opening) this.opening = undefined; // try again next time
      throw error;
    }
  }

  /** The open session with the runtime in host mode: says hello first when it is not (one hello at a time). */
  async hostSession(): Promise<Session> {
    const session = await this.link();
    if (session.hostModeActive) return session;
    let reaching = this.reaching;
    if (reaching?.session !== session) {
      const attempt = { session, ready: this.options.reachRuntime(session) };
      this.reaching = reaching = attempt;
      const done = () => {
        if (this.reaching === attempt) this.reaching = undefined;
      };
      attempt.ready.then(done, done);
    }
    await reaching.ready;
    return session;
  }

  /** The session if one is open now (no waiting, nothing opened). */
  async current(): Promise<Session | undefined> {
    return this.opening?.catch(() => undefined);
  }

  /** Closes the session; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const session = await this.current();
    this.opening = undefined;
    this.sessionEmitter.clear();
    await session?.close().catch(() => undefined);
  }
}
