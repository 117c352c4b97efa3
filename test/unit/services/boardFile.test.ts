// boardFileFor: which of the board's files a workspace model is, as the runtime lists them; and a model just
// deployed that the runtime does not list yet (the virtual Pico copies its drive at boot, so it sees the file only
// after the deploy's reload) is something to wait for, not a missing model.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boardFileFor } from '../../../src/services/boardFile';
import { modelBytes } from './fixtures';

describe('boardFileFor', () => {
  let dir: string;
  let model: { name: string; path: string };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pf-boardfile-'));
    mkdirSync(join(dir, 'ws', 'models'), { recursive: true });
    mkdirSync(join(dir, 'drive', 'models'), { recursive: true });
    model = { name: 'story.safetensors', path: join(dir, 'ws', 'models', 'story.safetensors') };
    writeFileSync(model.path, modelBytes(1000, 'F32'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("finds the model under the name deploying gives it (converted to int8: '-int8')", async () => {
    assert.equal(await boardFileFor(model, ['other.safetensors', 'story-int8.safetensors'], 'the virtual Pico'), 'story-int8.safetensors');
  });

  it('says it is not on the board, with what is, when neither the runtime nor the drive has it', async () => {
    await assert.rejects(boardFileFor(model, ['other.safetensors'], 'the virtual Pico', join(dir, 'drive')), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'not_deployed');
      assert.equal(e.message, 'story-int8.safetensors is not on the virtual Pico yet: deploy it to generate there. On the board: other.safetensors.');
      return true;
    });
  });

  it('a model on the drive that the runtime does not list yet is waited for (code "restarted"), not called missing', async () => {
    writeFileSync(join(dir, 'drive', 'models', 'story-int8.safetensors'), 'x');
    await assert.rejects(boardFileFor(model, ['other.safetensors'], 'the virtual Pico', join(dir, 'drive')), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'restarted');
      assert.match(e.message, /story-int8\.safetensors was just deployed to the virtual Pico: waiting for its runtime to restart with it/);
      return true;
    });
  });
});
