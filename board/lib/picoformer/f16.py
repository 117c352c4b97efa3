# IEEE half precision -> float, for F16 tensors (imported only when a model has them).
from math import ldexp


def decode(raw, nbytes, out, o):
    """Writes the nbytes // 2 little-endian float16 values of raw into out[o:]."""
    for i in range(0, nbytes, 2):
        h = raw[i] | (raw[i + 1] << 8)
        e = (h >> 10) & 31
        m = h & 1023
        if e == 0:
            v = ldexp(m, -24)
        elif e == 31:
            v = float("nan") if m else float("inf")
        else:
            v = ldexp(m + 1024, e - 25)
        out[o] = -v if h & 0x8000 else v
        o += 1
