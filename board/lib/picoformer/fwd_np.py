# The forward pass of docs/format.md with ulab.numpy: matrix-vector products (int8 items times float, per-row
# scales), attention (a float32 or an int8 KV cache) and activations in C, on ndarray views of the Model's arrays
# built once by prepare().
# ulab's temporaries (a few small arrays per product) are garbage, never kept.
from math import sqrt

from .stream import read_rows

_GELU = 0.7978845608028654  # sqrt(2 / pi)
_TINY = 2.0 ** -126  # the smallest normal float32: a cached vector with a smaller scale is stored as zeros


def prepare(m, mats):
    """Views (sharing memory, no copy) of every resident array the forward pass touches."""
    np = m.np
    fb = np.frombuffer
    F = np.float
    for mt in mats:
        if mt.data is not None:
            mt.nd = fb(mt.data, dtype=np.int8 if mt.dtype == "I8" else F).reshape((mt.rows, mt.cols))
        if mt.scale is not None:
            mt.sd = fb(mt.scale, dtype=F)
    m.X = fb(m.x, dtype=F)
    m.XB = fb(m.xb, dtype=F)
    m.XB2 = fb(m.xb2, dtype=F)
    m.Q = fb(m.q, dtype=F)
    m.HB = fb(m.hb, dtype=F)
    m.LG = fb(m.logits, dtype=F)
    m.FN = fb(m.final_norm, dtype=F)
    m.NORMS = [(fb(ly[0], dtype=F), fb(ly[5], dtype=F)) for ly in m.layers]
    C = F if m.ks is None else np.int8  # the cache's items; int8 adds a view of each layer's scales
    m.KF = [fb(a, dtype=C) for a in m.kc]
    m.VF = [fb(a, dtype=C) for a in m.vc]
    m.K2 = [a.reshape((m.ctx, m.dim)) for a in m.KF]
    m.V2 = [a.reshape((m.ctx, m.dim)) for a in m.VF]
    m.KS = None if m.ks is None else [fb(a, dtype=F) for a in m.ks]
    m.VS = None if m.vs is None else [fb(a, dtype=F) for a in m.vs]


def forward(m, token, pos, logits=True):
    """Feeds token at position pos; returns m.logits (overwritten by the next call). logits=False skips them (a
    prefill token whose prediction nobody reads); the cache advances the same."""
    np = m.np
    X = m.X
    XB = m.XB
    embed(np, m.tok, token, X)
    if m.pos is not None:
        embed(np, m.pos, pos, XB)
        X += XB
    at = pos * m.dim
    for li in range(m.n_layers):
        ly = m.layers[li]
        an, fn = m.NORMS[li]
        norm(np, m, X, an, XB)
        matvec(np, ly[1], XB, m.Q, 0)
        if m.KS is None:
            matvec(np, ly[2], XB, m.KF[li], at)
            matvec(np, ly[3], XB, m.VF[li], at)
        else:  # int8 cache: each new vector goes through XB2 (free until attention writes it)
            matvec(np, ly[2], XB, m.XB2, 0)
            quantize(np, m.XB2, m.KF[li], at, m.KS[li], pos)
            matvec(np, ly[3], XB, m.XB2, 0)
            quantize(np, m.XB2, m.VF[li], at, m.VS[li], pos)
        attention(np, m, li, pos)
        matvec(np, ly[4], m.XB2, XB, 0)
        X += XB
        norm(np, m, X, fn, XB)
        matvec(np, ly[6], XB, m.HB, 0)
        activate(np, m.act, m.HB)
        matvec(np, ly[7], m.HB, XB, 0)
        X += XB
    if logits:
        norm(np, m, X, m.FN, XB)
        matvec(np, m.out, XB, m.LG, 0)
    return m.logits


def matvec(np, mt, x, out, o):
    if mt.nd is not None:
        y = np.dot(mt.nd, x)
        if mt.sd is not None:
            y = y * mt.sd
        out[o:o + mt.rows] = y
        return
    rows = mt.rows
    cols = mt.cols
    dt = np.int8 if mt.dtype == "I8" else np.float
    u = mt.unit
    r = 0
    while r < rows:
        n = rows - r if rows - r < u else u
        w = np.frombuffer(read_rows(mt, r, n), dtype=dt, count=n * cols).reshape((n, cols))
        y = np.dot(w, x)
        if mt.sd is not None:
            y = y * mt.sd[r:r + n]
        out[o + r:o + r + n] = y
        r += n


def embed(np, mt, row, out):
    if mt.nd is not None:
        w = mt.nd[row]
    else:
        w = np.frombuffer(read_rows(mt, row, 1), dtype=np.int8 if mt.dtype == "I8" else np.float, count=mt.cols)
    if mt.sd is None:
        out[:] = w
    else:
        out[:] = w * mt.sd[row]


def norm(np, m, x, w, out):
    n = m.dim
    if m.rms:
        inv = 1.0 / sqrt(np.sum(x * x) / n + m.eps)
        out[:] = x * inv * w
    else:
        c = x - np.sum(x) / n
        inv = 1.0 / sqrt(np.sum(c * c) / n + m.eps)
        out[:] = c * inv * w


def quantize(np, x, qf, at, sv, pos):
    """Stores vector x as int8 items qf[at:at+len(x)] and its scale as sv[pos] (docs/format.md "KV cache")."""
    sv[pos] = np.max(abs(x)) / 127
    s = sv[pos]  # read back: rounded to float32
    if s < _TINY:
        sv[pos] = 0.0
        qf[at:at + len(x)] = 0
    else:
        qf[at:at + len(x)] = np.floor(x / s + 0.5)  # whole numbers in -127..127: any float -> int8 cast keeps them


def attention(np, m, li, pos):
    hd = m.dim // m.n_heads
    root = sqrt(hd)
    n = pos + 1
    k2 = m.K2[li]
    v2 = m.V2[li]
    ks = None if m.KS is None else m.KS[li][0:n]
    vs = None if m.VS is None else m.VS[li][0:n]
    q = m.Q
    o = m.XB2
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
