// The runtime as precompiled bytecode (.mpy) instead of source (.py), for a board known to import it.
//
// The build (scripts/mpyCross.mjs) compiles every lib/ module with MicroPython's mpy-cross into dist/board-mpy/,
// with a manifest naming each module's source and its SHA-256. A board imports a .mpy only when the header's first
// byte is its implementation's magic ("C" for CircuitPython, "M" for MicroPython), the second its major version (6)
// and, on CircuitPython, the third its feature flags (sub-version; no native code here). The runtime reports
// sys.implementation._mpy in `ready` (field `mpy`): version | flags << 8, e.g. 774 = 6.3 on CircuitPython 9.2.8.
// Until the host has seen that, it deploys .py. The bytecode of the 6.x versions is the same (sub-versions change
// only native code), which the firmware tests confirm on CircuitPython 9.2.8 and MicroPython 1.27.
//
// On a board a module's .py is imported in preference to its .mpy, so the two must never both stay on the drive: a
// stale .py would shadow new bytecode. planDeploy pairs each runtime write with the other form of its module and
// executeDeploy removes that file right after the new one is in place.

import { join } from 'node:path';
import type { DeployFs } from './deployFs';
import { sha256 } from './hash';

/** What a board's runtime said about itself (its `ready` event), as far as bytecode goes. */
export interface BoardBytecode {
  /** sys.implementation.name: "circuitpython", "micropython". */
  impl: string;
  /** sys.implementation._mpy, or null/undefined when the board did not say (older runtimes). */
  mpy?: number | null;
}

/** The .mpy format the compiler writes. */
const MpyVersion = 6;
const Magic: Record<string, number> = { circuitpython: 0x43, micropython: 0x4d };

export interface MpyHeader {
  /** First byte: the implementation's magic. */
  magic: number;
  /** Third byte: feature flags (sub-version; architecture bits zero: bytecode only). */
  flags: number;
}

/** The header this board imports bytecode under, or undefined when it cannot take the compiler's output. */
export function boardMpyHeader(board: BoardBytecode | undefined): MpyHeader | undefined {
  const mpy = board?.mpy;
  const magic = board ? Magic[board.impl] : undefined;
  if (magic === undefined || typeof mpy !== 'number' || !Number.isInteger(mpy) || (mpy & 0xff) !== MpyVersion) return undefined;
  return { magic, flags: (mpy >> 8) & 0x03 };
}

/** A copy of a compiled module with the board's header. */
export function withHeader(mpy: Uint8Array, header: MpyHeader): Uint8Array {
  if (mpy.length < 4 || mpy[0] !== 0x4d || mpy[1] !== MpyVersion) throw new Error('not an mpy 6 file from mpy-cross');
  const out = new Uint8Array(mpy);
  out[0] = header.magic;
  out[2] = header.flags;
  return out;
}

/** The other form of a runtime module ("lib/p/app.py" <-> "lib/p/app.mpy"), or undefined for other files. */
export function otherForm(target: string): string | undefined {
  if (/\.py$/i.test(target)) return `${target.slice(0, -3)}.mpy`;
  if (/\.mpy$/i.test(target)) return `${target.slice(0, -4)}.py`;
  return undefined;
}

/** Where the build puts the bytecode, from the runtime folder (board/ beside dist/, in the repository and the .vsix). */
export function bundledBytecodeDir(runtimeDir: string): string {
  return join(runtimeDir, '..', 'dist', 'board-mpy');
}

interface Manifest {
  format: number;
  compiler: string;
  modules: { source: string; target: string; sourceSha256: string }[];
}

/** The bytecode of each source module (by its .py target), or why there is none to use. */
export type Bytecode = { ok: true; compiler: string; modules: Map<string, Uint8Array> } | { ok: false; reason: string };

/**
 * Reads the build's bytecode for the runtime `sources` (lib/ targets -> bytes of the .py that would be deployed).
 * All or nothing: a missing manifest, a module it does not have or one compiled from other source bytes gives a
 * reason instead (the .py files are deployed then).
 */
export async function readBytecode(fs: DeployFs, dir: string, sources: ReadonlyMap<string, Uint8Array>): Promise<Bytecode> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(Buffer.from(await fs.readFile(join(dir, 'manifest.json'))).toString('utf8')) as Manifest;
    if (manifest.format !== 1 || !Array.isArray(manifest.modules)) return { ok: false, reason: `${dir}/manifest.json has an unknown format` };
  } catch {
    return { ok: false, reason: `no precompiled runtime in ${dir} (npm run build makes it)` };
  }
  const byTarget = new Map(manifest.modules.map((m) => [m.source, m]));
  const modules = new Map<string, Uint8Array>();
  for (const [source, bytes] of sources) {
    const entry = byTarget.get(source);
    if (!entry) return { ok: false, reason: `the precompiled runtime has no ${source}` };
    if (entry.sourceSha256 !== sha256(bytes)) return { ok: false, reason: `the precompiled ${entry.target} was built from another ${source} (rebuild)` };
    try {
      modules.set(source, await fs.readFile(join(dir, ...entry.target.split('/'))));
    } catch {
      return { ok: false, reason: `the precompiled runtime lacks ${entry.target}` };
    }
  }
  return { ok: true, compiler: manifest.compiler, modules };
}
