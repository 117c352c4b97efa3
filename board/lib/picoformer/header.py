# Reads and validates a picoformer/1 safetensors header (docs/format.md) before anything is allocated for the
# model: header length, JSON, tensor entries and their coverage of the data, metadata, config, vocabulary, and the
# tensor table against the config. Each refusal is a ModelError whose code matches the TypeScript reader's
# (src/model/errors.ts), checked in the same order.
import json
import os
from array import array

from .errors import ModelError
from .model import Vocab

MAX_HEADER = 1048576  # format limit: 1 MiB
SIZES = {"F32": 4, "F16": 2, "I8": 1}
_INTS = (
    ("vocab_size", 2, 65535),
    ("dim", 1, 4096),
    ("n_heads", 1, 64),
    ("hidden_dim", 1, 16384),
    ("n_layers", 1, 64),
    ("context_length", 1, 4096),
)
_KEYS = (
    "vocab_size", "dim", "hidden_dim", "n_layers", "n_heads", "context_length", "norm", "norm_eps",
    "activation", "positional", "tied_embeddings", "tokenizer", "lowercase", "bos_id", "eos_id", "unk_id",
    "pad_id", "special_ids", "family", "kv_cache",
)
_OPTIONAL = ("family", "kv_cache")
_CHOICES = (
    ("norm", ("rmsnorm", "layernorm")),
    ("activation", ("silu", "gelu", "relu")),
    ("positional", ("learned", "none")),
    ("tokenizer", ("char", "longest_match")),
)
_FAMILY_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"


class Header:
    # path, size, hlen, data_start, cfg, name, tensors {name: (dtype, shape, begin, end)}, params, dtype,
    # vocab (Vocab), vocab_bytes
    pass


def _fail(code, msg):
    raise ModelError(code, msg)


def _count(v):
    return type(v) is int and v >= 0


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
        _fail("truncated", "file is %d bytes, too short for the 8-byte header length" % size)
    n = int.from_bytes(f.read(8), "little")
    if n < 2 or n > MAX_HEADER:
        _fail("header_length", "header length %s is absurd (must be 2..%d bytes)" % ("over 4 GB" if n >> 32 else n, MAX_HEADER))
    if 8 + n > size:
        _fail("truncated", "file is %d bytes but its header alone needs %d" % (size, 8 + n))
    raw = f.read(n)
    if len(raw) != n:
        _fail("truncated", "could read only %d of %d header bytes" % (len(raw), n))
    try:
        hdr = json.loads(raw)
    except ValueError:  # also invalid UTF-8 under CPython
        _fail("header_json", "header is not valid JSON")
    raw = None
    if type(hdr) is not dict:
        _fail("header_json", "header must be a JSON object of tensors")
    data_len = size - 8 - n
    meta, table = _entries(hdr)
    hdr = None
    _coverage(table, data_len)
    if meta is None:
        _fail("metadata_missing", "no __metadata__: this is a safetensors file but not a picoformer model")
    for k in ("format", "config", "vocab"):
        if k not in meta:
            _fail("metadata_missing", '__metadata__ has no "%s"' % k)
    if meta["format"] != "picoformer/1":
        _fail("metadata_unknown", '__metadata__.format is "%s", expected "picoformer/1"' % meta["format"])
    cfg = _json(meta["config"], "config")
    _check_config(cfg)
    words = _json(meta["vocab"], "vocab")
    h = Header()
    h.name = meta.get("name")
    meta = None
    h.vocab = _vocab(words, cfg)
    words = None
    h.params, h.dtype = _check_table(table, cfg)
    h.path = path
    h.size = size
    h.hlen = n
    h.data_start = 8 + n
    h.cfg = cfg
    h.tensors = table
    h.vocab_bytes = len(h.vocab.blob)
    return h


def _json(text, key):
    try:
        return json.loads(text)
    except ValueError:
        _fail("metadata_invalid", "__metadata__.%s is not valid JSON" % key)


