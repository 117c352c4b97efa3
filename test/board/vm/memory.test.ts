// The board runtime's heap in MicroPython (WebAssembly), measured between steps as the virtual Pico runs it, with the
// 140 KB budget of issue 3 given to the runtime through vpico.HEAP_LIMIT: import cost, a model too big refused
// while the runtime carries on, a 30K int8 model resident and a ~300K int8 model streamed (mode chosen by the
// estimate) producing the reference's tokens within the budget, and no live growth per generated token.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { BoardC } from '../../../src/memory/constants';
import { BoardVm, type BoardEvent } from './boardVm';
import { comparableIds, golden, type GenerationCase } from './goldenFiles';

const Budget = 140 * 1024;
/** The old runtime (tiny-transformers-rp2040) cost 35-40 KB of heap to import. */
const ImportCostLimit = 20 * 1024;

async function hostVm(models: string[], budget: number | null = Budget): Promise<BoardVm> {
  const files: Record<string, string> = {};
  for (const m of models) {
    const [name, as] = m.split('=');
    files[`${as ?? name}.safetensors`] = golden(name).model;
  }
  const vm = await BoardVm.create(files, budget);
  vm.boot();
  vm.stepMeasured(); // ready
  vm.command({ cmd: 'hello' });
  vm.until('ready', { match: { host: true }, measure: true });
  return vm;
}

function generateChecked(vm: BoardVm, c: GenerationCase): BoardEvent[] {
  vm.command({ cmd: 'generate', prompt: c.prompt, max_tokens: c.max_tokens, temperature: c.temperature, top_k: c.top_k, seed: c.seed });
  const evs = vm.collectUntil('done', { measure: true });
  const ids = evs.filter((e) => e.ev === 'token').map((e) => e.id as number);
  const { n, whole } = comparableIds(c, 1e-6);
  assert.deepEqual(ids.slice(0, n), c.ids.slice(0, n), `${c.prompt} seed ${c.seed}`);
  if (whole) assert.equal(evs[evs.length - 1].reason, c.stop_reason);
  if (whole && c.refills !== undefined) assert.equal(evs[evs.length - 1].refills, c.refills);
  vm.until('memory', { measure: true });
  return evs;
}

function assertWithinBudget(vm: BoardVm): number {
  const peak = Math.max(...vm.liveAfterStep);
  assert.ok(peak <= Budget, `live heap reached ${peak} bytes between steps (budget ${Budget})`);
  return peak;
}

