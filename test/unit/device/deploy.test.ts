import { strict as assert } from 'node:assert';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { DeployError } from '../../../src/device/deploy/deployErrors';
import { nodeDeployFs } from '../../../src/device/deploy/deployFs';
import { executeDeploy, type DeployProgress } from '../../../src/device/deploy/executeDeploy';
import { planDeploy, type DeploySource } from '../../../src/device/deploy/planDeploy';
import { prepareDeploy, type DeployRequest } from '../../../src/device/deploy/prepareDeploy';
import { listBoardModels, removeModels } from '../../../src/device/deploy/removeModels';
import { fakeModel, faultyFs, readTree, sandbox, writeTree, type Sandbox } from './deployHelpers';

const newModel = fakeModel(20_000, 2);
const oldModel = fakeModel(3_000, 9);

function setUp(box: Sandbox): DeployRequest {
  writeTree(box.runtime, {
    'code.py': 'import picoformer.app  # v2\n',
    'lib/picoformer/__init__.py': '# v2\n',
    'lib/picoformer/loader.py': 'def load(): pass  # v2\n',
    'lib/picoformer/__pycache__/loader.cpython-311.pyc': 'x',
    'lib/picoformer/.loader.py.swp': 'x',
    'README.md': 'not deployed',
  });
  writeTree(box.host, { 'story-8k.safetensors': newModel });
  writeTree(box.drive, {
    'boot_out.txt': 'Adafruit CircuitPython 9.2.8 on 2025-05-28; Raspberry Pi Pico with rp2040\n',
    'code.py': '# v1\n',
    'lib/picoformer/__init__.py': '# v2\n',
    'lib/picoformer/loader.py': '# v1\n',
    'lib/picoformer/legacy.py': '# a module the new runtime dropped\n',
    'lib/adafruit_thing.py': '# the user\'s own library\n',
    'models/old-1k.safetensors': oldModel,
    'picoformer.json': '{"model": "/models/old-1k.safetensors", "baud": 1}\n',
  });
  return { drivePath: box.drive, runtimeDir: box.runtime, models: [{ path: path.join(box.host, 'story-8k.safetensors') }] };
}

