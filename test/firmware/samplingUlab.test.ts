// The ulab path's token choice (board/lib/picoformer/sampling_np.py) on the official firmware's own ulab (6.5.3 in
// CircuitPython 9.2.8), at the raw REPL on seeded logits: the same ids as the TypeScript reference (src/model/
// sampling.ts), greedy ties exactly, sampled choices wherever the reference's margin is above the float32 sums'
// rounding; ties at a top-k threshold through the pure-Python path, everything else vectorised.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type SampleTrace, Xorshift32, generationRng, sampleToken } from '../../src/model/sampling';
import { type Booted, MODELS_DIR, bootWith } from './support';

interface Case {
  name: string;
  logits: number[];
  temperature: number;
  topK: number;
  seed: number;
  draws: number;
  /** Ties at the top-k threshold: the pure-Python path is expected. */
  python?: boolean;
  /** A uniform of 1 (one above xorshift's largest) puts r at sum(p): the contract's last kept id, expected. */
  lastKept?: number;
}

/** Sampled choices closer than this (a fraction of sum(p)) to another token may go either way in float32. */
const Margin = 1e-4;

/** Seeded logits exact in CircuitPython's 30-bit floats (multiples of 1/1024), so both sides hold the same values. */
function gaussian(n: number, seed: number, scale: number): number[] {
  const rng = new Xorshift32(seed);
  return Array.from({ length: n }, () => {
    const u = Math.max(rng.uniform(), 1e-7);
    const g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.uniform());
    return Math.round(g * scale * 1024) / 1024;
  });
}

function discrete(n: number, seed: number): number[] {
  const rng = new Xorshift32(seed);
  return Array.from({ length: n }, () => [-2, 0.5, 1, 3.25][Math.floor(rng.uniform() * 4)]);
}

const Cases: Case[] = [
  { name: 'greedy, tied maxima', logits: [1, 3, 2, 3, 3], temperature: 0, topK: 0, seed: 1, draws: 1 },
  { name: 'greedy, ties 20 apart', logits: [...Array(40).fill(0), 2, ...Array(20).fill(0), 2], temperature: 0, topK: 0, seed: 1, draws: 1 },
  { name: 'greedy, 477', logits: gaussian(477, 5, 3), temperature: 0, topK: 40, seed: 1, draws: 1 },
  { name: '477 tokens, t 0.8', logits: gaussian(477, 6, 3), temperature: 0.8, topK: 0, seed: 7, draws: 30 },
  { name: '477 tokens, t 0.8, top-k 40', logits: gaussian(477, 7, 3), temperature: 0.8, topK: 40, seed: 8, draws: 30 },
  { name: '97 tokens (prime), t 1', logits: gaussian(97, 8, 2), temperature: 1, topK: 0, seed: 9, draws: 30 },
  { name: '97 tokens, top-k 5', logits: gaussian(97, 9, 2), temperature: 1, topK: 5, seed: 10, draws: 30 },
  { name: '12 tokens (whole chunks)', logits: gaussian(12, 10, 1), temperature: 1, topK: 0, seed: 11, draws: 30 },
  { name: 'ties inside the kept set', logits: discrete(130, 12), temperature: 1, topK: 0, seed: 12, draws: 30 },
  { name: 'ties at the top-k threshold', logits: [0, 1, 0.5, 1, 0, 1, 0, 1, 0, 2, 0], temperature: 1, topK: 3, seed: 3, draws: 40, python: true },
  { name: 't 1e-6 (greedy-like)', logits: gaussian(301, 13, 3), temperature: 1e-6, topK: 0, seed: 14, draws: 10 },
  { name: 't 1e6 (nearly uniform)', logits: gaussian(301, 14, 3), temperature: 1e6, topK: 40, seed: 15, draws: 30 },
  { name: 'r at sum(p), 12 tokens in whole chunks', logits: Array(12).fill(2), temperature: 1, topK: 0, seed: 1, draws: 1, lastKept: 11 },
  { name: 'r at sum(p), top-k 3', logits: [3, 3, 1, 3, 0, 0, 0], temperature: 1, topK: 3, seed: 1, draws: 1, lastKept: 3 },
];

const Script = (cases: Case[]) => `import json
from array import array
from ulab import numpy as np
import picoformer.sampling as sp
import picoformer.sampling_np as s
from picoformer.rng import Rng
calls = [0]
py = sp.sample
def counting(*a):
    calls[0] += 1
    return py(*a)
sp.sample = counting
class M:
    pass
class One:
    def uniform(self):
        return 1.0
for c in json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => [c.logits, c.temperature, c.topK, c.seed, c.draws, c.lastKept !== undefined])))}):
    m = M()
    m.np = np
    m.logits = array("f", c[0])
    m.LG = np.frombuffer(m.logits, dtype=np.float)
    m.topv = array("f", c[0])
    r = One() if c[5] else Rng(c[3])
    calls[0] = 0
    ids = [s.choose(m, c[1], c[2], r) for _ in range(c[4])]
    print(json.dumps([ids, calls[0]]))
`;

describe('firmware: token choice with ulab (sampling_np.py)', function () {
  let booted: Booted;
  before(async () => {
    booted = await bootWith([{ path: join(MODELS_DIR, 'story-1k.safetensors') }]);
  });
  after(async () => booted?.close());

  it("gives the reference's ids: greedy ties exactly, sampled past the float32 margin, vectorised but for threshold ties", async () => {
    const { stdout, stderr } = await booted.board.exec(Script(Cases), { restart: false, timeoutMs: 120_000 });
    assert.equal(stderr, '');
    const lines = stdout.trim().split(/\r?\n/).map((l) => JSON.parse(l) as [number[], number]);
    assert.equal(lines.length, Cases.length, stdout);
    let compared = 0;
    for (const [i, c] of Cases.entries()) {
      const [ids, pythonCalls] = lines[i];
      assert.equal(pythonCalls, c.python ? c.draws : 0, `${c.name}: calls to the pure-Python path`);
      if (c.lastKept !== undefined) {
        assert.deepEqual(ids, [c.lastKept], c.name);
        continue;
      }
      const rng = generationRng(c.seed);
      const logits = Float32Array.from(c.logits);
      for (const [d, got] of ids.entries()) {
        const trace: SampleTrace = { margin: 0 };
        const want = sampleToken(logits, { temperature: c.temperature, topK: c.topK }, rng, trace);
        // greedy: exact whatever the gap (ties to the lowest id)
        if (c.temperature > 0 && trace.margin <= Margin) continue;
        assert.equal(got, want, `${c.name}, draw ${d}: margin ${trace.margin}`);
        compared++;
      }
    }
    assert.ok(compared > 250, `${compared} choices compared`);
  });
});
