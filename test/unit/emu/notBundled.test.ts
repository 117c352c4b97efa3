// The emulated Pico is a test tool: the extension's and the CLI's bundles must never reach src/emu or rp2040js
// (scripts/package.mjs also checks the packaged .vsix).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..', '..');

describe('emu: not in the product', function () {
  this.timeout(60_000);
  for (const entry of ['src/extension.ts', 'src/cli.ts', 'src/sim/worker.ts']) {
    it(`${entry} does not import src/emu or rp2040js`, async () => {
      const result = await build({ entryPoints: [join(root, entry)], bundle: true, write: false, metafile: true, platform: 'node', external: ['vscode'], logLevel: 'silent', absWorkingDir: root });
      const inputs = Object.keys(result.metafile.inputs);
      assert.ok(inputs.includes(entry), 'the metafile lists the inputs');
      assert.deepEqual(inputs.filter((p) => p.startsWith('src/emu/') || p.includes('node_modules/rp2040js/')), []);
    });
  }
});
