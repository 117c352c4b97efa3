# What the runtime is running on: clock and heap (the implementation, ulab and fresh seeds, needed only by a
# command step, are read in cmds.py, so their code is not resident). Works on CircuitPython, MicroPython and
# CPython (tests), each of which has a different clock and heap API.
import gc
import sys

try:
    from supervisor import ticks_ms  # CircuitPython: wraps at 2**29 (the platform's function itself: no wrapper)

    _PERIOD = 1 << 29
except ImportError:
    import time

    if hasattr(time, "ticks_ms"):  # MicroPython
        ticks_ms = time.ticks_ms
        _PERIOD = None
    else:  # CPython

        def ticks_ms():
            return int(time.monotonic() * 1000)

        _PERIOD = 0


def ticks_diff(new, old):
    """Milliseconds from old to new, across the clock's wrap-around."""
    if _PERIOD is None:
        return time.ticks_diff(new, old)
    if _PERIOD:
        return ((new - old) + (_PERIOD >> 1)) % _PERIOD - (_PERIOD >> 1)
    return new - old


def heap(limit=None):
    """(free, alloc) in bytes after a collection. limit: a heap budget (the virtual Pico's), which caps free."""
    gc.collect()
    alloc = gc.mem_alloc() if hasattr(gc, "mem_alloc") else 0
    free = gc.mem_free() if hasattr(gc, "mem_free") else 1 << 30
    if limit:
        free = max(0, min(free, limit - alloc))
    return free, alloc


# Heap bytes a probe block costs: a bytearray is a 16-byte object plus its items, allocated apart.
_BLOCK = 1024


def allocatable(limit=None):
    """Heap bytes that can be allocated right now. On CircuitPython, measured: blocks of 1 KB are allocated until
    MemoryError, then all freed (CircuitPython 9 splits its heap and it fragments, so gc.mem_free() is not what can
    be allocated: after boot it says ~166 KB while only ~140 KB can be had). Elsewhere (MicroPython's one heap, the
    virtual Pico's budget, CPython) heap()'s free figure."""
    if limit or sys.implementation.name != "circuitpython":
        return heap(limit)[0]
    gc.collect()
    cap = 2 * gc.mem_free() + 65536  # a bound on the probe's time, never reached on a board
    keep = []
    n = 0
    try:
        while n * (_BLOCK + 16) < cap:
            keep.append(bytearray(_BLOCK))
            n += 1
    except MemoryError:
        pass
    keep = None
    gc.collect()
    return n * (_BLOCK + 16)

