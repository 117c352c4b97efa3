// The extension activates and registers exactly the commands its manifest contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, manifestCommands } from './support';

/** Defines the suite; called once mocha's BDD globals exist (see index.ts). */
export function activationTests(): void {
  describe('Picoformer activation', () => {
    it('activates and returns its API', async () => {
      const ext = await activeExtension();
      assert.equal(ext.isActive, true);
      assert.ok(Array.isArray(ext.exports?.commandIds), 'activate() should return { commandIds }');
    });

    it('does not activate on every startup ("*")', async () => {
      const ext = await activeExtension();
      const events = (ext.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
      assert.ok(!events.includes('*'), `activationEvents contains "*": ${JSON.stringify(events)}`);
    });

    it('registers every command contributed in package.json', async () => {
      const ext = await activeExtension();
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = manifestCommands(ext)
        .map((c) => c.command)
        .filter((id) => !registered.has(id));
      assert.deepEqual(missing, [], `contributed in package.json but not registered: ${missing.join(', ')}`);
    });

    it('contributes every command it registers', async () => {
      const ext = await activeExtension();
      const contributed = new Set(manifestCommands(ext).map((c) => c.command));
      const extra = ext.exports.commandIds.filter((id) => !contributed.has(id));
      assert.deepEqual(extra, [], `registered but missing from package.json: ${extra.join(', ')}`);
    });

    it('its menus name only contributed commands; the Explorer offers model commands on .safetensors files and Train on .txt', async () => {
      const ext = await activeExtension();
      const contributed = new Set(manifestCommands(ext).map((c) => c.command));
      const menus = (ext.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus;
      const unknown = Object.entries(menus).flatMap(([menu, items]) => items.filter((i) => !contributed.has(i.command)).map((i) => `${menu}: ${i.command}`));
      assert.deepEqual(unknown, []);
      const explorer = menus['explorer/context'] ?? [];
      const on = (extension: string): string[] => explorer.filter((i) => i.when?.includes(`resourceExtname == ${extension}`)).map((i) => i.command);
      assert.deepEqual(on('.safetensors'), ['picoformer.deployModel', 'picoformer.estimateMemory', 'picoformer.openStudio', 'picoformer.quantizeModel']);
      assert.deepEqual(on('.txt'), ['picoformer.trainModel']);
    });

    it('puts every command in the "Picoformer" category', async () => {
      const ext = await activeExtension();
      const stray = manifestCommands(ext).filter((c) => c.category !== 'Picoformer').map((c) => c.command);
      assert.deepEqual(stray, []);
    });
  });
}
