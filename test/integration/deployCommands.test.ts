// Deploy Model / Deploy Runtime / Delete from Board against a temporary folder playing a CIRCUITPY drive, and the
// Models view's board node listing what is on it.
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CommandFailure } from '../../src/commands/register';
import type { PicoformerApi } from '../../src/extension';
import { Commands } from '../../src/ids';
import { readModelHeaderFile } from '../../src/model/modelIo';
import { summarize } from '../../src/model/summary';
import type { BoardModelsItem, ModelItem } from '../../src/views/modelsView';
import { eventually, picoformer, resetSetting, sampleModel, sharedDir, tempDir } from './picoformer';

interface Deployed {
  deployed?: boolean;
  fileName: string;
  zone: string;
  written: string[];
  unchanged: string[];
  error?: string;
  code?: string;
}

/** Defines the suite; called once mocha's BDD globals exist (see index.ts). */
export function deployCommandTests(): void {
  describe('Picoformer deploy', () => {
    let api: PicoformerApi;
    let extensionPath: string;
    const drive = tempDir('drive');
    const deploy = (model: string, options: object) =>
      vscode.commands.executeCommand(Commands.deployModel, sampleModel(model), { drivePath: drive.path, interactive: false, ...options }) as Thenable<Deployed>;

    before(async () => {
      ({ api, extensionPath } = await picoformer());
    });
    after(async () => {
      drive.remove();
      await resetSetting('drivePath');
    });

    it('deploys a float model as int8 with the runtime, models first and code.py last, and verifies', async () => {
      const result = await deploy('random-1k', { dtype: 'I8' });
      assert.equal(result.deployed, true, JSON.stringify(result));
      assert.equal(result.fileName, 'random-1k-int8.safetensors');
      assert.equal(result.written[0], 'models/random-1k-int8.safetensors');
      assert.equal(result.written[result.written.length - 1], 'code.py');
      const model = join(drive.path, 'models', result.fileName);
      assert.equal(summarize(await readModelHeaderFile(model)).weights, 'I8');
      const board = join(extensionPath, 'board');
      assert.deepEqual(readFileSync(join(drive.path, 'code.py')), readFileSync(join(board, 'code.py')));
      for (const name of readdirSync(join(board, 'lib', 'picoformer')).filter((n) => n.endsWith('.py'))) {
        assert.deepEqual(readFileSync(join(drive.path, 'lib', 'picoformer', name)), readFileSync(join(board, 'lib', 'picoformer', name)), name);
      }
      assert.ok(statSync(model).mtimeMs <= statSync(join(drive.path, 'code.py')).mtimeMs, 'the model is written before code.py');
      assert.deepEqual(JSON.parse(readFileSync(join(drive.path, 'picoformer.json'), 'utf8')), { model: '/models/random-1k-int8.safetensors' });
      assert.deepEqual(readdirSync(drive.path).filter((n) => n.startsWith('.pf-tmp')), [], 'no temporary files left');
    });

    it('skips unchanged files on a second deploy', async () => {
      const result = await deploy('random-1k', { dtype: 'I8' });
      assert.deepEqual(result.written, []);
      assert.ok(result.unchanged.includes('code.py') && result.unchanged.includes('models/random-1k-int8.safetensors'));
    });

    it('deploys a danger-zone model when told not to ask, and refuses one that cannot fit', async () => {
      const danger = await deploy('random-30k', { runtime: false });
      assert.deepEqual([danger.deployed, danger.zone], [true, 'danger']);
      const refused = await deploy('random-100k', { runtime: false });
      assert.equal(refused.code, 'does-not-fit');
      assert.match(String(refused.error), /random-100k\.safetensors does not fit on Raspberry Pi Pico/);
      assert.ok(!existsSync(join(drive.path, 'models', 'random-100k.safetensors')), 'nothing written for a refused model');
    });

    it('lists the models on the board under its node in the Models view', async () => {
      await vscode.workspace.getConfiguration('picoformer').update('drivePath', drive.path, vscode.ConfigurationTarget.Workspace);
      const node = await eventually(async () => {
        const roots = await api.views.models.getChildren();
        // The tree items come from the extension's bundle, not this one: match on their data, not their class.
        return roots.find((r): r is BoardModelsItem => String(r.contextValue).startsWith('boardModels') && (r as BoardModelsItem).drivePath === drive.path);
      }, 'the board node for the temporary drive', 20_000);
      const rows = (await api.views.models.getChildren(node)) as ModelItem[];
      assert.deepEqual(rows.map((r) => r.board?.fileName).sort(), ['random-1k-int8.safetensors', 'random-30k.safetensors']);
      const def = rows.find((r) => r.board?.isDefault);
      assert.equal(def?.board?.fileName, 'random-30k.safetensors', 'the last deployed model is the default');
      assert.match(String(def?.label), /^(Safe|Test on the board|Danger|Does not fit) · default · random-30k$/, 'its zone, then default, then its name');
      assert.ok(!rows.some((r) => r !== def && /default/.test(`${String(r.label)} ${String(r.description)}`)), 'only the default says so');
      assert.equal(def?.contextValue, 'boardModel');
    });

    it('deletes a model from the board and names another default', async () => {
      const result = (await vscode.commands.executeCommand(Commands.deleteBoardModel, { drivePath: drive.path, fileName: 'random-30k.safetensors', confirm: false })) as {
        removed: string[];
        defaultModel?: string;
      };
      assert.deepEqual(result.removed, ['random-30k.safetensors']);
      assert.equal(result.defaultModel, 'random-1k-int8.safetensors');
      assert.ok(!existsSync(join(drive.path, 'models', 'random-30k.safetensors')));
      const missing = (await vscode.commands.executeCommand(Commands.deleteBoardModel, {})) as { error?: string };
      assert.match(String(missing.error), /model listed under a board/);
    });

    it('deploys a legacy trio converted on the way (int8 by default)', async () => {
      const source = tempDir('legacy');
      const legacyDrive = tempDir('legacy-drive');
      try {
        // The importer takes the model's family from the trio's folder name.
        const trio = join(source.path, 'story-1k-balanced');
        cpSync(join(sharedDir(extensionPath), 'anchors', 'tiny-transformers-rp2040', 'v5', 'story-1k-balanced'), trio, { recursive: true });
        const result = (await vscode.commands.executeCommand(Commands.deployModel, join(trio, 'config_1280p.json'), { drivePath: legacyDrive.path, interactive: false, dtype: 'I8', runtime: false })) as Deployed;
        assert.equal(result.deployed, true, JSON.stringify(result));
        assert.match(result.fileName, /^story-1\.?\d*k-int8\.safetensors$/);
        const header = await readModelHeaderFile(join(legacyDrive.path, 'models', result.fileName));
        assert.deepEqual([summarize(header).weights, header.config.norm, header.config.tokenizer], ['I8', 'layernorm', 'longest_match']);
      } finally {
        source.remove();
        legacyDrive.remove();
      }
    });

    it('Deploy Runtime writes code.py and lib/picoformer to a fresh drive', async () => {
      const fresh = tempDir('runtime');
      try {
        const result = (await vscode.commands.executeCommand(Commands.deployRuntime, { drivePath: fresh.path })) as { written: string[] };
        assert.ok(result.written.includes('code.py') && result.written.some((t) => t.startsWith('lib/picoformer/')), JSON.stringify(result.written));
        assert.ok(!existsSync(join(fresh.path, 'picoformer.json')), 'a runtime-only deploy leaves the settings alone');
        const vanished = (await vscode.commands.executeCommand(Commands.deployRuntime, { drivePath: join(fresh.path, 'missing') })) as CommandFailure;
        assert.equal(vanished.code, 'drive-vanished');
        assert.equal(vanished.actions, undefined, 'a drive the caller named: no setting to open');
        // The same drive from the picoformer.drivePath setting: the error offers to open that setting.
        await vscode.workspace.getConfiguration('picoformer').update('drivePath', join(fresh.path, 'missing'), vscode.ConfigurationTarget.Workspace);
        const fromSetting = (await vscode.commands.executeCommand(Commands.deployRuntime)) as CommandFailure;
        assert.equal(fromSetting.code, 'drive-vanished');
        assert.match(fromSetting.error, /The drive comes from the picoformer\.drivePath setting\.$/);
        assert.deepEqual(fromSetting.actions, ['Open settings']);
      } finally {
        await resetSetting('drivePath');
        fresh.remove();
      }
    });
  });
}