describe('board runtime in MicroPython: heap', function () {
  this.timeout(180_000);

  it(`costs less than ${ImportCostLimit} bytes to import and run idle`, async () => {
    const vm = await hostVm([]);
    vm.step(5);
    const idle = vm.live();
    console.log(`      runtime idle (no model): ${idle} bytes live`);
    assert.ok(idle > 4000 && idle < ImportCostLimit, `idle runtime ${idle} bytes`);
  });

  it('refuses a model too big for 140 KB, carries on, and runs a 30K int8 model resident within 140 KB', async () => {
    const small = golden('random-30k-i8');
    assert.ok(small.g.parameter_count > 25_000);
    // "a-" sorts first: start-up tries the big model first, refuses it, then loads the next one
    const vm = await hostVm(['random-ctx256-i8=a-ctx256-i8', 'random-30k-i8']);
    const refused = vm.until('error', { measure: true });
    assert.equal(refused.code, 'too_big');
    assert.match(refused.message as string, /a-ctx256-i8/);
    const loaded = vm.until('loaded', { measure: true });
    assert.equal(loaded.file, 'random-30k-i8.safetensors');
    assert.equal(loaded.mode, 'resident', 'the estimate should choose resident for the 30K model');
    for (const c of small.g.generations.slice(0, 4)) generateChecked(vm, c);
    vm.command({ cmd: 'load', name: 'a-ctx256-i8', mode: 'streamed' });
    assert.equal(vm.until('error', { measure: true }).code, 'too_big');
    vm.command({ cmd: 'info' });
    assert.equal((vm.until('info').model as { file: string }).file, 'random-30k-i8.safetensors', 'a refused load keeps the model');
    generateChecked(vm, small.g.generations[0]);
    const peak = assertWithinBudget(vm);
    console.log(`      30K int8 resident: model ${loaded.model_bytes} bytes, peak live between steps ${peak} bytes`);
  });

  it('runs a ~300K int8 model streamed within 140 KB', async () => {
    const big = golden('random-300k-i8');
    assert.ok(big.g.parameter_count > 290_000);
    const vm = await hostVm(['random-300k-i8']);
    const loaded = vm.until('loaded', { measure: true });
    assert.equal(loaded.mode, 'streamed', 'the estimate should choose streamed for the 300K model');
    for (const c of big.g.generations) generateChecked(vm, c);
    const peak = assertWithinBudget(vm);
    console.log(`      300K int8 streamed: model ${loaded.model_bytes} bytes, peak live between steps ${peak} bytes`);
  });

  // Issue 13: the old project's 101K and 229K shapes, int8 with the int8 KV cache (with the float32 cache neither
  // loads even streamed: test_old_shapes.py). The 229K one's load needs 146.9 KB with the reserve (its 512-entry
  // vocabulary parsed in the header step): over the 140 KB budget, within pico-cp9's maximum of 176 KB.
  for (const [name, budget, cases] of [['random-101k-i8-kv8', Budget, 3], ['random-229k-i8-kv8', 176 * 1024, 2]] as const) {
    it(`runs the old ${name.split('-')[1].toUpperCase()} shape (int8 weights and KV cache) streamed within ${budget / 1024} KB, with the reference's tokens`, async () => {
      const { g } = golden(name);
      const vm = await hostVm([name], budget);
      const loaded = vm.until('loaded', { measure: true });
      assert.equal(loaded.mode, 'streamed', 'the estimate should choose streamed');
      for (const c of g.generations.slice(0, cases)) generateChecked(vm, c);
      const peak = Math.max(...vm.liveAfterStep);
      assert.ok(peak <= budget, `live heap reached ${peak} bytes between steps (budget ${budget})`);
      console.log(`      ${name} streamed: model ${loaded.model_bytes} bytes, peak live between steps ${peak} bytes`);
    });
  }

  it('keeps the live heap flat over 1,000 tokens past the context (story-8k\'s shape, int8 KV cache), with the reference\'s tokens', async () => {
    const { g } = golden('random-8k-i8-kv8-noeos');
    const c = g.generations[0];
    assert.equal(c.max_tokens, 1000);
    assert.ok((c.refills ?? 0) > 20, `the reference refilled ${c.refills} times`);
    const vm = await hostVm(['random-8k-i8-kv8-noeos']);
    vm.until('loaded', { measure: true });
    // Warm-up, the whole run: imports what generation needs and lets the VM grow its heap areas once (the VM leaves
    // one-time objects along a run, not only in its first 200 tokens).
    generateChecked(vm, c);
    vm.stepMeasured();
    const idle = vm.stepMeasured();
    vm.command({ cmd: 'generate', prompt: c.prompt, max_tokens: c.max_tokens, temperature: c.temperature, top_k: c.top_k, seed: c.seed });
    const before = vm.events().length;
    const at = new Map<number, number>();
    let seen = 0;
    for (let i = 0; i < 5000 && seen < c.max_tokens; i++) {
      const live = vm.stepMeasured();
      seen = vm.events().slice(before).filter((e) => e.ev === 'token').length;
      if (seen >= 1 && !at.has(seen)) at.set(seen, live);
    }
    const evs = vm.collectUntil('done', { measure: true });
    vm.until('memory', { measure: true });
    const ids = evs.filter((e) => e.ev === 'token').map((e) => e.id as number);
    assert.deepEqual(ids, c.ids);
    const done = evs[evs.length - 1];
    assert.deepEqual([done.reason, done.refills], ['max_tokens', c.refills]);
    assert.equal(at.size, 1000, 'a live reading after every token');
    // The step of the last token also ends the generation and frees its state: compare the 999 before it. One
    // 16-byte block comes and goes (it appears at some refills and is gone at a later one: a stale pointer the
    // collector's conservative scan still sees, as between any two steps); the heap never grows past it.
    const live = [...at.entries()].filter(([n]) => n < 1000).map(([, v]) => v);
    const first = at.get(1) as number;
    assert.ok(Math.min(...live) === first && Math.max(...live) <= first + 16, `live heap ${Math.min(...live)}..${Math.max(...live)}, first ${first}`);
    assert.equal(at.get(999), first, 'after 999 tokens as after 1');
    vm.stepMeasured();
    assert.equal(vm.stepMeasured(), idle, 'the generation left something behind');
    console.log(`      1,000 tokens, ${c.refills} refills: live heap ${first} bytes after token 1 and after token 999, at most 16 more in between`);
  });

  it('list and load judge a model by the same available heap and the same rule', async () => {
    // random-300k-i8 only fits streamed. The heap budget is moved so that the list sees the model fit with only
    // `slack` bytes to spare (then the load must succeed), then miss by `slack` (then the load must be refused
    // and keep the model it had). slack stays far below what the runtime's own modules weigh. Garbage is collected
    // between steps (measure), as the virtual Pico does.
    const slack = 256;
    const vm = await hostVm(['random-1k-i8=a-1k', 'random-300k-i8=b-300k']);
    vm.until('loaded', { match: { file: 'a-1k.safetensors' }, measure: true });
    vm.until('memory', { measure: true });
    const listed = (): { avail: number; b: Record<string, unknown> } => {
      vm.command({ cmd: 'list' });
      vm.live(); // collects what sending the command left, as the virtual Pico does before every step
      const e = vm.until('models', { measure: true });
      const b = (e.models as Record<string, unknown>[]).find((m) => m.file === 'b-300k.safetensors') as Record<string, unknown>;
      return { avail: e.mem_available as number, b };
    };
    const margin = BoardC.MARGIN;
    for (const [spare, fits] of [[slack, true], [-slack, false]] as const) {
      // The first list after a load can leave a few hundred bytes behind for good in this VM (tables it grows
      // once); the second is the steady figure.
      listed();
      const before = listed();
      const need = (before.b.estimate as { streamed: number }).streamed + margin;
      vm.run(`vpico._app.limit += ${need + spare - before.avail}`);
      vm.live();
      const after = listed();
      assert.ok(Math.abs(after.avail - (need + spare)) <= slack / 2, `the list now sees ${after.avail}, wanted ${need + spare}`);
      assert.deepEqual([after.b.fits, after.b.mode], fits ? [true, 'streamed'] : [false, null]);
      vm.command({ cmd: 'load', name: 'b-300k', req: spare });
      vm.live();
      if (fits) {
        const e = vm.until('loaded', { match: { req: spare }, measure: true });
        assert.equal(e.mode, 'streamed');
        vm.until('memory', { measure: true });
        vm.command({ cmd: 'load', name: 'a-1k' });
        vm.until('loaded', { match: { file: 'a-1k.safetensors' }, measure: true });
        vm.until('memory', { measure: true });
      } else {
        const e = vm.until('error', { match: { req: spare }, measure: true });
        assert.equal(e.code, 'too_big', JSON.stringify(e));
        assert.ok(Math.abs((e.available as number) - after.avail) <= slack / 2, `load saw ${e.available}, list ${after.avail}`);
        vm.command({ cmd: 'info' });
        assert.equal((vm.until('info').model as { file: string }).file, 'a-1k.safetensors');
      }
    }
  });

  it('keeps the live heap flat while generating: after 1 token as after 100', async () => {
    // Every step is followed by a collection (stepMeasured), as the virtual Pico does: then the VM's heap never
    // grows a new area (which itself leaves a few bytes allocated), and live readings compare exactly.
    const { g } = golden('random-long-i8');
    const c = g.generations.find((x) => x.max_tokens >= 100) as GenerationCase;
    const vm = await hostVm(['random-long-i8']);
    vm.until('loaded', { measure: true });
    // Warm-up: imports what generation needs and runs the sampling path of `c` once, as long as the run measured
    // below (the VM leaves a few one-time objects behind for good somewhere along it, 16 to 64 bytes depending on
    // the heap's layout: seen at the first token, and at token 78 of this case; a per-token cost would show in
    // the run below all the same).
    generateChecked(vm, c);
    vm.stepMeasured();
    const idle = vm.stepMeasured();
    // 20 tokens more than the reference's 100, so token 100 is measured in the middle of the generation
    vm.command({ cmd: 'generate', prompt: c.prompt, max_tokens: c.max_tokens + 20, temperature: c.temperature, top_k: c.top_k, seed: c.seed });
    const before = vm.events().filter((e) => e.ev === 'token').length;
    const at: Record<number, number> = {};
    for (let i = 0; i < 1000 && at[100] === undefined; i++) {
      const live = vm.stepMeasured();
      const n = vm.events().filter((e) => e.ev === 'token').length - before;
      if (n >= 1 && at[n] === undefined) at[n] = live;
    }
    const evs = vm.collectUntil('done', { measure: true });
    vm.until('memory', { measure: true });
    const ids = evs.filter((e) => e.ev === 'token').map((e) => e.id as number);
    const { n } = comparableIds(c, 1e-6);
    assert.deepEqual(ids.slice(0, n), c.ids.slice(0, n));
    assert.ok(at[1] !== undefined && at[100] !== undefined, 'the generation did not reach 100 tokens');
    assert.equal(at[100], at[1], `live after 1 token ${at[1]}, after 100 tokens ${at[100]}`);
    assert.equal(at[50], at[1]);
    vm.stepMeasured();
    assert.equal(vm.stepMeasured(), idle, 'the generation left something behind');
  });
});

