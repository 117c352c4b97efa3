// The runtime as precompiled bytecode (.mpy) on the official firmware (issue 13 §2): booted from .py, the runtime
// reports the bytecode it imports (`ready` mpy: 774, mpy 6.3); the deploy that follows, knowing it, sends .mpy
// with CircuitPython's header and removes the .py; Ctrl-D restarts the runtime from the bytecode and it loads the
// default model and gives the reference's tokens. A deploy that does not know the board goes back to .py.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRuntimeBytecode } from '../../scripts/mpyCross.mjs';
import { type Booted, MODELS_DIR, RUNTIME_DIR, bootWith, compareWithReference, modelOf } from './support';

const File = 'story-1k.safetensors';
const Case = { prompt: 'once upon', tokens: 12, temperature: 0, seed: 1 };

/** The file names of the drive's lib/picoformer by extension. */
function libForms(drive: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of readdirSync(join(drive, 'lib', 'picoformer'))) {
    const ext = name.slice(name.lastIndexOf('.') + 1);
    out[ext] = (out[ext] ?? 0) + 1;
  }
  return out;
}

describe('firmware: the precompiled runtime (.mpy)', function () {
  const model = modelOf(new Uint8Array(readFileSync(join(MODELS_DIR, File))));
  const modules = readdirSync(join(RUNTIME_DIR, 'lib', 'picoformer')).filter((n) => n.endsWith('.py')).length;
  let booted: Booted;
  let bytecodeDir: string;

  before(async () => {
    bytecodeDir = mkdtempSync(join(tmpdir(), 'picoformer-mpy-'));
    await buildRuntimeBytecode(RUNTIME_DIR, bytecodeDir);
    booted = await bootWith([{ path: join(MODELS_DIR, File) }]);
  });
  after(async () => {
    await booted?.close();
    rmSync(bytecodeDir, { recursive: true, force: true });
  });

  it('the runtime reports the bytecode the firmware imports', () => {
    const ready = booted.board.session.runtime;
    assert.equal(ready?.impl, 'circuitpython');
    assert.equal(ready?.mpy, 774);
    assert.deepEqual(libForms(booted.drive), { py: modules });
  });

  it('deployed as .mpy once the board said so, it restarts from the bytecode and gives the reference\'s tokens', async () => {
    const { board, drive } = booted;
    const ready = board.session.runtime;
    assert.ok(ready);
    const restarted = await board.deploy({ runtimeDir: RUNTIME_DIR, bytecodeDir, board: { impl: ready.impl, mpy: ready.mpy } });
    assert.deepEqual(libForms(drive), { mpy: modules });
    assert.equal(restarted.version, ready.version);
    await board.session.list(); // the start-up load is over
    assert.equal((await board.session.info()).model?.file, File);
    const { difference } = await compareWithReference(board, model, Case);
    assert.equal(difference, undefined, difference);
  });

  it('a deploy that does not know the board goes back to .py, and the runtime starts from it', async () => {
    const { board, drive } = booted;
    await board.deploy({ runtimeDir: RUNTIME_DIR, bytecodeDir });
    assert.deepEqual(libForms(drive), { py: modules });
    await board.session.list();
    const { difference } = await compareWithReference(board, model, Case);
    assert.equal(difference, undefined, difference);
  });
});
