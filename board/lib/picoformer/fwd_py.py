# The forward pass of docs/format.md in pure Python, on the Model's preallocated arrays (no ulab).
# Same order of operations as the reference (src/model/forward.ts): vectors stored as float32 items, sums in
# the interpreter's float. Allocates nothing per token except one array iterator per matrix row (garbage).
from math import exp, floor, sqrt


_GELU = 0.7978845608028654  # sqrt(2 / pi)
_TINY = 2.0 ** -126  # the smallest normal float32: a cached vector with a smaller scale is stored as zeros


def tanh_exp(x):
    """tanh through exp: CircuitPython's math has no tanh. Beyond |x| = 20 tanh is +-1 to float32 (and exp would
    overflow for much larger x)."""
    if x > 20.0:
        return 1.0
    if x < -20.0:
        return -1.0
    e = exp(2.0 * x)
    return (e - 1.0) / (e + 1.0)


try:
    from math import tanh
except ImportError:
    tanh = tanh_exp


def forward(m, token, pos, logits=True):
    """Feeds token at position pos; returns m.logits (overwritten by the next call). logits=False skips them (a
    prefill token whose prediction nobody reads); the cache advances the same."""
    x = m.x
    xb = m.xb
    d = m.dim
    embed(m.tok, token, x)
    if m.pos is not None:
        embed(m.pos, pos, xb)
        for i in range(d):
            x[i] += xb[i]
    at = pos * d
    for li in range(m.n_layers):
        an, wq, wk, wv, wo, fn, w1, w2 = m.layers[li]
        norm(m, x, an, xb)
        matvec(wq, xb, m.q, 0)
        if m.ks is None:
            matvec(wk, xb, m.kc[li], at)
            matvec(wv, xb, m.vc[li], at)
        else:  # int8 cache: each new vector goes through xb2 (free until attention writes it)
            matvec(wk, xb, m.xb2, 0)
            quantize(m.xb2, m.kc[li], at, m.ks[li], pos)
            matvec(wv, xb, m.xb2, 0)
            quantize(m.xb2, m.vc[li], at, m.vs[li], pos)
        attention(m, li, pos)
        matvec(wo, m.xb2, xb, 0)
        for i in range(d):
            x[i] += xb[i]
        norm(m, x, fn, xb)
        matvec(w1, xb, m.hb, 0)
        activate(m.act, m.hb)
        matvec(w2, m.hb, xb, 0)
        for i in range(d):
            x[i] += xb[i]
    if logits:
        norm(m, x, m.final_norm, xb)
        matvec(m.out, xb, m.logits, 0)
    return m.logits


def matvec(mt, x, out, o):
    """out[o + r] = sum_c W[r][c] x[c] (times scale[r] for int8); x has exactly cols items."""
    if mt.data is not None:
        _mv(mt.data, mt.rows, x, out, o, mt.scale, 0)
        return
    from .stream import read_rows  # streamed only: a resident model never imports stream.py (its heap)

    rows = mt.rows
    u = mt.unit
    r = 0
    while r < rows:
        n = rows - r if rows - r < u else u
        _mv(read_rows(mt, r, n), n, x, out, o + r, mt.scale, r)
        r += n


def _mv(w, rows, x, out, o, scale, s0):
    k = 0
    if scale is None:
        for r in range(rows):
            acc = 0.0
            for v in x:
                acc += w[k] * v
                k += 1
            out[o + r] = acc
    else:
        for r in range(rows):
            acc = 0.0
            for v in x:
                acc += w[k] * v
                k += 1
            out[o + r] = scale[s0 + r] * acc


def embed(mt, row, out):
    """out = row `row` of an embedding table, dequantized."""
    cols = mt.cols
    if mt.data is not None:
        w = mt.data
        k = row * cols
    else:
        from .stream import read_rows

        w = read_rows(mt, row, 1)
        k = 0
    if mt.scale is None:
        for c in range(cols):
            out[c] = w[k + c]
    else:
        s = mt.scale[row]
        for c in range(cols):
            out[c] = w[k + c] * s


def norm(m, x, w, out):
    n = m.dim
    if m.rms:
        ss = 0.0
        for v in x:
            ss += v * v
        inv = 1.0 / sqrt(ss / n + m.eps)
        for i in range(n):
            out[i] = x[i] * inv * w[i]
    else:
        mean = 0.0
        for v in x:
            mean += v
        mean /= n
        var = 0.0
        for v in x:
            var += (v - mean) * (v - mean)
        inv = 1.0 / sqrt(var / n + m.eps)
        for i in range(n):
            out[i] = (x[i] - mean) * inv * w[i]


def quantize(x, q, at, scales, pos):
    """Stores vector x as int8 items q[at:at+len(x)] and its scale as scales[pos] (docs/format.md "KV cache")."""
    mx = 0.0
    for v in x:
        a = abs(v)
        if a > mx:
            mx = a
    scales[pos] = mx / 127
    s = scales[pos]  # read back: the float32 the reference uses
    n = len(x)
    if s < _TINY:
        scales[pos] = 0.0
        for i in range(n):
            q[at + i] = 0
        return
    for i in range(n):
        q[at + i] = floor(x[i] / s + 0.5)


def attention(m, li, pos):
    """Causal multi-head attention of m.q over positions 0..pos of layer li, into m.xb2."""
    d = m.dim
    hd = d // m.n_heads
    root = sqrt(hd)
    q = m.q
    kc = m.kc[li]
    vc = m.vc[li]
    ks = None if m.ks is None else m.ks[li]
    s = m.att
    o = m.xb2
    n = pos + 1
    for j in range(m.n_heads):
        off = j * hd
        for t in range(n):
            k = t * d + off
            dot = 0.0
            for i in range(hd):
                dot += q[off + i] * kc[k + i]
            s[t] = dot / root if ks is None else dot * ks[t] / root
        mx = s[0]
        for t in range(1, n):
            if s[t] > mx:
                mx = s[t]
        tot = 0.0
        for t in range(n):
            s[t] = exp(s[t] - mx)
            tot += s[t]
        if ks is not None:  # int8: fold each value vector's scale into its weight (stored as float32)
            vs = m.vs[li]
            for t in range(n):
                s[t] = s[t] * vs[t]
        for i in range(hd):
            acc = 0.0
            k = off + i
            for t in range(n):
                acc += s[t] * vc[k]
                k += d
            o[off + i] = acc / tot


def activate(kind, h):
    n = len(h)
    if kind == "silu":
        for i in range(n):
            z = h[i]
            # exp(-z) overflows below about -700 (CPython raises); the value there is 0 to float32 anyway
            h[i] = z / (1.0 + exp(-z)) if z > -700.0 else 0.0
    elif kind == "gelu":
        for i in range(n):
            z = h[i]
            h[i] = 0.5 * z * (1.0 + tanh(_GELU * (z + 0.044715 * z * z * z)))
    else:
        for i in range(n):
            if h[i] < 0.0:
                h[i] = 0.0
