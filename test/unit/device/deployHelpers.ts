// Temporary host and drive folders for deploy tests, and a drive that fails on cue.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { nodeDeployFs, type DeployFs } from '../../../src/device/deploy/deployFs';

/** Bytes that pass the safetensors sanity check: an 8-byte length, a JSON header padded to 8, then `dataSize` bytes. */
export function fakeModel(dataSize: number, seed = 1): Uint8Array {
  const header = Buffer.from(JSON.stringify({ __metadata__: { format: 'picoformer/1', seed: String(seed) } }));
  const padded = Buffer.concat([header, Buffer.alloc((8 - (header.length % 8)) % 8, 0x20)]);
  const out = Buffer.alloc(8 + padded.length + dataSize);
  out.writeBigUInt64LE(BigInt(padded.length), 0);
  padded.copy(out, 8);
  for (let i = 0; i < dataSize; i++) out[8 + padded.length + i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Every file under root (relative POSIX path -> bytes as hex-free Buffer). */
export function readTree(root: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) walk(full, r);
      else out[r] = readFileSync(full);
    }
  };
  walk(root, '');
  return out;
}

export interface Sandbox {
  root: string;
  host: string;
  drive: string;
  runtime: string;
  dispose(): void;
}

export function sandbox(): Sandbox {
  const root = mkdtempSync(path.join(tmpdir(), 'pf-deploy-'));
  const host = path.join(root, 'host');
  const drive = path.join(root, 'CIRCUITPY');
  mkdirSync(host);
  mkdirSync(drive);
  return { root, host, drive, runtime: path.join(host, 'board'), dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export interface Faults {
  /** Bytes the drive accepts before every further write fails with `writeErrorCode`. */
  failWritesAfterBytes?: number;
  writeErrorCode?: string;
  /** Once a write failed, every other drive operation fails too (the drive is gone) with this code. */
  goneAfterWriteFailure?: string;
  /** create() fails at once with this code (read-only drive). */
  createErrorCode?: string;
  /** A read-only mount, as Linux has it: every change (create, unlink, rename, a new folder) fails with EROFS, unlink
   * of a file that is not there too (the mount is checked before the name is looked up); a folder that exists
   * already is fine for mkdir -p (EEXIST comes first). */
  readOnly?: boolean;
  /** The n-th rename (1-based) fails with EIO. */
  failRenameNumber?: number;
  /** Reads of staged temporary files come back with one byte flipped. */
  corruptTempReads?: boolean;
  statfs?: { bsize: number; bavail: number; blocks: number };
  renames?: string[];
}

const err = (code: string, what: string) => Object.assign(new Error(`${code}: ${what}`), { code });

/** The real file system, except on paths under `drive`, where the faults apply. */
export function faultyFs(drive: string, faults: Faults): DeployFs {
  const base = nodeDeployFs();
  let written = 0;
  let gone = false;
  let renameCount = 0;
  const onDrive = (p: string) => p === drive || p.startsWith(drive + path.sep);
  const guard = (p: string) => {
    if (gone && onDrive(p)) throw err(faults.goneAfterWriteFailure ?? 'EIO', p);
  };
  const change = (p: string) => {
    guard(p);
    if (faults.readOnly && onDrive(p)) throw err('EROFS', p);
  };
  return {
    create: async (p) => {
      change(p);
      if (onDrive(p) && faults.createErrorCode) throw err(faults.createErrorCode, p);
      const handle = await base.create(p);
      return {
        write: async (data, offset, length, position) => {
          if (gone && onDrive(p)) throw err(faults.goneAfterWriteFailure ?? 'EIO', p);
          if (onDrive(p) && faults.failWritesAfterBytes !== undefined) {
            const room = faults.failWritesAfterBytes - written;
            if (room <= 0) {
              if (faults.goneAfterWriteFailure) gone = true;
              throw err(faults.writeErrorCode ?? 'ENOSPC', p);
            }
            const n = await handle.write(data, offset, Math.min(length, room), position);
            written += n;
            return n;
          }
          return handle.write(data, offset, length, position);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
    readFile: async (p) => {
      guard(p);
      const data = await base.readFile(p);
      if (faults.corruptTempReads && path.basename(p).startsWith('.pf-tmp-')) {
        const copy = Buffer.from(data);
        copy[0] ^= 0xff;
        return copy;
      }
      return data;
    },
    rename: async (from, to) => {
      change(from);
      renameCount++;
      faults.renames?.push(path.relative(drive, to).split(path.sep).join('/'));
      if (faults.failRenameNumber === renameCount) throw err('EIO', from);
      return base.rename(from, to);
    },
    unlink: async (p) => {
      change(p);
      return base.unlink(p);
    },
    mkdir: async (p) => {
      if (!(faults.readOnly && existsSync(p))) change(p);
      return base.mkdir(p);
    },
    readdir: async (p) => {
      guard(p);
      return base.readdir(p);
    },
    stat: async (p) => {
      guard(p);
      return base.stat(p);
    },
    statfs: async (p) => {
      guard(p);
      return faults.statfs ?? base.statfs(p);
    },
    syncDir: (p) => base.syncDir(p),
  };
}
