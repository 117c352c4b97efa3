// The board runtime's own heap and import cost on the official CircuitPython firmware (emulated Pico, src/emu), with
// its modules deployed as source (.py, compiled on the board at import) and as precompiled bytecode (.mpy, built by
// scripts/mpyCross.mjs and deployed as the extension deploys it to a board that reported its mpy version), side by
// side in one run. Simulated times and heap figures are deterministic: one run of each is enough.
//   1. the runtime at rest (no model): `ready` (start-up, its step's modules imported) and `mem` after it;
//   2. story-8k loaded at start-up, then after a 24-token greedy generation ("once upon a time"): the live heap
//      (`mem` alloc) and the model's own heap (model_bytes);
//   3. each module at the raw REPL (bench/runtime_heap_probe.py): heap kept while imported, interned names left
//      after it is dropped (qstrs, never freed), its objects, first-import time; and the loading peak (the least free
//      heap the boot import and each transient module's import succeed with).
// Usage: npx tsx bench/runtimeHeap.ts [--markdown] [--only py|mpy] [--no-probe]   (npm run bench:runtime-heap)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BoardBytecode } from '../src/device/deploy/precompiled';
import type { DeployModel } from '../src/device/deploy/prepareDeploy';
import { deployToFolder } from '../src/emu/emulateDeploy';
import { simMs } from '../src/emu/emulatedPico';
import { REPO_ROOT } from '../src/emu/firmware';
import { FirmwareBoard } from '../src/emu/firmwareBoard';
import { buildRuntimeBytecode } from '../scripts/mpyCross.mjs';

const { values } = parseArgs({ options: { markdown: { type: 'boolean', default: false }, only: { type: 'string' }, 'no-probe': { type: 'boolean', default: false } } });

/** The official firmware's answer (`ready` of CircuitPython 9.2.8): what a deploy to it takes as bytecode. */
const Firmware: BoardBytecode = { impl: 'circuitpython', mpy: 774 };
/** The character story-8k issue 13's target was set on (test/firmware/fixtures/README.md), under its sample's name. */
const Model: DeployModel = { path: join(REPO_ROOT, 'test', 'firmware', 'fixtures', 'story-8k-char.safetensors'), fileName: 'story-8k.safetensors' };
const Prompt = 'once upon a time';
const Tokens = 24;
/** Imported at boot, in the order app.py imports them; then the generation modules; then the transient ones. */
const Boot = ['errors', 'sysinfo', 'protocol', 'console', 'tokenizer', 'app'];
const Generation = ['sampling', 'sampling_np', 'gen', 'model', 'stream', 'fwd_np', 'fwd_py', 'f16'];
const Transient = ['human', 'cmds', 'catalog', 'jsoncheck', 'header', 'memest', 'loader', 'loading'];
const Modules = [...Boot, ...Generation, ...Transient];
/** Imports whose loading peak is measured: [module, modules imported before it]. */
const Peaks: [string, string[]][] = [
  ['picoformer.app', []],
  ['picoformer.fwd_np', Boot],
  ['picoformer.cmds', Boot],
  ['picoformer.header', Boot],
  ['picoformer.loader', Boot],
];

type Form = 'py' | 'mpy';
interface ModuleCost {
  kept: number;
  names: number;
  objects: number;
  ms: number;
}
interface Result {
  form: Form;
  readyMs: number;
  readyAlloc: number;
  restAlloc: number;
  afterLoad: number;
  afterGen: number;
  modelBytes: number;
  genText: string;
  modules: Record<string, ModuleCost>;
  peaks: Record<string, number>;
}

const log = (line: Record<string, unknown>) => console.error(JSON.stringify(line));

async function withBoard<T>(form: Form, models: DeployModel[], fn: (board: FirmwareBoard) => Promise<T>, bytecodeDir: string): Promise<T> {
  const drive = mkdtempSync(join(tmpdir(), 'picoformer-bench-'));
  let board: FirmwareBoard | undefined;
  try {
    await deployToFolder(drive, { runtimeDir: join(REPO_ROOT, 'board'), bytecodeDir, models, ...(form === 'mpy' ? { board: Firmware } : {}) });
    board = await FirmwareBoard.boot({ driveDir: drive });
    return await fn(board);
  } finally {
    await board?.close();
    rmSync(drive, { recursive: true, force: true });
  }
}

function probeSource(): string {
  const peaks = Peaks.map(([m, before]) => `(${JSON.stringify(m)}, ${JSON.stringify(before).replace(/^\[/, '(').replace(/\]$/, before.length === 1 ? ',)' : ')')})`).join(', ');
  return `MODULES = ${JSON.stringify(Modules)}\nPEAK = (${peaks},)\n${readFileSync(join(REPO_ROOT, 'bench', 'runtime_heap_probe.py'), 'utf8')}`;
}