/** Runs a failing deploy and checks the board is byte-for-byte as before, with no temporary file left. */
async function expectIntactAfterFailure(box: Sandbox, run: () => Promise<unknown>, code: DeployError['code']): Promise<DeployError> {
  const before = readTree(box.drive);
  const error = await run().then(
    () => assert.fail('the deploy should have failed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DeployError, String(error));
  assert.equal(error.code, code, error.message);
  assert.deepEqual(error.replaced, []);
  assert.deepEqual(readTree(box.drive), before);
  return error;
}

describe('device: deploy planning (pure)', () => {
  const drive = { path: '/media/ann/CIRCUITPY', freeBytes: 100_000, blockSize: 512, existing: {}, boardModels: [] };
  const src = (target: string, kind: DeploySource['kind'], size: number): DeploySource => ({ target, kind, bytes: new Uint8Array(size).fill(7) });

  it('orders models, runtime, settings, then code.py last', () => {
    const plan = planDeploy([src('code.py', 'code', 10), src('picoformer.json', 'settings', 10), src('lib/picoformer/a.py', 'runtime', 10), src('models/m.safetensors', 'model', 10)], drive);
    assert.deepEqual(plan.writes.map((w) => w.target), ['models/m.safetensors', 'lib/picoformer/a.py', 'picoformer.json', 'code.py']);
  });

  it('skips files whose size and SHA-256 match, unless forced', () => {
    const a = src('lib/picoformer/a.py', 'runtime', 10);
    const existing = { 'lib/picoformer/a.py': { size: 10, sha256: planDeploy([a], drive).writes[0].sha256 } };
    assert.deepEqual(planDeploy([a], { ...drive, existing }).unchanged, ['lib/picoformer/a.py']);
    assert.equal(planDeploy([a], { ...drive, existing: { 'lib/picoformer/a.py': { size: 10, sha256: 'other' } } }).writes.length, 1);
    assert.equal(planDeploy([a], { ...drive, existing }, { force: true }).writes.length, 1);
  });

  it('counts whole clusters of every new file plus a margin, and the space given back afterwards', () => {
    const plan = planDeploy([src('models/m.safetensors', 'model', 1000), src('code.py', 'code', 10)], {
      ...drive,
      freeBytes: 5000,
      existing: { 'models/m.safetensors': { size: 1500 } },
      missingDirs: [],
    });
    assert.equal(plan.requiredBytes, 1024 + 512 + 2 * 512);
    assert.equal(plan.freeAfterBytes, 5000 - 1536 + 1536);
    assert.equal(plan.fits, true);
  });

  it('refuses with the numbers and names models that could be removed', () => {
    const plan = planDeploy([src('models/new.safetensors', 'model', 300_000)], {
      ...drive,
      freeBytes: 200_000,
      boardModels: [{ name: 'new.safetensors', size: 1 }, { name: 'old-1k.safetensors', size: 120_000 }],
    });
    assert.equal(plan.fits, false);
    assert.match(plan.spaceProblem ?? '', /needs 294\.0 KB free .* has 195\.3 KB/);
    assert.match(plan.spaceProblem ?? '', /could be removed: old-1k\.safetensors \(117\.2 KB\)/);
    assert.deepEqual(plan.otherModels.map((m) => m.name), ['old-1k.safetensors']);
  });

  it('rejects unsafe or FAT-illegal names and two files for one place', () => {
    for (const bad of ['../x.py', '/code.py', 'models/a:b.safetensors', 'lib//a.py', 'models/x.', 'models/.pf-tmp-x']) {
      assert.throws(() => planDeploy([src(bad, 'runtime', 1)], drive), (e: unknown) => e instanceof DeployError && e.code === 'bad-target', bad);
    }
    assert.throws(() => planDeploy([src('code.py', 'code', 1), src('CODE.PY', 'code', 1)], drive), /same place/);
  });
});

describe('device: deploy to a folder', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.dispose());

  it('writes models, runtime, settings and code.py (last), prunes dropped modules, keeps everything else', async () => {
    const request = setUp(box);
    const renames: string[] = [];
    const fs = faultyFs(box.drive, { renames });
    const plan = await prepareDeploy(request, fs);
    assert.deepEqual(plan.writes.map((w) => w.target), ['models/story-8k.safetensors', 'lib/picoformer/loader.py', 'picoformer.json', 'code.py']);
    assert.deepEqual(plan.unchanged, ['lib/picoformer/__init__.py']);
    assert.deepEqual(plan.obsolete, ['lib/picoformer/legacy.py']);
    assert.deepEqual(plan.otherModels.map((m) => m.name), ['old-1k.safetensors']);

    const progress: DeployProgress[] = [];
    const result = await executeDeploy(plan, { fs, onProgress: (p) => progress.push(p), chunkSize: 4096 });
    assert.deepEqual(renames, ['models/story-8k.safetensors', 'lib/picoformer/loader.py', 'picoformer.json', 'code.py']);
    assert.deepEqual(result.written, renames);
    assert.deepEqual(result.pruned, ['lib/picoformer/legacy.py']);
    assert.equal(result.bytesWritten, plan.bytesToWrite);

    const after = readTree(box.drive);
    assert.deepEqual(Object.keys(after), [
      'boot_out.txt',
      'code.py',
      'lib/adafruit_thing.py',
      'lib/picoformer/__init__.py',
      'lib/picoformer/loader.py',
      'models/old-1k.safetensors',
      'models/story-8k.safetensors',
      'picoformer.json',
    ]);
    assert.deepEqual(after['models/story-8k.safetensors'], Buffer.from(newModel));
    assert.equal(after['code.py'].toString(), 'import picoformer.app  # v2\n');
    assert.deepEqual(JSON.parse(after['picoformer.json'].toString()), { model: '/models/story-8k.safetensors', baud: 1 });

    // Progress: byte counts only grow, copy before commit, and it ends with "done" at the full total.
    const bytes = progress.map((p) => p.bytesDone);
    assert.deepEqual(bytes, [...bytes].sort((a, b) => a - b));
    assert.ok(progress.filter((p) => p.phase === 'copy' && p.target === 'models/story-8k.safetensors').length >= 5);
    const phases = progress.map((p) => p.phase);
    assert.ok(phases.indexOf('commit') > phases.lastIndexOf('copy'));
    assert.deepEqual(progress.at(-1), { phase: 'done', filesDone: 4, filesTotal: 4, bytesDone: plan.bytesToWrite, bytesTotal: plan.bytesToWrite });

    // The same deploy again writes nothing.
    const again = await prepareDeploy(request, fs);
    assert.deepEqual(again.writes, []);
    assert.equal(again.unchanged.length, 5);
    assert.deepEqual(again.obsolete, []);
  });

  it('converts models on the fly through the transform hook, or takes converted bytes', async () => {
    const request = setUp(box);
    const converted = fakeModel(5000, 3);
    const plan = await prepareDeploy(
      {
        ...request,
        runtimeDir: undefined,
        modelTransform: async ({ fileName, bytes }) => {
          assert.equal(fileName, 'story-8k.safetensors');
          assert.equal(bytes.length, newModel.length);
          return { bytes: converted, fileName: 'story-8k-int8.safetensors' };
        },
      },
      nodeDeployFs(),
    );
    await executeDeploy(plan);
    assert.deepEqual(readFileSync(path.join(box.drive, 'models', 'story-8k-int8.safetensors')), Buffer.from(converted));
    assert.deepEqual(JSON.parse(readFileSync(path.join(box.drive, 'picoformer.json'), 'utf8')).model, '/models/story-8k-int8.safetensors');
    const inMemory = await prepareDeploy({ drivePath: box.drive, models: [{ bytes: converted, fileName: 'legacy-chat-10k.safetensors' }] }, nodeDeployFs());
    assert.deepEqual(inMemory.writes.map((w) => w.target), ['models/legacy-chat-10k.safetensors', 'picoformer.json']);
    const failing = prepareDeploy({ ...request, modelTransform: async () => Promise.reject(new Error('float16 weights not supported')) }, nodeDeployFs());
    await assert.rejects(failing, /Converting .*story-8k\.safetensors for the board failed: float16 weights not supported/);
  });

  it('removes temporary files an earlier crash left behind', async () => {
    const request = setUp(box);
    writeTree(box.drive, { '.pf-tmp-1a2b3c4d-code.py': 'half', 'models/.pf-tmp-99-story-8k.safetensors': 'half a model' });
    const result = await executeDeploy(await prepareDeploy(request, nodeDeployFs()));
    assert.deepEqual(result.staleRemoved.sort(), ['.pf-tmp-1a2b3c4d-code.py', 'models/.pf-tmp-99-story-8k.safetensors']);
    assert.ok(!Object.keys(readTree(box.drive)).some((f) => f.includes('.pf-tmp-')));
  });

  it('full drive (ENOSPC after N bytes): clear error, old files intact, no temporary file', async () => {
    const request = setUp(box);
    const fs = faultyFs(box.drive, { failWritesAfterBytes: 12_000, writeErrorCode: 'ENOSPC' });
    const plan = await prepareDeploy(request, fs);
    const error = await expectIntactAfterFailure(box, () => executeDeploy(plan, { fs, chunkSize: 4096 }), 'drive-full');
    assert.match(error.message, /ran out of space while writing models\/story-8k\.safetensors \(ENOSPC\)\. Nothing was changed/);
  });

  it('a plan that does not fit is refused before anything is written', async () => {
    const request = setUp(box);
    const fs = faultyFs(box.drive, { statfs: { bsize: 512, bavail: 20, blocks: 2000 } });
    const plan = await prepareDeploy(request, fs);
    assert.equal(plan.fits, false);
    const error = await expectIntactAfterFailure(box, () => executeDeploy(plan, { fs }), 'drive-full');
    assert.match(error.message, /needs .* free while it copies.*has 10\.0 KB.*old-1k\.safetensors/);
  });

  it('read-only drive (EROFS, EACCES): clear error, nothing changed', async () => {
    const request = setUp(box);
    for (const code of ['EROFS', 'EACCES']) {
      const fs = faultyFs(box.drive, { createErrorCode: code });
      const plan = await prepareDeploy(request, fs);
      const error = await expectIntactAfterFailure(box, () => executeDeploy(plan, { fs }), 'read-only');
      assert.match(error.message, new RegExp(`read-only \\(${code}\\)\\. Nothing was changed`));
    }
  });

  it('a read-only mount (every change refused, removing a missing file too) says only that, nothing changed', async () => {
    const request = setUp(box);
    const fs = faultyFs(box.drive, { readOnly: true });
    const plan = await prepareDeploy(request, fs);
    const error = await expectIntactAfterFailure(box, () => executeDeploy(plan, { fs }), 'read-only');
    assert.match(error.message, /read-only \(EROFS\)\. Nothing was changed/);
    assert.doesNotMatch(error.message, /[Tt]emporary/); // none was ever written
    assert.deepEqual(error.leftovers, []);
  });

  it('a drive unmounted mid-copy (its folder then empty): the error names the temporary file it left behind', async () => {
    const request = setUp(box);
    const before = readTree(box.drive);
    const fs = faultyFs(box.drive, { failWritesAfterBytes: 8000, writeErrorCode: 'EIO', goneAfterWriteFailure: 'ENOENT' });
    const plan = await prepareDeploy(request, fs);
    const error = await executeDeploy(plan, { fs, random: () => 'cut', chunkSize: 1024 }).catch((e: unknown) => e);
    const after = readTree(box.drive);
    delete after['models/.pf-tmp-cut-story-8k.safetensors'];
    assert.deepEqual(after, before); // every previous file intact
    assert.ok(error instanceof DeployError);
    assert.equal(error.code, 'drive-vanished');
    assert.deepEqual(error.leftovers, ['models/.pf-tmp-cut-story-8k.safetensors']);
    assert.match(error.message, /models\/\.pf-tmp-cut-story-8k\.safetensors.*the next deploy removes/);
  });

  it('--drive naming a file, or a file where the runtime needs a folder: said as it is', async () => {
    const request = setUp(box);
    const file = path.join(box.root, 'not-a-drive.txt');
    writeTree(box.root, { 'not-a-drive.txt': 'x' });
    await assert.rejects(prepareDeploy({ ...request, drivePath: file }, nodeDeployFs()), (e: unknown) => e instanceof DeployError && e.code === 'not-a-drive' && /not-a-drive\.txt is a file, not a drive's folder/.test(e.message));
    rmSync(path.join(box.drive, 'models'), { recursive: true });
    writeTree(box.drive, { models: 'a file where the models folder goes' });
    const before = readTree(box.drive);
    const error = await prepareDeploy(request, nodeDeployFs()).then((plan) => executeDeploy(plan)).catch((e: unknown) => e);
    assert.ok(error instanceof DeployError);
    assert.equal(error.code, 'bad-target', error.message);
    assert.match(error.message, /models.* is a file on .*, where a folder is needed/);
    assert.deepEqual(readTree(box.drive), before);
  });

  it('drive that vanishes mid-copy and comes back: old files intact, no temporary file', async () => {
    const request = setUp(box);
    const fs = faultyFs(box.drive, { failWritesAfterBytes: 8000, writeErrorCode: 'EIO' });
    const plan = await prepareDeploy(request, fs);
    const error = await expectIntactAfterFailure(box, () => executeDeploy(plan, { fs, chunkSize: 1024 }), 'drive-vanished');
    assert.match(error.message, /disappeared while writing models\/story-8k\.safetensors \(EIO\)/);
  });

  it('drive that stays gone: the error names the leftover temp file, the next deploy removes it', async () => {
    const request = setUp(box);
    const before = readTree(box.drive);
    const fs = faultyFs(box.drive, { failWritesAfterBytes: 8000, writeErrorCode: 'EIO', goneAfterWriteFailure: 'ENODEV' });
    const plan = await prepareDeploy(request, fs);
    const error = await executeDeploy(plan, { fs, random: () => 'dead', chunkSize: 1024 }).catch((e: unknown) => e);
    assert.ok(error instanceof DeployError);
    assert.equal(error.code, 'drive-vanished');
    assert.deepEqual(error.leftovers, ['models/.pf-tmp-dead-story-8k.safetensors']);
    assert.match(error.message, /A partly written temporary file was left on the drive \(models\/\.pf-tmp-dead-story-8k\.safetensors\); the next deploy removes it/);
    const now = readTree(box.drive);
    delete now['models/.pf-tmp-dead-story-8k.safetensors'];
    assert.deepEqual(now, before); // every old file intact

    const retry = await executeDeploy(await prepareDeploy(request, nodeDeployFs()));
    assert.deepEqual(retry.staleRemoved, ['models/.pf-tmp-dead-story-8k.safetensors']);
    assert.ok(!Object.keys(readTree(box.drive)).some((f) => f.includes('.pf-tmp-')));
  });

  it('cancelled mid-copy (AbortSignal): old files intact, no temporary file', async () => {
    const request = setUp(box);
    const plan = await prepareDeploy(request, nodeDeployFs());
    const controller = new AbortController();
    const error = await expectIntactAfterFailure(
      box,
      () =>
        executeDeploy(plan, {
          signal: controller.signal,
          chunkSize: 2048,
          onProgress: (p) => {
            if (p.bytesDone > 10_000) controller.abort();
          },
        }),
      'cancelled',
    );
    assert.match(error.message, /cancelled; the previous files .* left in place/);
    await expectIntactAfterFailure(box, () => executeDeploy(plan, { signal: AbortSignal.abort() }), 'cancelled');
  });

  it('a read-back that differs fails verification before anything is replaced', async () => {
    const request = setUp(box);
    const fs = faultyFs(box.drive, { corruptTempReads: true });
    const plan = await prepareDeploy(request, fs);
    const error = await expectIntactAfterFailure(box, () => executeDeploy(plan, { fs }), 'verify-failed');
    assert.match(error.message, /SHA-256 mismatch/);
  });

  it('a rename failing during the commit says what was already replaced and removes the rest', async () => {
    const request = setUp(box);
    const fs = faultyFs(box.drive, { failRenameNumber: 2 });
    const plan = await prepareDeploy(request, fs);
    const error = await executeDeploy(plan, { fs }).catch((e: unknown) => e);
    assert.ok(error instanceof DeployError);
    assert.deepEqual(error.replaced, ['models/story-8k.safetensors']);
    assert.match(error.message, /Already replaced: models\/story-8k\.safetensors; deploy again to finish/);
    const after = readTree(box.drive);
    assert.ok(!Object.keys(after).some((f) => f.includes('.pf-tmp-')));
    assert.equal(after['code.py'].toString(), '# v1\n'); // code.py, last, is still the old one
  });

  it('clear errors for a missing drive, a missing or invalid model, an unknown default model', async () => {
    const request = setUp(box);
    const fs = nodeDeployFs();
    await assert.rejects(prepareDeploy({ ...request, drivePath: path.join(box.root, 'gone') }, fs), (e: unknown) => e instanceof DeployError && e.code === 'drive-vanished' && /not available/.test(e.message));
    await assert.rejects(prepareDeploy({ ...request, models: [{ path: path.join(box.host, 'nope.safetensors') }] }, fs), /Cannot read the model .*nope\.safetensors: not found/);
    writeTree(box.host, { 'junk.safetensors': 'this is not a model at all' });
    await assert.rejects(prepareDeploy({ ...request, models: [{ path: path.join(box.host, 'junk.safetensors') }] }, fs), /junk\.safetensors is not a safetensors model file/);
    await assert.rejects(prepareDeploy({ ...request, models: [], defaultModel: 'other.safetensors' }, fs), /default model other\.safetensors is neither/);
    const keepSettings = await prepareDeploy({ ...request, defaultModel: null }, fs);
    assert.ok(!keepSettings.writes.some((w) => w.target === 'picoformer.json'));
    const runtimeOnly = await prepareDeploy({ drivePath: box.drive, runtimeDir: box.runtime }, fs);
    assert.deepEqual(runtimeOnly.writes.map((w) => w.kind), ['runtime', 'code']);
  });
});

describe('device: removing models from the board', () => {
  let box: Sandbox;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.dispose());

  it('lists models with the default, removes some, re-points the default, reports missing names', async () => {
    setUp(box);
    writeTree(box.drive, { 'models/chat-3k.safetensors': fakeModel(100, 4) });
    const fs = nodeDeployFs();
    assert.deepEqual(await listBoardModels(fs, box.drive), [
      { name: 'chat-3k.safetensors', size: fakeModel(100, 4).length, isDefault: false },
      { name: 'old-1k.safetensors', size: oldModel.length, isDefault: true },
    ]);
    const result = await removeModels(fs, box.drive, ['old-1k.safetensors', 'never.safetensors']);
    assert.deepEqual(result, { removed: ['old-1k.safetensors'], missing: ['never.safetensors'], defaultModel: 'chat-3k.safetensors', settingsChanged: true });
    assert.deepEqual(JSON.parse(readFileSync(path.join(box.drive, 'picoformer.json'), 'utf8')), { model: '/models/chat-3k.safetensors', baud: 1 });

    const last = await removeModels(fs, box.drive, ['chat-3k.safetensors']);
    assert.equal(last.defaultModel, undefined);
    assert.deepEqual(JSON.parse(readFileSync(path.join(box.drive, 'picoformer.json'), 'utf8')), { baud: 1 });
    assert.deepEqual(await listBoardModels(fs, box.drive), []);
  });

  it('refuses paths and reports a read-only drive', async () => {
    setUp(box);
    await assert.rejects(removeModels(nodeDeployFs(), box.drive, ['../code.py']), /not a path/);
    const readOnly = faultyFs(box.drive, {});
    readOnly.unlink = async (p) => Promise.reject(Object.assign(new Error(`EROFS: ${p}`), { code: 'EROFS' }));
    await assert.rejects(removeModels(readOnly, box.drive, ['old-1k.safetensors']), (e: unknown) => e instanceof DeployError && e.code === 'read-only');
    assert.deepEqual(readTree(box.drive)['models/old-1k.safetensors'], Buffer.from(oldModel));
  });
});
