# The forward pass of docs/format.md with ulab.numpy: matrix-vector products (int8 items times float, per-row
# scales), attention (a float32 or an int8 KV cache) and activations in C, on ndarray views of the Model's arrays
# built once by prepare().
# ulab's temporaries (a few small arrays per product) are garbage, never kept.
from math import sqrt


_GELU = 0.7978845608028654  # sqrt(2 / pi)
_TINY = 2.0 ** -126  # the smallest normal float32: a cached vector with a smaller scale is stored as zeros


def prepare(m, mats):
    """Replaces every resident array the forward pass touches by an ndarray view of it (sharing its memory, no
    copy): the view keeps its array alive, and holding both on the model would cost an attribute (8 bytes) and a
    list each. Only the logits stay an array too (the pure-Python sampling reads them item by item, sampling_np.py
    ties at a top-k threshold included), with the view m.LG."""
    np = m.np
    fb = np.frombuffer
    F = np.float
    sv = None  # one view of the scales array, shared by every int8 matrix (each reads its rows from mt.so)
    for mt in mats:
        if mt.data is not None:
            mt.data = fb(mt.data, dtype=np.int8 if mt.dtype == "I8" else F).reshape((mt.rows, mt.cols))
        if mt.scale is not None:
            if sv is None:
                sv = fb(mt.scale, dtype=F)
            mt.scale = sv
    m.x = fb(m.x, dtype=F)
    m.xb = fb(m.xb, dtype=F)
    m.xb2 = fb(m.xb2, dtype=F)
    m.q = fb(m.q, dtype=F)
    m.hb = fb(m.hb, dtype=F)
    m.LG = fb(m.logits, dtype=F)
    m.final_norm = fb(m.final_norm, dtype=F)
    m.layers = [(fb(ly[0], dtype=F),) + ly[1:5] + (fb(ly[5], dtype=F),) + ly[6:] for ly in m.layers]
    C = F if m.ks is None else np.int8  # the cache's items, one [ctx][dim] view per layer; int8: its scales too
    m.kc = [fb(a, dtype=C).reshape((m.ctx, m.dim)) for a in m.kc]
    m.vc = [fb(a, dtype=C).reshape((m.ctx, m.dim)) for a in m.vc]
    if m.ks is not None:
        m.ks = [fb(a, dtype=F) for a in m.ks]
        m.vs = [fb(a, dtype=F) for a in m.vs]


def forward(m, token, pos, logits=True):
    """Feeds token at position pos; returns m.logits (overwritten by the next call). logits=False skips them (a
    prefill token whose prediction nobody reads); the cache advances the same."""
    np = m.np
    X = m.x
    XB = m.xb
    embed(np, m.tok, token, X)
    if m.pos is not None:
        embed(np, m.pos, pos, XB)
        X += XB
    for li in range(m.n_layers):
        an, wq, wk, wv, wo, fn, w1, w2 = m.layers[li]
        norm(np, m, X, an, XB)
        matvec(np, wq, XB, m.q, 0)
        if m.ks is None:  # float32 cache: straight into the cache's row pos
            matvec(np, wk, XB, m.kc[li][pos], 0)
            matvec(np, wv, XB, m.vc[li][pos], 0)
        else:  # int8 cache: each new vector goes through xb2 (free until attention writes it)
            matvec(np, wk, XB, m.xb2, 0)
            quantize(np, m.xb2, m.kc[li], m.ks[li], pos)
            matvec(np, wv, XB, m.xb2, 0)
            quantize(np, m.xb2, m.vc[li], m.vs[li], pos)
        attention(np, m, li, pos)
        matvec(np, wo, m.xb2, XB, 0)
        X += XB
        norm(np, m, X, fn, XB)
        matvec(np, w1, XB, m.hb, 0)
        activate(np, m.act, m.hb)
        matvec(np, w2, m.hb, XB, 0)
        X += XB
    if logits:
        norm(np, m, X, m.final_norm, XB)
        matvec(np, m.out, XB, m.LG, 0)
    return m.logits


def matvec(np, mt, x, out, o):
    if mt.data is not None:
        y = np.dot(mt.data, x)
        if mt.scale is not None:
            y = y * mt.scale[mt.so:mt.so + mt.rows]
        out[o:o + mt.rows] = y
        return
    from .stream import read_rows  # streamed only: a resident model never imports stream.py (its heap)

    rows = mt.rows
    cols = mt.cols
    dt = np.int8 if mt.dtype == "I8" else np.float
    u = mt.unit
    r = 0
    while r < rows:
        n = rows - r if rows - r < u else u
        w = np.frombuffer(read_rows(mt, r, n), dtype=dt, count=n * cols).reshape((n, cols))
        y = np.dot(w, x)
        if mt.scale is not None:
            y = y * mt.scale[mt.so + r:mt.so + r + n]
        out[o + r:o + r + n] = y
        r += n


def embed(np, mt, row, out):
    if mt.data is not None:
        w = mt.data[row]
    else:
        from .stream import read_rows

        w = np.frombuffer(read_rows(mt, row, 1), dtype=np.int8 if mt.dtype == "I8" else np.float, count=mt.cols)
    if mt.scale is None:
        out[:] = w
    else:
        out[:] = w * mt.scale[mt.so + row]


def norm(np, m, x, w, out):
    n = m.dim
    if m.rms:
        inv = 1.0 / sqrt(np.sum(x * x) / n + m.eps)
        out[:] = x * inv * w
    else:
        c = x - np.sum(x) / n
        inv = 1.0 / sqrt(np.sum(c * c) / n + m.eps)
        out[:] = c * inv * w


def quantize(np, x, q2, sv, pos):
    """Stores vector x as the int8 items of row pos of q2 and its scale as sv[pos] (docs/format.md "KV cache")."""
    sv[pos] = np.max(abs(x)) / 127
    s = sv[pos]  # read back: rounded to float32
    if s < _TINY:
        sv[pos] = 0.0
        q2[pos] = 0
    else:
        q2[pos] = np.floor(x / s + 0.5)  # whole numbers in -127..127: any float -> int8 cast keeps them


def attention(np, m, li, pos):
    hd = m.dim // m.n_heads
    root = sqrt(hd)
    n = pos + 1
    k2 = m.kc[li]
    v2 = m.vc[li]
    ks = None if m.ks is None else m.ks[li][0:n]
    vs = None if m.vs is None else m.vs[li][0:n]
    q = m.q
    o = m.xb2
    for j in range(m.n_heads):
        a = j * hd
        b = a + hd
        s = np.dot(k2[0:n, a:b], q[a:b])  # int8 cache: int8 rows times q in one dot, then the rows' scales
        s = (s if ks is None else s * ks) / root
        s = np.exp(s - np.max(s))
        t = np.sum(s)
        if vs is not None:
            s = s * vs
        o[a:b] = np.dot(v2[0:n, a:b].transpose(), s) / t


def activate(np, kind, h):
    if kind == "silu":
        h[:] = h / (np.exp(-h) + 1.0)
    elif kind == "gelu":
        h[:] = h * (np.tanh((h + h * h * h * 0.044715) * _GELU) + 1.0) * 0.5
    else:
        h[:] = (h + abs(h)) * 0.5