async function measure(form: Form, bytecodeDir: string): Promise<Result> {
  const r = { form, modules: {}, peaks: {} } as Result;
  await withBoard(form, [], async (board) => {
    const ready = board.session.runtime;
    // code.py starts once USB is up: from then to the runtime's first `ready` is mostly importing the boot modules
    const first = board.events.find((e) => e.event.ev === 'ready');
    r.readyMs = first && board.pico.connected ? +(simMs(first) - simMs(board.pico.connected)).toFixed(1) : Number.NaN;
    r.readyAlloc = ready?.mem_alloc ?? Number.NaN;
    r.restAlloc = (await board.mem()).alloc;
    log({ form, step: 'rest', readyMs: r.readyMs, readyAlloc: r.readyAlloc, restAlloc: r.restAlloc });
    if (values['no-probe']) return;
    const out = await board.exec(probeSource(), { restart: false, timeoutMs: 3_600_000 });
    if (out.stderr) throw new Error(`probe failed: ${out.stderr}`);
    for (const line of out.stdout.split(/\r?\n/)) {
      const f = line.split(' ');
      if (f[1] === 'mod') r.modules[f[2]] = { kept: +f[3], names: +f[4], objects: +f[5], ms: +f[6] / 1000 };
      else if (f[1] === 'peak') r.peaks[f[2]] = +f[3];
    }
    log({ form, step: 'probe', modules: r.modules, peaks: r.peaks });
  }, bytecodeDir);
  await withBoard(form, [Model], async (board) => {
    await board.session.list(); // answered once the start-up load is over
    r.afterLoad = (await board.mem()).alloc;
    r.modelBytes = (await board.session.info()).model?.model_bytes ?? Number.NaN;
    const run = await board.generate({ prompt: Prompt, max_tokens: Tokens, temperature: 0, top_k: 0, seed: 1 });
    if (run.result.tokens.length !== Tokens) throw new Error(`story-8k gave ${run.result.tokens.length} tokens (${run.result.reason})`);
    r.genText = run.result.text;
    r.afterGen = (await board.mem()).alloc;
    log({ form, step: 'story-8k', afterLoad: r.afterLoad, afterGen: r.afterGen, modelBytes: r.modelBytes, text: r.genText, simS: +(simMs(board.pico.time) / 1000).toFixed(1) });
  }, bytecodeDir);
  return r;
}

const n = (x: number) => (Number.isFinite(x) ? x.toLocaleString('en-US') : '-');

function markdown(results: Result[]): string {
  const byForm = (f: Form) => results.find((r) => r.form === f);
  const cols = results.map((r) => `.${r.form}`);
  const ratio = (get: (r: Result) => number) => {
    const [a, b] = [byForm('py'), byForm('mpy')];
    return a && b ? ` (x${(get(b) / get(a)).toFixed(2)})` : '';
  };
  const lines = [`| figure | ${cols.join(' | ')} |`, `| --- | ${cols.map(() => '---').join(' | ')} |`];
  const row = (name: string, get: (r: Result) => number, withRatio = false) => lines.push(`| ${name} | ${results.map((r, i) => n(get(r)) + (withRatio && i === results.length - 1 ? ratio(get) : '')).join(' | ')} |`);
  row('USB up to the first `ready`, simulated ms', (r) => r.readyMs, true);
  row('`ready` mem_alloc (start-up step)', (r) => r.readyAlloc);
  row('at rest, no model (`mem` alloc)', (r) => r.restAlloc, true);
  row('story-8k loaded (`mem` alloc)', (r) => r.afterLoad, true);
  row(`story-8k after ${Tokens} tokens (\`mem\` alloc)`, (r) => r.afterGen, true);
  row('story-8k model_bytes', (r) => r.modelBytes);
  for (const [m] of Peaks) row(`import ${m}: least free heap it succeeds with, KB`, (r) => r.peaks[m], true);
  const mods = [`| module | ${results.map((r) => `.${r.form} kept / names / objects / ms`).join(' | ')} |`, `| --- | ${results.map(() => '---').join(' | ')} |`];
  for (const m of Modules) mods.push(`| ${m} | ${results.map((r) => (r.modules[m] ? `${n(r.modules[m].kept)} / ${n(r.modules[m].names)} / ${n(r.modules[m].objects)} / ${r.modules[m].ms.toFixed(1)}` : '-')).join(' | ')} |`);
  const sums = (list: string[]) => results.map((r) => n(list.reduce((s, m) => s + (r.modules[m]?.kept ?? 0), 0))).join(' | ');
  mods.push(`| boot modules, kept | ${sums(Boot)} |`, `| generation modules, kept | ${sums(Generation)} |`, `| transient modules, kept while imported | ${sums(Transient)} |`);
  return `${lines.join('\n')}\n\n${mods.join('\n')}\n`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const bytecodeDir = mkdtempSync(join(tmpdir(), 'picoformer-mpy-'));
  try {
    await buildRuntimeBytecode(join(REPO_ROOT, 'board'), bytecodeDir);
    const forms: Form[] = values.only ? [values.only as Form] : ['py', 'mpy'];
    const results: Result[] = [];
    for (const form of forms) results.push(await measure(form, bytecodeDir));
    const [py, mpy] = [results.find((r) => r.form === 'py'), results.find((r) => r.form === 'mpy')];
    if (py && mpy && py.genText !== mpy.genText) throw new Error(`.py and .mpy generated different text: ${JSON.stringify(py.genText)} vs ${JSON.stringify(mpy.genText)}`);
    if (values.markdown) console.log(markdown(results));
    else for (const r of results) console.log(JSON.stringify(r));
    log({ hostSeconds: +((performance.now() - t0) / 1000).toFixed(0) });
  } finally {
    rmSync(bytecodeDir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(`runtimeHeap: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
