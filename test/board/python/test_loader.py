# The loader (board/lib/picoformer/loader.py): what each mode keeps in RAM, that memest.py counts exactly those
# buffers, that weights are stored as loaded (int8 stays int8), and that failures free everything.
import gc
import struct
import unittest
import weakref
from array import array

from helpers import TempDir, golden, golden_models, slurp, spit, tensors_of, write_model
from picoformer import header, loader, memest
from picoformer.errors import ModelError


def buffers(m):
    """The model's arrays by memest part."""
    mats = [m.tok] + ([m.pos] if m.pos else []) + [x for ly in m.layers for x in ly[1:5] + ly[6:8]]
    if m.out is not m.tok:
        mats.append(m.out)
    parts = {
        "weights": [mt.data for mt in mats if mt.data is not None],
        "scales": [mt.scale for mt in mats if mt.scale is not None],
        "norms": [ly[0] for ly in m.layers] + [ly[5] for ly in m.layers] + [m.final_norm],
        "kv_cache": m.kc + m.vc + (m.ks + m.vs if m.ks is not None else []),
        "activations": [m.x, m.xb, m.xb2, m.q, m.hb, m.att, m.logits, m.topv, m.seq],
        "layer_buffer": [],
    }
    stream = {id(b): b for mt in mats for b in (mt.buf, mt.raw) if b is not None}
    parts["layer_buffer"] = list(stream.values())
    return parts


def nbytes(a):
    return len(a) * (a.itemsize if isinstance(a, array) else 1)


class ModesTest(unittest.TestCase):
    def test_memest_counts_exactly_the_buffers_the_loader_allocates(self):
        for g, path in golden_models():
            h = header.read(path)
            for mode in ("resident", "streamed"):
                m = loader.load(h, mode)
                est = memest.estimate(h.cfg, h.tensors, mode, header_len=h.hlen, vocab_bytes=h.vocab_bytes)
                for part, bufs in buffers(m).items():
                    self.assertEqual(est[part], sum(memest.arr(nbytes(b)) for b in bufs), "%s %s %s" % (g["name"], mode, part))
                m.close()

    def test_int8_kv_cache_is_int8_items_and_one_scale_per_position(self):
        g, path = golden("random-30k-i8-kv8")
        ctx, d = g["config"]["context_length"], g["config"]["dim"]
        m = loader.load(header.read(path), "resident")
        for a in m.kc + m.vc:
            self.assertEqual((a.typecode, len(a)), ("b", ctx * d))
        for a in m.ks + m.vs:
            self.assertEqual((a.typecode, len(a)), ("f", ctx))
        f = loader.load(header.read(golden("random-30k-i8")[1]), "resident")
        self.assertEqual([a.typecode for a in f.kc], ["f"] * len(f.kc))
        self.assertIsNone(f.ks)

    def test_resident_keeps_int8_as_int8_and_streamed_keeps_no_matrix(self):
        g, path = golden("random-30k-i8")
        h = header.read(path)
        m = loader.load(h, "resident")
        self.assertEqual(m.tok.data.typecode, "b")
        self.assertEqual(len(m.tok.data), g["config"]["vocab_size"] * g["config"]["dim"])
        self.assertEqual(sum(len(b) for b in buffers(m)["weights"]), g["parameter_count"] - 5 * g["config"]["dim"])
        self.assertIsNone(m.f)
        s = loader.load(h, "streamed")
        self.assertEqual(buffers(s)["weights"], [])
        self.assertEqual(len(buffers(s)["layer_buffer"]), 1)
        self.assertLessEqual(len(s.tok.buf), loader.STREAM_CHUNK)
        self.assertIsNotNone(s.f)
        s.close()
        self.assertIsNone(s.f)

    def test_unit_rows_is_whole_rows_of_at_most_one_chunk(self):
        self.assertEqual(loader.STREAM_CHUNK, memest.STREAM_CHUNK)
        self.assertEqual(loader.STREAM_CHUNK, 1024)  # 1 KB of rows per read (it was 4 KB: 3 KB more for the KV cache)
        self.assertEqual(loader.unit_rows(256, 128), 8)
        self.assertEqual(loader.unit_rows(4, 128), 4)
        self.assertEqual(loader.unit_rows(3, 10000), 1)  # a row longer than a chunk is read alone

    def test_ulab_path_keeps_int8_in_a_bytearray(self):
        import os
        import sys

        sys.path.insert(0, os.path.join(os.path.dirname(__file__), "stubs"))
        from ulab import numpy as np

        _, path = golden("random-1k-i8")
        m = loader.load(header.read(path), "resident", np)
        # the items are one bytearray, which the forward pass reads through the 2D int8 view that replaced it on the Mat
        self.assertEqual((m.tok.data.shape, m.tok.data.dtype), ((48, 8), np.int8))
        base = m.tok.data
        while not isinstance(base, (bytearray, memoryview)) and base is not None:
            base = getattr(base, "base", None) if not isinstance(base, bytearray) else base
            base = base.obj if isinstance(base, memoryview) else base
        self.assertIsInstance(base, bytearray)


class FailuresTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()

    def tearDown(self):
        self.tmp.cleanup()

    def test_memory_error_while_allocating_frees_what_was_allocated(self):
        _, path = golden("random-30k-i8")
        h = header.read(path)
        made = []
        real = loader._new

        def failing(tc, n, np):
            if len(made) == 5:
                raise MemoryError
            a = real(tc, n, np)
            made.append(weakref.ref(a))
            return a

        loader._new = failing
        try:
            with self.assertRaises(ModelError) as cm:
                loader.load(h, "resident")
        finally:
            loader._new = real
        self.assertEqual(cm.exception.code, "out_of_memory")
        gc.collect()
        self.assertEqual([r() for r in made], [None] * 5)

    def test_nan_in_a_norm_and_a_negative_scale_are_refused(self):
        _, path = golden("random-1k-i8")
        ts, meta = tensors_of(path)
        for name, value, code in (("final_norm", float("nan"), "non_finite"), ("layers.0.w1.scale", -1.0, "scale_invalid"),
                                  ("layers.0.w1.scale", float("inf"), "non_finite")):
            bad = [(n, d, s, (struct.pack("<f", value) + b[4:]) if n == name else b) for n, d, s, b in ts]
            p = self.tmp.file("bad.safetensors")
            write_model(p, bad, meta)
            for mode in ("resident", "streamed"):
                with self.assertRaises(ModelError) as cm:
                    loader.load(header.read(p), mode)
                self.assertEqual(cm.exception.code, code)

    def test_nan_in_a_float_matrix_is_refused_when_resident(self):
        _, path = golden("random-1k-f32")
        ts, meta = tensors_of(path)
        bad = [(n, d, s, (b[:20] + struct.pack("<f", float("inf")) + b[24:]) if n == "layers.0.w2" else b) for n, d, s, b in ts]
        p = self.tmp.file("bad.safetensors")
        write_model(p, bad, meta)
        with self.assertRaises(ModelError) as cm:
            loader.load(header.read(p), "resident")
        self.assertEqual(cm.exception.code, "non_finite")

    def test_file_cut_after_its_header_was_checked(self):
        _, path = golden("random-30k-i8")
        p = self.tmp.file("cut.safetensors")
        data = slurp(path)
        spit(p, data)
        h = header.read(p)
        spit(p, data[:len(data) // 2])
        with self.assertRaises(ModelError) as cm:
            loader.load(h, "resident")
        self.assertEqual(cm.exception.code, "truncated")
        spit(p, data)
        m = loader.load(header.read(p), "streamed")
        spit(p, data[:h.data_start + 100])
        from picoformer.fwd_py import forward

        with self.assertRaises(ModelError) as cm:
            forward(m, 1, 0)
        self.assertEqual(cm.exception.code, "truncated")
        m.close()

    def test_f16_tensors_are_expanded_exactly(self):
        _, path = golden("random-1k-f32")
        ts, meta = tensors_of(path)
        import numpy as np

        half = [(n, "F16", s, np.frombuffer(b, "<f4").astype("<f2").tobytes()) for n, d, s, b in ts]
        back = [(n, "F32", s, np.frombuffer(b, "<f2").astype("<f4").tobytes()) for n, d, s, b in half]
        p16, p32 = self.tmp.file("h.safetensors"), self.tmp.file("f.safetensors")
        write_model(p16, half, meta)
        write_model(p32, back, meta)
        for mode in ("resident", "streamed"):
            a = loader.load(header.read(p16), mode)
            b = loader.load(header.read(p32), mode)
            from picoformer.fwd_py import forward

            for pos, tok in enumerate((1, 5, 9, 33)):
                self.assertEqual(list(forward(a, tok, pos)), list(forward(b, tok, pos)))
            a.close()
            b.close()


if __name__ == "__main__":
    unittest.main()
