# The forward pass of docs/format.md with ulab.numpy: matrix-vector products (int8 items times float, per-row
# scales), attention and activations in C, on ndarray views of the Model's arrays built once by prepare().
# ulab's temporaries (a few small arrays per product) are garbage, never kept.
from math import sqrt

from .stream import read_rows

_GELU = 0.7978845608028654  # sqrt(2 / pi)


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
    m.KF = [fb(a, dtype=F) for a in m.kc]
    m.VF = [fb(a, dtype=F) for a in m.vc]
    m.K2 = [a.reshape((m.ctx, m.dim)) for a in m.KF]
    m.V2 = [a.reshape((m.ctx, m.dim)) for a in m.VF]


def forward(m, token, pos):
    """Feeds token at position pos; returns m.logits (overwritten by the next call)."""
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
        matvec(np, ly[2], XB, m.KF[li], at)
        matvec(np, ly[3], XB, m.VF[li], at)
        attention(np, m, li, pos)
        matvec(np, ly[4], m.XB2, XB, 0)
        X += XB
        norm(np, m, X, fn, XB)
        matvec(np, ly[6], XB, m.HB, 0)
        activate(np, m.act, m.HB)
        matvec(np, ly[7], m.HB, XB, 0)
        X += XB
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


def attention(np, m, li, pos):
    hd = m.dim // m.n_heads
    root = sqrt(hd)
    n = pos + 1
    k2 = m.K2[li]
    v2 = m.V2[li]
    q = m.Q
    o = m.XB2
    for j in range(m.n_heads):
        a = j * hd
        b = a + hd
        s = np.dot(k2[0:n, a:b], q[a:b]) / root
        s = np.exp(s - np.max(s))
        o[a:b] = np.dot(v2[0:n, a:b].transpose(), s) / np.sum(s)


def activate(np, kind, h):
    if kind == "silu":
        h[:] = h / (np.exp(-h) + 1.0)
    elif kind == "gelu":
        h[:] = h * (np.tanh((h + h * h * h * 0.044715) * _GELU) + 1.0) * 0.5
    else:
        h[:] = (h + abs(h)) * 0.5
