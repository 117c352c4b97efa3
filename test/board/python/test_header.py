# Header validation (board/lib/picoformer/header.py): every golden file passes; every broken file is refused
# with the TypeScript reader's error code; random mutations are refused cleanly, never with a crash.
import json
import random
import struct
import unittest

from helpers import TempDir, golden, golden_models, read_parts, slurp, spit, tensors_of, write_model, write_raw
from picoformer import header
from picoformer.errors import ModelError


class GoldenFilesTest(unittest.TestCase):
    def test_every_golden_file_is_accepted_with_its_parameter_count(self):
        for g, path in golden_models():
            h = header.read(path)
            self.assertEqual(h.params, g["parameter_count"], g["name"])
            self.assertEqual(h.dtype, g["weights"], g["name"])
            self.assertEqual(h.cfg, g["config"], g["name"])
            self.assertEqual(len(h.vocab.offs), g["config"]["vocab_size"] + 1)


class BrokenFilesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = TempDir()
        _, self.src = golden("random-1k-i8")
        self.tensors, self.meta = tensors_of(self.src)
        self.path = self.tmp.file("m.safetensors")

    def tearDown(self):
        self.tmp.cleanup()

    def refused(self, code):
        with self.assertRaises(ModelError) as cm:
            header.read(self.path)
        self.assertEqual(cm.exception.code, code, cm.exception.message)
        self.assertTrue(cm.exception.message)
        return cm.exception.message

    def write(self, tensors=None, meta=None):
        write_model(self.path, self.tensors if tensors is None else tensors, self.meta if meta is None else meta)

    def with_config(self, **changes):
        c = json.loads(self.meta["config"])
        for k, v in changes.items():
            if v is KeyError:
                del c[k]
            else:
                c[k] = v
        self.write(meta=dict(self.meta, config=json.dumps(c)))

    def test_container_level(self):
        spit(self.path, b"\x01\x00")
        self.refused("truncated")
        write_raw(self.path, b"{}", b"", hlen=1)
        self.refused("header_length")
        write_raw(self.path, b"{}", b"", hlen=2 * 1024 * 1024)
        self.refused("header_length")
        write_raw(self.path, b"{}", b"", hlen=1 << 40)
        self.assertIn("over 4 GB", self.refused("header_length"))
        write_raw(self.path, b"{}" + b" " * 6, b"", hlen=64)
        self.refused("truncated")
        write_raw(self.path, b"{not json", b"")
        self.refused("header_json")
        write_raw(self.path, b"[1, 2]", b"")
        self.refused("header_json")
        write_raw(self.path, b'{"a": "\xff\xfe"}', b"")
        self.refused("header_json")

    def test_tensor_entries(self):
        hdr, data = read_parts(self.src)
        for mutate, code in (
            (lambda t: t.update(dtype="BF16"), "dtype_invalid"),
            (lambda t: t.update(dtype=5), "tensor_entry"),
            (lambda t: t.update(shape="8"), "tensor_entry"),
            (lambda t: t.update(shape=[8, -1]), "tensor_entry"),
            (lambda t: t.pop("data_offsets"), "tensor_entry"),
            (lambda t: t.update(data_offsets=[0]), "tensor_entry"),
            (lambda t: t.update(data_offsets=[10, 5]), "offsets_out_of_range"),
            (lambda t: t.update(data_offsets=[t["data_offsets"][0], t["data_offsets"][1] - 1]), "offsets_size"),
        ):
            h2 = json.loads(json.dumps(hdr))
            mutate(h2["final_norm"])
            write_raw(self.path, h2, data)
            self.refused(code)
        h2 = json.loads(json.dumps(hdr))
        h2["final_norm"] = [1, 2]
        write_raw(self.path, h2, data)
        self.refused("tensor_entry")

    def test_coverage(self):
        hdr, data = read_parts(self.src)
        write_raw(self.path, hdr, data + b"\0" * 8)
        self.assertIn("after the last tensor", self.refused("offsets_gap"))
        write_raw(self.path, hdr, data[:-4])
        self.refused("truncated")
        # two tensors swap their second halves: an overlap
        h2 = json.loads(json.dumps(hdr))
        a = h2["layers.0.attn_norm"]["data_offsets"]
        h2["layers.0.ffn_norm"]["data_offsets"] = [a[0] + 4, a[1] + 4]
        write_raw(self.path, h2, data)
        self.assertIn(self.refused_any(), ("offsets_overlap", "offsets_gap"))

    def refused_any(self):
        with self.assertRaises(ModelError) as cm:
            header.read(self.path)
        return cm.exception.code

    def test_metadata(self):
        hdr, data = read_parts(self.src)
        h2 = dict(hdr)
        del h2["__metadata__"]
        write_raw(self.path, h2, data)
        self.refused("metadata_missing")
        write_raw(self.path, dict(hdr, __metadata__=dict(hdr["__metadata__"], name=3)), data)
        self.refused("metadata_invalid")
        write_raw(self.path, dict(hdr, __metadata__=[1]), data)
        self.refused("metadata_invalid")
        m = dict(hdr["__metadata__"])
        del m["vocab"]
        write_raw(self.path, dict(hdr, __metadata__=m), data)
        self.refused("metadata_missing")
        write_raw(self.path, dict(hdr, __metadata__=dict(hdr["__metadata__"], format="picoformer/2")), data)
        self.refused("metadata_unknown")
        write_raw(self.path, dict(hdr, __metadata__=dict(hdr["__metadata__"], config="{")), data)
        self.refused("metadata_invalid")
        write_raw(self.path, dict(hdr, __metadata__=dict(hdr["__metadata__"], vocab="[")), data)
        self.refused("metadata_invalid")

    def test_config(self):
        for changes in (
            {"extra_key": 1},
            {"dim": KeyError},
            {"dim": 9},  # not divisible by n_heads 2
            {"n_layers": 0},
            {"vocab_size": 2.5},
            {"norm": "batchnorm"},
            {"norm_eps": 0},
            {"tied_embeddings": 1},
            {"bos_id": 99},
            {"unk_id": None},
            {"special_ids": [0, 1, 2]},  # unk_id 3 not special
            {"special_ids": [0, 1, 2, 3, 3]},
            {"family": "has space"},
            {"kv_cache": "int4"},
            {"kv_cache": None},
        ):
            self.with_config(**changes)
            self.refused("config_invalid")
        self.with_config(family="story_v2.1-x")
        header.read(self.path)
        for kind in ("float32", "int8"):
            self.with_config(kv_cache=kind)
            self.assertEqual(header.read(self.path).cfg["kv_cache"], kind)

    def test_vocab(self):
        words = json.loads(self.meta["vocab"])
        for bad, code in ((words[:-1], "vocab_mismatch"), ("x", "vocab_invalid"), (words[:-1] + [""], "vocab_invalid"),
                          (words[:-1] + [words[5]], "vocab_invalid"), (words[:-1] + ["ab"], "vocab_invalid"),
                          (words[:-1] + [7], "vocab_invalid")):
            self.write(meta=dict(self.meta, vocab=json.dumps(bad)))
            self.refused(code)

    def test_tensor_table(self):
        ts = self.tensors
        names = [t[0] for t in ts]

        def without(name):
            return [t for t in ts if t[0] != name]

        self.write(tensors=ts + [("layers.1.wq", "F32", [8, 8], b"\0" * 256)])
        self.refused("tensor_unknown")
        self.write(tensors=without("final_norm"))
        self.refused("tensor_missing")
        self.write(tensors=without("layers.0.wq.scale"))
        self.refused("tensor_missing")
        i = names.index("final_norm")
        self.write(tensors=ts[:i] + [("final_norm", "F32", [4], b"\0" * 16)] + ts[i + 1:])
        self.refused("shape_mismatch")
        self.write(tensors=ts[:i] + [("final_norm", "I8", [8], b"\1" * 8)] + ts[i + 1:])
        self.refused("dtype_invalid")
        j = names.index("layers.0.wq.scale")
        self.write(tensors=ts[:j] + [("layers.0.wq.scale", "F16", [8], b"\0" * 16)] + ts[j + 1:])
        self.refused("dtype_invalid")
        self.write(tensors=ts[:j] + [("layers.0.wq.scale", "F32", [4], b"\0" * 16)] + ts[j + 1:])
        self.refused("shape_mismatch")
        self.write(tensors=ts + [("final_norm.scale", "F32", [8], b"\0" * 32)])
        self.refused("tensor_unknown")

    def test_float_model_with_a_scale_is_refused(self):
        _, src = golden("random-1k-f32")
        ts, meta = tensors_of(src)
        self.write(tensors=ts + [("tok_emb.scale", "F32", [48], b"\0" * 192)], meta=meta)
        self.refused("tensor_unknown")

    def test_tensors_in_any_order_are_accepted(self):
        self.write(tensors=list(reversed(self.tensors)))
        self.assertEqual(header.read(self.path).params, golden("random-1k-i8")[0]["parameter_count"])


