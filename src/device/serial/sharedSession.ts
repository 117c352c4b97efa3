// One session on a board's console, shared by the extension and a person at the serial console (docs/devices.md,
// "The serial console"): opened on first use, reopened when the board went away, one open at a time however many
// ask. The extension says hello on it before each run (BoardTargets); the console shows it as it is, and hands the
// runtime back with bye (Session.release). Pure (no vscode): the extension's BoardTargets and the tests build it alike.
import { Emitter } from './emitter';
import type { Session } from './session';

export interface SharedSessionOptions {
  /** Opens a new session on the board (transport open, nothing said to the runtime). */
  open(): Promise<Session>;
}

export class SharedSession {
  private opening: Promise<Session> | undefined;
  private linking: Promise<Session> | undefined;
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

  /** Closes the current session (the board did not answer on it): the next link() opens a fresh one. */
  async drop(): Promise<void> {
    const session = await this.current();
    if (session) this.opening = undefined;
    await session?.close().catch(() => undefined);
  }

  /** The session if one is open now (no waiting, nothing opened). */
  async current(): Promise<Session | undefined> {
    return this.opening?.catch(() => undefined);
  }

  /** Closes the session (a run in progress fails with `reason`); later calls fail. */
  async close(reason?: string): Promise<void> {
    this.closed = true;
    const session = await this.current();
    this.opening = undefined;
    this.sessionEmitter.clear();
    await session?.close(reason).catch(() => undefined);
  }
}
