import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { nodeDeployFs } from '../../../src/device/deploy/deployFs';
import { executeDeploy } from '../../../src/device/deploy/executeDeploy';
import { prepareDeploy } from '../../../src/device/deploy/prepareDeploy';
import { removeModels } from '../../../src/device/deploy/removeModels';
import { defaultModelMode, defaultModelName, parseBoardSettings, renderBoardSettings } from '../../../src/device/deploy/settingsFile';
import { fakeModel, sandbox, writeTree, type Sandbox } from './deployHelpers';

const bytes = (text: string) => new TextEncoder().encode(text);
const rendered = (out: Uint8Array) => JSON.parse(new TextDecoder().decode(out)) as Record<string, unknown>;

describe('device: /picoformer.json', () => {
  it('parses the default model and its load mode; anything else is no setting', () => {
    const settings = parseBoardSettings(bytes('{"model": "/models/story-8k.safetensors", "mode": "streamed", "baud": 1}'));
    assert.equal(defaultModelName(settings), 'story-8k.safetensors');
    assert.equal(defaultModelMode(settings), 'streamed');
    assert.equal(defaultModelMode(parseBoardSettings(bytes('{"model": "/models/a.safetensors", "mode": "resident"}'))), 'resident');
    for (const text of ['{"model": "/models/a.safetensors"}', '{"mode": "auto"}', '{"mode": "fast"}', '{"mode": 1}', '[]', 'not json', '']) {
      assert.equal(defaultModelMode(parseBoardSettings(bytes(text))), undefined, text);
    }
    assert.deepEqual(parseBoardSettings(undefined), {});
  });

  it('renders the model with the chosen mode, drops the mode for auto or another model, keeps unknown keys', () => {
    const existing = { model: '/models/old.safetensors', mode: 'streamed', baud: 1 };
    assert.deepEqual(rendered(renderBoardSettings(existing, 'new.safetensors', 'resident')), { model: '/models/new.safetensors', mode: 'resident', baud: 1 });
    assert.deepEqual(rendered(renderBoardSettings({ baud: 1 }, 'new.safetensors', 'streamed')), { baud: 1, model: '/models/new.safetensors', mode: 'streamed' });
    assert.deepEqual(rendered(renderBoardSettings(existing, 'new.safetensors', 'auto')), { model: '/models/new.safetensors', baud: 1 });
    // No mode given: auto (a mode chosen for one model is not carried over to the next).
    assert.deepEqual(rendered(renderBoardSettings(existing, 'new.safetensors')), { model: '/models/new.safetensors', baud: 1 });
    assert.deepEqual(rendered(renderBoardSettings(existing, null)), { baud: 1 });
    assert.equal(new TextDecoder().decode(renderBoardSettings({}, 'm.safetensors', 'streamed')), '{\n  "model": "/models/m.safetensors",\n  "mode": "streamed"\n}\n');
  });

  describe('written by deploy', () => {
    let box: Sandbox;
    beforeEach(() => {
      box = sandbox();
      writeTree(box.host, { 'story-8k.safetensors': fakeModel(2000, 2) });
      writeTree(box.drive, { 'models/chat-3k.safetensors': fakeModel(100, 4), 'picoformer.json': '{"model": "/models/chat-3k.safetensors", "baud": 1}\n' });
    });
    afterEach(() => box.dispose());

    const onBoard = () => JSON.parse(readFileSync(path.join(box.drive, 'picoformer.json'), 'utf8')) as Record<string, unknown>;
    const deploy = async (defaultModelMode?: 'auto' | 'resident' | 'streamed') => {
      const models = [{ path: path.join(box.host, 'story-8k.safetensors') }];
      await executeDeploy(await prepareDeploy({ drivePath: box.drive, models, ...(defaultModelMode ? { defaultModelMode } : {}) }, nodeDeployFs()));
    };

    it('records the mode the user chose, and removes it when they chose auto', async () => {
      await deploy('streamed');
      assert.deepEqual(onBoard(), { model: '/models/story-8k.safetensors', mode: 'streamed', baud: 1 });
      await deploy('auto');
      assert.deepEqual(onBoard(), { model: '/models/story-8k.safetensors', baud: 1 });
      await deploy('resident');
      assert.equal(onBoard().mode, 'resident');
      await deploy(); // a deploy that asks nothing (the CLI) is auto
      assert.equal(onBoard().mode, undefined);
    });

    it('drops the mode when removing the default model points the settings at another one', async () => {
      await deploy('streamed');
      await removeModels(nodeDeployFs(), box.drive, ['story-8k.safetensors']);
      assert.deepEqual(onBoard(), { model: '/models/chat-3k.safetensors', baud: 1 });
    });
  });
});
