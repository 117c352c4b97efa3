// The runtime deployed as precompiled bytecode (.mpy) to a board that reported it imports it, .py otherwise: the
// header each board takes, stale or missing bytecode falling back to .py, switching forms in both directions with
// never both forms of a module left on the drive, an interrupted switch leaving every module importable, and the
// "already up to date" check seeing a leftover of the other form.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DeployError } from '../../../src/device/deploy/deployErrors';
import { nodeDeployFs } from '../../../src/device/deploy/deployFs';
import { executeDeploy } from '../../../src/device/deploy/executeDeploy';
import { type BoardBytecode, boardMpyHeader, otherForm, withHeader } from '../../../src/device/deploy/precompiled';
import { prepareDeploy, type DeployRequest } from '../../../src/device/deploy/prepareDeploy';
import { buildRuntimeBytecode } from '../../../scripts/mpyCross.mjs';
import { faultyFs, readTree, sandbox, writeTree, type Sandbox } from './deployHelpers';

const CircuitPython: BoardBytecode = { impl: 'circuitpython', mpy: 774 };
const Modules = ['__init__', 'app', 'loader', 'model'];

/** The modules of the drive's lib/picoformer, by name: which forms are there. */
function forms(box: Sandbox): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const file of Object.keys(readTree(box.drive))) {
    const m = /^lib\/picoformer\/(\w+)\.(py|mpy)$/.exec(file);
    if (m) (out[m[1]] ??= []).push(m[2]);
  }
  return out;
}

