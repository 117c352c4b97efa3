// Where the virtual Pico's worker script and the MicroPython WebAssembly build are, in the three ways the code runs:
// bundled (dist/sim-worker.js and dist/micropython/ beside dist/extension.js or dist/cli.js), from the sources
// under tsx (tests, scripts), or as told by an environment variable.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** require.resolve, out of the bundler's sight (these files are found at run time, not bundled). */
export function resolveModule(specifier: string): string {
  return createRequire(join(__dirname, 'index.js')).resolve(specifier);
}

export interface WorkerScript {
  path: string;
  /** TypeScript source: must be loaded through tsx. */
  typescript: boolean;
}

export function locateWorkerScript(): WorkerScript {
  const candidates = [
    process.env.PICOFORMER_SIM_WORKER,
    join(__dirname, 'sim-worker.js'),
    join(__dirname, 'worker.js'),
    join(__dirname, 'worker.ts'),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`The virtual Pico's worker script is missing (looked for ${candidates.join(', ')}). Rebuild the extension.`);
  }
  return { path: found, typescript: found.endsWith('.ts') };
}

export function locateMicroPython(): string {
  const candidates = [process.env.PICOFORMER_MICROPYTHON, join(__dirname, 'micropython', 'micropython.mjs')].filter(
    (p): p is string => Boolean(p),
  );
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  try {
    return resolveModule('@micropython/micropython-webassembly-pyscript/micropython.mjs');
  } catch {
    throw new Error(
      'MicroPython for WebAssembly (@micropython/micropython-webassembly-pyscript) is not installed; the virtual Pico needs it.',
    );
  }
}