class FuzzTest(unittest.TestCase):
    def test_mutated_files_are_refused_or_loaded_never_crash(self):
        from picoformer import loader

        _, src = golden("random-1k-i8")
        base = slurp(src)
        n = struct.unpack("<Q", base[:8])[0]
        rng = random.Random(20240601)
        tmp = TempDir()
        path = tmp.file("f.safetensors")
        outcomes = {}
        try:
            for _ in range(400):
                b = bytearray(base)
                kind = rng.randrange(4)
                if kind == 0:  # flip bytes in the header
                    for _ in range(rng.randrange(1, 4)):
                        b[rng.randrange(8, 8 + n)] = rng.randrange(256)
                elif kind == 1:  # cut the file
                    b = b[:rng.randrange(len(b))]
                elif kind == 2:  # change a digit in the header (shapes, offsets, sizes)
                    digits = [i for i in range(8, 8 + n) if 48 <= b[i] <= 57]
                    b[rng.choice(digits)] = rng.randrange(48, 58)
                else:  # the length field
                    b[rng.randrange(8)] = rng.randrange(256)
                spit(path, bytes(b))
                try:
                    h = header.read(path)
                    loader.load(h, rng.choice(("resident", "streamed"))).close()
                    outcomes["ok"] = outcomes.get("ok", 0) + 1
                except ModelError as e:
                    outcomes[e.code] = outcomes.get(e.code, 0) + 1
        finally:
            tmp.cleanup()
        self.assertGreater(len(outcomes), 5, outcomes)


if __name__ == "__main__":
    unittest.main()