describe('device: the precompiled runtime (.mpy)', () => {
  describe('which header a board takes', () => {
    it('CircuitPython 9 (mpy 6.3): "C" and its sub-version; MicroPython: "M"', () => {
      assert.deepEqual(boardMpyHeader(CircuitPython), { magic: 0x43, flags: 3 });
      assert.deepEqual(boardMpyHeader({ impl: 'micropython', mpy: 774 }), { magic: 0x4d, flags: 3 });
      assert.deepEqual(boardMpyHeader({ impl: 'circuitpython', mpy: 6 | (1 << 8) }), { magic: 0x43, flags: 1 });
    });

    it('none for another mpy version, an implementation without bytecode, or a board that did not say', () => {
      for (const board of [{ impl: 'circuitpython', mpy: 5 }, { impl: 'cpython', mpy: 774 }, { impl: 'circuitpython', mpy: null }, { impl: 'circuitpython' }, undefined]) {
        assert.equal(boardMpyHeader(board), undefined, JSON.stringify(board));
      }
    });

    it('rewrites the first and third bytes only, and refuses what is not mpy-cross output', () => {
      const mpy = new Uint8Array([0x4d, 6, 0, 31, 9, 9]);
      assert.deepEqual([...withHeader(mpy, { magic: 0x43, flags: 3 })], [0x43, 6, 3, 31, 9, 9]);
      assert.deepEqual([...mpy], [0x4d, 6, 0, 31, 9, 9]);
      assert.throws(() => withHeader(new Uint8Array([0x43, 5, 0, 31]), { magic: 0x43, flags: 3 }), /not an mpy 6 file/);
    });

    it('pairs a module with its other form', () => {
      assert.equal(otherForm('lib/picoformer/app.py'), 'lib/picoformer/app.mpy');
      assert.equal(otherForm('lib/picoformer/app.mpy'), 'lib/picoformer/app.py');
      assert.equal(otherForm('models/a.safetensors'), undefined);
    });
  });

  describe('deploying it', function () {
    this.timeout(60_000);
    let box: Sandbox;
    let bytecodeDir: string;

    beforeEach(async () => {
      box = sandbox();
      writeTree(box.runtime, {
        'code.py': 'from picoformer.app import main\nmain()\n',
        ...Object.fromEntries(Modules.map((m) => [`lib/picoformer/${m}.py`, `# ${m}\nNAME = "${m}"\n\ndef f(x):\n    return x + 1\n`])),
      });
      writeTree(box.drive, { 'boot_out.txt': 'Adafruit CircuitPython 9.2.8 on 2025-05-28; Raspberry Pi Pico with rp2040\n' });
      bytecodeDir = path.join(box.host, 'board-mpy');
      await buildRuntimeBytecode(box.runtime, bytecodeDir);
    });
    afterEach(() => box.dispose());

    const request = (board?: BoardBytecode): DeployRequest => ({ drivePath: box.drive, runtimeDir: box.runtime, bytecodeDir, ...(board ? { board } : {}) });
    const deploy = async (board?: BoardBytecode) => {
      const plan = await prepareDeploy(request(board), nodeDeployFs());
      return { plan, result: await executeDeploy(plan) };
    };

    it('as .mpy with the board\'s header where the board reported its mpy; code.py stays source', async () => {
      const { plan } = await deploy(CircuitPython);
      assert.equal(plan.runtimeForm?.form, 'mpy', plan.runtimeForm?.reason);
      const drive = readTree(box.drive);
      assert.ok(drive['code.py']);
      for (const m of Modules) {
        const mpy = drive[`lib/picoformer/${m}.mpy`];
        assert.ok(mpy, m);
        assert.deepEqual([...mpy.subarray(0, 3)], [0x43, 6, 3]);
      }
      assert.deepEqual(forms(box), Object.fromEntries(Modules.map((m) => [m, ['mpy']])));
    });

    it('as .py until the board has said which bytecode it imports, or when it imports another', async () => {
      for (const board of [undefined, { impl: 'circuitpython', mpy: 5 }]) {
        const { plan } = await deploy(board);
        assert.equal(plan.runtimeForm?.form, 'py');
        assert.match(plan.runtimeForm?.reason ?? '', board ? /mpy 5/ : /has not reported/);
        assert.deepEqual(forms(box), Object.fromEntries(Modules.map((m) => [m, ['py']])));
      }
    });

    it('as .py when the bytecode is missing or was built from other sources, saying why', async () => {
      writeTree(box.runtime, { 'lib/picoformer/app.py': '# app, edited after the build\n' });
      let plan = await prepareDeploy(request(CircuitPython), nodeDeployFs());
      assert.equal(plan.runtimeForm?.form, 'py');
      assert.match(plan.runtimeForm?.reason ?? '', /app\.mpy was built from another lib\/picoformer\/app\.py/);
      plan = await prepareDeploy({ ...request(CircuitPython), bytecodeDir: path.join(box.host, 'nowhere') }, nodeDeployFs());
      assert.match(plan.runtimeForm?.reason ?? '', /no precompiled runtime/);
    });

    it('switching forms removes the other one, in both directions; the same deploy again is up to date', async () => {
      await deploy();
      let { plan, result } = await deploy(CircuitPython);
      assert.deepEqual(forms(box), Object.fromEntries(Modules.map((m) => [m, ['mpy']])));
      assert.deepEqual(plan.writes.filter((w) => w.kind === 'runtime').map((w) => w.removesOther), Modules.map((m) => `lib/picoformer/${m}.py`));
      assert.deepEqual(result.pruned.sort(), Modules.map((m) => `lib/picoformer/${m}.py`).sort());
      ({ result } = await deploy(CircuitPython));
      assert.deepEqual([result.written, result.pruned], [[], []]);
      ({ plan, result } = await deploy());
      assert.deepEqual(forms(box), Object.fromEntries(Modules.map((m) => [m, ['py']])));
      assert.deepEqual(result.pruned.sort(), Modules.map((m) => `lib/picoformer/${m}.mpy`).sort());
    });

    it('a leftover of the other form beside an unchanged module is removed: the runtime was not up to date', async () => {
      await deploy(CircuitPython);
      writeTree(box.drive, { 'lib/picoformer/app.py': '# left by an interrupted deploy\n' });
      const { plan, result } = await deploy(CircuitPython);
      assert.deepEqual(result.written, []);
      assert.ok(plan.unchanged.includes('lib/picoformer/app.mpy'));
      assert.deepEqual(result.pruned, ['lib/picoformer/app.py']);
      assert.deepEqual(forms(box).app, ['mpy']);
    });

    it('interrupted while switching (a rename fails, or the drive goes): every module keeps a form the board imports, and the next deploy finishes', async () => {
      for (const faults of [{ failRenameNumber: 3 }, { failRenameNumber: 1 }]) {
        await deploy();
        const plan = await prepareDeploy(request(CircuitPython), nodeDeployFs());
        const error = await executeDeploy(plan, { fs: faultyFs(box.drive, faults) }).then(
          () => assert.fail('should have failed'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof DeployError);
        const now = forms(box);
        assert.deepEqual(Object.keys(now).sort(), [...Modules].sort(), 'every module still has a file');
        // A module with both forms is imported from its .py (the old form): only the module being switched has both.
        assert.ok(Object.values(now).filter((f) => f.length === 2).length <= 1, JSON.stringify(now));
        await deploy(CircuitPython);
        assert.deepEqual(forms(box), Object.fromEntries(Modules.map((m) => [m, ['mpy']])));
      }
    });
  });
});
