// The real operating system behind the `Host` interface (tests use recorded fixtures instead).

import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import type { Host, HostFs, HostUser } from '../types';

async function readFileCapped(path: string, maxBytes?: number): Promise<Uint8Array> {
  if (maxBytes === undefined) return fsp.readFile(path);
  const handle = await fsp.open(path, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes);
    let length = 0;
    while (length < maxBytes) {
      const { bytesRead } = await handle.read(buffer, length, maxBytes - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

const nodeFs: HostFs = {
  readFile: readFileCapped,
  readdir: (p) => fsp.readdir(p),
  stat: async (p) => {
    const s = await fsp.stat(p);
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mode: s.mode, uid: s.uid, gid: s.gid };
  },
  statfs: async (p) => {
    const s = await fsp.statfs(p);
    return { bsize: s.bsize, blocks: s.blocks, bavail: s.bavail };
  },
  realpath: (p) => fsp.realpath(p),
  readlink: (p) => fsp.readlink(p),
  canReadWrite: (p) => fsp.access(p, fsConstants.R_OK | fsConstants.W_OK).then(
    () => true,
    () => false,
  ),
};

function currentUser(): HostUser {
  let name: string | undefined;
  try {
    name = os.userInfo().username;
  } catch {
    name = undefined; // no passwd entry (containers)
  }
  const gids = typeof process.getgroups === 'function' ? process.getgroups() : [];
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return { name, uid, gids };
}

/** The running machine. `windowsHide` keeps PowerShell/wmic from flashing a console window. */
export function nodeHost(): Host {
  return {
    platform: process.platform,
    env: process.env,
    fs: nodeFs,
    exec: (file, args, options) =>
      new Promise((resolve, reject) => {
        execFile(
          file,
          [...args],
          { timeout: options?.timeoutMs ?? 10000, windowsHide: true, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        );
      }),
    user: currentUser,
  };
}
