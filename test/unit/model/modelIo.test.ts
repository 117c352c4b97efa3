import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeModel } from '../../../src/model/modelFile';
import { isLegacyPath, loadAnyModel, readModelFile, readModelHeaderFile } from '../../../src/model/modelIo';
import { convertModel } from '../../../src/model/quantize';
import { summarize } from '../../../src/model/summary';
import { tinyModel } from './helpers';

const story = join(process.env.PICOFORMER_SHARED ?? resolve(__dirname, '../../../../shared'), 'anchors', 'tiny-transformers-rp2040', 'v5', 'story-1k-balanced');

describe('model files on disk', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'picoformer-io-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the header alone, checked against the file size', async () => {
    const bytes = writeModel(convertModel(tinyModel({ tied_embeddings: false }), 'I8'));
    const path = join(dir, 'm.safetensors');
    writeFileSync(path, bytes);
    const h = await readModelHeaderFile(path);
    assert.equal(h.fileSize, bytes.length);
    assert.equal(h.config.vocab_size, 12);
    writeFileSync(path, bytes.subarray(0, bytes.length - 1));
    await assert.rejects(readModelHeaderFile(path), /truncated/);
    writeFileSync(path, bytes.subarray(0, 4));
    await assert.rejects(readModelHeaderFile(path), /too short/);
  });

  it('summarizes a model from its header', async () => {
    const path = join(dir, 'm.safetensors');
    writeFileSync(path, writeModel(convertModel(tinyModel({ family: 'chat' }), 'I8')));
    const s = summarize(await readModelHeaderFile(path));
    assert.equal(s.name, 'chat-324');
    assert.equal(s.weights, 'I8');
    assert.deepEqual(s.parametersByDtype, { I8: 304, F32: 20 }); // norms stay float
    assert.equal(s.weightBytes + s.scaleBytes + s.headerBytes, s.fileBytes);
    assert.equal(s.scaleBytes, 4 * (12 + 8 + 2 * (4 * 4 + 6 + 4)));
  });

  it('loads a model file or a legacy trio', async () => {
    const path = join(dir, 'm.safetensors');
    writeFileSync(path, writeModel(tinyModel()));
    assert.equal((await readModelFile(path)).config.dim, 4);
    assert.deepEqual([await isLegacyPath(path), await isLegacyPath(story), await isLegacyPath(join(story, 'config_1280p.json'))], [false, true, true]);
    const legacy = await loadAnyModel(story);
    assert.equal(legacy.legacy, true);
    assert.equal(legacy.model.config.norm_eps, 1e-6);
    assert.equal((await loadAnyModel(path)).legacy, false);
  });
});
