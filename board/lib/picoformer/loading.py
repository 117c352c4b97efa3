# Loading a model, after cmds.load_start freed the old one: three more steps, each measuring the heap before it
# imports anything (the virtual Pico collects garbage only between steps).
#   load_header: header checked, both modes estimated, the loader's code imported (no model in the heap yet);
#   load_finish: mode decided against the free heap, buffers allocated largest first and read (nothing compiled);
# then app.report_loaded measures the heap without this module and the loader, and reports "loaded".
from . import sysinfo
from .errors import ModelError


def load_header(app):
    fname, mode, app.req = app.pending
    app.pending = None
    free0, alloc0 = sysinfo.heap(app.limit)  # before this step imports anything: what the estimate is counted from
    from .catalog import estimates
    from .header import read
    from .memest import MARGIN

    h = read(app.dir + "/" + fname)
    app.pending = (fname, h, mode, free0, alloc0, estimates(h, app.np is not None), MARGIN, app.req)
    app.keep = ("loading", "loader")  # app.drop() keeps these imported until load_finish has run
    app.next = load_finish
    from . import loader  # noqa: F401 (compiled now, kept for load_finish)

    if app.np is not None:
        from . import fwd_np  # noqa: F401
    else:
        from . import fwd_py  # noqa: F401


def _choose(fname, est, free, mode, margin):
    # resident when it fits, else streamed; a forced mode must fit itself (same rule as catalog.choose)
    for m, e in (("resident", est[0]), ("streamed", est[1])):
        if mode in ("auto", m) and e + margin <= free:
            return m, e
    e = est[0] if mode == "resident" else est[1]
    raise ModelError("too_big", "%s needs about %d bytes %s (plus a %d-byte margin) but %d are free"
                     % (fname, e, "loaded resident" if mode == "resident" else "even streamed", margin, free))


def load_finish(app):
    fname, h, mode, free0, alloc0, est, margin, app.req = app.pending
    app.pending = None
    # The estimate covers everything the load adds to the idle runtime (this code and the header table included),
    # so it is checked against the heap free before the load began.
    mode, e = _choose(fname, est, free0, mode, margin)
    t0 = sysinfo.ticks_ms()
    shown = [-1]

    def progress(done, total):
        if done == 0 or done == total or done - shown[0] >= total // 8:
            shown[0] = done
            app._emit("load", file=fname, mode=mode, done=done, total=total)

    from .loader import load

    m = load(h, mode, app.np, progress)
    h = None
    if app.np is not None:
        from .fwd_np import forward
    else:
        from .fwd_py import forward
    app.model = m
    app.file = fname
    app.forward = forward
    app.autoq = None
    app.pending = (fname, alloc0, e, sysinfo.ticks_diff(sysinfo.ticks_ms(), t0), app.req)
    from .app import report_loaded

    app.keep = ()  # this module and the loader can go now
    app.next = report_loaded  # measured on the next step, without them
