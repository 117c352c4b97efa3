# Sampling (board/lib/picoformer/sampling.py) against a direct transcription of docs/format.md and
# src/model/sampling.ts: the mixed seed, the split-state xorshift32, greedy ties, temperature, top-k ties to the
# lower id; and the format's worked example of the generator.
import math
import os
import random
import re
import unittest
from array import array

import helpers
from picoformer.rng import Rng
from picoformer.sampling import argmax, sample

M = 0xFFFFFFFF


def mixed_seed(seed):
    """The format's starting state: one splitmix32 output of the seed's low 32 bits, never 0."""
    z = ((seed & M) + 0x9E3779B9) & M
    z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
    z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
    z ^= z >> 16
    return z if z else 0x9E3779B9


def documented_rows():
    """docs/format.md's worked example: [(seed, starting state, first uniforms)]."""
    with open(os.path.join(helpers.REPO, "docs", "format.md")) as f:
        doc = f.read()
    rows = re.findall(r"^ *\| (-?\d+) \| (0x[0-9A-F]{8}) \| ([\d.]+(?:, [\d.]+)*) \|$", doc, re.M)
    return [(int(seed), int(state, 16), [float(u) for u in us.split(", ")]) for seed, state, us in rows]


class Xorshift32:
    """The format's generator with plain Python ints."""

    def __init__(self, seed):
        self.x = mixed_seed(seed)

    def uniform(self):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return (x >> 8) / 16777216


def reference_sample(logits, temperature, top_k, rng):
    return reference_choice(logits, temperature, top_k, rng.uniform() if temperature > 0 else None)[0]


def reference_choice(logits, temperature, top_k, u):
    """The format's choice for the uniform u (None when greedy) and its margin (src/model/sampling.ts SampleTrace):
    r's distance to the chosen interval's nearest edge as a fraction of sum(p); greedy, the gap to the runner-up."""
    n = len(logits)
    if not temperature > 0:
        best = max(range(n), key=lambda i: (logits[i], -i))
        return best, min([logits[best] - logits[i] for i in range(n) if i != best] or [math.inf])
    z = [v / temperature for v in logits]
    kept = list(range(n))
    if 0 < top_k < n:
        kept = sorted(sorted(kept, key=lambda i: (-z[i], i))[:top_k])
    mx = max(z[i] for i in kept)
    p = [math.exp(z[i] - mx) for i in kept]
    total = sum(p)
    r = u * total
    run = 0.0
    for i, pi in zip(kept, p):
        before = run
        run += pi
        if run > r or i == kept[-1]:
            return i, min(r - before, max(0.0, run - r)) / total
    raise AssertionError("unreachable")

class RngTest(unittest.TestCase):
    def test_same_stream_as_32_bit_integers(self):
        for seed in (0, 1, 7, -1, 2 ** 32 + 7, 0x9E3779B9, 0x61C88647, 123456789, 2 ** 31, 0xFFFFFFFF):
            a, b = Rng(seed), Xorshift32(seed)
            for _ in range(2000):
                self.assertEqual(a.uniform(), b.uniform(), seed)

    def test_the_formats_worked_example(self):
        rows = documented_rows()
        self.assertGreaterEqual(len(rows), 7, "the worked example's rows in docs/format.md")
        for seed, state, uniforms in rows:
            r = Rng(seed)
            self.assertEqual((r.hi << 16) | r.lo, state, seed)
            self.assertEqual([r.uniform() for _ in uniforms], uniforms, seed)

    def test_halves_stay_small_ints(self):
        r = Rng(0xDEADBEEF)
        for _ in range(1000):
            r.uniform()
            self.assertLess(r.hi, 1 << 16)
            self.assertLess(r.lo, 1 << 16)


class SampleTest(unittest.TestCase):
    def test_greedy_takes_the_lowest_id_of_tied_maxima(self):
        self.assertEqual(argmax(array("f", [1, 3, 2, 3])), 1)
        self.assertEqual(sample(array("f", [1, 3, 2, 3]), 0, 0, Rng(1), array("f", [0] * 4)), 1)
        self.assertEqual(sample(array("f", [5, 3]), -1.0, 2, Rng(1), array("f", [0] * 2)), 0)

    def test_matches_the_reference_on_random_logits_with_ties(self):
        rnd = random.Random(5)
        for trial in range(400):
            n = rnd.choice((2, 5, 17, 64))
            vals = [rnd.choice((-2.0, 0.5, 1.0, 1.0, 3.25)) if trial % 3 == 0 else rnd.uniform(-6, 6) for _ in range(n)]
            logits = array("f", vals)
            t = rnd.choice((0, 0.3, 0.8, 1.0, 2.5))
            k = rnd.choice((0, 1, 2, 3, n - 1, n, n + 3))
            seed = rnd.randrange(-5, 2 ** 33)
            a, b = Rng(seed), Xorshift32(seed)
            for _ in range(5):
                self.assertEqual(sample(logits, t, k, a, array("f", [0] * n)),
                                 reference_sample(list(logits), t, k, b), (vals, t, k, seed))

    def test_top_k_one_is_greedy_but_still_draws(self):
        logits = array("f", [0.1, 2.0, 2.0, -1.0])
        r = Rng(3)
        self.assertEqual(sample(logits, 1.0, 1, r, array("f", [0] * 4)), 1)
        self.assertNotEqual((r.hi, r.lo), (Rng(3).hi, Rng(3).lo))


if __name__ == "__main__":
    unittest.main()
