// A recorded operating system for detection tests: files, folders, symlinks, statfs numbers and program output.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Host, HostStat, HostStatFs, HostUser } from '../../../src/device/types';

export interface FakeHostSpec {
  platform: NodeJS.Platform;
  env?: Record<string, string>;
  /** File contents by absolute path; their parent folders exist implicitly. */
  files?: Record<string, string | Uint8Array>;
  /** Extra (empty) folders. */
  dirs?: string[];
  /** Symlinks: path -> target as readlink returns it (relative to the link's folder or absolute). */
  links?: Record<string, string>;
  statfs?: Record<string, HostStatFs>;
  /** Overrides for stat() (mode, uid, gid) by path. */
  stats?: Record<string, Partial<HostStat>>;
  /** Paths this process may not open for reading and writing (everything else may be). */
  denied?: string[];
  /** Program output by program name; an Error is thrown instead. */
  exec?: Record<string, string | Error>;
  user?: HostUser;
}

export interface FakeHost extends Host {
  execCalls: string[];
}

function enoent(p: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: 'ENOENT' });
}

export function fixture(name: string): string {
  return readFileSync(path.join(__dirname, 'fixtures', name), 'latin1');
}

export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(path.join(__dirname, 'fixtures', name));
}

export function fakeHost(spec: FakeHostSpec): FakeHost {
  const p = spec.platform === 'win32' ? path.win32 : path.posix;
  const norm = (x: string) => {
    const n = p.normalize(x);
    return n.length > 1 && /[\\/]$/.test(n) && !/^[A-Za-z]:\\$/.test(n) ? n.slice(0, -1) : n;
  };
  const files = new Map<string, Uint8Array>();
  for (const [k, v] of Object.entries(spec.files ?? {})) files.set(norm(k), typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
  const dirs = new Set<string>();
  const addParents = (x: string) => {
    let d = p.dirname(x);
    while (!dirs.has(d)) {
      dirs.add(d);
      const up = p.dirname(d);
      if (up === d) break;
      d = up;
    }
  };
  for (const f of files.keys()) addParents(f);
  for (const d of spec.dirs ?? []) {
    dirs.add(norm(d));
    addParents(norm(d));
  }
  const links = new Map(Object.entries(spec.links ?? {}).map(([k, v]) => [norm(k), v]));
  for (const l of links.keys()) addParents(l);

  // Follows links in every component, as the kernel does ("/sys/bus/usb/devices/1-1/idVendor").
  const resolve = (x: string, depth = 0): string => {
    const full = norm(x);
    const root = p.parse(full).root;
    let current = root;
    for (const part of full.slice(root.length).split(p.sep).filter(Boolean)) {
      current = p.join(current, part);
      const target = links.get(current);
      if (target !== undefined && depth < 20) current = resolve(p.isAbsolute(target) ? target : p.join(p.dirname(current), target), depth + 1);
    }
    return current;
  };
  const execCalls: string[] = [];

  return {
    platform: spec.platform,
    env: spec.env ?? {},
    execCalls,
    user: () => spec.user ?? { name: spec.env?.USER, uid: 1000, gids: [1000] },
    exec: async (file, args) => {
      execCalls.push([file, ...args].join(' '));
      const out = spec.exec?.[file];
      if (out === undefined) throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
      if (out instanceof Error) throw out;
      return out;
    },
    fs: {
      readFile: async (x, maxBytes) => {
        const data = files.get(resolve(x));
        if (!data) throw enoent(x);
        return maxBytes === undefined ? data : data.subarray(0, maxBytes);
      },
      readdir: async (x) => {
        const dir = resolve(x);
        if (!dirs.has(dir)) throw enoent(x);
        const names = new Set<string>();
        for (const entry of [...files.keys(), ...dirs, ...links.keys()]) {
          if (entry !== dir && p.dirname(entry) === dir) names.add(p.basename(entry));
        }
        return [...names].sort();
      },
      stat: async (x) => {
        const r = resolve(x);
        const extra = spec.stats?.[norm(x)] ?? spec.stats?.[r] ?? {};
        if (files.has(r)) return { isFile: true, isDirectory: false, size: files.get(r)!.length, mode: 0o100644, uid: 0, gid: 0, ...extra };
        if (dirs.has(r)) return { isFile: false, isDirectory: true, size: 0, mode: 0o40755, uid: 0, gid: 0, ...extra };
        if (spec.stats?.[norm(x)]) return { isFile: false, isDirectory: false, size: 0, mode: 0, uid: 0, gid: 0, ...extra };
        throw enoent(x);
      },
      statfs: async (x) => {
        const s = spec.statfs?.[norm(x)];
        if (!s) throw enoent(x);
        return s;
      },
      realpath: async (x) => {
        const r = resolve(x);
        if (!files.has(r) && !dirs.has(r)) throw enoent(x);
        return r;
      },
      canReadWrite: async (x) => !(spec.denied ?? []).includes(x),
      readlink: async (x) => {
        const target = links.get(norm(x));
        if (target === undefined) throw Object.assign(new Error(`EINVAL: invalid argument, readlink '${x}'`), { code: 'EINVAL' });
        return target;
      },
    },
  };
}
