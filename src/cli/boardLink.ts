// A session with the Picoformer runtime on a board: over a serial port, or on a virtual Pico started for the
// purpose. Connecting opens the transport and says hello until the runtime answers (it may still be booting or
// loading its default model); a board sitting at the REPL is soft-reloaded once so code.py runs again (awaitRuntime).
import type { ReadyEvent } from '../device/protocol/events';
import { awaitRuntime } from '../device/serial/awaitRuntime';
import { Session } from '../device/serial/session';
import { SerialTransport } from '../device/serial/serialTransport';
import type { Transport } from '../device/transport';
import { VirtualPico } from '../sim/virtualPico';

export type BoardSpec = { kind: 'serial'; port: string } | { kind: 'virtual'; driveDir: string; heapBudget: number };

export interface BoardLink {
  readonly session: Session;
  readonly ready: ReadyEvent;
  /** "/dev/ttyACM0" or "the virtual Pico". */
  readonly label: string;
  /** Leaves the board as it was (human mode) and closes the port; stops a virtual Pico. Never throws. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  helloAttempts?: number;
  helloTimeoutMs?: number;
  log?: (message: string) => void;
  /** Rejects the connection attempt early (Ctrl-C while connecting). */
  signal?: AbortSignal;
}

/** A transport plus what to do when done with it; tests pass fakes. */
export interface OpenedTransport {
  transport: Transport;
  label: string;
  dispose(): Promise<void>;
}

export function openTransport(spec: BoardSpec, log: (message: string) => void): OpenedTransport {
  if (spec.kind === 'serial') {
    // One run, one connection: a board that goes away ends the run instead of being waited for.
    return { transport: new SerialTransport({ path: spec.port, reconnect: false, log }), label: spec.port, dispose: async () => undefined };
  }
  const pico = new VirtualPico({ driveDir: spec.driveDir, heapBudget: spec.heapBudget, autoReload: false, log });
  return { transport: pico.transport(), label: 'the virtual Pico', dispose: () => pico.stop() };
}

const HelloAttempts = 8;
const HelloTimeoutMs = 3000;

export class ConnectError extends Error {
  constructor(
    readonly code: 'no_runtime' | 'cancelled',
    message: string,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

export async function connectBoard(opened: OpenedTransport, options: ConnectOptions = {}): Promise<BoardLink> {
  const log = options.log ?? (() => undefined);
  const session = new Session(opened.transport, { log });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    // Back to human mode, so a terminal opened later sees the board as a person left it.
    if (session.state === 'connected' && opened.transport.kind === 'serial') await session.send({ cmd: 'bye' }).catch(() => undefined);
    await session.close().catch(() => undefined);
    await opened.dispose().catch(() => undefined);
  };
  // The ways connecting fails, as the CLI reports them.
  const failure = (error: unknown): unknown => {
    if ((error as Error).name === 'AbortError') return new ConnectError('cancelled', 'Cancelled while connecting.');
    if ((error as { code?: unknown }).code === 'disconnected' || session.state !== 'connected') return error;
    const why = error instanceof Error ? error.message : String(error);
    return new ConnectError(
      'no_runtime',
      `The Picoformer runtime does not answer on ${opened.label} (${why}). Deploy it with: picoformer deploy --runtime-only${opened.transport.kind === 'virtual' ? ' --virtual' : ''}`,
    );
  };
  try {
    const ready = await awaitRuntime(session, {
      attempts: options.helloAttempts ?? HelloAttempts,
      timeoutMs: options.helloTimeoutMs ?? HelloTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      log,
    }).catch((error: unknown) => {
      throw failure(error);
    });
    return { session, ready, label: opened.label, close };
  } catch (error) {
    await close();
    throw error;
  }
}