def _entries(hdr):
    # The safetensors container level: every entry well formed, sizes consistent.
    meta = None
    table = {}
    for name in hdr:
        t = hdr[name]
        if name == "__metadata__":
            if type(t) is not dict:
                _fail("metadata_invalid", "__metadata__ must be an object of strings")
            for k in t:
                if type(t[k]) is not str:
                    _fail("metadata_invalid", "__metadata__.%s must be a string" % k)
            meta = t
            continue
        if type(t) is not dict:
            _fail("tensor_entry", 'tensor "%s": entry must be an object with dtype, shape and data_offsets' % name)
        dt = t.get("dtype")
        shape = t.get("shape")
        offs = t.get("data_offsets")
        if type(dt) is not str:
            _fail("tensor_entry", 'tensor "%s": dtype must be a string' % name)
        if dt not in SIZES:
            _fail("dtype_invalid", 'tensor "%s": dtype "%s" is not one of F32, F16, I8' % (name, dt))
        if type(shape) is not list or not all(_count(s) for s in shape):
            _fail("tensor_entry", 'tensor "%s": shape must be an array of non-negative integers' % name)
        if type(offs) is not list or len(offs) != 2 or not all(_count(o) for o in offs):
            _fail("tensor_entry", 'tensor "%s": data_offsets must be [begin, end]' % name)
        b, e = offs
        if b > e:
            _fail("offsets_out_of_range", 'tensor "%s": data_offsets [%d, %d] end before they begin' % (name, b, e))
        count = 1
        for s in shape:
            count *= s
        if e - b != count * SIZES[dt]:
            _fail("offsets_size", 'tensor "%s": %s %s needs %d bytes but data_offsets give %d'
                  % (name, dt, shape, count * SIZES[dt], e - b))
        table[name] = (dt, tuple(shape), b, e)
    return meta, table


def _coverage(table, data_len):
    # Tensors tile the data exactly: no overlap, no hole, nothing after the last one, nothing past the end.
    spans = sorted((t[2], t[3], name) for name, t in table.items())
    pos = 0
    problem = None
    for b, e, name in spans:
        if problem is None and b < pos:
            problem = ("offsets_overlap", 'tensor "%s" overlaps the tensor before it (byte %d)' % (name, b))
        if problem is None and b > pos:
            problem = ("offsets_gap", 'no tensor covers data bytes %d..%d (before "%s")' % (pos, b, name))
        if e > pos:
            pos = e
    if pos > data_len:
        if problem is None:
            _fail("truncated", "file is truncated: its header describes %d bytes of tensor data but only %d are present"
                  % (pos, data_len))
        _fail("offsets_out_of_range", "data_offsets end at %d, past the %d bytes of data" % (pos, data_len))
    if problem is not None:
        _fail(problem[0], problem[1])
    if pos < data_len:
        _fail("offsets_gap", "%d bytes of data after the last tensor" % (data_len - pos))


def _bad_cfg(msg):
    _fail("config_invalid", "config: " + msg)


def _check_config(c):
    if type(c) is not dict:
        _bad_cfg("must be a JSON object")
    for k in c:
        if k not in _KEYS:
            _bad_cfg('unknown key "%s"' % k)
    for k in _KEYS:
        if k not in _OPTIONAL and k not in c:
            _bad_cfg('missing "%s"' % k)
    for k, lo, hi in _INTS:
        v = c[k]
        if type(v) is not int or v < lo or v > hi:
            _bad_cfg("%s must be an integer in %d..%d, found %s" % (k, lo, hi, v))
        if k == "n_heads" and c["dim"] % v:
            _bad_cfg("dim %d is not divisible by n_heads %d" % (c["dim"], v))
    for k, ok in _CHOICES:
        if c[k] not in ok:
            _bad_cfg("%s must be one of %s, found %s" % (k, ", ".join(ok), c[k]))
    e = c["norm_eps"]
    if type(e) not in (int, float) or not 0 < e < 1e300:
        _bad_cfg("norm_eps must be a number > 0, found %s" % e)
    for k in ("tied_embeddings", "lowercase"):
        if type(c[k]) is not bool:
            _bad_cfg("%s must be true or false" % k)
    v = c["vocab_size"]
    for k in ("bos_id", "eos_id", "unk_id", "pad_id"):
        i = c[k]
        if i is None and k != "unk_id":
            continue
        if type(i) is not int or i < 0 or i >= v:
            _bad_cfg("%s must be a token id in 0..%d, found %s" % (k, v - 1, i))
    sp = c["special_ids"]
    if type(sp) is not list:
        _bad_cfg("special_ids must be an array of token ids")
    for i in sp:
        if type(i) is not int or i < 0 or i >= v:
            _bad_cfg("special_ids entry %s is not a token id in 0..%d" % (i, v - 1))
    if len(set(sp)) != len(sp):
        _bad_cfg("special_ids lists an id twice")
    if len(sp) >= v:
        _bad_cfg("every token is special, so no text can be encoded")
    for k in ("bos_id", "eos_id", "unk_id", "pad_id"):
        if c[k] is not None and c[k] not in sp:
            _bad_cfg("%s %d is not in special_ids" % (k, c[k]))
    if "family" in c:
        f = c["family"]
        if type(f) is not str or not 1 <= len(f) <= 40 or not all(ch in _FAMILY_CHARS for ch in f):
            _bad_cfg('family must be 1-40 letters, digits, "_", "." or "-"')
    # optional, checked last (after family); absent means float32 (docs/format.md "KV cache")
    if "kv_cache" in c and c["kv_cache"] not in ("float32", "int8"):
        _bad_cfg("kv_cache must be one of float32, int8, found %s" % c["kv_cache"])


