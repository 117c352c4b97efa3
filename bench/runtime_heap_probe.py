# Run at the raw REPL of the official firmware (bench/runtimeHeap.ts prepends MODULES and PEAK): what each runtime
# module costs the heap, however it is on the drive (.py or .mpy). Prints one line per result, "@@ kind name ...".
#  - "mod": in MODULES order (each after the ones before it, as the runtime imports them): the heap it keeps while
#    imported, what stays once it is dropped from sys.modules (interned names: qstrs are never freed), what a
#    second import costs (its objects: bytecode, functions, constants, globals), the simulated ms of the first import.
#  - "peak": the least free heap each import in PEAK succeeds with, in KB (the heap is filled with 1 KB blocks,
#    the holes left with smaller ones down to 16 bytes, then k of the 1 KB blocks freed; bisection on k): the
#    loading peak: what the import keeps plus, for a .py, the compiler's working memory.
import gc
import sys
import time

pkg_name = "picoformer"


def _ms():
    return time.monotonic_ns() // 1000


def _forget(names):
    pkg = sys.modules.get(pkg_name)
    for n in names:
        sys.modules.pop(pkg_name + "." + n, None)
        if pkg is not None and hasattr(pkg, n):
            delattr(pkg, n)


def modules():
    __import__(pkg_name)
    for n in MODULES:  # noqa: F821 (prepended)
        full = pkg_name + "." + n
        gc.collect()
        a0 = gc.mem_alloc()
        t0 = _ms()
        __import__(full)
        us = _ms() - t0
        gc.collect()
        a1 = gc.mem_alloc()
        _forget([n])
        gc.collect()
        a2 = gc.mem_alloc()
        __import__(full)
        gc.collect()
        a3 = gc.mem_alloc()
        print("@@ mod %s %d %d %d %d" % (n, a1 - a0, a2 - a0, a3 - a2, us))


_BLOCK = 1008  # + the bytearray object: 1 KB of heap per block
# Then every hole left is filled down to one 16-byte GC block: bytearrays of 256, 64 and 16 bytes of heap.
_FILLERS = (240, 48, 0)


def _fits(full, before, k):
    # the heap full but for k 1 KB blocks: then import `full` (its `before` modules already imported)
    __import__(pkg_name)
    for n in before:
        __import__(pkg_name + "." + n)
    gc.collect()
    big = [None] * 200
    small = [[None] * 200 for _ in _FILLERS]
    n = 0
    try:
        while n < 200:
            big[n] = bytearray(_BLOCK)
            n += 1
    except MemoryError:
        pass
    for j in range(len(_FILLERS)):
        try:
            for i in range(200):
                small[j][i] = bytearray(_FILLERS[j])
        except MemoryError:
            pass
    for i in range(min(k, n)):
        big[n - 1 - i] = None
    gc.collect()
    ok = True
    try:
        __import__(full)
    except MemoryError:
        ok = False
    big = None
    small = None
    _forget(MODULES)  # noqa: F821
    gc.collect()
    return ok


def peaks():
    for full, before in PEAK:  # noqa: F821 (prepended)
        if _fits(full, before, 0):
            print("@@ peak %s 0" % full)  # it fits in what the fillers could not take
            continue
        lo = 0
        hi = 96
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if _fits(full, before, mid):
                hi = mid
            else:
                lo = mid
        print("@@ peak %s %d" % (full, hi))


modules()
_forget(MODULES)  # noqa: F821
gc.collect()
peaks()
