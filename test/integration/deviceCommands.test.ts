// The Devices view, Refresh Devices, Select Serial Port and the virtual Pico in the real extension host (which has
// no board attached: the view leaves the welcome text to say what to try, or lists the running virtual Pico).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PicoformerApi } from '../../src/extension';
import { Commands } from '../../src/ids';
import type { DeviceItem, FindingItem } from '../../src/views/devicesView';
import { eventually, picoformer, resetSetting, sampleModel } from './picoformer';
import { executeAndDismiss } from './support';

/** Defines the suite; called once mocha's BDD globals exist (see index.ts). */
export function deviceCommandTests(): void {
  describe('Picoformer devices', () => {
    let api: PicoformerApi;
    let extensionPath: string;

    before(async () => {
      ({ api, extensionPath } = await picoformer());
    });
    after(async () => {
      await vscode.commands.executeCommand(Commands.stopVirtualPico);
      await resetSetting('serialPort');
    });

    it('starts the virtual Pico on open where the workspace asks (the sample workspace does, for npm start)', async function () {
      this.timeout(60_000);
      assert.equal(vscode.workspace.getConfiguration('picoformer').get('virtualPico.startOnOpen'), true);
      await eventually(async () => api.services.virtualPico.machine, 'the virtual Pico to start on open');
      const stopped = (await vscode.commands.executeCommand(Commands.stopVirtualPico)) as { wasRunning: boolean };
      assert.equal(stopped.wasRunning, true);
    });

    it('Deploy Model to the stopped virtual Pico: written to its drive, and the message says the board is stopped', async () => {
      assert.equal(api.services.virtualPico.machine, undefined, 'stopped by the test before');
      const options = { drivePath: api.services.virtualPico.ensureDrive(), interactive: false, dtype: 'I8' };
      const result = (await vscode.commands.executeCommand(Commands.deployModel, sampleModel('random-1k'), options)) as { deployed?: boolean; message?: string };
      assert.equal(result.deployed, true, JSON.stringify(result));
      assert.match(result.message ?? '', /^Deployed random-1k-int8\.safetensors to the virtual Pico’s drive and verified it \(.*\)\. The virtual Pico is stopped: start it to run the model\.$/);
    });

    it('Refresh Devices scans and reports what it found', async () => {
      const result = (await vscode.commands.executeCommand(Commands.refreshDevices)) as { boards: number; virtual: number; findings: string[] };
      assert.equal(result.virtual, 1, "the virtual Pico's drive is always listed");
      if (result.boards === 0) assert.ok(result.findings.length > 0, 'with no board, the diagnosis says why');
    });

    it('without a board: the welcome text while the virtual Pico is stopped; running, its row and a quiet "No physical board"', async function () {
      this.timeout(60_000);
      if (!existsSync(join(extensionPath, 'dist', 'sim-worker.js'))) process.env.PICOFORMER_SIM_WORKER ??= join(extensionPath, 'src', 'sim', 'worker.ts');
      const roots = await api.views.devices.getChildren();
      const real = roots.filter((r) => String(r.contextValue).startsWith('device'));
      if (real.length > 0) this.skip(); // a board is plugged into this machine
      const onlyNothing = api.services.devices.findings().every((f) => ['nothing-found', 'no-usb-device'].includes(f.code) || f.severity === 'info');
      if (onlyNothing) assert.deepEqual(roots.map((r) => r.label), [], 'an empty view: its welcome text says what to try');
      await vscode.commands.executeCommand(Commands.startVirtualPico);
      const running = await eventually(async () => {
        const rows = await api.views.devices.getChildren();
        return rows.some((r) => /^virtualPico\.running\b/.test(String(r.contextValue))) ? rows : undefined;
      }, 'the running virtual Pico listed');
      // Tree items come from the extension's bundle, not this one: match on their data, not their class.
      const virtual = running.find((r): r is DeviceItem => r.label === 'Virtual Pico') as DeviceItem;
      assert.doesNotMatch(String((virtual.tooltip as vscode.MarkdownString).value), /cable|dialout/);
      const details = await api.views.devices.getChildren(virtual);
      assert.ok(details.some((d) => d.label === 'Drive folder'), 'its drive folder is among its details');
      const finding = running.find((r): r is FindingItem => String(r.contextValue).startsWith('finding.'));
      if (finding && ['finding.nothing-found', 'finding.no-usb-device'].includes(String(finding.contextValue))) {
        assert.equal(finding.label, 'No physical board');
        assert.equal((finding.iconPath as vscode.ThemeIcon).id, 'info');
        const hint = await api.views.devices.getChildren(finding);
        assert.equal(hint[0]?.label, 'What to try');
        assert.ok(String(hint[0]?.description).length > 20);
      }
      await vscode.commands.executeCommand(Commands.stopVirtualPico);
    });

    it('Select Serial Port saves a typed path, and "auto" clears it', async () => {
      await vscode.commands.executeCommand(Commands.selectSerialPort, '/dev/ttyPICO9');
      assert.equal(vscode.workspace.getConfiguration('picoformer').get('serialPort'), '/dev/ttyPICO9');
      await vscode.commands.executeCommand(Commands.selectSerialPort, 'auto');
      assert.equal(vscode.workspace.getConfiguration('picoformer').get('serialPort'), '');
      assert.equal(await executeAndDismiss(Commands.selectSerialPort), undefined, 'the pick list, closed, changes nothing');
    });

    it('starts and stops the virtual Pico, and the Devices view follows', async function () {
      // The bundled extension looks for dist/sim-worker.js; in a development checkout the TypeScript worker works too.
      if (!existsSync(join(extensionPath, 'dist', 'sim-worker.js'))) process.env.PICOFORMER_SIM_WORKER ??= join(extensionPath, 'src', 'sim', 'worker.ts');
      this.timeout(60_000);
      const started = (await vscode.commands.executeCommand(Commands.startVirtualPico)) as { running?: boolean; error?: string; driveDir: string };
      assert.equal(started.running, true, JSON.stringify(started));
      assert.ok(existsSync(join(started.driveDir, 'boot_out.txt')));
      const row = await eventually(async () => {
        const roots = await api.views.devices.getChildren();
        return roots.find((r) => /^virtualPico\.running\b/.test(String(r.contextValue)));
      }, 'the virtual Pico row to say running');
      assert.match(String(row.description), /running/);
      const stopped = (await vscode.commands.executeCommand(Commands.stopVirtualPico)) as { wasRunning: boolean };
      assert.equal(stopped.wasRunning, true);
      assert.equal(api.services.virtualPico.machine, undefined);
    });
  });
}
