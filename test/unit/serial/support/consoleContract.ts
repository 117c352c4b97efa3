// The serial console's hand-over (docs/devices.md, "The serial console"), as one suite run against the transcript
// board (test/unit/serial/session.test.ts), the virtual Pico running the real runtime (test/sim/session.test.ts) and
// the virtual Pico behind a socat pty with the real serialport binding (test/sim/pty.test.ts): the console shows
// the extension's host-mode traffic readably; a keystroke takes the board back (bye); the extension's next use says
// hello again.

import assert from 'node:assert/strict';
import { BoardConsole } from '../../../../src/device/console/boardConsole';
import { awaitRuntime } from '../../../../src/device/serial/awaitRuntime';
import { Session } from '../../../../src/device/serial/session';
import { SharedSession } from '../../../../src/device/serial/sharedSession';
import { type ContractBoard, type ContractOptions, waitUntil } from './sessionContract';

/** The text a terminal shows, without colours. */
export const plainText = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex

export interface ConsoleRig {
  board: ContractBoard;
  shared: SharedSession;
  console: BoardConsole;
  /** The extension's next use of the board: a hello on the shared session (as BoardTargets does before each run). */
  use(): Promise<Session>;
  /** Everything the terminal was sent so far, colours removed. */
  screen(): string;
  /** Waits until the screen matches `pattern` (after `from`, an earlier screen length). */
  waitFor(pattern: RegExp, ms: number, from?: number): Promise<string>;
  dispose(): Promise<void>;
}

export async function consoleRig(makeBoard: () => Promise<ContractBoard>): Promise<ConsoleRig> {
  const board = await makeBoard();
  const shared = new SharedSession({
    open: async () => {
      const session = new Session(board.transport, { commandTimeoutMs: 5000 });
      await session.open();
      return session;
    },
  });
  const use = async () => {
    const session = await shared.link();
    await awaitRuntime(session, { attempts: 20, timeoutMs: 3000 });
    return session;
  };
  let output = '';
  const console = new BoardConsole({ label: 'the test board', link: () => shared.link(), onSession: (l) => shared.onSession(l) }, (text) => (output += text));
  const screen = () => plainText(output);
  return {
    board,
    shared,
    console,
    use,
    screen,
    waitFor: async (pattern, ms, from = 0) => {
      await waitUntil(() => pattern.test(screen().slice(from)), ms, `the console to show ${pattern}; it shows:\n${screen().slice(from).slice(-1500)}`).catch((error: Error) => {
        throw new Error(`${error.message}\n--- console:\n${screen().slice(from).slice(-1500)}`);
      });
      return screen().slice(from);
    },
    dispose: async () => {
      console.close();
      await shared.close();
      await board.dispose();
    },
  };
}

export function consoleContract(makeBoard: () => Promise<ContractBoard>, options: ContractOptions): void {
  let rig: ConsoleRig;

  beforeEach(async function () {
    this.timeout(options.timeoutMs);
    rig = await consoleRig(makeBoard);
    await rig.console.open();
  });

  afterEach(async function () {
    this.timeout(options.timeoutMs);
    await rig.dispose();
  });

  it('shows the host traffic readably; a keystroke takes the board back (bye); the next use says hello again', async function () {
    this.timeout(options.timeoutMs);
    const session = await rig.use();
    assert.equal(session.hostModeActive, true);
    await session.load(rig.board.modelFile);
    const generation = await session.generate({ prompt: 'a', max_tokens: 4, seed: 1, temperature: 0.8 });
    const result = await generation.result;
    assert.equal(result.state, 'done');
    const shown = await rig.waitFor(/← \[\d+ tokens, [\d.]+ tok\/s, \w+\]/, 5000);
    assert.match(shown, /→ hello\r\n/);
    assert.match(shown, /← ready: picoformer \S+ on \w+ \S+, [\d.]+ KB free \(host mode\)\r\n/);
    assert.match(shown, new RegExp(`→ load ${rig.board.modelFile.replace(/\./g, '\\.')}\\r\\n`));
    assert.match(shown, /← loaded .+ KB free\r\n/);
    assert.match(shown, /→ generate "a" 4 tokens seed 1\r\n(.*\r\n)?← generating \(/); // a load's late heap line may come between
    assert.ok(shown.includes(`:\r\n${result.text}\r\n← [`), `the generated text reads as text: ${JSON.stringify(result.text)} in\n${shown}`);
    assert.ok(!shown.includes('@pf'), 'no raw event or command line reaches the terminal');

    const before = rig.screen().length;
    rig.console.handleInput('/help\r');
    await rig.console.settled();
    assert.equal(session.hostModeActive, false);
    const handed = await rig.waitFor(/Human mode/, 5000, before);
    assert.match(handed, /→ bye\r\n/);
    assert.match(handed, /\[The board is yours/);

    const again = await rig.use();
    assert.equal(again, session, 'the same session');
    assert.equal(again.hostModeActive, true);
    assert.match(await rig.waitFor(/→ hello/, 5000, before), /→ hello/);
    const models = await again.list();
    assert.ok(models.models.some((m) => m.file === rig.board.modelFile));
  });

  it('Ctrl-C typed during the extension\'s generation stops that generation; the runtime carries on', async function () {
    this.timeout(options.timeoutMs);
    const session = await rig.use();
    await session.load(rig.board.modelFile);
    const generation = await session.generate({ prompt: 'a', max_tokens: 2000 });
    await new Promise<void>((resolve) => generation.onUpdate((u) => u.type === 'token' && resolve()));
    rig.console.handleInput('\x03');
    await rig.console.settled();
    assert.equal((await generation.result).reason, 'stopped');
    const again = await rig.use();
    assert.equal((await again.info()).runtime, 'picoformer', 'the runtime still answers: the Ctrl-C did not end it');
  });
}
