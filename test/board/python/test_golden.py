# The board runtime computes the reference's model (test/golden/README.md): logits within tolerance, the same
# generated tokens for the same seed, the same tokenizer, in both load modes, pure Python and the ulab path.
import os
import sys
import unittest

from helpers import (BOARD_GOLDEN, GOLDEN, TOL_F32, TOL_F64, comparable_ids, golden_models, run_generation,
                     worst_logit_error)
from picoformer import fwd_np, fwd_py, header, loader, tokenizer


def all_golden():
    out = golden_models(GOLDEN)
    if os.path.exists(os.path.join(BOARD_GOLDEN, "index.json")):
        out += golden_models(BOARD_GOLDEN)
    return [(g, p) for g, p in out if g["name"] not in SKIP]


def stand_in_numpy():
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs"))
    from ulab import numpy

    return numpy


# Streamed mode is checked on a spread of models (every dtype, tied and untied, the 300K one); resident on all.
STREAMED = ("random-1k-f32", "random-8k-i8", "random-30k-i8", "random-300k-i8", "random-30k-f16", "random-1k-f16",
            "legacy-chat-10k-balanced-i8", "random-8k-i8-kv8", "random-30k-i8-kv8")
SKIP = ("random-ctx256-i8",)  # a fixture of the heap tests (too big for a board); slow and adds no case here


class PurePythonTest(unittest.TestCase):
    def check(self, mode):
        for g, path in all_golden():
            if mode == "streamed" and g["name"] not in STREAMED:
                continue
            with self.subTest(model=g["name"], mode=mode):
                m = loader.load(header.read(path), mode)
                err = worst_logit_error(fwd_py.forward, m, g)
                self.assertLessEqual(err, TOL_F64)
                for case in g["generations"]:
                    gen, ids = run_generation(m, fwd_py.forward, case)
                    n, whole = comparable_ids(case, 1e-6)
                    self.assertEqual(ids[:n], case["ids"][:n], case["prompt"][:30])
                    if whole:
                        self.assertEqual(ids, case["ids"])
                        self.assertEqual((gen.reason, gen.refills), (case["stop_reason"], case["refills"]))
                    if not gen.refills:  # a refill moves the window over the prompt
                        self.assertEqual(list(m.seq[:gen.prompt_tokens]), case["prompt_ids"])
                    self.assertEqual((gen.truncated, gen.unknown), (case["truncated"], case["unknown"]))
                    self.assertEqual("".join(tokenizer.decode(m.vocab, i) for i in ids[:n]),
                                     "".join(tokenizer.decode(m.vocab, i) for i in case["ids"][:n]))
                m.close()

    def test_resident(self):
        self.check("resident")

    def test_streamed(self):
        self.check("streamed")


class TokenizerTest(unittest.TestCase):
    def test_encode_and_decode_match_the_reference(self):
        for g, path in all_golden():
            vb = header.read(path).vocab
            for c in g["tokenizer_cases"]:
                ids, unknown = tokenizer.encode(vb, c["text"])
                self.assertEqual((ids, unknown), (c["ids"], c["unknown"]), (g["name"], c["text"]))
                self.assertEqual("".join(tokenizer.decode(vb, i) for i in ids), c["decoded"])


class UlabPathTest(unittest.TestCase):
    """The ulab forward pass (fwd_np.py) on the numpy float32 stand-in."""

    def test_resident_and_streamed(self):
        np = stand_in_numpy()
        for g, path in all_golden():
            for mode in ("resident", "streamed"):
                with self.subTest(model=g["name"], mode=mode):
                    m = loader.load(header.read(path), mode, np)
                    err = worst_logit_error(fwd_np.forward, m, g)
                    self.assertLessEqual(err, TOL_F32)
                    for case in g["generations"]:
                        gen, ids = run_generation(m, fwd_np.forward, case)
                        n, whole = comparable_ids(case, max(err, 1e-6))
                        self.assertEqual(ids[:n], case["ids"][:n], case["prompt"][:30])
                    m.close()


if __name__ == "__main__":
    unittest.main()
