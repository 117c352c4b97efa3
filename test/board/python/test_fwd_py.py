# The pure-Python forward pass's stand-ins for what CircuitPython's math lacks (found on the official firmware,
# test/firmware/paths.test.ts): tanh through exp must be the same function as math.tanh.
import math
import unittest

from picoformer import fwd_py


class TanhTest(unittest.TestCase):
    def test_tanh_exp_is_tanh(self):
        for i in range(-4000, 4001):
            x = i / 100.0
            self.assertAlmostEqual(fwd_py.tanh_exp(x), math.tanh(x), delta=1e-15 + 1e-12 * abs(math.tanh(x)))

    def test_tanh_exp_saturates_without_overflow(self):
        for x in (21.0, 400.0, 1e30):
            self.assertEqual(fwd_py.tanh_exp(x), 1.0)
            self.assertEqual(fwd_py.tanh_exp(-x), -1.0)


if __name__ == "__main__":
    unittest.main()
