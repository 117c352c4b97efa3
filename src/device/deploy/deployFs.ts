// The file operations a deploy needs, as an interface so tests can inject a drive that fills up, turns read-only
// or disappears halfway. nodeDeployFs() is the real one.

import { promises as fsp } from 'node:fs';

export interface DeployFileHandle {
  /** Writes `length` bytes of `data` from `offset` at file `position`; resolves with the bytes written. */
  write(data: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Flushes the file's data to the device (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface DeployStat {
  size: number;
  isFile: boolean;
  isDirectory: boolean;
}

export interface DeployFs {
  /** Creates a new file for writing; fails if it exists ("wx"). */
  create(path: string): Promise<DeployFileHandle>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Creates the folder and its parents. */
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<DeployStat>;
  statfs(path: string): Promise<{ bsize: number; bavail: number; blocks: number }>;
  /** Best effort: flushes a folder's entries (POSIX); never fails. */
  syncDir(path: string): Promise<void>;
}

export function nodeDeployFs(): DeployFs {
  return {
    create: async (path) => {
      const handle = await fsp.open(path, 'wx');
      return {
        write: async (data, offset, length, position) => (await handle.write(data, offset, length, position)).bytesWritten,
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    },
    readFile: (path) => fsp.readFile(path),
    rename: (from, to) => fsp.rename(from, to),
    unlink: (path) => fsp.unlink(path),
    mkdir: async (path) => {
      await fsp.mkdir(path, { recursive: true });
    },
    readdir: (path) => fsp.readdir(path),
    stat: async (path) => {
      const s = await fsp.stat(path);
      return { size: s.size, isFile: s.isFile(), isDirectory: s.isDirectory() };
    },
    statfs: async (path) => {
      const s = await fsp.statfs(path);
      return { bsize: s.bsize, bavail: s.bavail, blocks: s.blocks };
    },
    syncDir: async (path) => {
      if (process.platform === 'win32') return; // folders cannot be opened for fsync there
      try {
        const dir = await fsp.open(path, 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      } catch {
        // some file systems refuse fsync on a folder: the file data itself was synced already
      }
    },
  };
}
