// The runtime deployed as precompiled bytecode (.mpy, "M" header) to the virtual Pico's MicroPython: the deploy code
// writes it for a board that reported mpy 774 (MicroPython 1.27: mpy 6.3), and the runtime imported from it gives
// the reference's tokens, as from .py.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployToFolder } from '../../../src/emu/emulateDeploy';
import { buildRuntimeBytecode } from '../../../scripts/mpyCross.mjs';
import { BoardDir, BoardVm } from './boardVm';
import { comparableIds, golden } from './goldenFiles';

describe('board runtime in MicroPython: from precompiled bytecode (.mpy)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'picoformer-vm-mpy-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('deployed as .mpy for MicroPython, it reports the bytecode it imports and generates the reference\'s tokens', async () => {
    const drive = join(dir, 'drive');
    mkdirSync(drive);
    await buildRuntimeBytecode(BoardDir, join(dir, 'mpy'));
    const plan = await deployToFolder(drive, { runtimeDir: BoardDir, bytecodeDir: join(dir, 'mpy'), board: { impl: 'micropython', mpy: 774 } });
    assert.ok(plan.written.includes('lib/picoformer/app.mpy'));
    const onDrive = readdirSync(join(drive, 'lib', 'picoformer'));
    assert.deepEqual(onDrive.filter((n) => n.endsWith('.py')), []);
    // Every runtime module goes as bytecode (jsoncheck, imported by header, included): none is left to compile.
    const modules = readdirSync(join(BoardDir, 'lib', 'picoformer')).filter((n) => n.endsWith('.py')).map((n) => n.replace(/\.py$/, '.mpy'));
    assert.ok(modules.includes('jsoncheck.mpy'));
    assert.deepEqual(onDrive.filter((n) => n.endsWith('.mpy')).sort(), modules.sort());
    const { g, model } = golden('random-1k-i8');
    const vm = await BoardVm.create({ 'random-1k-i8.safetensors': model }, null, drive);
    vm.boot();
    vm.command({ cmd: 'hello' });
    assert.equal(vm.until('ready', { match: { host: true } }).mpy, 774);
    assert.ok(vm.value<string>('__import__("picoformer.app").app.__file__').endsWith('app.mpy'));
    vm.command({ cmd: 'load', name: 'random-1k-i8', mode: 'resident' });
    vm.until('loaded');
    for (const c of g.generations.slice(0, 3)) {
      vm.command({ cmd: 'generate', prompt: c.prompt, max_tokens: c.max_tokens, temperature: c.temperature, top_k: c.top_k, seed: c.seed });
      const ids = vm.collectUntil('done').filter((e) => e.ev === 'token').map((e) => e.id as number);
      const { n } = comparableIds(c, 1e-6);
      assert.deepEqual(ids.slice(0, n), c.ids.slice(0, n), `${c.prompt} seed ${c.seed}`);
    }
  });
});
