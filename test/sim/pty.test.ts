// The virtual Pico behind a pseudo-terminal (socat), reached through the real serialport binding: the path a user's
// terminal (screen, tio) or the extension's SerialTransport takes. Skipped, saying why, when socat is missing.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialTransport } from '../../src/device/serial/serialTransport';
import type { Session } from '../../src/device/serial/session';
import { PtyBridge, PtyBridgeError } from '../../src/sim/ptyBridge';
import { VirtualPico } from '../../src/sim/virtualPico';
import { consoleContract } from '../unit/serial/support/consoleContract';
import { type ContractBoard, sessionContract } from '../unit/serial/support/sessionContract';
import { SIM_MODEL, removeDrive, runtimeDrive } from './support';

const socat = spawnSync('socat', ['-V'], { encoding: 'utf8' });
const haveSocat = !socat.error && socat.status === 0;

async function ptyBoard(): Promise<ContractBoard> {
  const drive = runtimeDrive();
  const dir = mkdtempSync(join(tmpdir(), 'vpico-pty-'));
  const pico = new VirtualPico({ driveDir: drive, autoReload: false });
  const bridge = new PtyBridge(pico, { linkPath: join(dir, 'ttyVPICO') });
  await pico.start();
  const path = await bridge.start();
  const transport = new SerialTransport({ path, backoff: { initialMs: 50, maxMs: 200 } });
  return {
    transport,
    modelFile: SIM_MODEL,
    // The runtime may have printed ready before the port opened: ask until it answers.
    waitForRuntime: async (session: Session) => {
      for (let i = 0; i < 40; i++) {
        try {
          await session.hello(1000);
          return;
        } catch {
          // still booting
        }
      }
      throw new Error('the runtime did not answer over the pty');
    },
    // Pulling the cable powers the board off: the pty goes away and the machine stops.
    unplug: async () => {
      await bridge.stop();
      await pico.stop();
    },
    replug: async () => {
      await pico.start();
      await bridge.start();
    },
    dispose: async () => {
      await transport.close();
      await bridge.stop();
      await pico.stop();
      removeDrive(drive);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('virtual Pico over a socat pty and the real serialport binding', function () {
  this.timeout(60_000);

  before(function () {
    if (!haveSocat) {
      console.log('      (skipped: socat is not installed; apt-get install socat to run these tests)');
      this.skip();
    }
  });

  describe('contract', () => {
    sessionContract(ptyBoard, { timeoutMs: 60_000 });
  });

  describe('serial console hand-over', () => {
    consoleContract(ptyBoard, { timeoutMs: 60_000 });
  });

  it('a terminal sees the console in human mode', async () => {
    const board = await ptyBoard();
    const received: string[] = [];
    board.transport.onData((b) => received.push(Buffer.from(b).toString()));
    try {
      await board.transport.open();
      await board.transport.write('/help\r');
      const until = Date.now() + 20_000;
      while (!received.join('').includes('/load') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      assert.match(received.join(''), /\/load/);
    } finally {
      await board.dispose();
    }
  });

  it('says clearly when socat is missing', async () => {
    const drive = runtimeDrive();
    const pico = new VirtualPico({ driveDir: drive });
    try {
      const bridge = new PtyBridge(pico, { socatPath: '/nonexistent/socat', linkPath: join(tmpdir(), `vpico-missing-${process.pid}`) });
      await assert.rejects(bridge.start(), (err: unknown) => err instanceof PtyBridgeError && /socat is not installed/.test(err.message));
    } finally {
      await pico.stop();
      removeDrive(drive);
    }
  });
});
