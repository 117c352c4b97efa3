// Copies the host folder that plays the CIRCUITPY drive into the interpreter's in-memory filesystem (MEMFS), at the
// root, where code.py, lib/ and models/ sit on a real board. Hidden entries (.git, .fseventsd, ...) are skipped.
// A later sync removes what was deleted on the host.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EmscriptenFs } from './micropython';

/** The real drive holds about 1 MB; a folder far larger than that is a mistake (the wrong folder picked). */
export const MAX_DRIVE_BYTES = 64 * 1024 * 1024;
export const MAX_DRIVE_ENTRIES = 5000;
/** MEMFS paths the interpreter itself uses; a drive entry with one of these names is not copied. */
const RESERVED = new Set(['dev', 'proc', 'tmp', 'home']);

export interface SyncResult {
  files: number;
  bytes: number;
  /** Paths (relative, with /) now present in MEMFS. */
  paths: Set<string>;
  warnings: string[];
}

/** Copies `hostDir` into `fs` at `/`; entries in `previous` that are gone on the host are deleted from MEMFS. */
export function syncDrive(fs: EmscriptenFs, hostDir: string, previous: Set<string> = new Set()): SyncResult {
  const result: SyncResult = { files: 0, bytes: 0, paths: new Set(), warnings: [] };
  const walk = (hostPath: string, relative: string): void => {
    let names: string[];
    try {
      names = readdirSync(hostPath).sort();
    } catch (err) {
      result.warnings.push(`cannot read ${hostPath}: ${(err as Error).message}`);
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      if (!relative && RESERVED.has(name)) {
        result.warnings.push(`"${name}" is reserved in the virtual Pico's filesystem and was not copied`);
        continue;
      }
      if (result.paths.size >= MAX_DRIVE_ENTRIES) {
        result.warnings.push(`more than ${MAX_DRIVE_ENTRIES} files: the rest were not copied`);
        return;
      }
      const from = join(hostPath, name);
      const to = relative ? `${relative}/${name}` : name;
      let stat;
      try {
        stat = statSync(from);
      } catch {
        continue; // vanished while walking
      }
      if (stat.isDirectory()) {
        ensureDir(fs, `/${to}`);
        result.paths.add(to);
        walk(from, to);
      } else if (stat.isFile()) {
        if (result.bytes + stat.size > MAX_DRIVE_BYTES) {
          result.warnings.push(`the drive folder holds more than ${MAX_DRIVE_BYTES} bytes: ${to} and later files were not copied`);
          return;
        }
        try {
          const data = readFileSync(from);
          removeIfDir(fs, `/${to}`);
          fs.writeFile(`/${to}`, data);
          result.files++;
          result.bytes += data.length;
          result.paths.add(to);
        } catch (err) {
          result.warnings.push(`cannot copy ${to}: ${(err as Error).message}`);
        }
      }
    }
  };
  walk(hostDir, '');
  removeStale(fs, previous, result.paths);
  return result;
}

function ensureDir(fs: EmscriptenFs, path: string): void {
  try {
    if (fs.isDir(fs.stat(path).mode)) return;
    fs.unlink(path);
  } catch {
    // does not exist yet
  }
  fs.mkdir(path);
}

function removeIfDir(fs: EmscriptenFs, path: string): void {
  try {
    if (fs.isDir(fs.stat(path).mode)) removeTree(fs, path);
  } catch {
    // nothing there
  }
}

function removeTree(fs: EmscriptenFs, path: string): void {
  for (const name of fs.readdir(path)) {
    if (name === '.' || name === '..') continue;
    const child = `${path}/${name}`;
    if (fs.isDir(fs.stat(child).mode)) removeTree(fs, child);
    else fs.unlink(child);
  }
  fs.rmdir(path);
}

/** Deepest paths first, so a directory is empty when its turn comes. */
function removeStale(fs: EmscriptenFs, previous: Set<string>, current: Set<string>): void {
  const stale = [...previous].filter((p) => !current.has(p)).sort((a, b) => b.length - a.length);
  for (const path of stale) {
    try {
      const full = `/${path}`;
      if (fs.isDir(fs.stat(full).mode)) removeTree(fs, full);
      else fs.unlink(full);
    } catch {
      // already gone (its directory went first)
    }
  }
}
