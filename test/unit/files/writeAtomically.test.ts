import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from '../../../src/files/writeAtomically';

describe('files: writing a whole file or nothing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'picoformer-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the bytes, replaces an older file, and leaves no temporary file', async () => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'old');
    await writeFileAtomically(path, new TextEncoder().encode('new contents'));
    assert.equal(readFileSync(path, 'utf8'), 'new contents');
    await writeFileAtomically(join(dir, 'corpus.txt'), 'text too');
    assert.equal(readFileSync(join(dir, 'corpus.txt'), 'utf8'), 'text too');
    assert.deepEqual(readdirSync(dir).sort(), ['corpus.txt', 'model.safetensors']);
  });

  it('a failure to put the file in place removes the temporary file and keeps what was there', async () => {
    // The target is a folder that is not empty: the rename fails after the data was written.
    const path = join(dir, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'keep.txt'), 'kept');
    await assert.rejects(writeFileAtomically(path, 'data'), /taken/);
    assert.deepEqual(readdirSync(dir), ['taken'], 'no temporary file left beside it');
    assert.equal(readFileSync(join(path, 'keep.txt'), 'utf8'), 'kept');
  });

  it('a folder that does not exist: nothing is written, the error names the path', async () => {
    await assert.rejects(writeFileAtomically(join(dir, 'missing', 'm.safetensors'), 'data'), /missing/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
