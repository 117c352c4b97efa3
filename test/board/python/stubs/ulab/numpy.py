# Test-only stand-in for ulab.numpy, built on numpy with float32 as ulab's only float (as on the RP2040): the
# subset the board runtime uses, with ulab's semantics (frombuffer shares memory; dot returns float32).
import numpy as _np

float = _np.float32  # noqa: A001 (ulab's name)
int8 = _np.int8
uint8 = _np.uint8


def frombuffer(buf, dtype=float, count=-1, offset=0):
    if count is not None and count <= 0:
        count = -1
    return _np.frombuffer(buf, dtype=dtype, count=count, offset=offset)


def dot(a, b):
    if a.ndim == 1 and b.ndim == 2:
        raise ValueError("ulab's dot mishandles vector x matrix; the runtime must not use it")
    r = _np.dot(a.astype(_np.float32), b.astype(_np.float32))
    return r.astype(_np.float32) if isinstance(r, _np.ndarray) else _np.float32(r)


def exp(a):
    with _np.errstate(over="ignore"):
        return _np.exp(a).astype(_np.float32)


def floor(a):
    return _np.floor(a).astype(_np.float32)


def tanh(a):
    return _np.tanh(a).astype(_np.float32)


def sum(a, axis=None):  # noqa: A001
    if a.dtype == _np.bool_ and axis is None:
        return int(_np.sum(a))  # ulab: an int for a bool array
    r = _np.sum(a, axis=axis, dtype=_np.float32)
    return r if axis is not None else _np.float32(r)


def argmax(a):
    return int(_np.argmax(a))  # the first of equal maxima, as ulab (checked on the firmware)


def ones(n):
    return _np.ones(n, dtype=_np.float32)


def nonzero(a):
    return _np.nonzero(a)


def sort(a):
    return _np.sort(a)  # a sorted copy, ascending


def max(a):  # noqa: A001
    return _np.float32(_np.max(a))
