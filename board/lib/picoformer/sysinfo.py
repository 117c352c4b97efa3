# What the runtime reads of the platform at every step: the millisecond clock and the heap. Works on CircuitPython,
# MicroPython and CPython (tests), each with its own clock and heap API. What is read once (implementation, ulab,
# fresh seeds) is in cmds.py, which is imported only for a step.
import gc

try:
    from supervisor import ticks_ms  # CircuitPython: wraps at 2**29

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
