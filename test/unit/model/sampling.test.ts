import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Xorshift32, argmax, generationRng, generationState, sampleToken } from '../../../src/model/sampling';

/** docs/format.md's worked example of the generation RNG: `| seed | 0xSTATE | u1, u2, u3 |` rows. */
function documentedRngRows(): { seed: bigint; state: number; uniforms: number[] }[] {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'format.md'), 'utf8');
  return [...doc.matchAll(/^ *\| (-?\d+) \| (0x[0-9A-F]{8}) \| ([\d.]+(?:, [\d.]+)*) \|$/gm)].map((m) => ({
    seed: BigInt(m[1]),
    state: Number(m[2]),
    uniforms: m[3].split(', ').map(Number),
  }));
}

describe('sampling', () => {
  it('the generation RNG follows docs/format.md\'s worked example', () => {
    const rows = documentedRngRows();
    assert.ok(rows.length >= 7, `found ${rows.length} rows of the worked example in docs/format.md`);
    for (const { seed, state, uniforms } of rows) {
      assert.equal(generationState(seed), state, `seed ${seed}`);
      const rng = generationRng(seed);
      assert.deepEqual(uniforms.map(() => rng.uniform()), uniforms, `seed ${seed}`);
    }
  });

  it('the generation seed: only its low 32 bits count, and the one seed that mixes to 0 starts at 0x9E3779B9', () => {
    assert.equal(generationState(2 ** 32 + 7), generationState(7));
    assert.equal(generationState(2n ** 40n + 7n), generationState(7));
    assert.equal(generationState(-1), generationState(0xffffffff));
    assert.equal(generationState(0x61c88647), 0x9e3779b9);
    for (let seed = -50; seed < 5000; seed++) assert.notEqual(generationState(seed), 0);
  });

  it('small and neighbouring generation seeds give unrelated first uniforms', () => {
    // Plain xorshift32 from seeds 1..1000: mean first uniform 0.03, and neighbours nearly equal.
    const first = Array.from({ length: 1001 }, (_, i) => generationRng(i + 1).uniform());
    const mean = first.reduce((a, b) => a + b, 0) / first.length;
    assert.ok(Math.abs(mean - 0.5) < 0.03, `mean first uniform ${mean}`);
    assert.ok(first.filter((u) => u < 0.01).length < 25, 'too many tiny first uniforms');
    const a = first.slice(0, -1);
    const b = first.slice(1);
    const cov = a.reduce((sum, u, i) => sum + (u - mean) * (b[i] - mean), 0) / a.length;
    assert.ok(Math.abs(cov / (1 / 12)) < 0.1, `correlation of neighbouring seeds ${cov * 12}`);
  });

  it('xorshift32 steps as the format says from a given state (values computed independently in Python)', () => {
    const draws = (seed: number | bigint): number[] => {
      const r = new Xorshift32(seed);
      return [r.nextU32(), r.nextU32(), r.nextU32()];
    };
    assert.deepEqual(draws(1), [270369, 67634689, 2647435461]);
    assert.deepEqual(draws(0), [1359758873, 3761132862, 2075758394]); // 0 -> 0x9E3779B9
    assert.deepEqual(draws(-1), [253983, 4228382207, 1958451267]); // -1 & 0xFFFFFFFF
    assert.deepEqual(draws(2 ** 32 + 7), draws(7));
    assert.deepEqual(draws(2n ** 40n + 7n), draws(7));
  });

  it('uniform is the top 24 bits over 2^24', () => {
    const a = new Xorshift32(1);
    const b = new Xorshift32(1);
    for (let i = 0; i < 100; i++) {
      const u = a.uniform();
      assert.equal(u, (b.nextU32() >>> 8) / 16777216);
      assert.ok(u >= 0 && u < 1);
    }
  });

  it('greedy takes the largest logit, the lowest id on ties, and draws nothing', () => {
    const rng = new Xorshift32(5);
    assert.equal(sampleToken([1, 3, 3, 2], { temperature: 0, topK: 0 }, rng), 1);
    assert.equal(sampleToken([-1, -1], { temperature: -2, topK: 0 }, rng), 0);
    assert.equal(argmax(new Float32Array([0, 5, 1, 5])), 1);
    assert.equal(rng.nextU32(), new Xorshift32(5).nextU32(), 'greedy must not advance the RNG');
  });

  it('walks the kept ids in id order against r = u * sum(p)', () => {
    // Equal logits: p = [1, 1], so u < 0.5 picks 0 and u >= 0.5 picks 1.
    for (let seed = 1; seed < 50; seed++) {
      const u = new Xorshift32(seed).uniform();
      assert.equal(sampleToken([0.3, 0.3], { temperature: 1, topK: 0 }, new Xorshift32(seed)), u < 0.5 ? 0 : 1);
    }
  });

  it('top-k keeps only the k largest, ties to the lower id; top_k 1 is greedy', () => {
    const logits = [5, 1, 5, 4, 5];
    const seen = new Set<number>();
    const rng = new Xorshift32(9);
    for (let i = 0; i < 500; i++) seen.add(sampleToken(logits, { temperature: 1, topK: 2 }, rng));
    assert.deepEqual([...seen].sort(), [0, 2]);
    for (let i = 0; i < 50; i++) assert.equal(sampleToken([1, 9, 3, 9], { temperature: 2, topK: 1 }, rng), 1);
    const all = new Set<number>();
    for (let i = 0; i < 2000; i++) all.add(sampleToken([0, 0, 0, 0, 0], { temperature: 1, topK: 5 }, rng));
    assert.equal(all.size, 5, 'top_k = vocab size keeps every id');
  });

  it('draws from softmax(logits / temperature)', () => {
    const probs = [0.1, 0.2, 0.7];
    const logits = probs.map(Math.log);
    const rng = new Xorshift32(123);
    const n = 40000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[sampleToken(logits, { temperature: 1, topK: 0 }, rng)]++;
    counts.forEach((c, i) => assert.ok(Math.abs(c / n - probs[i]) < 0.01, `id ${i}: ${c / n} vs ${probs[i]}`));
    const hot = [0, 0, 0];
    for (let i = 0; i < n; i++) hot[sampleToken(logits, { temperature: 100, topK: 0 }, rng)]++;
    hot.forEach((c) => assert.ok(Math.abs(c / n - 1 / 3) < 0.015, 'a high temperature is nearly uniform'));
    const cold = [0, 0, 0];
    for (let i = 0; i < 2000; i++) cold[sampleToken(logits, { temperature: 0.05, topK: 0 }, rng)]++;
    assert.equal(cold[2], 2000, 'a low temperature is nearly greedy');
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number): number[] => {
      const rng = new Xorshift32(seed);
      return Array.from({ length: 30 }, () => sampleToken([0.1, 0.5, 0.2, 0.9, 0.0], { temperature: 0.8, topK: 0 }, rng));
    };
    assert.deepEqual(run(42), run(42));
    assert.notDeepEqual(run(42), run(43));
  });

  it('reports how close each choice was', () => {
    const trace = { margin: NaN };
    sampleToken([2, 0.5, 1.5], { temperature: 0, topK: 0 }, new Xorshift32(1), trace);
    assert.equal(trace.margin, 0.5);
    const u = new Xorshift32(3).uniform();
    const id = sampleToken([0, 0], { temperature: 1, topK: 0 }, new Xorshift32(3), trace);
    const expected = id === 0 ? Math.min(u * 2, 1 - u * 2) / 2 : Math.min(u * 2 - 1, 2 - u * 2) / 2;
    assert.ok(Math.abs(trace.margin - expected) < 1e-12);
  });
});
