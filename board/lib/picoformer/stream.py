# Reads rows of a streamed matrix from the model file into its stream buffer (seek + readinto, no allocation
# beyond a memoryview when fewer rows than the buffer holds are wanted).
from .errors import ModelError


def read_rows(mt, r0, n):
    """Rows r0..r0+n of mt into mt.buf (items 0..n*cols); returns mt.buf."""
    f = mt.f
    f.seek(mt.off + r0 * mt.rowb)
    cnt = n * mt.cols
    if mt.dtype == "F16":
        raw = mt.raw
        nb = 2 * cnt
        got = f.readinto(raw if nb == len(raw) else memoryview(raw)[:nb])
        if got != nb:
            raise ModelError("truncated", "%s: the model file ended early (was it changed?)" % mt.name)
        from .f16 import decode

        decode(raw, nb, mt.buf, 0)
        return mt.buf
    buf = mt.buf
    got = f.readinto(buf if cnt == len(buf) else memoryview(buf)[:cnt])
    if got != n * mt.rowb:
        raise ModelError("truncated", "%s: the model file ended early (was it changed?)" % mt.name)
    return buf
