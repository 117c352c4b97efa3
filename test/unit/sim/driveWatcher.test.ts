import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriveWatcher } from '../../../src/sim/driveWatcher';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sim/DriveWatcher', () => {
  let dir: string;
  let watcher: DriveWatcher | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vpico-watch-'))));
  afterEach(() => {
    watcher?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a change once writing has settled, not during it', async () => {
    let changes = 0;
    watcher = new DriveWatcher(dir, () => changes++, { pollMs: 10, settleMs: 400 });
    watcher.start();
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(dir, 'code.py'), `print(${i})\n`.repeat(i + 1));
      await sleep(30);
    }
    assert.equal(changes, 0);
    await sleep(900);
    assert.equal(changes, 1);
  });

  it('sees files in subfolders and ignores boot_out.txt and hidden entries', async () => {
    let changes = 0;
    watcher = new DriveWatcher(dir, () => changes++, { pollMs: 10, settleMs: 30 });
    watcher.start();
    writeFileSync(join(dir, 'boot_out.txt'), 'x');
    mkdirSync(join(dir, '.fseventsd'));
    writeFileSync(join(dir, '.fseventsd', 'x'), 'y');
    await sleep(120);
    assert.equal(changes, 0);
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'models', 'm.safetensors'), 'z');
    await sleep(120);
    assert.equal(changes, 1);
  });

  it('markSynced forgets changes already loaded', async () => {
    let changes = 0;
    watcher = new DriveWatcher(dir, () => changes++, { pollMs: 10, settleMs: 30 });
    watcher.start();
    writeFileSync(join(dir, 'a.py'), '1');
    watcher.markSynced();
    await sleep(120);
    assert.equal(changes, 0);
  });
});
