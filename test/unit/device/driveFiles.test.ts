import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deleteFromDrive, driveSpace, driveUsage, filesUnder, listDriveFolder, nodeDriveFs, normalizeTarget } from '../../../src/device/drives/driveFiles';
import { fakeModel, readTree, writeTree } from './deployHelpers';

describe('device: the files on a board\'s drive', () => {
  let drive: string;
  const fs = nodeDriveFs();

  beforeEach(() => {
    drive = mkdtempSync(path.join(tmpdir(), 'pf-drive-'));
    writeTree(drive, {
      'code.py': 'from picoformer.app import main\nmain()\n',
      'boot_out.txt': 'Adafruit CircuitPython 9.2.8\n',
      'picoformer.json': '{"model": "/models/b.safetensors"}',
      'lib/picoformer/app.py': 'x = 1\n',
      'lib/picoformer/gen.py': 'y = 2\n',
      'models/a.safetensors': fakeModel(100),
      'models/b.safetensors': fakeModel(200),
      'models/notes.txt': 'mine',
      '.fseventsd/no_log': '',
      'models/.pf-tmp-abc-c.safetensors': 'staged',
    });
  });

  afterEach(() => rmSync(drive, { recursive: true, force: true }));

  it('lists a folder: folders first, then files by name, with sizes; hidden entries are not listed', async () => {
    const root = await listDriveFolder(fs, drive);
    assert.deepEqual(root.map((e) => [e.name, e.kind]), [['lib', 'folder'], ['models', 'folder'], ['boot_out.txt', 'file'], ['code.py', 'file'], ['picoformer.json', 'file']]);
    assert.equal(root.find((e) => e.name === 'code.py')?.size, 'from picoformer.app import main\nmain()\n'.length);
    const models = await listDriveFolder(fs, drive, 'models');
    assert.deepEqual(models.map((e) => e.target), ['models/a.safetensors', 'models/b.safetensors', 'models/notes.txt']);
    assert.deepEqual((await listDriveFolder(fs, drive, '/lib/picoformer/')).map((e) => e.name), ['app.py', 'gen.py']);
  });

  it('says what went wrong when a folder cannot be read', async () => {
    await assert.rejects(listDriveFolder(fs, drive, 'nope'), /nope/);
  });

  it('reports the drive\'s size and free space, and the bytes its files take', async () => {
    const space = await driveSpace(fs, drive);
    assert.ok(space.totalBytes > 0 && space.freeBytes > 0 && space.freeBytes <= space.totalBytes);
    const files = readTree(drive);
    assert.equal(await driveUsage(fs, drive), Object.values(files).reduce((sum, b) => sum + b.length, 0));
  });

  it('refuses paths outside the drive, and the drive itself', async () => {
    assert.equal(normalizeTarget('/lib//picoformer/'), 'lib/picoformer');
    assert.throws(() => normalizeTarget('../etc'), /not a path on the board/);
    await assert.rejects(deleteFromDrive(fs, drive, '/'), /drive itself cannot be deleted/);
    await assert.rejects(deleteFromDrive(fs, drive, 'lib/../../x'), /not a path on the board/);
  });

  it('deletes a file, and a folder with everything in it', async () => {
    assert.deepEqual((await deleteFromDrive(fs, drive, 'code.py')).files, ['code.py']);
    assert.equal(existsSync(path.join(drive, 'code.py')), false);
    const lib = await deleteFromDrive(fs, drive, 'lib');
    assert.deepEqual(lib.files.sort(), ['lib/picoformer/app.py', 'lib/picoformer/gen.py']);
    assert.deepEqual(lib.folders, ['lib/picoformer', 'lib']);
    assert.equal(existsSync(path.join(drive, 'lib')), false);
    assert.ok(existsSync(path.join(drive, 'models', 'a.safetensors')), 'nothing else is touched');
  });

  it('deleting the default model makes /picoformer.json name another one (as Delete from Board does)', async () => {
    const result = await deleteFromDrive(fs, drive, 'models/b.safetensors');
    assert.deepEqual(result.files, ['models/b.safetensors']);
    assert.equal(result.defaultModel, 'a.safetensors');
    assert.match(readFileSync(path.join(drive, 'picoformer.json'), 'utf8'), /\/models\/a\.safetensors/);
    const all = await deleteFromDrive(fs, drive, 'models');
    for (const file of ['models/a.safetensors', 'models/notes.txt']) assert.ok(all.files.includes(file), `${file} in ${all.files.join(', ')}`);
    assert.equal(existsSync(path.join(drive, 'models')), false);
    assert.doesNotMatch(readFileSync(path.join(drive, 'picoformer.json'), 'utf8'), /"model"/);
    assert.deepEqual(Object.keys(readTree(drive)).sort(), ['.fseventsd/no_log', 'boot_out.txt', 'code.py', 'lib/picoformer/app.py', 'lib/picoformer/gen.py', 'picoformer.json']);
  });

  it('counts what a folder holds (for the confirmation), hidden files included', async () => {
    const { files, folders } = await filesUnder(fs, drive, 'models');
    assert.equal(files.length, 4);
    assert.deepEqual(folders, ['models']);
  });
});
