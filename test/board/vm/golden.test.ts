// The board runtime under MicroPython (WebAssembly) computes the reference's model: golden logits (one forward pass
// per VM call) and, through the runtime's own protocol, the golden generated tokens for the same seeds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { BoardVm } from './boardVm';
import { comparableIds, golden } from './goldenFiles';

/** MicroPython floats are 64-bit here: the only differences are float32 storage and 9-digit printing. */
const Tolerance = 1e-5;

const LogitCases: { name: string; mode: 'resident' | 'streamed'; sequences: string[] }[] = [
  { name: 'random-1k-f32', mode: 'resident', sequences: ['text', 'full_context', 'short'] },
  { name: 'random-8k-i8', mode: 'streamed', sequences: ['text', 'short'] },
  { name: 'random-30k-i8', mode: 'resident', sequences: ['text', 'short'] },
  { name: 'random-100k-i8', mode: 'streamed', sequences: ['short'] },
  { name: 'legacy-story-1k-balanced-i8', mode: 'streamed', sequences: ['text', 'full_context'] },
  { name: 'legacy-chat-10k-balanced-f32', mode: 'resident', sequences: ['short'] },
  { name: 'random-30k-f16', mode: 'streamed', sequences: ['text'] },
  { name: 'random-1k-f16', mode: 'resident', sequences: ['text', 'full_context'] },
  { name: 'random-1k-i8-kv8', mode: 'resident', sequences: ['text', 'full_context'] },
  { name: 'random-8k-f32-kv8', mode: 'streamed', sequences: ['text'] },
  { name: 'random-100k-i8-kv8', mode: 'resident', sequences: ['short'] },
];

describe('board runtime in MicroPython: golden logits', function () {
  this.timeout(120_000);
  for (const c of LogitCases) {
    it(`${c.name} (${c.mode}) matches the reference within ${Tolerance}`, async () => {
      const { json, model } = golden(c.name);
      const vm = await BoardVm.create({});
      vm.addFile('/lib/vmcheck.py', join(__dirname, 'vmcheck.py'));
      vm.addFile('/golden.json', json);
      vm.addFile('/model.safetensors', model);
      vm.run(`import vmcheck\nvmcheck.start("/golden.json", "/model.safetensors", "${c.mode}", ${JSON.stringify(c.sequences)})`);
      let passes = 0;
      while (vm.value<boolean>('vmcheck.step()')) passes++;
      const [worst, compared] = vm.value<number[]>('vmcheck.result()');
      assert.ok(passes > 0 && compared > 0, 'nothing was compared');
      assert.ok(worst <= Tolerance, `worst relative logit error ${worst}`);
    });
  }
});

const GenerationModels: { name: string; mode: 'resident' | 'streamed'; cases: number }[] = [
  { name: 'random-1k-i8', mode: 'resident', cases: 10 },
  { name: 'random-8k-i8', mode: 'streamed', cases: 4 },
  { name: 'random-30k-i8', mode: 'resident', cases: 6 },
  { name: 'legacy-chat-10k-balanced-i8', mode: 'streamed', cases: 3 },
  { name: 'random-30k-i8-kv8', mode: 'resident', cases: 6 },
  { name: 'legacy-chat-10k-balanced-i8-kv8', mode: 'streamed', cases: 3 },
];

describe('board runtime in MicroPython: golden generations through the protocol', function () {
  this.timeout(120_000);
  for (const m of GenerationModels) {
    it(`${m.name} (${m.mode}) generates the reference's tokens`, async () => {
      const { g, model } = golden(m.name);
      const vm = await BoardVm.create({ [`${m.name}.safetensors`]: model });
      vm.boot();
      vm.command({ cmd: 'hello' });
      vm.until('ready', { match: { host: true } });
      vm.command({ cmd: 'load', name: m.name, mode: m.mode });
      assert.equal(vm.until('loaded', { match: { mode: m.mode } }).mode, m.mode);
      for (const c of g.generations.slice(0, m.cases)) {
        const stop = c.stop_at_context === true;
        vm.command({ cmd: 'generate', prompt: c.prompt, max_tokens: c.max_tokens, temperature: c.temperature, top_k: c.top_k, seed: c.seed, stop_at_context: stop });
        const evs = vm.collectUntil('done');
        const start = evs.find((e) => e.ev === 'start');
        assert.equal(start?.prompt_tokens, c.prompt_ids.length, c.prompt);
        const ids = evs.filter((e) => e.ev === 'token').map((e) => e.id as number);
        const { n, whole } = comparableIds(c, 1e-6);
        assert.deepEqual(ids.slice(0, n), c.ids.slice(0, n), `${c.prompt} seed ${c.seed}`);
        const done = evs[evs.length - 1];
        if (whole) assert.deepEqual([done.reason, done.refills], [c.stop_reason, c.refills]);
      }
    });
  }
});