describe('board runtime in MicroPython: streaming cost per token', function () {
  this.timeout(180_000);

  it('streamed and resident give the same tokens; time per token printed', async () => {
    const rows: string[] = [];
    for (const name of ['random-30k-i8', 'random-300k-i8']) {
      const { g } = golden(name);
      const c = { ...g.generations[0], max_tokens: 10 };
      const ids: Record<string, number[]> = {};
      const vm = await hostVm([name], null);
      vm.until('loaded');
      for (const mode of ['resident', 'streamed']) {
        vm.command({ cmd: 'load', name, mode });
        vm.until('loaded', { match: { mode } });
        vm.until('memory');
        vm.command({ cmd: 'generate', prompt: c.prompt, max_tokens: c.max_tokens, temperature: 0, seed: 1 });
        vm.until('start');
        const t0 = performance.now();
        const evs = vm.collectUntil('done');
        const ms = performance.now() - t0;
        ids[mode] = evs.filter((e) => e.ev === 'token').map((e) => e.id as number);
        rows.push(`${name.padEnd(16)} ${mode.padEnd(9)} ${(ms / ids[mode].length).toFixed(1)} ms/token (VM)`);
      }
      assert.deepEqual(ids.streamed, ids.resident);
      assert.equal(ids.resident.length, 10);
    }
    console.log(rows.map((r) => `      ${r}`).join('\n'));
  });
});
