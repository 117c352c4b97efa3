// What loading the extension's bundle evaluates: every module reachable from src/extension.ts through static
// imports and require calls runs when VS Code loads dist/extension.js, before activate() returns. serialport (a
// native addon, 25-38 ms and 17 MB) must not be among them: it is imported when a port is first used.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(__dirname, '..', '..', '..');

/** Inputs reachable from `entry` without crossing a dynamic import(). */
function staticallyLoaded(metafile: esbuild.Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of metafile.inputs[file]?.imports ?? []) {
      if (!edge.external && edge.kind !== 'dynamic-import') queue.push(edge.path);
    }
  }
  return seen;
}

describe('extension bundle: what activation loads', function () {
  this.timeout(60_000);

  it('does not load serialport (imported lazily, when a port is first used)', async () => {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ['src/extension.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const all = Object.keys(result.metafile.inputs);
    assert.ok(all.some((f) => f.includes('node_modules/serialport/')), 'serialport is in the bundle (loaded lazily)');
    const loaded = [...staticallyLoaded(result.metafile, 'src/extension.ts')];
    assert.ok(loaded.includes('src/device/serial/serialTransport.ts'), 'the walk reaches the serial transport');
    const serial = loaded.filter((f) => /node_modules\/(serialport|@serialport)\//.test(f));
    assert.deepEqual(serial, [], 'modules of serialport that loading the extension evaluates');
  });
});
