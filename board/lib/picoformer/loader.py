# Builds a Model from a validated Header: every buffer allocated once, largest first, with no temporary copies,
# then filled with seek + readinto in file order. Resident: all weights in RAM. Streamed: only scales and norms;
# matrices are read per token (stream.py). The KV cache is float32 or int8 (config kv_cache). The estimate of all
# this is memest.py (keep the two in step).
import sys
from array import array

from .errors import ModelError
from .model import Mat, Model

# Bytes of whole rows per streamed read (memest.STREAM_CHUNK mirrors it). 1 KB leaves 3 KB more for the KV cache
# than 4 KB did; the time per token did not change in the VM (a board's flash reads: not measured yet).
STREAM_CHUNK = 1024
F16_CHUNK = 1024  # raw F16 bytes converted per read while loading (memest.F16_CHUNK mirrors it)
_CPY = sys.implementation.name == "cpython"
_ITEM = {"b": 1, "f": 4, "H": 2}


def new_array(tc, n):
    """An array of n items allocated in place, with no temporary copy: MicroPython sizes array(tc, range(n))
    exactly (the values are garbage to be overwritten). For 'b' CircuitPython refuses range values past 127
    (OverflowError) where MicroPython truncates them; CircuitPython repeats an array instead (exact, one
    allocation), which plain MicroPython cannot (TypeError). CPython tests take the plain route."""
    if _CPY:
        return array(tc, bytes(n * _ITEM[tc]))
    if tc == "b":
        try:
            return array(tc, b"\0") * n
        except TypeError:
            pass
    return array(tc, range(n))


def _new(tc, n, np):
    # int8 items: a bytearray on the ulab path (np.frombuffer reads it as int8), a signed array otherwise
    if tc == "b" and np is not None:
        return bytearray(n)
    return new_array(tc, n)


