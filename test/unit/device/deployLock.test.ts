// Issue 12 §5: two deploys to one drive at once (two VS Code windows, the CLI beside the editor). Before the lock,
// each deploy's clean-up of stale temporary files deleted the other's staged files and one failed with a wrong
// "drive-vanished". Real processes here: one deploys slowly, the other starts while the first is staging.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { DeployError } from '../../../src/device/deploy/deployErrors';
import { driveLockPath, withDriveLock } from '../../../src/device/deploy/driveLock';
import { nodeDeployFs } from '../../../src/device/deploy/deployFs';
import { executeDeploy } from '../../../src/device/deploy/executeDeploy';
import { prepareDeploy } from '../../../src/device/deploy/prepareDeploy';
import { fakeModel, readTree, sandbox, writeTree, type Sandbox } from './deployHelpers';

interface ChildResult {
  ok: boolean;
  waited?: boolean;
  code?: string;
  message?: string;
}

function deployInChild(box: Sandbox, model: string, delayMs: number): { child: ChildProcess; done: Promise<ChildResult> } {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'scripts', 'deployInChild.ts'), box.drive, box.runtime, model], {
    env: { ...process.env, DEPLOY_DELAY_MS: String(delayMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<ChildResult>((resolve) => child.on('exit', () => resolve(out.trim() ? (JSON.parse(out.trim().split('\n').pop() as string) as ChildResult) : { ok: false, code: 'no output' })));
  return { child, done };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function staging(drive: string): boolean {
  return existsSync(path.join(drive, 'models')) && readdirSync(path.join(drive, 'models')).some((n) => n.startsWith('.pf-tmp-'));
}

describe('device: one deploy at a time per drive', function () {
  this.timeout(60_000);
  let box: Sandbox;
  let lockDir: string;
  beforeEach(async () => {
    box = sandbox();
    lockDir = mkdtempSync(path.join(tmpdir(), 'pf-locks-'));
    writeTree(box.runtime, { 'code.py': 'import picoformer.app\n', 'lib/picoformer/__init__.py': '# v1\n' });
    writeTree(box.host, { 'a.safetensors': fakeModel(60_000, 1), 'b.safetensors': fakeModel(20_000, 2) });
    // the runtime is on the board already: the two deploys differ by their model
    await executeDeploy(await prepareDeploy({ drivePath: box.drive, runtimeDir: box.runtime, models: [] }, nodeDeployFs()));
  });
  afterEach(() => {
    box.dispose();
    rmSync(lockDir, { recursive: true, force: true });
  });

  it('two processes: the second waits while the first stages, then both succeed and nothing is left behind', async () => {
    const first = deployInChild(box, path.join(box.host, 'a.safetensors'), 25);
    await until(() => staging(box.drive), 20_000);
    const second = deployInChild(box, path.join(box.host, 'b.safetensors'), 0);
    const [a, b] = await Promise.all([first.done, second.done]);
    assert.deepEqual([a.ok, b.ok], [true, true], JSON.stringify([a, b]));
    assert.equal(b.waited, true);
    const files = Object.keys(readTree(box.drive));
    assert.ok(files.includes('models/a.safetensors') && files.includes('models/b.safetensors'), files.join(', '));
    assert.ok(!files.some((f) => f.includes('.pf-tmp-')), files.join(', '));
    assert.match(readTree(box.drive)['picoformer.json'].toString(), /models\/b\.safetensors/); // the later deploy's
  });

  it('says "another deploy is writing to this drive" when it waits too long, and can be cancelled while waiting', async () => {
    const holder = withDriveLock(box.drive, () => new Promise((r) => setTimeout(r, 1500)), { dir: lockDir });
    await until(() => existsSync(driveLockPath(box.drive, lockDir)), 5000);
    let told = false;
    const error = await withDriveLock(box.drive, async () => 'ran', { dir: lockDir, waitMs: 300, onWait: () => (told = true) }).catch((e: unknown) => e);
    assert.ok(error instanceof DeployError, String(error));
    assert.equal(error.code, 'busy');
    assert.match(error.message, /Another deploy is writing to this drive \(process \d+ on this computer, since .*\)\. Nothing was written/);
    assert.equal(told, true);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const cancelled = await withDriveLock(box.drive, async () => 'ran', { dir: lockDir, signal: abort.signal }).catch((e: unknown) => e);
    assert.ok(cancelled instanceof DeployError && cancelled.code === 'cancelled', String(cancelled));
    await holder;
    assert.equal(await withDriveLock(box.drive, async () => 'ran', { dir: lockDir }), 'ran');
    assert.equal(existsSync(driveLockPath(box.drive, lockDir)), false);
  });

  it('takes over a lock whose process is gone; the same drive by another path is the same lock; nesting does not wait', async () => {
    const file = driveLockPath(box.drive, lockDir);
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), since: Date.now(), drive: box.drive, nonce: 'dead' }));
    assert.equal(await withDriveLock(box.drive, async () => 'ran', { dir: lockDir, waitMs: 2000 }), 'ran');
    assert.equal(driveLockPath(`${box.drive}${path.sep}`, lockDir), file);
    assert.equal(driveLockPath(path.join(box.drive, '..', path.basename(box.drive)), lockDir), file);
    assert.notEqual(driveLockPath(box.host, lockDir), file);
    const nested = await withDriveLock(box.drive, () => withDriveLock(box.drive, async () => 'inner', { dir: lockDir, waitMs: 200 }), { dir: lockDir });
    assert.equal(nested, 'inner');
  });
});
