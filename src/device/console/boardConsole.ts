// The serial console of one board, without the terminal around it (the extension wraps it in a VS Code
// Pseudoterminal; tests drive it directly). It shares the board's session with the extension (docs/devices.md,
// "The serial console"): it shows everything the board sends, the extension's host-mode traffic as readable lines;
// a keystroke while the extension holds host mode first hands the board back (`bye`, Session.release), and the
// extension says hello again when it next needs the board. Pure (no vscode).
import { TextDecoder } from 'node:util';
import type { Disposable } from '../transport';
import type { Session } from '../serial/session';
import { ConsoleRenderer } from './consoleRenderer';

export interface ConsoleHost {
  /** "Virtual Pico", "Raspberry Pi Pico on /dev/ttyACM0". */
  readonly label: string;
  /** The board's shared session, opened if needed; nothing is said to the runtime. */
  link(): Promise<Session>;
  /** Fires when the extension opened a new session on this board (it came back, or was chosen again). */
  onSession(listener: (session: Session) => void): Disposable;
}

/** A held start of a line is shown after this long without more output (a lone "@" typed at the REPL). */
const HELD_FLUSH_MS = 150;
/** How long a keystroke waits for the runtime's answer to bye (its "Human mode." line) before it is sent anyway. */
const BYE_ANSWER_MS = 1500;

/** Resolves when the runtime says it is back in human mode (the answer to bye), or after BYE_ANSWER_MS. */
function humanModeConfirmed(session: Session): { done: Promise<void>; dispose(): void } {
  let dispose = () => undefined as void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, BYE_ANSWER_MS);
    const sub = session.onItem((item) => {
      if (item.kind === 'text' && /^Human mode\b/.test(item.text)) resolve();
    });
    dispose = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
  });
  return { done, dispose: () => dispose() };
}
const CTRL_C = '\x03';

export class BoardConsole {
  private readonly renderer = new ConsoleRenderer();
  private session: Session | undefined;
  private attached: Disposable[] = [];
  private readonly hostSubscription: Disposable;
  private decoder = new TextDecoder();
  private input = Promise.resolve();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly host: ConsoleHost,
    private readonly write: (text: string) => void,
  ) {
    this.hostSubscription = host.onSession((session) => {
      if (!this.closed && session !== this.session) this.attach(session);
    });
  }

  /** Connects to the board and says how the console works. */
  async open(): Promise<void> {
    this.write(
      this.renderer.note(`Picoformer serial console: ${this.host.label}. Type a prompt or /help; Ctrl-C stops, then leaves for the REPL; Ctrl-D at the REPL restarts the runtime. The extension's own traffic shows dimmed; typing takes the board back from it.`),
    );
    await this.connect();
  }

  /** Keystrokes from the terminal, sent in order. */
  handleInput(data: string): void {
    this.input = this.input.then(() => this.send(data)).catch((error: unknown) => this.write(this.renderer.note(`Not sent: ${error instanceof Error ? error.message : String(error)}`)));
  }

  /** Resolves when every keystroke so far was sent (tests). */
  settled(): Promise<void> {
    return this.input;
  }

  close(): void {
    this.closed = true;
    this.detach();
    this.hostSubscription.dispose();
  }

  private async connect(): Promise<Session | undefined> {
    try {
      const session = await this.host.link();
      if (session !== this.session) this.attach(session);
      return session;
    } catch (error) {
      this.write(this.renderer.note(`Cannot connect to ${this.host.label}: ${error instanceof Error ? error.message : String(error)}. Press a key to try again.`));
      return undefined;
    }
  }

  private async send(data: string): Promise<void> {
    if (this.closed) return;
    let session = this.session;
    if (!session || session.state !== 'connected') session = await this.connect();
    if (!session || session.state !== 'connected') return;
    if (session.busyWithRepl) {
      this.show(this.renderer.note('The extension is using the board\'s REPL for a moment (a reset or a query); type again when it is done.'));
      return;
    }
    const generating = session.activeGeneration?.ended === false;
    const human = humanModeConfirmed(session);
    try {
      if (await session.release()) {
        this.show(this.renderer.note('The board is yours: the runtime is back in human mode (the extension says hello again when it needs it).'));
        // Ctrl-C pressed to stop the extension's generation did just that: it does not also end the runtime.
        if (generating && data === CTRL_C) return;
        // Keystrokes read before the runtime switched are not echoed: wait for its "Human mode." line.
        await human.done;
      }
    } finally {
      human.dispose();
    }
    await session.transport.write(data);
  }

  private attach(session: Session): void {
    this.detach();
    this.session = session;
    this.decoder = new TextDecoder();
    this.attached = [
      session.transport.onData((bytes) => this.show(this.renderer.board(this.decoder.decode(bytes, { stream: true })))),
      session.onCommand((line) => this.show(this.renderer.command(line))),
      session.onStateChange(({ state, message }) => {
        if (state === 'connected') this.show(this.renderer.note(`Connected to ${this.host.label}.`));
        else if (state === 'disconnected') this.show(this.renderer.note(message));
        else {
          this.show(this.renderer.note(`The connection to ${this.host.label} was closed; press a key to reconnect.`));
          this.detach();
        }
      }),
    ];
    this.show(this.renderer.note(`Connected to ${this.host.label}${session.hostModeActive ? ' (the extension is using it in host mode)' : ''}.`));
  }

  private detach(): void {
    for (const d of this.attached) d.dispose();
    this.attached = [];
    this.session = undefined;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private show(text: string): void {
    if (text) this.write(text);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const held = this.renderer.flush();
      if (held) this.write(held);
    }, HELD_FLUSH_MS);
    this.flushTimer.unref?.();
  }
}
