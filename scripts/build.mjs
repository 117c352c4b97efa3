// Bundles the extension (Node, CommonJS), the CLI, the webview front-end (browser) and the integration tests, and
// precompiles the board runtime to .mpy (dist/board-mpy, scripts/mpyCross.mjs).
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BYTECODE_DIR, buildRuntimeBytecode } from './mpyCross.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const nodeCommon = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // `vscode` is provided by the editor. serialport's native binding is loaded by node-gyp-build from files on disk
  // (see copyNativeBinding), so the JS that loads it is bundled but the .node files are not.
  external: ['vscode'],
};

/** node-gyp-build, bundled into dist/*.js, looks for `<__dirname>/../prebuilds/<platform>-<arch>/*.node`. */
function copyNativeBinding() {
  const from = join(root, 'node_modules/@serialport/bindings-cpp/prebuilds');
  const to = join(root, 'prebuilds');
  if (!existsSync(from)) throw new Error('serialport prebuilds not found: run npm ci');
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true });
}

/** The virtual Pico's MicroPython (WebAssembly) is loaded at run time from dist/micropython/ (src/sim/locate.ts). */
function copyMicroPython() {
  const from = join(root, 'node_modules/@micropython/micropython-webassembly-pyscript');
  const to = join(root, 'dist/micropython');
  if (!existsSync(from)) throw new Error('MicroPython for WebAssembly not found: run npm ci');
  mkdirSync(to, { recursive: true });
  for (const file of ['micropython.mjs', 'micropython.wasm']) cpSync(join(from, file), join(to, file));
}

/** The sample workspace (npm start, the e2e and integration suites) shows the trained models of models/: copied
 *  here rather than committed twice (samples/workspace/.gitignore); a file already the same is left alone, so a
 *  running extension does not see it change. A copy whose sample is gone from models/ (renamed or retired) is
 *  removed, or the Models view would list it; the folder's own random-*.safetensors are committed and stay. */
function copySampleModels() {
  const from = join(root, 'models');
  const to = join(root, 'samples/workspace/models');
  mkdirSync(to, { recursive: true });
  const samples = readdirSync(from).filter((f) => f.endsWith('.safetensors'));
  for (const file of samples) {
    const target = join(to, file);
    if (!existsSync(target) || !readFileSync(target).equals(readFileSync(join(from, file)))) cpSync(join(from, file), target);
  }
  for (const file of readdirSync(to)) {
    if (file.endsWith('.safetensors') && !file.startsWith('random-') && !samples.includes(file)) rmSync(join(to, file));
  }
}

const builds = [
  { ...nodeCommon, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  // The virtual Pico's worker thread (src/sim/locate.ts finds it beside the bundle that starts it).
  { ...nodeCommon, entryPoints: ['src/sim/worker.ts'], outfile: 'dist/sim-worker.js' },
  // The trainer's gradient worker (src/train/workerScript.ts finds it beside the bundle that starts training).
  { ...nodeCommon, entryPoints: ['src/train/worker.ts'], outfile: 'dist/train-worker.js' },
  { ...nodeCommon, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['src/webview/studio.ts'],
    outfile: 'dist/webview/studio.js',
  },
  {
    ...nodeCommon,
    entryPoints: ['test/integration/index.ts'],
    outfile: 'out/test/suite/index.js',
    external: ['vscode', 'mocha'],
  },
];

copyNativeBinding();
copyMicroPython();
copySampleModels();
// Deployed instead of board/lib's .py to boards that report they import it (src/device/deploy/precompiled.ts). A
// watch build compiles it once: bytecode older than its sources is never deployed (the manifest has their hashes).
await buildRuntimeBytecode(join(root, 'board'), join(root, BYTECODE_DIR));
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[build] watching for changes');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log('[build] dist/extension.js, dist/cli.js, dist/sim-worker.js, dist/webview/studio.js, dist/board-mpy, out/test/suite/index.js');
}
