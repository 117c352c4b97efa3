import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { currentStamp, readModelEntry } from '../../../src/services/modelEntry';
import { modelBytes } from './fixtures';

const anchors = resolve(process.env.PICOFORMER_SHARED ?? resolve(__dirname, '../../../../shared'), 'anchors/tiny-transformers-rp2040');

describe('model entries', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'pf-entry-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a model file header with its summary and a stamp', async () => {
    const path = join(dir, 'a.safetensors');
    writeFileSync(path, modelBytes(8000, 'I8'));
    const entry = await readModelEntry(path);
    assert.ok(entry.ok);
    assert.equal(entry.summary.weights, 'I8');
    assert.equal(entry.fileLabel, 'a.safetensors');
    assert.equal(entry.stamp, await currentStamp(path));
  });

  it('reads a legacy trio through its config file', async () => {
    const entry = await readModelEntry(join(anchors, 'v5', 'story-1k-balanced', 'config_1280p.json'));
    assert.ok(entry.ok, entry.ok ? '' : entry.problem);
    assert.equal(entry.legacy, true);
    assert.equal(entry.fileLabel, 'story-1k-balanced');
    assert.equal(entry.summary.config.norm, 'layernorm');
  });

  it('turns an unreadable file into an entry that says why, with the format error code', async () => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, 'not a model at all');
    const entry = await readModelEntry(path);
    assert.equal(entry.ok, false);
    assert.ok(!entry.ok && entry.code === 'header_length' && /header/.test(entry.problem), JSON.stringify(entry));
    const missing = await readModelEntry(join(dir, 'gone.safetensors'));
    assert.ok(!missing.ok && missing.code === 'io' && /ENOENT/.test(missing.problem));
    assert.equal(await currentStamp(join(dir, 'gone.safetensors')), 'missing');
  });
});
