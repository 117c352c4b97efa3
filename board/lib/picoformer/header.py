# Reads and validates a picoformer/1 safetensors header (docs/format.md) before anything is allocated for the
# model: header length, JSON, metadata, config, vocabulary, and the tensor table against the config.
# Every refusal is a ModelError with its own code (listed in docs/protocol.md).
import json
import os
from array import array

from .errors import ModelError

MAX_HEADER = 1048576  # format limit: 1 MiB
SIZES = {"F32": 4, "F16": 2, "I8": 1}
_INTS = (
    ("vocab_size", 2, 65535),
    ("dim", 1, 4096),
    ("hidden_dim", 1, 16384),
    ("n_layers", 1, 64),
    ("n_heads", 1, 64),
    ("context_length", 1, 4096),
)
_KEYS = (
    "vocab_size", "dim", "hidden_dim", "n_layers", "n_heads", "context_length", "norm", "norm_eps",
    "activation", "positional", "tied_embeddings", "tokenizer", "lowercase", "bos_id", "eos_id", "unk_id",
    "pad_id", "special_ids", "family",
)
_CHOICES = (
    ("norm", ("rmsnorm", "layernorm")),
    ("activation", ("silu", "gelu", "relu")),
    ("positional", ("learned", "none")),
    ("tokenizer", ("char", "longest_match")),
)


class Vocab:
    # The vocabulary packed as one UTF-8 blob + offsets (a list of str would cost ~32 bytes per entry).
    def __init__(self, blob, offs, special, lowercase, eos):
        self.blob = blob  # bytes: every entry back to back
        self.offs = offs  # array, len V+1: entry i is blob[offs[i]:offs[i+1]]
        self.special = special  # bytearray(V): 1 for ids that text never produces
        self.lowercase = lowercase
        self.eos = eos


class Header:
    pass


def _is_int(v):
    return type(v) is int


def _fail(code, msg):
    raise ModelError(code, msg)


def read(path):
    """Validate the header of the model file at path; return a Header (no tensor data is read)."""
    try:
        size = os.stat(path)[6]
        f = open(path, "rb")
    except OSError:
        _fail("not_found", "cannot open %s" % path)
    try:
        return _read(f, path, size)
    finally:
        f.close()


def _read(f, path, size):
    if size < 8:
        _fail("header_length", "file is %d bytes, shorter than the 8-byte header length" % size)
    n = int.from_bytes(f.read(8), "little")
    if n < 2 or n > MAX_HEADER:
        _fail("header_length", "header length %d is outside 2..%d" % (n, MAX_HEADER))
    if 8 + n > size:
        _fail("truncated", "header length %d runs past the end of the %d-byte file" % (n, size))
    raw = f.read(n)
    if len(raw) != n:
        _fail("truncated", "could read only %d of %d header bytes" % (len(raw), n))
    try:
        hdr = json.loads(raw)
    except ValueError:
        _fail("header_json", "the header is not valid JSON")
    raw = None
    if type(hdr) is not dict:
        _fail("header_json", "the header is not a JSON object")
    meta = hdr.get("__metadata__")
    if type(meta) is not dict:
        _fail("metadata", "__metadata__ is missing or not an object")
    for k in meta:
        if type(meta[k]) is not str:
            _fail("metadata", "__metadata__.%s is not a string" % k)
    fmt = meta.get("format")
    if fmt is None:
        _fail("metadata", "__metadata__.format is missing")
    if fmt != "picoformer/1":
        _fail("format", "format is %s, this runtime reads picoformer/1" % fmt)
    for k in ("config", "vocab"):
        if k not in meta:
            _fail("metadata", "__metadata__.%s is missing" % k)
    try:
        cfg = json.loads(meta["config"])
    except ValueError:
        _fail("config", "__metadata__.config is not valid JSON")
    _check_config(cfg)
    h = Header()
    h.path = path
    h.size = size
    h.hlen = n
    h.data_start = 8 + n
    h.cfg = cfg
    h.name = meta.get("name")
    vocab_json = meta["vocab"]
    meta = None
    h.tensors, h.params, h.dtype = _check_tensors(hdr, cfg, size - 8 - n)
    hdr = None
    h.vocab = _vocab(vocab_json, cfg)
    h.vocab_bytes = len(h.vocab.blob)
    return h


def _check_config(c):
    if type(c) is not dict:
        _fail("config", "config is not a JSON object")
    for k in c:
        if k not in _KEYS:
            _fail("config", "unknown config key %s" % k)
    for k in _KEYS:
        if k != "family" and k not in c:
            _fail("config", "config.%s is missing" % k)
    for k, lo, hi in _INTS:
        v = c[k]
        if not _is_int(v) or v < lo or v > hi:
            _fail("config", "config.%s must be an integer in %d..%d, got %s" % (k, lo, hi, v))
    for k, ok in _CHOICES:
        if c[k] not in ok:
            _fail("config", "config.%s must be one of %s, got %s" % (k, ", ".join(ok), c[k]))
    if c["dim"] % c["n_heads"]:
        _fail("config", "config.dim %d is not divisible by n_heads %d" % (c["dim"], c["n_heads"]))
    e = c["norm_eps"]
    if type(e) not in (int, float) or not e > 0 or e > 1e30:
        _fail("config", "config.norm_eps must be a positive number, got %s" % e)
    for k in ("tied_embeddings", "lowercase"):
        if type(c[k]) is not bool:
            _fail("config", "config.%s must be true or false" % k)
    if "family" in c and type(c["family"]) is not str:
        _fail("config", "config.family must be a string")
    v = c["vocab_size"]
    sp = c["special_ids"]
    if type(sp) is not list:
        _fail("config", "config.special_ids must be a list of ids")
    for i in sp:
        if not _is_int(i) or i < 0 or i >= v:
            _fail("config", "config.special_ids: %s is not an id below vocab_size %d" % (i, v))
    for k in ("bos_id", "eos_id", "pad_id", "unk_id"):
        i = c[k]
        if i is None and k != "unk_id":
            continue
        if not _is_int(i) or i < 0 or i >= v:
            _fail("config", "config.%s must be an id below vocab_size %d, got %s" % (k, v, i))
        if i not in sp:
            _fail("config", "config.%s %d is not listed in special_ids" % (k, i))