def unit_rows(rows, row_bytes):
    return min(rows, max(1, STREAM_CHUNK // row_bytes))


def load(h, mode, np=None, progress=None):
    """Allocates and reads the model of Header h in mode "resident" or "streamed".

    np: ulab.numpy (or a stand-in) to build views for the ulab forward pass, None for pure Python.
    progress(done, total): called as tensor bytes are read. Raises ModelError; a MemoryError becomes
    ModelError("out_of_memory") and everything allocated so far is dropped.
    """
    try:
        return _load(h, mode, np, progress)
    except MemoryError:
        pass  # raised below, outside this block, so nothing keeps the failed attempt's buffers alive
    raise ModelError("out_of_memory", "ran out of memory loading %s (%s)" % (h.path, mode))


def _load(h, mode, np, progress):
    c = h.cfg
    streamed = mode == "streamed"
    d, ctx, v = c["dim"], c["context_length"], c["vocab_size"]
    ds = h.data_start
    plan = []  # (bytes, key, typecode, items)
    mats = {}
    units = {}  # stream buffer typecode -> largest unit in items
    f16_unit = 0
    for name in h.tensors:
        dt, shape, b, e = h.tensors[name]
        n = e - b if dt == "I8" else (e - b) // (2 if dt == "F16" else 4)
        if name.endswith(".scale") or len(shape) == 1:
            plan.append((4 * n, name, "f", n))
            continue
        mt = Mat(dt, shape[0], shape[1])
        mats[name] = mt
        tc = "b" if dt == "I8" else "f"
        if streamed:
            mt.name = name
            mt.off = ds + b
            mt.rowb = mt.cols * (1 if dt == "I8" else 2 if dt == "F16" else 4)
            mt.unit = unit_rows(mt.rows, mt.rowb)
            u = mt.unit * mt.cols
            if u > units.get(tc, 0):
                units[tc] = u
            if dt == "F16" and u > f16_unit:
                f16_unit = u
        else:
            plan.append((n * _ITEM[tc], name, tc, n))
    for tc in units:
        plan.append((units[tc] * _ITEM[tc], "stream." + tc, tc, units[tc]))
    if f16_unit:
        plan.append((2 * f16_unit, "stream.raw", "raw", 2 * f16_unit))
    kv8 = c.get("kv_cache") == "int8"  # docs/format.md "KV cache": int8 items + one scale per cached vector
    for i in range(c["n_layers"]):
        for k in ("kc%d" % i, "vc%d" % i):
            if kv8:
                plan.append((ctx * d, k, "b", ctx * d))
                plan.append((4 * ctx, k + "s", "f", ctx))
            else:
                plan.append((4 * ctx * d, k, "f", ctx * d))
    for key, n in (("x", d), ("xb", d), ("xb2", d), ("q", d), ("hb", c["hidden_dim"]), ("logits", v), ("topv", v)):
        plan.append((4 * n, key, "f", n))
    if np is None:  # the attention scores: ulab computes them in its own temporaries
        plan.append((4 * ctx, "att", "f", ctx))
    plan.append((2 * ctx, "seq", "H", ctx))
    plan.sort(key=lambda p: -p[0])
    bufs = {}
    for p in plan:
        bufs[p[1]] = bytearray(p[3]) if p[2] == "raw" else _new(p[2], p[3], np)
    plan = None
    f = open(h.path, "rb")
    try:
        _read_all(f, h, bufs, progress)
        m = _assemble(h, mode, mats, bufs, f if streamed else None, np)
    except BaseException:
        f.close()
        raise
    if not streamed:
        f.close()
    return m


def _assemble(h, mode, mats, bufs, f, np):
    c = h.cfg
    streamed = f is not None
    m = Model()
    m.f = f
    for name in mats:
        mt = mats[name]
        # only what the mode uses becomes an attribute (each costs the instance 8 bytes; model.Mat)
        if name in bufs:
            mt.data = bufs[name]
        if name + ".scale" in bufs:
            mt.scale = bufs[name + ".scale"]
        if streamed:
            mt.f = f
            mt.buf = bufs["stream." + ("b" if mt.dtype == "I8" else "f")]
            if mt.dtype == "F16":
                mt.raw = bufs["stream.raw"]
    m.cfg = c
    m.mode = mode
    m.name = h.name
    m.params = h.params
    m.dtype = h.dtype
    m.vocab = h.vocab
    m.vocab_size = c["vocab_size"]
    m.dim = c["dim"]
    m.n_layers = c["n_layers"]
    m.n_heads = c["n_heads"]
    m.ctx = c["context_length"]
    m.eps = c["norm_eps"]
    m.rms = c["norm"] == "rmsnorm"
    m.act = c["activation"]
    m.bos = c["bos_id"]
    m.eos = c["eos_id"]
    m.tok = mats["tok_emb"]
    m.pos = mats.get("pos_emb")
    m.out = mats["lm_head"] if "lm_head" in mats else m.tok
    layers = []
    for i in range(m.n_layers):
        p = "layers.%d." % i
        layers.append((bufs[p + "attn_norm"], mats[p + "wq"], mats[p + "wk"], mats[p + "wv"], mats[p + "wo"],
                       bufs[p + "ffn_norm"], mats[p + "w1"], mats[p + "w2"]))
    m.layers = layers
    m.final_norm = bufs["final_norm"]
    m.kc = [bufs["kc%d" % i] for i in range(m.n_layers)]
    m.vc = [bufs["vc%d" % i] for i in range(m.n_layers)]
    # int8 cache: the scale lists; None for the float32 cache (what the forward passes branch on)
    m.ks = [bufs["kc%ds" % i] for i in range(m.n_layers)] if "kc0s" in bufs else None
    m.vs = [bufs["vc%ds" % i] for i in range(m.n_layers)] if "vc0s" in bufs else None
    m.x = bufs["x"]
    m.xb = bufs["xb"]
    m.xb2 = bufs["xb2"]
    m.q = bufs["q"]
    m.hb = bufs["hb"]
    if np is None:
        m.att = bufs["att"]
    m.logits = bufs["logits"]
    m.topv = bufs["topv"]
    m.seq = bufs["seq"]
    m.np = np
    if np is not None:
        from .fwd_np import prepare

        prepare(m, list(mats.values()))
    return m


def _read_all(f, h, bufs, progress):
    # Tensors in file order (one forward sweep over the file); F16 through a small chunk buffer.
    order = sorted((t[2], name) for name, t in h.tensors.items() if name in bufs)
    total = 0
    for b, name in order:
        t = h.tensors[name]
        total += t[3] - t[2]
    done = 0
    raw = None
    neg = None  # a negative scale: refused once every tensor was read, as NaN/Inf anywhere wins (docs/format.md)
    if progress is not None:
        progress(0, total)
    for b, name in order:
        dt, shape, b, e = h.tensors[name]
        buf = bufs[name]
        f.seek(h.data_start + b)
        if dt == "F16":
            if raw is None:
                raw = bytearray(F16_CHUNK)
            from .f16 import decode

            o = 0
            left = e - b
            while left:
                k = F16_CHUNK if left > F16_CHUNK else left
                if f.readinto(raw if k == F16_CHUNK else memoryview(raw)[:k]) != k:
                    raise ModelError("truncated", "%s: the file ended early" % name)
                decode(raw, k, buf, o)
                o += k // 2
                left -= k
        elif f.readinto(buf) != e - b:
            raise ModelError("truncated", "%s: the file ended early" % name)
        if dt != "I8":
            m = _check(name, buf, name.endswith(".scale"))
            neg = neg or m
        done += e - b
        if progress is not None:
            progress(done, total)
    if neg:
        raise ModelError("scale_invalid", neg)


def _check(name, a, scale):
    # NaN/Inf refused at once (ModelError); for scales, the message for the first negative one is returned. One
    # operation per element: s - s is 0.0 for a finite number and NaN otherwise, and a sum of those never
    # overflows (a sum of the weights can, in the board's float32-sized floats).
    t = 0.0
    for s in a:
        t += s - s
    if t != 0.0:
        raise ModelError("non_finite", 'tensor "%s" has NaN or Inf' % name)
    if scale:
        for i in range(len(a)):
            if a[i] < 0.0:
                return 'tensor "%s": row %d has a negative scale %s' % (name, i, a[i])
    return None
