// The session contract (test/unit/serial/support/sessionContract.ts) against the virtual Pico running the real
// board runtime (board/), exactly as it passes against the transcript board; plus what only a real runtime shows.

import assert from 'node:assert/strict';
import { Session, RuntimeCommandError } from '../../src/device/serial/session';
import { VirtualPico } from '../../src/sim/virtualPico';
import { type ConsoleRig, consoleContract, consoleRig } from '../unit/serial/support/consoleContract';
import { type ContractBoard, sessionContract, waitUntil } from '../unit/serial/support/sessionContract';
import { SIM_MODEL, removeDrive, runtimeDrive, tinyModelBytes, writeDriveFile } from './support';
import { configForTarget, randomModel } from '../../src/model/random';
import { writeModel } from '../../src/model/modelFile';

/** Waits for the runtime's first ready event (it prints one on every start). */
async function runtimeStarted(session: Session, ms: number): Promise<void> {
  if (session.runtime) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the runtime did not start')), ms);
    const sub = session.onEvent((e) => {
      if (e.ev === 'ready') {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

async function virtualBoard(): Promise<ContractBoard> {
  const drive = runtimeDrive();
  const pico = new VirtualPico({ driveDir: drive, autoReload: false });
  return {
    transport: pico.transport(),
    modelFile: SIM_MODEL,
    waitForRuntime: (session) => runtimeStarted(session, 20_000),
    unplug: () => pico.stop(),
    replug: () => pico.start(),
    dispose: async () => {
      await pico.stop();
      removeDrive(drive);
    },
  };
}

describe('Session on the virtual Pico (board runtime)', function () {
  this.timeout(60_000);

  describe('contract', () => {
    sessionContract(virtualBoard, { timeoutMs: 60_000 });
  });

  describe('serial console hand-over', () => {
    consoleContract(virtualBoard, { timeoutMs: 60_000 });
  });

  describe('serial console: a person at the terminal', () => {
    let rig: ConsoleRig;

    beforeEach(async () => {
      rig = await consoleRig(virtualBoard);
      await rig.console.open();
      await rig.waitFor(/← ready: picoformer/, 30_000); // the runtime's start-up, human mode
    });

    afterEach(async () => rig.dispose());

    it('human mode: a slash command is echoed and answered in text', async () => {
      const from = rig.screen().length;
      rig.console.handleInput('/help\r');
      const shown = await rig.waitFor(/\/load NAME/, 10_000, from);
      assert.match(shown, /^\/help\r\n/m);
    });

    it('Ctrl-C while idle: one line, no traceback, the REPL offered; Ctrl-D starts the runtime again', async () => {
      await rig.waitFor(/Type a prompt/, 20_000); // the default model loaded: the runtime is idle
      const from = rig.screen().length;
      rig.console.handleInput('\x03');
      const stopped = await rig.waitFor(/Press any key to enter the REPL/, 10_000, from);
      assert.match(stopped, /Picoformer stopped; Ctrl-D restarts it\r\n/);
      assert.match(stopped, /Code done running\./);
      assert.doesNotMatch(stopped, /Traceback|KeyboardInterrupt/);
      const restart = rig.screen().length;
      rig.console.handleInput('\x04');
      await rig.waitFor(/← ready: picoformer/, 20_000, restart);
      const session = await rig.use();
      assert.equal((await session.info()).runtime, 'picoformer');
    });
  });

  describe('runtime specifics', () => {
    let drive: string;
    let pico: VirtualPico;
    let session: Session;

    afterEach(async () => {
      await session?.close().catch(() => undefined);
      await pico?.stop();
      if (drive) removeDrive(drive);
    });

    async function start(heapBudget?: number, files: Record<string, Uint8Array> = {}): Promise<void> {
      drive = runtimeDrive();
      for (const [path, bytes] of Object.entries(files)) writeDriveFile(drive, path, bytes);
      pico = new VirtualPico({ driveDir: drive, ...(heapBudget ? { heapBudget } : {}) });
      session = new Session(pico.transport());
      await session.open();
      await runtimeStarted(session, 20_000);
      await session.hello();
    }

    it('reports the heap budget as the runtime\'s heap limit', async () => {
      await start(100_000);
      const info = await session.info();
      assert.equal(info.heap_limit, 100_000);
      assert.ok(info.mem_free <= 100_000);
    });

    it('refuses a model that does not fit the budget, as the board would', async () => {
      // ~250K float parameters: 1 MB of weights against a 140 KB heap; even streamed it cannot fit.
      const big = writeModel(randomModel(configForTarget(250_000, { context_length: 128 }), 3));
      await start(undefined, { 'models/big-f32.safetensors': big });
      assert.ok((await session.list()).models.some((m) => m.file === 'big-f32.safetensors'));
      await assert.rejects(session.load('big-f32.safetensors'), (err: unknown) => err instanceof RuntimeCommandError && ['too_big', 'out_of_memory'].includes(err.code));
      // The runtime carries on with the model that fits.
      await session.load(SIM_MODEL);
      assert.equal((await (await session.generate({ prompt: 'a', max_tokens: 3 })).result).state, 'done');
    });

    it('restarts the runtime when a file on the drive changes, and the session follows', async () => {
      await start();
      const readies: boolean[] = [];
      session.onEvent((e) => e.ev === 'ready' && readies.push(e.host));
      writeDriveFile(drive, 'models/second.safetensors', tinyModelBytes(9));
      await waitUntil(() => readies.includes(false) && readies[readies.length - 1] === true, 20_000, 'restart and hello');
      const models = await session.list();
      assert.ok(models.models.some((m) => m.file === 'second.safetensors'));
    });
  });
});