def _expected(c):
    # name -> shape for every tensor the config implies (scales are derived from the matrices)
    v, d, hd, ctx = c["vocab_size"], c["dim"], c["hidden_dim"], c["context_length"]
    e = {"tok_emb": (v, d), "final_norm": (d,)}
    if c["positional"] == "learned":
        e["pos_emb"] = (ctx, d)
    if not c["tied_embeddings"]:
        e["lm_head"] = (v, d)
    for i in range(c["n_layers"]):
        p = "layers.%d." % i
        e[p + "attn_norm"] = (d,)
        e[p + "ffn_norm"] = (d,)
        for w in ("wq", "wk", "wv", "wo"):
            e[p + w] = (d, d)
        e[p + "w1"] = (hd, d)
        e[p + "w2"] = (d, hd)
    return e


def _check_tensors(hdr, c, data_len):
    exp = _expected(c)
    got = {}
    spans = []
    params = 0
    kinds = {}
    for name in hdr:
        if name == "__metadata__":
            continue
        t = hdr[name]
        if type(t) is not dict:
            _fail("tensor", "tensor %s is not an object" % name)
        dt = t.get("dtype")
        shape = t.get("shape")
        offs = t.get("data_offsets")
        if dt not in SIZES:
            _fail("tensor_dtype", "tensor %s has dtype %s (allowed: F32, F16, I8)" % (name, dt))
        if type(shape) is not list or not all(_is_int(s) and s >= 0 for s in shape):
            _fail("tensor", "tensor %s has no valid shape" % name)
        if type(offs) is not list or len(offs) != 2 or not all(_is_int(o) for o in offs):
            _fail("offsets", "tensor %s has no valid data_offsets" % name)
        b, e = offs
        count = 1
        for s in shape:
            count *= s
        if b < 0 or e < b:
            _fail("offsets", "tensor %s has offsets [%d, %d]" % (name, b, e))
        if e - b != count * SIZES[dt]:
            _fail("offsets", "tensor %s holds %d bytes but its shape and dtype need %d" % (name, e - b, count * SIZES[dt]))
        shape = tuple(shape)
        if name.endswith(".scale"):
            base = exp.get(name[:-6])
            if base is None or len(base) != 2:
                _fail("tensor_name", "unexpected tensor %s" % name)
            want = (base[0],)
            if dt != "F32":
                _fail("tensor_dtype", "tensor %s must be F32, not %s" % (name, dt))
        else:
            want = exp.get(name)
            if want is None:
                _fail("tensor_name", "unexpected tensor %s" % name)
            if len(want) == 1 and dt == "I8":
                _fail("tensor_dtype", "norm %s must be F32 or F16, not I8" % name)
            params += count
            if len(want) == 2:
                kinds[dt] = 1
        if shape != want:
            _fail("tensor_shape", "tensor %s has shape %s, the config needs %s" % (name, list(shape), list(want)))
        got[name] = (dt, shape, b, e)
        spans.append((b, e, name))
    for name in exp:
        if name not in got:
            _fail("tensor_missing", "tensor %s is missing" % name)
        if len(exp[name]) == 2:
            scaled = name + ".scale" in got
            if (got[name][0] == "I8") != scaled:
                _fail("tensor_missing" if not scaled else "tensor_name",
                      "tensor %s is %s but %s" % (name, got[name][0], "has no .scale" if not scaled else "has a .scale"))
    spans.sort()
    pos = 0
    for b, e, name in spans:
        if b != pos:
            _fail("offsets", "tensor %s starts at %d, expected %d (%s)" % (name, b, pos, "overlap" if b < pos else "hole"))
        pos = e
    if pos > data_len:
        _fail("truncated", "tensors need %d data bytes but the file holds %d" % (pos, data_len))
    if pos != data_len:
        _fail("offsets", "%d bytes follow the last tensor" % (data_len - pos))
    dtype = "mixed" if len(kinds) > 1 else list(kinds)[0]
    return got, params, dtype


def _vocab(text, c):
    try:
        words = json.loads(text)
    except ValueError:
        _fail("vocab", "__metadata__.vocab is not valid JSON")
    text = None
    v = c["vocab_size"]
    if type(words) is not list or len(words) != v:
        _fail("vocab", "vocab has %s entries, config.vocab_size is %d" % (len(words) if type(words) is list else "no", v))
    special = bytearray(v)
    for i in c["special_ids"]:
        special[i] = 1
    char = c["tokenizer"] == "char"
    for i in range(v):
        w = words[i]
        if type(w) is not str or not w:
            _fail("vocab", "vocab entry %d is empty or not a string" % i)
        if char and not special[i] and len(w) != 1:
            _fail("vocab", "vocab entry %d (%s) is not one character but the tokenizer is char" % (i, w))
    if len(set(words)) != v:
        _fail("vocab", "vocab entries are not unique")
    blob = "".join(words).encode()
    offs = array("H" if len(blob) < 65536 else "L", range(v + 1))
    o = 0
    for i in range(v):
        offs[i] = o
        o += len(words[i].encode())
    offs[v] = o
    return Vocab(blob, offs, special, c["lowercase"], c["eos_id"])
