// Precompiles the board runtime's modules (board/lib/**/*.py) to MicroPython bytecode (.mpy, format 6) with
// MicroPython's own mpy-cross, compiled to WebAssembly (npm @pybricks/mpy-cross-v6, MIT, MicroPython 1.19: it
// writes mpy 6.0 with the "M" magic). The deploy code gives each file the header its board takes
// (src/device/deploy/precompiled.ts: "C" and the firmware's sub-version for CircuitPython), so one build serves both.
// Output: dist/board-mpy/lib/.../*.mpy and manifest.json, which names each module's source and its SHA-256, so a
// deploy never sends bytecode compiled from other sources than the .py it would replace.
// Used by scripts/build.mjs (every build) and the tests and benchmarks that deploy bytecode.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
export const COMPILER = '@pybricks/mpy-cross-v6';
const compilerVersion = JSON.parse(readFileSync(require.resolve(`${COMPILER}/package.json`), 'utf8')).version;
/** The folder the build writes, relative to the repository (or extension) root. */
export const BYTECODE_DIR = join('dist', 'board-mpy');
export const MANIFEST = 'manifest.json';

let wasmBinary;

/**
 * One module's bytecode. The package's own compile() lets Emscripten fetch() the .wasm by file path, which Node's
 * fetch refuses; the Emscripten module is given the bytes instead.
 * @param {string} name file name, for messages ("app.py")
 * @param {string} source the module's text
 * @returns {Promise<Uint8Array>}
 */
export function compileModule(name, source) {
  wasmBinary ??= readFileSync(require.resolve(`${COMPILER}/build/mpy-cross-v6.wasm`));
  const factory = require(`${COMPILER}/build/mpy-cross-v6.js`);
  // Each Emscripten instance adds process listeners that rethrow; they are removed once it is done.
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((e) => new Set(process.listeners(e)));
  const cleanUp = () => events.forEach((e, i) => process.listeners(e).filter((l) => !before[i].has(l)).forEach((l) => process.off(e, l)));
  return new Promise((resolve, reject) => {
    factory({
      // -O3: no assert statements and no line-number tables (about 6% less bytecode, and so less heap for as long
      // as a module is imported); a traceback from a .mpy module then names the file and function, not the line.
      arguments: ['-O3', '-s', name, name],
      inputFileContents: source,
      wasmBinary,
      callback: (status, mpy, _out, err) => (status === 0 && mpy ? resolve(mpy) : reject(new Error(`mpy-cross could not compile ${name}: ${err.join('\n') || `exit ${status}`}`))),
    }).catch?.(reject);
  }).finally(cleanUp);
}

/** Relative POSIX paths of the .py files under dir/sub. */
function pythonFiles(dir, sub) {
  const out = [];
  for (const name of readdirSync(join(dir, sub)).sort()) {
    const rel = `${sub}/${name}`;
    if (name.startsWith('.') || name === '__pycache__') continue;
    if (statSync(join(dir, rel)).isDirectory()) out.push(...pythonFiles(dir, rel));
    else if (name.endsWith('.py')) out.push(rel);
  }
  return out;
}

/**
 * Compiles every module of boardDir/lib into outDir (emptied first) and writes its manifest.
 * @param {string} boardDir the runtime folder (code.py + lib/)
 * @param {string} outDir
 * @returns {Promise<{ compiler: string; modules: { source: string; target: string; sourceSha256: string }[] }>}
 */
export async function buildRuntimeBytecode(boardDir, outDir) {
  rmSync(outDir, { recursive: true, force: true });
  const manifest = { format: 1, compiler: `${COMPILER} ${compilerVersion}`, modules: [] };
  for (const source of pythonFiles(boardDir, 'lib')) {
    const text = readFileSync(join(boardDir, source));
    const target = `${source.slice(0, -3)}.mpy`;
    const mpy = await compileModule(source.slice(source.lastIndexOf('/') + 1), text.toString('utf8'));
    mkdirSync(dirname(join(outDir, target)), { recursive: true });
    writeFileSync(join(outDir, target), mpy);
    manifest.modules.push({ source, target, sourceSha256: createHash('sha256').update(text).digest('hex') });
  }
  writeFileSync(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
