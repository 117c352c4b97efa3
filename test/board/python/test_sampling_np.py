# The ulab path's token choice (board/lib/picoformer/sampling_np.py) on the numpy float32 stand-in against a direct
# transcription of docs/format.md (test_sampling.py's, in doubles): greedy ties, top-k with ties inside and at the
# threshold, temperature extremes, vocabularies that are not a multiple of the chunk size, and the vectorised walk
# really taken (the pure-Python path only for ties at a top-k threshold). Float32 sums in another order may move a
# choice whose margin (src/model/sampling.ts SampleTrace) is within rounding: those are compared only past a margin.
import random
import unittest
from array import array

import helpers  # noqa: F401 (puts board/lib on the path)
import picoformer.sampling as sampling
import picoformer.sampling_np as sampling_np
from picoformer.rng import Rng
from test_golden import stand_in_numpy
from test_sampling import Xorshift32, reference_choice, reference_sample

# sum(p) in float32 over a few hundred items, in another order than the reference's: far below this
MARGIN = 1e-4


class FakeModel:
    """What sampling_np reads of a loaded model on the ulab path: m.np, m.logits, its view m.LG, m.topv."""

    def __init__(self, values):
        self.np = stand_in_numpy()
        self.logits = array("f", values)
        self.topv = array("f", [0] * len(values))
        self.LG = self.np.frombuffer(self.logits, dtype=self.np.float)


def f32(values):
    return list(array("f", values))


class UlabSamplingTest(unittest.TestCase):
    def setUp(self):
        # the Python path is taken only for ties at a top-k threshold; any other call is a test failure
        self.python_calls = 0
        real = sampling.sample

        def counting(*args):
            self.python_calls += 1
            return real(*args)

        sampling.sample = counting
        self.addCleanup(setattr, sampling, "sample", real)

    def check(self, values, temperature, top_k, seed, draws=4):
        """Same ids as the reference for every draw whose margin is above rounding; returns how many were compared."""
        m = FakeModel(values)
        logits = list(m.logits)
        a, b = Rng(seed), Xorshift32(seed)
        compared = 0
        for _ in range(draws):
            got = sampling_np.choose(m, temperature, top_k, a)
            want, margin = reference_choice(logits, temperature, top_k, b.uniform() if temperature > 0 else None)
            if margin > MARGIN:
                self.assertEqual(got, want, (values[:8], len(values), temperature, top_k, seed))
                compared += 1
        self.assertEqual((a.hi, a.lo), (b.x >> 16, b.x & 0xFFFF), "one draw per sampled choice, none greedy")
        return compared

    def test_greedy_takes_the_lowest_id_of_tied_maxima(self):
        for values, want in (([1, 3, 2, 3], 1), ([5, 5], 0), ([0] * 40 + [2] + [0] * 20 + [2], 40), ([-1, -1, -3], 0)):
            self.assertEqual(sampling_np.choose(FakeModel(values), 0, 0, Rng(1)), want)
            self.assertEqual(sampling_np.choose(FakeModel(values), -0.5, 3, Rng(1)), want)

    def test_the_reference_on_random_logits_any_vocabulary_size(self):
        rnd = random.Random(7)
        compared = 0
        # sizes below, at, around and far from square chunk boundaries (chunk = floor(sqrt(n)) + 1)
        for n in (1, 2, 3, 5, 16, 17, 20, 21, 97, 477, 500, 1009):
            for trial in range(6):
                vals = f32(rnd.gauss(0, 3) for _ in range(n))
                t = rnd.choice((0.3, 0.8, 1.0, 2.5))
                k = rnd.choice((0, 1, 2, 40, n - 1, n, n + 3))
                compared += self.check(vals, t, k, rnd.randrange(-5, 2 ** 33), 6)
        self.assertGreater(compared, 300)
        self.assertEqual(self.python_calls, 0)

    def test_ties_inside_the_kept_set_stay_vectorised(self):
        rnd = random.Random(11)
        compared = 0
        for trial in range(150):
            n = rnd.choice((7, 23, 64, 130))
            vals = [rnd.choice((-2.0, 0.5, 1.0, 3.25)) for _ in range(n)]
            s = sorted(vals, reverse=True)
            ks = [k for k in range(1, n) if s[k - 1] != s[k]]  # thresholds without a tie across them
            k = rnd.choice(ks + [0]) if ks else 0
            compared += self.check(vals, rnd.choice((0.5, 1.0, 3.0)), k, trial)
        self.assertGreater(compared, 400)
        self.assertEqual(self.python_calls, 0)

    def test_ties_at_the_top_k_threshold_keep_the_lower_ids(self):
        # 4 ids equal to the 3rd largest: only the lowest of them is kept; every draw must land on 9, 3 or 1
        vals = [0.0, 1.0, 0.5, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 2.0, 0.0]
        m = FakeModel(vals)
        rng, ref = Rng(3), Xorshift32(3)
        seen = set()
        for _ in range(300):
            got = sampling_np.choose(m, 1.0, 3, rng)
            self.assertEqual(got, reference_sample(vals, 1.0, 3, ref))
            seen.add(got)
        self.assertEqual(seen, {1, 3, 9})
        self.assertEqual(self.python_calls, 300)

    def test_temperature_extremes(self):
        rnd = random.Random(3)
        vals = f32(rnd.uniform(-4, 4) for _ in range(301))
        best = max(range(301), key=lambda i: vals[i])
        for t in (1e-30, 1e-6, 1e-3):  # effectively greedy: (l - max) / t, never inf - inf
            for k in (0, 5):
                self.assertEqual([sampling_np.choose(FakeModel(vals), t, k, Rng(s)) for s in range(5)], [best] * 5)
        for t in (50.0, 1e6, 1e30):  # nearly uniform: the reference's ids
            for k in (0, 40):
                self.assertGreater(self.check(vals, t, k, 9, 20), 15)
        self.assertEqual(self.python_calls, 0)

    def test_the_last_kept_id_when_r_reaches_the_total(self):
        # u is at most 1 - 2**-24; a uniform of 1 would put r at sum(p): the contract's fallback, the last kept id
        class One:
            def uniform(self):
                return 1.0

        # every p exactly 1 or 0, so no rounding: r = sum(p) is never exceeded
        self.assertEqual(sampling_np.choose(FakeModel([2.0] * 5), 1.0, 0, One()), 4)
        self.assertEqual(sampling_np.choose(FakeModel([1.0] * 40), 1.0, 0, One()), 39)  # past 5 chunks of 7
        self.assertEqual(sampling_np.choose(FakeModel([1.0] * 12), 1.0, 0, One()), 11)  # 3 whole chunks of 4
        self.assertEqual(sampling_np.choose(FakeModel([3.0, 3.0, 1.0, 3.0, 0.0]), 1.0, 3, One()), 3)
        # the kept ids all in the first chunk, the tail walked finds none: back to the last kept
        self.assertEqual(sampling_np.choose(FakeModel([40.0] * 3 + [0.0] * 7), 1.0, 3, One()), 2)
        self.assertEqual(self.python_calls, 0)

if __name__ == "__main__":
    unittest.main()
