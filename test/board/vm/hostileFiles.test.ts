// Issue 12 §1 in the MicroPython VM: model files made to kill the runtime (nesting 2,000 to 50,000 levels deep,
// 12 KB to 300 KB, in the header or inside the config) sit on the drive beside a good model. Start-up refuses each
// with its code, loads the good one and answers; the live heap ends no more than 1 KB above a start-up without them.
// (On the emulated official firmware the old runtime kept ~92 KB live and loaded nothing: board/README.md.)
import assert from 'node:assert/strict';
import { BoardVm } from './boardVm';
import { golden } from './goldenFiles';

const encoder = new TextEncoder();

/** A file whose header is `text` (space-padded to 8 bytes), with no data. */
function headerOnly(text: string): Uint8Array {
  const bytes = encoder.encode(text);
  const padded = bytes.length + ((8 - (bytes.length % 8)) % 8);
  const out = new Uint8Array(8 + padded).fill(0x20);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(bytes, 8);
  return out;
}

const Hostile: Record<string, [Uint8Array, string]> = {
  'a-nested-50000.safetensors': [headerOnly('{"a":'.repeat(50000) + '1' + '}'.repeat(50000)), 'header_length'],
  'b-nested-3000.safetensors': [headerOnly('{"a":'.repeat(3000) + '1' + '}'.repeat(3000)), 'header_length'],
  'c-nested-2000.safetensors': [headerOnly('{"a":'.repeat(2000) + '1' + '}'.repeat(2000)), 'header_json'],
  'd-config-6000.safetensors': [headerOnly(`{"__metadata__":{"format":"picoformer/1","config":"${'['.repeat(6000)}${']'.repeat(6000)}","vocab":"[]"}}`), 'metadata_invalid'],
};

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
