// The REPL side of a Session: the steps that take a board from whatever it runs to the friendly REPL, into the raw
// REPL, through one snippet and back (rawRepl.ts has the byte-level exchange). The Session decides when; these only
// know how, talking through a ReplLink so they never touch the Session's own state.

import { BOARD_TEXT } from '../protocol/boardMessages';
import type { Transport } from '../transport';
import { type Clock, type ClockTimer, sleepOn } from './clock';
import type { ExpectBuffer } from './expect';
import { CTRL_A, CTRL_B, CTRL_C, CTRL_D, RAW_REPL_BANNER, RawReplResponse } from './rawRepl';
import { SessionError } from './sessionErrors';

export interface ExecResult {
  stdout: string;
  /** The traceback, if the code raised. */
  stderr: string;
}

/** A raw REPL answer being read: incoming text goes to `response` (not the expect buffer) until `done`. */
export interface RawCapture {
  response: RawReplResponse;
  done: () => void;
}

export interface ReplLink {
  transport: Transport;
  /** The console's recent text, for waiting on prompts. */
  expect: ExpectBuffer;
  clock: Clock;
  /** Routes incoming text to a raw REPL answer (or, with undefined, back to the expect buffer). */
  capture(capture: RawCapture | undefined): void;
  log(message: string): void;
}

const RAW_CHUNK = 256;

export class ReplSteps {
  constructor(private readonly link: ReplLink) {}

  /** Ctrl-C until the friendly REPL's ">>> " shows (pressing a key at "Press any key to enter the REPL"). */
  async toFriendlyRepl(timeoutMs: number): Promise<void> {
    const { transport, expect, clock } = this.link;
    expect.clear();
    await transport.write(`\r${CTRL_C}`);
    await sleepOn(clock, 50);
    await transport.write(CTRL_C); // a second one: the first may only stop a generation
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      const left = deadline - clock.now();
      if (left <= 0) {
        throw new SessionError('no-repl', `The board did not reach the REPL after Ctrl-C within ${Math.round(timeoutMs / 1000)} s (is code.py ignoring KeyboardInterrupt?). Last output: ${JSON.stringify(expect.pending.slice(-120))}`);
      }
      try {
        const match = await expect.waitFor([BOARD_TEXT.replPrompt, BOARD_TEXT.pressAnyKey], Math.min(left, 1000));
        if (match.index === 0) return;
        await transport.write('\r'); // "any key": the banner and ">>> " follow
      } catch (err) {
        if ((err as Error).name !== 'ExpectTimeout') throw new SessionError('disconnected', (err as Error).message);
        await transport.write(`\r${CTRL_C}`);
      }
    }
  }

  /** From the friendly REPL: Ctrl-D, and wait for the soft reboot that runs code.py again. */
  async softReboot(timeoutMs: number): Promise<void> {
    this.link.expect.clear();
    await this.link.transport.write(CTRL_D);
    await this.link.expect.waitFor(BOARD_TEXT.softReboot, timeoutMs);
  }

  async enterRawRepl(): Promise<void> {
    const { transport, expect, clock } = this.link;
    for (let attempt = 0; ; attempt++) {
      expect.clear();
      await transport.write(`\r${CTRL_A}`);
      try {
        await expect.waitFor(RAW_REPL_BANNER, 2000);
        return;
      } catch (err) {
        if ((err as Error).name !== 'ExpectTimeout') throw new SessionError('disconnected', (err as Error).message);
        if (attempt >= 1) throw new SessionError('raw-repl', 'Could not enter the raw REPL (no "raw REPL; CTRL-B to exit" after Ctrl-A).');
        await transport.write(`\r${CTRL_B}`);
        await sleepOn(clock, 100);
      }
    }
  }

  /** Sends `code` to the raw REPL and reads its answer; a snippet that runs past `timeoutMs` is interrupted. */
  async runRaw(code: string, timeoutMs: number): Promise<ExecResult> {
    const { transport, clock } = this.link;
    const response = new RawReplResponse();
    const finished = new Promise<void>((resolve) => this.link.capture({ response, done: resolve }));
    const bytes = new TextEncoder().encode(code);
    for (let i = 0; i < bytes.length; i += RAW_CHUNK) await transport.write(bytes.subarray(i, i + RAW_CHUNK));
    await transport.write(CTRL_D);
    let timer: ClockTimer | undefined;
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => (timer = clock.setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clock.clearTimeout(timer);
    if (timedOut) {
      // Interrupt the snippet; the board then finishes the exchange with a KeyboardInterrupt traceback.
      await transport.write(CTRL_C);
      await Promise.race([finished, sleepOn(clock, 1000)]);
      this.link.capture(undefined);
      throw new SessionError('timeout', `The code did not finish within ${Math.round(timeoutMs / 1000)} s and was interrupted. Output so far: ${JSON.stringify(response.stdout.slice(-200))}`);
    }
    this.link.capture(undefined);
    if (transport.state !== 'open') throw new SessionError('disconnected', 'The board went away during a raw REPL command.');
    if (response.phase === 'failed') throw new SessionError('raw-repl', `Raw REPL: ${response.failure}`);
    return { stdout: response.stdout.replace(/\r\n/g, '\n'), stderr: response.stderr.replace(/\r\n/g, '\n') };
  }

  /** Ctrl-B back to the friendly REPL, then (by default) Ctrl-D so code.py runs again. Never throws. */
  async leaveRawRepl(restart: boolean): Promise<void> {
    const { transport, expect } = this.link;
    try {
      expect.clear();
      await transport.write(CTRL_B);
      await expect.waitFor(BOARD_TEXT.replPrompt, 1500).catch(() => undefined);
      if (!restart) return;
      expect.clear();
      await transport.write(CTRL_D);
      await expect.waitFor(BOARD_TEXT.softReboot, 2000).catch(() => undefined);
    } catch (err) {
      this.link.log(`leaving the raw REPL: ${(err as Error).message}`);
    }
  }
}

/** Prints the model files in /models as JSON: [["name.safetensors", size], ...]. */
export const LIST_MODELS_SNIPPET = `import os, json
r = []
try:
    names = os.listdir('/models')
except OSError:
    names = []
for n in sorted(names):
    if n.endswith('.safetensors'):
        r.append([n, os.stat('/models/' + n)[6]])
print(json.dumps(r))`;