def _vocab(words, c):
    v = c["vocab_size"]
    if type(words) is not list:
        _fail("vocab_invalid", "vocab must be a JSON array of strings")
    if len(words) != v:
        _fail("vocab_mismatch", "vocab has %d entries but config.vocab_size is %d" % (len(words), v))
    special = bytearray(v)
    for i in c["special_ids"]:
        special[i] = 1
    char = c["tokenizer"] == "char"
    total = 0
    for i in range(v):
        w = words[i]
        if type(w) is not str or not w:
            _fail("vocab_invalid", "vocab[%d] is empty or not a string" % i)
        try:
            total += len(w.encode())
        except UnicodeError:  # CPython: a lone surrogate
            _fail("vocab_invalid", "vocab[%d] contains a lone UTF-16 surrogate" % i)
        if char and not special[i] and len(w) != 1:
            _fail("vocab_invalid", 'vocab[%d] "%s" is not one character, as the char tokenizer needs' % (i, w))
    if len(set(words)) != v:
        _fail("vocab_invalid", "vocab has repeated entries")
    blob = "".join(words).encode()
    offs = array("H" if total < 65536 else "L", range(v + 1))
    o = 0
    for i in range(v):
        offs[i] = o
        o += len(words[i].encode())
    offs[v] = o
    return Vocab(blob, offs, special, c["lowercase"], c["unk_id"])


def _check_table(table, c):
    # The picoformer/1 level: exactly the tensors the config calls for, with their shapes and allowed dtypes.
    v, d, hd, ctx = c["vocab_size"], c["dim"], c["hidden_dim"], c["context_length"]
    want = {"tok_emb": (v, d), "final_norm": (d,)}
    if c["positional"] == "learned":
        want["pos_emb"] = (ctx, d)
    if not c["tied_embeddings"]:
        want["lm_head"] = (v, d)
    for i in range(c["n_layers"]):
        p = "layers.%d." % i
        want[p + "attn_norm"] = (d,)
        want[p + "ffn_norm"] = (d,)
        for w in ("wq", "wk", "wv", "wo"):
            want[p + w] = (d, d)
        want[p + "w1"] = (hd, d)
        want[p + "w2"] = (d, hd)
    for name, t in table.items():
        if name.endswith(".scale"):
            base = name[:-6]
            s = want.get(base)
            if s is None or len(s) != 2:
                _fail("tensor_unknown", 'tensor "%s" is a scale for "%s", which is not a matrix of this model' % (name, base))
            o = table.get(base)
            if o is not None and o[0] != "I8":
                _fail("tensor_unknown", 'tensor "%s" is a scale, but "%s" is %s, not I8' % (name, base, o[0]))
            continue
        s = want.get(name)
        if s is None:
            _fail("tensor_unknown", 'tensor "%s" is not part of a picoformer/1 model with this config' % name)
        if len(s) == 1 and t[0] == "I8":
            _fail("dtype_invalid", 'tensor "%s" is I8; it must be F32 or F16' % name)
        if t[1] != s:
            _fail("shape_mismatch", 'tensor "%s" has shape %s, the config needs %s' % (name, list(t[1]), list(s)))
    params = 0
    kinds = {}
    for name, s in want.items():
        t = table.get(name)
        if t is None:
            _fail("tensor_missing", 'tensor "%s" %s is missing' % (name, list(s)))
        params += s[0] * (s[1] if len(s) == 2 else 1)
        if len(s) == 2:
            kinds[t[0]] = 1
        if t[0] == "I8":
            sc = table.get(name + ".scale")
            if sc is None:
                _fail("tensor_missing", 'tensor "%s.scale" is missing (every I8 matrix needs its row scales)' % name)
            if sc[0] != "F32":
                _fail("dtype_invalid", 'tensor "%s.scale" is %s; scales must be F32' % (name, sc[0]))
            if sc[1] != (s[0],):
                _fail("shape_mismatch", 'tensor "%s.scale" has shape %s, expected [%d] (one scale per row)'
                      % (name, list(sc[1]), s[0]))
    return params, "mixed" if len(kinds) > 1 else list(kinds)[0]
