# Reads and validates a picoformer/1 safetensors header (docs/format.md) before anything is allocated for the
# model. The checks run in the order docs/format.md "Order of checks" gives, each over every entry before the next
# starts, so the first failing check's code is the TypeScript reader's too (src/model/errors.ts), whatever order
# the JSON objects iterate in.
import json
import os
from array import array

from .errors import ModelError
from .jsoncheck import _WS, _string, check, utf8
from .model import Vocab

MAX_HEADER = 16384  # format limit: 16 KiB (docs/format.md: measured on the emulated firmware)
MAX_SAFE = 9007199254740991  # 2**53 - 1: the largest count or offset (the TypeScript reader's exact integers)
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
_MIN_NORMAL = 1.1754943508222875e-38  # 2**-126
_ABSENT = object()


class Header:
    # path, size, hlen, data_start, cfg, name, tensors {name: (dtype, shape, begin, end)}, params, dtype,
    # vocab (Vocab), vocab_bytes
    pass


def _fail(code, msg):
    raise ModelError(code, msg)


def _count(v):
    return type(v) is int and 0 <= v <= MAX_SAFE


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


# Heap: the big temporaries (the header's bytes, the vocabulary's text) live only in helper functions' frames.
# A value a frame once pushed stays on its value stack after the variable is cleared, and the garbage collector
# keeps what it points to (measured on the emulated firmware: a header's 32 KB of bytes outlived "raw = None");
# a helper's frame is gone when it returns.
def _read(f, path, size):
    if size < 8:
        _fail("truncated", "file is %d bytes, too short for the 8-byte header length" % size)
    n = int.from_bytes(f.read(8), "little")
    if n < 2 or n > MAX_HEADER:
        _fail("header_length", "header length %s is absurd (must be 2..%d bytes)" % ("over 4 GB" if n >> 32 else n, MAX_HEADER))
    if 8 + n > size:
        _fail("truncated", "file is %d bytes but its header alone needs %d" % (size, 8 + n))
    hdr = _parse(f, n)
    meta = hdr.pop("__metadata__", _ABSENT)
    table = _entries(hdr)
    hdr = None
    _coverage(table, size - 8 - n)
    if meta is _ABSENT:
        _fail("metadata_missing", "no __metadata__: this is a safetensors file but not a picoformer model")
    if type(meta) is not dict:
        _fail("metadata_invalid", "__metadata__ must be an object of strings")
    for k in meta:
        if type(meta[k]) is not str:
            _fail("metadata_invalid", "__metadata__.%s must be a string" % k)
    for k in ("format", "config", "vocab"):
        if k not in meta:
            _fail("metadata_missing", '__metadata__ has no "%s"' % k)
    if meta["format"] != "picoformer/1":
        _fail("metadata_unknown", '__metadata__.format is "%s", expected "picoformer/1"' % meta["format"])
    cfg = _check_config(_json(meta["config"], "config"))
    h = Header()
    h.name = meta.get("name")
    h.vocab = _vocab(meta, cfg)
    meta = None
    h.params, h.dtype = _check_table(table, cfg)
    h.path = path
    h.size = size
    h.hlen = n
    h.data_start = 8 + n
    h.cfg = cfg
    h.tensors = table
    h.vocab_bytes = len(h.vocab.blob)
    return h


def _parse(f, n):
    # the header's n bytes, checked, then parsed (the bytes die with this frame)
    raw = f.read(n)
    if len(raw) != n:
        _fail("truncated", "could read only %d of %d header bytes" % (len(raw), n))
    why = utf8(raw) or check(raw, True)
    if why:
        _fail("header_json", "header " + why)
    hdr = json.loads(raw)
    if type(hdr) is not dict:
        _fail("header_json", "header must be a JSON object of tensors")
    return hdr


def _json(text, key):
    # a JSON text inside the metadata (config, vocab): the same grammar and nesting bound as the header
    why = check(text.encode("utf-8", "surrogatepass"))
    if why:
        _fail("metadata_invalid", "__metadata__.%s %s" % (key, why))
    return json.loads(text)


