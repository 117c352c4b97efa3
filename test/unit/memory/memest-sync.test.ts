// One source of truth: board/lib/picoformer/memest.py must use the figures of src/memory/constants.json and compute
// the same parts as src/memory/boardParts.ts, under CPython and under MicroPython (the dialect the board runs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BoardParts, type LoadMode, boardParts } from '../../../src/memory/boardParts';
import { BoardC } from '../../../src/memory/constants';
import type { EstimateModel } from '../../../src/memory/input';
import { sampleModels } from './memestCases';

const root = join(__dirname, '../../..');
const memestPath = join(root, 'board/lib/picoformer/memest.py');

interface Case {
  label: string;
  model: EstimateModel;
  mode: LoadMode;
  ulab: boolean;
  ctx?: number;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const { label, model } of sampleModels()) {
    for (const mode of ['resident', 'streamed'] as const) {
      for (const ulab of [false, true]) out.push({ label: `${label} ${mode}${ulab ? ' ulab' : ''}`, model, mode, ulab });
    }
    out.push({ label: `${label} ctx 3`, model, mode: 'resident', ulab: false, ctx: 3 });
  }
  return out;
}

/** The board's view of a case: config dict and header tensor table {name: (dtype, shape)}. */
function pythonInput(c: Case): unknown {
  const tensors: Record<string, [string, number[]]> = {};
  for (const t of c.model.tensors) tensors[t.name] = [t.dtype, [...t.shape]];
  return {
    cfg: c.model.config,
    tensors,
    mode: c.mode,
    header_len: c.model.headerLength,
    vocab_bytes: c.model.vocabBytes,
    ulab: c.ulab,
    ctx: c.ctx ?? null,
  };
}

// Runs memest.estimate on each case; prints one JSON list. Works under CPython and MicroPython.
const driver = `
import json
from picoformer import memest
out = []
for c in json.loads(CASES):
    t = {}
    for k in c["tensors"]:
        t[k] = (c["tensors"][k][0], tuple(c["tensors"][k][1]))
    out.append(memest.estimate(c["cfg"], t, c["mode"], c["header_len"], c["vocab_bytes"], c["ulab"], c["ctx"]))
RESULT = json.dumps(out)
`;

const snake: Record<keyof BoardParts, string> = {
  weights: 'weights', scales: 'scales', norms: 'norms', kvCache: 'kv_cache', activations: 'activations',
  layerBuffer: 'layer_buffer', vocab: 'vocab', objects: 'objects', transient: 'transient', header: 'header',
  live: 'live', total: 'total', largest: 'largest',
};

function assertSame(all: Case[], results: Record<string, number>[], where: string): void {
  assert.equal(results.length, all.length);
  all.forEach((c, i) => {
    const ts = boardParts(c.model, c.mode, c.ulab, c.ctx);
    const py = results[i];
    const expected: Record<string, number> = {};
    for (const [k, s] of Object.entries(snake)) expected[s] = ts[k as keyof BoardParts];
    assert.deepEqual(py, expected, `${where}: ${c.label}`);
  });
}

describe('memest.py is the same estimator as src/memory', () => {
  it('declares exactly the board constants of constants.json', () => {
    const source = readFileSync(memestPath, 'utf8');
    const declared: Record<string, number> = {};
    for (const m of source.matchAll(/^([A-Z][A-Z0-9_]*) = const\((\d+)\)/gm)) declared[m[1]] = Number(m[2]);
    const expected = Object.entries(BoardC).map(([k, v]) => `${k} = const(${v})`).join('\n');
    assert.deepEqual(declared, { ...BoardC }, `memest.py's const() lines must read:\n${expected}`);
  });

  it('computes the same parts under CPython', function () {
    const all = cases();
    const script = `import sys\nsys.path.insert(0, ${JSON.stringify(join(root, 'board/lib'))})\nCASES = sys.stdin.read()\n${driver}\nprint(RESULT)`;
    const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(all.map(pythonInput)), encoding: 'utf8' });
    if (run.error) this.skip(); // no python3 on this machine: the MicroPython run below still checks
    assert.equal(run.status, 0, run.stderr);
    assertSame(all, JSON.parse(run.stdout) as Record<string, number>[], 'CPython');
  });

  it('computes the same parts under MicroPython', async () => {
    const { loadMicroPython } = await import('@micropython/micropython-webassembly-pyscript/micropython.mjs' as string);
    const mp = await loadMicroPython({ heapsize: 1 << 20, stdout: () => undefined, stderr: () => undefined });
    mp.FS.mkdir('/lib');
    mp.FS.mkdir('/lib/picoformer');
    mp.FS.writeFile('/lib/picoformer/__init__.py', '');
    mp.FS.writeFile('/lib/picoformer/memest.py', readFileSync(memestPath));
    const all = cases();
    mp.runPython('import sys\nsys.path.insert(0, "/lib")');
    mp.globals.set('CASES', JSON.stringify(all.map(pythonInput)));
    mp.runPython(driver);
    assertSame(all, JSON.parse(mp.globals.get('RESULT') as string) as Record<string, number>[], 'MicroPython');
  });
});
