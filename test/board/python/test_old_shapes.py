# Issue 13: the old project's 101K (vocab 384, dim 48, hidden 192, 3 layers, 8 heads, context 80) and 229K (vocab 512,
# dim 64, hidden 256, 4 layers, 16 heads, context 96) shapes, int8 with random weights. With the float32 KV cache
# (92 KB and 196 KB of it) neither runs even streamed; with the int8 cache they load, streamed, through the runtime's
# own decision, and generate the reference's tokens (past their context too) on both board paths.
import os
import shutil
import sys
import unittest

from helpers import Harness, TempDir, golden, run_generation, tensors_of, write_model
from picoformer import catalog, fwd_np, fwd_py, header, loader, memest
from picoformer.errors import ModelError

BUDGET = 140 * 1024  # pico-cp9's budget (docs/memory.md)
BOARD_MAX = 176 * 1024  # pico-cp9's maximum: the most free heap seen on the board


def stand_in_numpy():
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "stubs"))
    from ulab import numpy

    return numpy


class OldShapesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        self.dir = self.tmp.path

    def tearDown(self):
        self.tmp.cleanup()

    def copy(self, name, as_name=None):
        shutil.copy(golden(name)[1], os.path.join(self.dir, (as_name or name) + ".safetensors"))

    def float_cache_twin(self, name):
        """The same model with the float32 KV cache (its config without kv_cache), in the models folder."""
        tensors, meta = tensors_of(golden(name)[1])
        meta = dict(meta, config=meta["config"].replace(',"kv_cache":"int8"', ""))
        path = os.path.join(self.dir, name.replace("-kv8", "-f32kv") + ".safetensors")
        write_model(path, tensors, meta)
        return path

    def test_the_shapes_are_the_old_models(self):
        for name, params, cfg in (("random-101k-i8-kv8", 101712, (384, 48, 192, 3, 8, 80)),
                                  ("random-229k-i8-kv8", 229952, (512, 64, 256, 4, 16, 96))):
            g = golden(name)[0]
            c = g["config"]
            self.assertEqual(g["parameter_count"], params)
            self.assertEqual((c["vocab_size"], c["dim"], c["hidden_dim"], c["n_layers"], c["n_heads"], c["context_length"]), cfg)
            self.assertEqual((c["kv_cache"], g["weights"]), ("int8", "I8"))

    def test_with_the_float_cache_neither_fits_even_streamed(self):
        # at the budgets that hold them with the int8 cache below (the runtime's own heap not even counted here)
        for name, avail in (("random-101k-i8-kv8", BUDGET), ("random-229k-i8-kv8", BOARD_MAX)):
            h = header.read(self.float_cache_twin(name))
            with self.assertRaises(ModelError) as cm:
                catalog.choose(name, catalog.estimates(h, False), avail, None)
            self.assertEqual(cm.exception.code, "too_big")
            kv8 = header.read(golden(name)[1])
            self.assertEqual(catalog.choose(name, catalog.estimates(kv8, False), avail, None)[0], "streamed")
            self.assertLess(memest.estimate(kv8.cfg, kv8.tensors, "streamed")["kv_cache"] * 3.5,
                            memest.estimate(h.cfg, h.tensors, "streamed")["kv_cache"])

    def test_101k_loads_streamed_within_140_kb_and_generates_the_reference_tokens(self):
        self.copy("random-101k-i8-kv8")
        self.load_and_generate("random-101k-i8-kv8", BUDGET)

    def test_229k_loads_streamed_within_the_board_maximum_and_generates_the_reference_tokens(self):
        # Its load's header step (a 512-entry vocabulary parsed) needs 146.9 KB with the reserve: over the 140 KB
        # budget (zone danger), within what a freshly booted Pico has.
        self.copy("random-229k-i8-kv8")
        self.load_and_generate("random-229k-i8-kv8", BOARD_MAX)

    def load_and_generate(self, name, limit):
        g = golden(name)[0]
        h = Harness(self.dir, heap_limit=limit)
        h.settle()
        h.cmd(cmd="hello")
        h.run_until("ready", host=True)
        self.assertIsNotNone(h.app.model, "the runtime loaded nothing")
        self.assertEqual(h.app.model.mode, "streamed")
        for case in g["generations"]:
            h.clear()
            h.cmd(cmd="generate", prompt=case["prompt"], max_tokens=case["max_tokens"], temperature=case["temperature"],
                  top_k=case["top_k"], seed=case["seed"])
            done = h.run_until("done")
            ids = [e["id"] for e in h.events() if e["ev"] == "token"]
            self.assertEqual(ids, case["ids"], case["prompt"])
            self.assertEqual((done["reason"], done["refills"]), (case["stop_reason"], case["refills"]))
        self.assertTrue(any(c["refills"] for c in g["generations"]), "no case went past the context")
        h.app.model.close()

    def test_the_ulab_path_streamed_gives_the_reference_tokens(self):
        np = stand_in_numpy()
        for name in ("random-101k-i8-kv8", "random-229k-i8-kv8"):
            g, path = golden(name)
            m = loader.load(header.read(path), "streamed", np)
            for case in g["generations"]:
                gen, ids = run_generation(m, fwd_np.forward, case)
                self.assertEqual(ids[:12], case["ids"][:12], (name, case["prompt"]))
            m.close()

    def test_pure_python_resident_gives_the_same_tokens_as_streamed(self):
        g, path = golden("random-101k-i8-kv8")
        case = g["generations"][0]
        m = loader.load(header.read(path), "resident")
        self.assertEqual(run_generation(m, fwd_py.forward, case)[1], case["ids"])
        m.close()


if __name__ == "__main__":
    unittest.main()