def _entries(hdr):
    # The safetensors container: each check over every entry before the next (docs/format.md "Order of checks").
    for name in hdr:
        t = hdr[name]
        if type(t) is not dict:
            _fail("tensor_entry", 'tensor "%s": entry must be an object with dtype, shape and data_offsets' % name)
        shape = t.get("shape")
        offs = t.get("data_offsets")
        if type(t.get("dtype")) is not str:
            _fail("tensor_entry", 'tensor "%s": dtype must be a string' % name)
        if type(shape) is not list or not all(_count(s) for s in shape):
            _fail("tensor_entry", 'tensor "%s": shape must be an array of non-negative integers' % name)
        if type(offs) is not list or len(offs) != 2 or not all(_count(o) for o in offs):
            _fail("tensor_entry", 'tensor "%s": data_offsets must be [begin, end]' % name)
    for name in hdr:
        if hdr[name]["dtype"] not in SIZES:
            _fail("dtype_invalid", 'tensor "%s": dtype "%s" is not one of F32, F16, I8' % (name, hdr[name]["dtype"]))
    for name in hdr:
        b, e = hdr[name]["data_offsets"]
        if b > e:
            _fail("offsets_out_of_range", 'tensor "%s": data_offsets [%d, %d] end before they begin' % (name, b, e))
    table = {}
    for name in hdr:
        t = hdr[name]
        dt, shape = t["dtype"], t["shape"]
        b, e = t["data_offsets"]
        count = 1
        for s in shape:
            count *= s
        if e - b != count * SIZES[dt]:
            _fail("offsets_size", 'tensor "%s": %s %s needs %d bytes but data_offsets give %d'
                  % (name, dt, shape, count * SIZES[dt], e - b))
        table[name] = (dt, tuple(shape), b, e)
    return table


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


def board_float(v):
    """v as CircuitPython keeps a float (docs/format.md "Numbers"): float32 with its two lowest mantissa bits
    cleared, and below float32's smallest normal number (2**-126) zero."""
    a = bytearray(array("f", (v,)))
    a[0] &= 0xFC
    v = array("f", a)[0]
    return 0.0 if -_MIN_NORMAL < v < _MIN_NORMAL else v


def _whole(v, lo, hi):
    # an integer in lo..hi, also written as a whole-number float (as Python writers do: 1.0), judged by the value
    # the firmware keeps; None when it is not one
    if type(v) is float:
        v = board_float(v)
        if v - v != 0 or v != int(v):
            return None  # NaN/Inf, or a fraction
        v = int(v)
    elif type(v) is not int:
        return None
    return v if lo <= v <= hi else None


def _check_config(c):
    # Every violation is config_invalid; returns the config with whole-number floats made ints.
    if type(c) is not dict:
        _bad_cfg("must be a JSON object")
    for k in c:
        if k not in _KEYS:
            _bad_cfg('unknown key "%s"' % k)
    for k in _KEYS:
        if k not in _OPTIONAL and k not in c:
            _bad_cfg('missing "%s"' % k)
    for k, lo, hi in _INTS:
        v = _whole(c[k], lo, hi)
        if v is None:
            _bad_cfg("%s must be an integer in %d..%d, found %s" % (k, lo, hi, c[k]))
        c[k] = v
    if c["dim"] % c["n_heads"]:
        _bad_cfg("dim %d is not divisible by n_heads %d" % (c["dim"], c["n_heads"]))
    for k, ok in _CHOICES:
        if c[k] not in ok:
            _bad_cfg("%s must be one of %s, found %s" % (k, ", ".join(ok), c[k]))
    e = c["norm_eps"]
    f = board_float(e) if type(e) in (int, float) else 0
    if not (f > 0 and f - f == 0):  # as the firmware keeps it: 1e308 is Inf there, 1e-39 is 0
        _bad_cfg("norm_eps must be a number > 0 within float32's range, found %s" % e)
    for k in ("tied_embeddings", "lowercase"):
        if type(c[k]) is not bool:
            _bad_cfg("%s must be true or false" % k)
    v = c["vocab_size"]
    for k in ("bos_id", "eos_id", "unk_id", "pad_id"):
        if c[k] is None and k != "unk_id":
            continue
        i = _whole(c[k], 0, v - 1)
        if i is None:
            _bad_cfg("%s must be a token id in 0..%d, found %s" % (k, v - 1, c[k]))
        c[k] = i
    sp = c["special_ids"]
    if type(sp) is not list:
        _bad_cfg("special_ids must be an array of token ids")
    for j in range(len(sp)):
        i = _whole(sp[j], 0, v - 1)
        if i is None:
            _bad_cfg("special_ids entry %s is not a token id in 0..%d" % (sp[j], v - 1))
        if i in sp[:j]:
            _bad_cfg("special_ids lists %d twice" % i)
        sp[j] = i
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
    return c


