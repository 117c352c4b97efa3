# A legacy model whose vocabulary repeats entries (scripts/legacyFixture.ts): the board encodes prompts exactly as
# the old runtime did. The old runtime's own tokenizer (../shared/anchors/tiny-transformers-rp2040/
# inference_01b2886.py, read in place, never copied) runs here under CPython with stand-ins for its CircuitPython
# modules, on the trio's vocab file that the golden script wrote beside the imported model.
import contextlib
import gc
import glob
import importlib.util
import io
import os
import sys
import types
import unittest

from helpers import GOLDEN, REPO, golden
from picoformer import header, tokenizer

SHARED = os.environ.get("PICOFORMER_SHARED", os.path.join(REPO, "..", "shared"))
OLD_RUNTIME = os.path.join(SHARED, "anchors", "tiny-transformers-rp2040", "inference_01b2886.py")
TEXTS = ("e the different <unk> <unused_62> day", "The end, the rest", "eee the different things", "x <unk> y ☃\t")


def old_runtime():
    """The old runtime as a module: `microcontroller` stubbed, gc.mem_free supplied, its start-up prints swallowed."""
    if not os.path.exists(OLD_RUNTIME):
        raise unittest.SkipTest("the old runtime is not at %s" % OLD_RUNTIME)
    sys.modules.setdefault("microcontroller", types.ModuleType("microcontroller"))
    had = hasattr(gc, "mem_free")
    if not had:
        gc.mem_free = lambda: 200000
    try:
        spec = importlib.util.spec_from_file_location("old_inference", OLD_RUNTIME)
        mod = importlib.util.module_from_spec(spec)
        with contextlib.redirect_stdout(io.StringIO()):
            spec.loader.exec_module(mod)
        return mod
    finally:
        if not had:
            del gc.mem_free


class DuplicateVocabularyTest(unittest.TestCase):
    def setUp(self):
        self.g, self.path = golden("legacy-story-1k-dups-f32")
        vocab_files = glob.glob(os.path.join(GOLDEN, self.g["legacy_trio"], "vocab_*p.bin"))
        self.assertEqual(len(vocab_files), 1)
        with contextlib.redirect_stdout(io.StringIO()):
            self.old = old_runtime().ScalableTokenizer(vocab_files[0])
        self.vb = header.read(self.path).vocab

    def test_the_board_encodes_as_the_old_runtime(self):
        for text in TEXTS:
            ids, _ = tokenizer.encode(self.vb, text)
            self.assertEqual([1] + ids, self.old.encode(text), text)
        self.assertIn(58, self.old.encode("e"), "the fixture still repeats 'e': the old dict keeps the later id")

    def test_the_board_encodes_as_the_reference(self):
        for case in self.g["tokenizer_cases"]:
            self.assertEqual(list(tokenizer.encode(self.vb, case["text"])), [case["ids"], case["unknown"]], case["text"])

    def test_every_id_decodes_as_the_reference(self):
        cfg = self.g["config"]
        self.assertEqual(cfg["decode_only_ids"], [5, 57, 60, 61])
        for tid, want in ((5, "e"), (58, "e"), (57, " the"), (59, " the"), (60, "different"), (61, "<unused_62>"), (62, ""), (3, "")):
            self.assertEqual(tokenizer.decode(self.vb, tid), want, tid)


if __name__ == "__main__":
    unittest.main()
