// Issue 12 §1 in the MicroPython VM: model files made to kill the runtime (nesting 2,000 to 50,000 levels deep,
// 12 KB to 300 KB, in the header or inside the config) sit on the drive beside a good model. Start-up refuses each
// with its code, loads the good one and answers; the live heap ends no more than 1 KB above a start-up without them.
// (On the emulated official firmware the old runtime kept ~92 KB live and loaded nothing: board/README.md.)
import assert from 'node:assert/strict';
import { BoardVm } from './boardVm';
import { golden } from './goldenFiles';
import { HostileModels } from '../fixtures/hostileModels';

const Hostile = HostileModels;

async function started(hostile: boolean): Promise<BoardVm> {
  const vm = await BoardVm.create({ 'z-good.safetensors': golden('random-1k-i8').model });
  if (hostile) for (const [name, [bytes]] of Object.entries(Hostile)) vm.writeBytes(`/models/${name}`, bytes);
  vm.boot();
  vm.command({ cmd: 'hello' });
  vm.until('loaded', { limit: 200 });
  vm.step(3);
  return vm;
}

type Entry = { file: string; error?: { code: string }; loaded: boolean };

/**
 * The models list, then the live heap once a `mem` has been answered, each step twice (the same steps for both
 * drives; the first time through also interns the commands' strings, which the VM keeps for good).
 */
function listed(vm: BoardVm): { models: Entry[]; live: number } {
  let models: Entry[] = [];
  for (const req of [1, 2]) {
    vm.command({ cmd: 'list', req });
    models = vm.until('models', { match: { req } }).models as Entry[];
    vm.command({ cmd: 'mem', req });
    vm.until('memory', { match: { req } });
  }
  vm.step(2);
  return { models, live: vm.live() };
}

describe('board runtime in MicroPython: files made to kill it', function () {
  this.timeout(120_000);

  it('start-up refuses each with its code, loads the good model, answers, and keeps no more heap than without them', async () => {
    const baseline = listed(await started(false)).live;
    const { models, live } = listed(await started(true));
    assert.deepEqual(
      models.map((m) => [m.file, m.error?.code ?? 'ok', m.loaded]),
      [...Object.entries(Hostile).map(([name, [, code]]) => [name, code, false]), ['z-good.safetensors', 'ok', true]],
    );
    console.log(`      live heap after start-up and a list: ${baseline} bytes without the files, ${live} with them`);
    // nothing a refused file did stays alive (the VM's own bookkeeping moves a little either way: 2 KB lower here)
    assert.ok(live <= baseline + 1024, `${live} vs ${baseline} bytes`);
  });
});
