// Device basics in the real extension host (issue 11): the serial console's terminal and the connection state,
// Reset Board on the virtual Pico, Install CircuitPython…, Delete from Board… on the Board Files view's rows, and
// the lazily loaded serialport (not loaded by activation itself).
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readDeployedState } from '../../src/device/deploy/deployedState';
import type { PicoformerApi } from '../../src/extension';
import { Commands } from '../../src/ids';
import { eventually, picoformer, sampleModel, tempDir } from './picoformer';
import { executeAndDismiss } from './support';

/** Defines the suite; called once mocha's BDD globals exist (see index.ts). */
export function deviceBasicsTests(): void {
  describe('Picoformer device basics', () => {
    let api: PicoformerApi;
    let extensionPath: string;

    before(async () => {
      ({ api, extensionPath } = await picoformer());
      if (!existsSync(join(extensionPath, 'dist', 'sim-worker.js'))) process.env.PICOFORMER_SIM_WORKER ??= join(extensionPath, 'src', 'sim', 'worker.ts');
    });
    after(async () => {
      for (const t of vscode.window.terminals.filter((t) => t.name.startsWith('Pico console'))) t.dispose();
      await vscode.commands.executeCommand(Commands.stopVirtualPico);
    });

    it('Install CircuitPython… gives the Pico\'s download page and the drag-and-drop step', async () => {
      const result = (await executeAndDismiss(Commands.installCircuitPython)) as { url: string; steps: string[] };
      assert.equal(result.url, 'https://circuitpython.org/board/raspberry_pi_pico/');
      assert.ok(result.steps.some((s) => /BOOTSEL/.test(s)));
      assert.ok(result.steps.some((s) => /Drag the \.uf2 onto the RPI-RP2 drive/.test(s)));
    });

    it('Open Serial Console opens a terminal on the virtual Pico and connects; Reset Board soft-reloads it and says whether the runtime starts', async function () {
      this.timeout(90_000);
      await vscode.commands.executeCommand(Commands.startVirtualPico);
      const opened = (await vscode.commands.executeCommand(Commands.openConsole, 'virtual')) as { name: string };
      assert.equal(opened.name, 'Pico console: Virtual Pico');
      assert.ok(vscode.window.terminals.some((t) => t.name === opened.name));
      const again = (await vscode.commands.executeCommand(Commands.openConsole, 'virtual')) as { name: string };
      assert.equal(vscode.window.terminals.filter((t) => t.name === again.name).length, 1, 'a second open shows the same terminal');
      await eventually(() => (api.services.targets.connectionState === 'connected' ? true : undefined), 'the console connected (the board chosen, its session open)', 30_000);
      assert.equal(api.services.targets.spec?.kind, 'virtual');
      const reset = (await vscode.commands.executeCommand(Commands.resetBoard, 'virtual')) as { reset?: boolean; runtime?: string; error?: string };
      assert.equal(reset.reset, true, JSON.stringify(reset));
      // It says the runtime starts again only when the drive holds it (a board with nothing deployed runs nothing).
      const drive = api.services.targets.drivePath;
      assert.ok(drive, 'the virtual Pico\'s drive');
      assert.equal(reset.runtime, readDeployedState(drive)?.runtime ? 'starting' : 'missing');
      // Without code.py nothing starts: the reset says so (and offers Deploy Runtime) instead of "starting again".
      const codePy = join(drive, 'code.py');
      const kept = existsSync(codePy) ? readFileSync(codePy) : undefined;
      rmSync(codePy, { force: true });
      try {
        const bare = (await vscode.commands.executeCommand(Commands.resetBoard, 'virtual')) as { reset?: boolean; runtime?: string };
        assert.deepEqual([bare.reset, bare.runtime], [true, 'missing']);
        await vscode.commands.executeCommand('notifications.clearAll');
      } finally {
        if (kept) writeFileSync(codePy, kept);
      }
    });

    it('Delete from Board… deletes a file and a folder on a drive; a model in /models moves the default', async () => {
      const drive = tempDir('drive');
      try {
        mkdirSync(join(drive.path, 'models'));
        mkdirSync(join(drive.path, 'lib', 'x'), { recursive: true });
        writeFileSync(join(drive.path, 'notes.txt'), 'x');
        writeFileSync(join(drive.path, 'lib', 'x', 'a.py'), 'a = 1\n');
        const model = readFileSync(sampleModel('story-1k'));
        writeFileSync(join(drive.path, 'models', 'a.safetensors'), model);
        writeFileSync(join(drive.path, 'models', 'b.safetensors'), model);
        writeFileSync(join(drive.path, 'picoformer.json'), '{"model": "/models/a.safetensors"}');
        const file = (await vscode.commands.executeCommand(Commands.deleteBoardFile, { drivePath: drive.path, target: 'notes.txt', confirm: false })) as { files: string[] };
        assert.deepEqual(file.files, ['notes.txt']);
        const folder = (await vscode.commands.executeCommand(Commands.deleteBoardFile, { drivePath: drive.path, target: 'lib', confirm: false })) as { folders: string[] };
        assert.deepEqual(folder.folders, ['lib/x', 'lib']);
        assert.equal(existsSync(join(drive.path, 'lib')), false);
        const defaultModel = (await vscode.commands.executeCommand(Commands.deleteBoardFile, { drivePath: drive.path, target: 'models/a.safetensors', confirm: false })) as { defaultModel?: string };
        assert.equal(defaultModel.defaultModel, 'b.safetensors');
        const outside = (await vscode.commands.executeCommand(Commands.deleteBoardFile, { drivePath: drive.path, target: '../etc', confirm: false })) as { error?: string };
        assert.match(String(outside.error), /not a path on the board/);
      } finally {
        drive.remove();
      }
    });
  });
}
