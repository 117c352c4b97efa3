// readDeployedState: what a drive says is deployed, checked before a generation talks to the board.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDeployedState } from '../../../src/device/deploy/deployedState';

describe('readDeployedState', () => {
  let drive: string;
  const write = (path: string, text = '') => {
    mkdirSync(join(drive, path, '..'), { recursive: true });
    writeFileSync(join(drive, path), text);
  };
  beforeEach(() => (drive = mkdtempSync(join(tmpdir(), 'pf-deployed-'))));
  afterEach(() => rmSync(drive, { recursive: true, force: true }));

  it('an empty drive has no runtime and no models', () => {
    assert.deepEqual(readDeployedState(drive), { runtime: false, models: [] });
  });

  it('the runtime is there when code.py imports it and its library is on the drive', () => {
    write('code.py', 'from picoformer.app import main\nmain()\n');
    assert.equal(readDeployedState(drive)?.runtime, false, 'code.py without lib/picoformer');
    write('lib/picoformer/__init__.py', 'VERSION = "0.2.0"\n');
    assert.equal(readDeployedState(drive)?.runtime, true);
    write('code.py', 'print("hello, blink")\n');
    assert.equal(readDeployedState(drive)?.runtime, false, "someone else's code.py does not start the runtime");
  });

  it('lists the model files in /models, not temporaries or other files', () => {
    write('models/story-8k.safetensors');
    write('models/.pf-tmp-1-story-1k.safetensors');
    write('models/notes.txt');
    assert.deepEqual(readDeployedState(drive)?.models, ['story-8k.safetensors']);
  });

  it('says nothing about a drive that is not there (unmounted)', () => {
    assert.equal(readDeployedState(join(drive, 'gone')), undefined);
  });
});
