// Exposes the virtual Pico's console as a pseudo-terminal (Linux, macOS), so screen, tio, minicom or the extension's
// own SerialTransport can open it like a board's serial port. socat makes the pty (raw, no echo) and relays it to
// its stdin/stdout, which are wired to the machine's console. If socat ends while the bridge is meant to run, it is
// started again on the same path.

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Disposable } from '../device/transport';
import type { VirtualPico } from './virtualPico';

export interface PtyBridgeOptions {
  /** Where the pty's name is linked (default: <tmp>/picoformer-vpico). */
  linkPath?: string;
  socatPath?: string;
  log?: (message: string) => void;
}

export class PtyBridgeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PtyBridgeError';
  }
}

const START_TIMEOUT_MS = 5000;

export class PtyBridge {
  readonly linkPath: string;
  private child: ChildProcess | undefined;
  private subscription: Disposable | undefined;
  private stopping = false;
  private readonly socat: string;
  private readonly log: (message: string) => void;

  constructor(
    private readonly pico: VirtualPico,
    options: PtyBridgeOptions = {},
  ) {
    if (process.platform === 'win32') throw new PtyBridgeError('A pty for the virtual Pico needs Linux or macOS.');
    this.linkPath = options.linkPath ?? join(tmpdir(), 'picoformer-vpico');
    this.socat = options.socatPath ?? 'socat';
    this.log = options.log ?? (() => undefined);
  }

  /** Starts socat; resolves with the pty's path once it exists. The machine must be running. */
  async start(): Promise<string> {
    this.stopping = false;
    this.subscription ??= this.pico.onOutput((bytes) => {
      if (this.child?.stdin?.writable) this.child.stdin.write(bytes);
    });
    await this.spawnSocat();
    return this.linkPath;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.subscription?.dispose();
    this.subscription = undefined;
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      });
    }
    removeStaleLink(this.linkPath);
  }

  private spawnSocat(): Promise<void> {
    removeStaleLink(this.linkPath);
    const child = spawn(this.socat, [`pty,raw,echo=0,link=${this.linkPath}`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.stdout?.on('data', (chunk: Buffer) => {
      this.pico.write(new Uint8Array(chunk)).catch((err: Error) => this.log(`pty -> virtual Pico: ${err.message}`));
    });
    child.stdin?.on('error', () => undefined); // socat gone; its exit handler reports it
    return new Promise((resolve, reject) => {
      let settled = false;
      const started = Date.now();
      const timer = setInterval(() => {
        if (existsSync(this.linkPath)) {
          settled = true;
          clearInterval(timer);
          resolve();
        } else if (Date.now() - started > START_TIMEOUT_MS) {
          settled = true;
          clearInterval(timer);
          child.kill();
          reject(new PtyBridgeError(`socat did not create ${this.linkPath}: ${stderr.trim() || 'no output'}`));
        }
      }, 20);
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        reject(
          new PtyBridgeError(
            err.code === 'ENOENT'
              ? 'socat is not installed (Debian/Ubuntu: sudo apt-get install socat; macOS: brew install socat); the virtual Pico still works inside the editor.'
              : `Cannot start socat: ${err.message}`,
          ),
        );
      });
      child.once('exit', (code) => {
        if (!settled) {
          settled = true;
          clearInterval(timer);
          reject(new PtyBridgeError(`socat exited (code ${code}): ${stderr.trim()}`));
          return;
        }
        if (this.child === child && !this.stopping) {
          this.log(`socat exited (code ${code}); starting it again`);
          void this.spawnSocat().catch((err: Error) => this.log(err.message));
        }
      });
    });
  }
}

/** A link left by an earlier run points at a pty that no longer exists. */
function removeStaleLink(path: string): void {
  try {
    if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
  } catch {
    // nothing there
  }
}