def _as_ts_sees_it(w):
    # A vocabulary entry as the TypeScript reader sees it: MicroPython's json turns a \ud83d\ude00 escape pair
    # into two 3-byte surrogates (and CPython can hold a pair as two code points too): a pair becomes its
    # character; None when a surrogate stands alone.
    b = w.encode("utf-8", "surrogatepass")
    k = b.find(b"\xed")
    if k < 0:
        return w
    out = bytearray()
    i = 0
    while k >= 0:
        if k + 2 < len(b) and b[k + 1] >= 0xA0:  # a surrogate: ED A0..BF xx
            if b[k + 1] >= 0xB0 or k + 5 >= len(b) or b[k + 3] != 0xED or not 0xB0 <= b[k + 4] <= 0xBF:
                return None  # a low one first, or a high one without a low one after it
            hi = ((b[k + 1] & 0x0F) << 6) | (b[k + 2] & 0x3F)
            lo = ((b[k + 4] & 0x0F) << 6) | (b[k + 5] & 0x3F)
            out += b[i:k]
            out += chr(0x10000 + (hi << 10) + lo).encode()
            i = k + 6
            k = b.find(b"\xed", i)
        else:
            k = b.find(b"\xed", k + 1)
    out += b[i:]
    return str(out, "utf-8")


def _vocab(meta, c):
    # The vocabulary read straight into one UTF-8 blob + offsets: never a list of str (about 36 bytes an entry on
    # the board) nor a set of them (as much again). Its text is gone (with _packed's frame) before the repeats check
    # and the blob's final copy.
    blob, offs, special = _packed(meta, c)
    first = _repeat(blob, offs, c["vocab_size"])
    if first is not None:
        _fail("vocab_invalid", "vocab[%d] repeats an earlier entry" % first)
    return Vocab(bytes(blob), offs, special, c["lowercase"], c["unk_id"])


def _packed(meta, c):
    # The vocabulary's JSON text (taken out of meta, as UTF-8 bytes), checked as strict JSON, then read in two
    # passes: count and measure the entries (the count is judged before the entries, as the TypeScript reader
    # does), then copy them into a bytearray. An entry without escapes or surrogates is copied byte by byte, so
    # neither pass allocates per entry. (blob, offs, special).
    b = meta.pop("vocab").encode("utf-8", "surrogatepass")
    why = check(b)
    if why:
        _fail("metadata_invalid", "__metadata__.vocab " + why)
    v = c["vocab_size"]
    i = _skip_ws(b, 0)
    if b[i] != 91:
        _fail("vocab_invalid", "vocab must be a JSON array of strings")
    special = bytearray(v)
    for k in c["special_ids"]:
        special[k] = 1
    char = c["tokenizer"] == "char"
    el = [0, 0, False]  # the element just read: its content's start and end (start -1: not a string), raw or not
    first = _skip_ws(b, i + 1)
    first = -1 if b[first] == 93 else first
    count = total = 0
    bad = None
    i = first
    while i >= 0:
        i = _element(b, i, el)
        a, e = el[0], el[1]
        if a < 0:
            bad = bad or "vocab[%d] must be a string" % count
        else:
            w = None if el[2] else _decoded(b, a, e)
            k = e - a if el[2] else -1 if w is None else len(w)
            lead = (b[a] if el[2] else w[0]) if k > 0 else 0
            if k < 0:
                bad = bad or "vocab[%d] contains a lone UTF-16 surrogate" % count
            elif not k:
                bad = bad or "vocab[%d] is empty (unused slots must be named)" % count
            elif char and count < v and not special[count] and k != (1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4):
                bad = bad or "vocab[%d] is not one character, as the char tokenizer needs" % count
            else:
                total += k
        count += 1
    if count != v:
        _fail("vocab_mismatch", "vocab has %d entries but config.vocab_size is %d" % (count, v))
    if bad:
        _fail("vocab_invalid", bad)
    blob = bytearray(total)
    offs = array("H" if total < 65536 else "L", range(v + 1))
    o = 0
    i = first
    for k in range(v):
        i = _element(b, i, el)
        offs[k] = o
        a, e = el[0], el[1]
        if el[2]:
            for x in range(a, e):
                blob[o] = b[x]
                o += 1
        else:
            for x in _decoded(b, a, e):
                blob[o] = x
                o += 1
    offs[v] = o
    return blob, offs, special


def _skip_ws(b, i):
    while b[i] in _WS:
        i += 1
    return i


def _element(b, i, el):
    # Reads the array element at b[i] into el (see _packed); the index of the next element, or -1 after the last.
    if b[i] == 34:
        j = _string(b, i, len(b), None)
        k = b.find(b"\\", i, j)
        if k < 0:
            k = b.find(b"\xed", i, j)
            while k >= 0 and b[k + 1] < 0xA0:  # ED 80..9F is Hangul, not a surrogate
                k = b.find(b"\xed", k + 1, j)
        el[0] = i + 1
        el[1] = j - 1
        el[2] = k < 0
    else:
        j = _skip_value(b, i)
        el[0] = -1
    j = _skip_ws(b, j)
    return -1 if b[j] == 93 else _skip_ws(b, j + 1)


