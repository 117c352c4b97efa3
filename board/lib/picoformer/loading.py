# Loading a model after cmds.load_start decided it fits and freed the old one, and app.load_header measured the heap
# the model starts from. Two more steps, then app.report_loaded:
#   read_header: the header read again (the decision's copy was not kept, so it is not counted as the model's) and
#                the loader's code imported (no model in the heap yet);
#   load_finish: buffers allocated largest first and read (nothing compiled). When that runs out of memory and the
#                decision allowed another mode (auto, resident chosen, streamed fits too), everything is dropped and
#                the load tried again streamed; `loaded` then says so (fallback). The estimate can be wrong: on the
#                firmware, gc.mem_free() is more than can be allocated (the heap is split and fragments).
# A failure after the old model was freed says so in its error message.
import gc

from . import sysinfo
from .errors import ModelError


def _freed(prev, e):
    # e, told that the previous model is gone (the decision freed it before this failure)
    if prev:
        e.message += "; %s was unloaded before this load began" % prev
    return e


def read_header(app, alloc0):
    fname, mode, e, alt, prev, app.req = app.pending
    app.pending = None
    from .header import read

    short = False
    try:
        h = read(app.dir + "/" + fname)
    except ModelError as x:  # the file changed since the decision
        raise _freed(prev, x)
    except MemoryError:
        short = True  # raised below, outside this block, so the failed parse can be collected first
    if short:
        raise _freed(prev, ModelError("out_of_memory", "ran out of memory reading the header of %s" % fname))
    app.pending = (fname, h, mode, e, alt, prev, alloc0, app.req)
    app.keep = ("loading", "loader")  # app.drop() keeps these imported until load_finish has run
    app.next = load_finish
    from . import loader  # noqa: F401 (compiled now, kept for load_finish)


def load_finish(app):
    fname, h, mode, e, alt, prev, alloc0, app.req = app.pending
    app.pending = None
    t0 = sysinfo.ticks_ms()
    shown = [-1]
    now = [mode]

    def progress(done, total):
        if done == 0 or done == total or done - shown[0] >= total // 8:
            shown[0] = done
            app._emit("load", file=fname, mode=now[0], done=done, total=total)

    from .loader import load

    fallback = None
    m = None
    while m is None:
        x = None
        try:
            m = load(h, now[0], app.np, progress)  # a MemoryError comes back as ModelError("out_of_memory")
        except ModelError as err:
            x = err
        if x is not None:
            # retried outside the except block, so nothing of the failed attempt stays reachable
            if x.code != "out_of_memory" or alt is None:
                raise _freed(prev, x)
            fallback = {"from": now[0], "code": x.code}
            x = None
            now[0] = "streamed"
            e = alt
            alt = None
            shown[0] = -1
            gc.collect()
            from . import stream  # noqa: F401 (cmds.load_start imports it only for a streamed load)
    h = None
    if app.np is not None:
        from .fwd_np import forward
    else:
        from .fwd_py import forward
    app.model = m
    app.file = fname
    app.forward = forward
    app.autoq = None
    app.pending = (fname, alloc0, e, fallback, sysinfo.ticks_diff(sysinfo.ticks_ms(), t0), app.req)
    from .app import report_loaded

    app.keep = ()  # this module and the loader can go now
    app.next = report_loaded  # measured on the next step, without them
