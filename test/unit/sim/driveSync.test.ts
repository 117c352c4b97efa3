import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncDrive } from '../../../src/sim/vm/driveSync';
import type { EmscriptenFs } from '../../../src/sim/vm/micropython';

const DIR = 0o040000;

/** An in-memory stand-in for Emscripten's FS (only what syncDrive uses). */
function fakeFs(): EmscriptenFs & { files: Map<string, Uint8Array>; dirs: Set<string> } {
  const files = new Map<string, Uint8Array>();
  const dirs = new Set<string>(['/', '/tmp', '/dev']);
  const parent = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
  return {
    files,
    dirs,
    mkdir: (p) => {
      if (!dirs.has(parent(p))) throw new Error(`ENOENT ${p}`);
      dirs.add(p);
    },
    writeFile: (p, data) => {
      if (!dirs.has(parent(p))) throw new Error(`ENOENT ${p}`);
      files.set(p, typeof data === 'string' ? new TextEncoder().encode(data) : data);
    },
    readFile: (p) => files.get(p)!,
    readdir: (p) => [...files.keys(), ...dirs].filter((q) => q !== p && parent(q) === p).map((q) => q.slice(q.lastIndexOf('/') + 1)),
    stat: (p) => {
      if (dirs.has(p)) return { mode: DIR, size: 0 };
      const f = files.get(p);
      if (!f) throw new Error(`ENOENT ${p}`);
      return { mode: 0o100644, size: f.length };
    },
    isDir: (mode) => (mode & 0o170000) === DIR,
    unlink: (p) => void files.delete(p),
    rmdir: (p) => void dirs.delete(p),
  };
}

describe('sim/driveSync', () => {
  let host: string;
  beforeEach(() => (host = mkdtempSync(join(tmpdir(), 'vpico-sync-'))));
  afterEach(() => rmSync(host, { recursive: true, force: true }));

  it('copies files and folders to the root, skipping hidden and reserved names', () => {
    writeFileSync(join(host, 'code.py'), 'print(1)\n');
    mkdirSync(join(host, 'lib', 'picoformer'), { recursive: true });
    writeFileSync(join(host, 'lib', 'picoformer', 'app.py'), 'x = 1\n');
    mkdirSync(join(host, '.git'));
    writeFileSync(join(host, '.git', 'HEAD'), 'ref');
    mkdirSync(join(host, 'tmp'));
    const fs = fakeFs();
    const result = syncDrive(fs, host);
    assert.equal(new TextDecoder().decode(fs.readFile('/code.py')), 'print(1)\n');
    assert.ok(fs.files.has('/lib/picoformer/app.py'));
    assert.ok(![...fs.files.keys()].some((p) => p.includes('.git')));
    assert.equal(result.files, 2);
    assert.match(result.warnings.join('\n'), /"tmp" is reserved/);
  });

  it('removes what was deleted on the host since the last sync', () => {
    writeFileSync(join(host, 'a.py'), 'a');
    mkdirSync(join(host, 'models'));
    writeFileSync(join(host, 'models', 'm.safetensors'), 'm');
    const fs = fakeFs();
    const first = syncDrive(fs, host);
    unlinkSync(join(host, 'a.py'));
    rmSync(join(host, 'models'), { recursive: true });
    syncDrive(fs, host, first.paths);
    assert.equal(fs.files.size, 0);
    assert.ok(!fs.dirs.has('/models'));
  });

  it('replaces a folder by a file of the same name', () => {
    mkdirSync(join(host, 'x'));
    writeFileSync(join(host, 'x', 'inner'), '1');
    const fs = fakeFs();
    const first = syncDrive(fs, host);
    rmSync(join(host, 'x'), { recursive: true });
    writeFileSync(join(host, 'x'), 'file now');
    syncDrive(fs, host, first.paths);
    assert.equal(new TextDecoder().decode(fs.readFile('/x')), 'file now');
  });
});