def _skip_value(b, i):
    # past one JSON value that is not a string (valid JSON: brackets balance outside strings)
    n = len(b)
    d = 0
    while True:
        c = b[i]
        if c == 34:
            i = _string(b, i, n, None)
            continue
        if c == 91 or c == 123:
            d += 1
        elif c == 93 or c == 125:
            if not d:
                return i
            d -= 1
            if not d:
                return i + 1
        elif not d and (c == 44 or c in _WS):
            return i
        i += 1


def _decoded(b, a, e):
    # An entry with escapes or surrogates: its UTF-8 bytes as the TypeScript reader sees it (escapes decoded, a
    # surrogate pair made one character), or None for a lone surrogate
    w = _as_ts_sees_it(json.loads(b[a - 1:e + 1]))
    return None if w is None else w.encode()


def _repeat(blob, offs, v):
    # The first entry equal to an earlier one, or None: open addressing in an array (entry index + 1, 0 empty),
    # over a hash of the entry's bytes computed here (MicroPython's built-in hash keeps 8 or 16 bits: too many
    # collisions for thousands of entries)
    size = v + v // 2 + 1
    tab = array("H" if v < 65535 else "L", range(size))  # allocated in place on MicroPython (no bytes to copy)
    for i in range(size):
        tab[i] = 0
    for i in range(v):
        a, e = offs[i], offs[i + 1]
        h = g = e - a
        for j in range(a, e):  # two 15-bit lanes: every product stays a small int (no allocation)
            x = blob[j]
            h = (((h ^ x) * 0x5BD1) >> 7) & 0x7FFF
            g = (((g + x) * 0x6F4B) >> 9) & 0x7FFF
        h = ((h << 15) ^ g) % size
        while tab[h]:
            k = tab[h] - 1
            if offs[k + 1] - offs[k] == e - a and blob[offs[k]:offs[k + 1]] == blob[a:e]:
                return i
            h = h + 1 if h + 1 < size else 0
        tab[h] = i + 1
    return None


def _check_table(table, c):
    # The picoformer/1 level: exactly the tensors the config calls for. Each check over every tensor before the
    # next (unknown names, then dtypes, then shapes, then what is missing), as the TypeScript reader does.
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
    for name in table:
        if name.endswith(".scale"):
            base = name[:-6]
            s = want.get(base)
            if s is None or len(s) != 2:
                _fail("tensor_unknown", 'tensor "%s" is a scale for "%s", which is not a matrix of this model' % (name, base))
            o = table.get(base)
            if o is not None and o[0] != "I8":
                _fail("tensor_unknown", 'tensor "%s" is a scale, but "%s" is %s, not I8' % (name, base, o[0]))
        elif name not in want:
            _fail("tensor_unknown", 'tensor "%s" is not part of a picoformer/1 model with this config' % name)
    for name in table:
        dt = table[name][0]
        if name.endswith(".scale"):
            if dt != "F32":
                _fail("dtype_invalid", 'tensor "%s" is %s; scales must be F32' % (name, dt))
        elif len(want[name]) == 1 and dt == "I8":
            _fail("dtype_invalid", 'tensor "%s" is I8; it must be F32 or F16' % name)
    for name in table:
        shape = table[name][1]
        if not name.endswith(".scale"):
            if shape != want[name]:
                _fail("shape_mismatch", 'tensor "%s" has shape %s, the config needs %s' % (name, list(shape), list(want[name])))
        elif shape != (want[name[:-6]][0],):
            _fail("shape_mismatch", 'tensor "%s" has shape %s, expected [%d] (one scale per row)'
                  % (name, list(shape), want[name[:-6]][0]))
    params = 0
    kinds = {}
    for name, s in want.items():
        t = table.get(name)
        if t is None:
            _fail("tensor_missing", 'tensor "%s" %s is missing' % (name, list(s)))
        if t[0] == "I8" and name + ".scale" not in table:
            _fail("tensor_missing", 'tensor "%s.scale" is missing (every I8 matrix needs its row scales)' % name)
        params += s[0] * (s[1] if len(s) == 2 else 1)
        if len(s) == 2:
            kinds[t[0]] = 1
    return params, "mixed" if len(kinds) > 1 else list(kinds)[0]
