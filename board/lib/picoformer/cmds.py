# The commands of docs/protocol.md other than stop and mem (app.py), and start-up. Imported for one step and
# dropped (app.use), so its bytecode costs heap only while a command runs.
# Loading a model starts here (load_start: name resolved, the new model's header estimated against the heap the
# list judges by, then the old model freed) and goes on in app.load_header and loading.py.
import gc
import sys

from . import PROTOCOL, VERSION, sysinfo
from .errors import ModelError

MODES = ("auto", "resident", "streamed")
_EXT = 12  # len(".safetensors")


def _bad(msg):
    raise ModelError("bad_argument", msg)


def _num(d, key, default, lo, hi, integer):
    v = d.get(key, default)
    if type(v) is bool or type(v) not in ((int,) if integer else (int, float)) or not lo <= v <= hi:
        _bad("%s must be %s in %s..%s" % (key, "an integer" if integer else "a number", lo, hi))
    return v


def ready_fields(app):
    im = sys.implementation
    v = im.version
    free, alloc = sysinfo.heap(app.limit)
    return {"runtime": "picoformer", "version": VERSION, "protocol": PROTOCOL, "impl": im.name,
            "impl_version": "%d.%d.%d" % (v[0], v[1], v[2]), "machine": getattr(im, "_machine", sys.platform), "ulab": app.np is not None, "mem_free": free,
            "mem_alloc": alloc, "heap_limit": app.limit, "models_dir": app.dir, "host": app.out.host,
            "mpy": getattr(sys.implementation, "_mpy", None)}  # the bytecode it imports: a host may deploy .mpy


def _ulab():
    """ulab.numpy, or None when this build has no ulab."""
    try:
        from ulab import numpy

        return numpy
    except ImportError:
        return None


def _seed():
    """A fresh 32-bit seed when the user gave none."""
    try:
        import os

        return int.from_bytes(os.urandom(4), "little")
    except (ImportError, AttributeError, NotImplementedError, OSError):
        return (sysinfo.ticks_ms() * 2654435761) & 0xFFFFFFFF


def boot(app):
    if app.np == "auto":
        # ulab when the firmware has it, unless /picoformer.json says {"ulab": false} (the pure-Python path)
        from .catalog import settings

        app.np = None if settings(app.dir).get("ulab") is False else _ulab()
    d = ready_fields(app)
    app.out.event("ready", d)  # always an event line, so a host sees every (re)start
    if not app.out.host:
        app._emit("ready", **d)
    app.later("boot_list")


def boot_list(app, d):
    try:
        c_list(app, d)
    except Exception as e:  # the list failed: report it, and still load a model
        app.report(e)
    if app.autoload:
        from .catalog import default_first, files

        app.autoq, mode = default_first(app.dir, files(app.dir))
        if app.autoq:
            app.later("autoload", mode)


# mode: the one /picoformer.json sets for the default model, given to its load only (a model tried after it failed
# gets None from app.later: the current setting, auto at start).
def autoload(app, mode):
    load_start(app, app.autoq.pop(0), mode or app.settings["mode"])


# ----- people's /commands


def slash(name, arg):
    """A /command typed by a person -> the equivalent command dict."""
    if name in ("help", "?"):
        return {"cmd": "help"}
    if name in ("models", "list", "ls"):
        return {"cmd": "list"}
    if name in ("info", "mem", "stop", "unload"):
        return {"cmd": name}
    if name == "load":
        p = arg.split()
        if not p:
            _bad("usage: /load NAME [resident|streamed]")
        d = {"cmd": "load", "name": p[0]}
        if len(p) > 1:
            d["mode"] = p[1]
        return d
    if name == "context":
        # /context stop: end a generation when the context is full; /context refill (the default): go on past it
        if arg not in ("", "stop", "refill"):
            _bad("usage: /context stop|refill")
        return {"cmd": "set"} if not arg else {"cmd": "set", "stop_at_context": arg == "stop"}
    keys = {"tokens": ("max_tokens", int), "temp": ("temperature", float), "temperature": ("temperature", float),
            "topk": ("top_k", int), "seed": ("seed", int), "mode": ("mode", str)}
    if name not in keys:
        raise ModelError("unknown_command", "unknown command /%s (try /help)" % name)
    key, conv = keys[name]
    if not arg:
        return {"cmd": "set"}
    if key == "seed" and arg == "random":
        return {"cmd": "set", "seed": None}
    try:
        return {"cmd": "set", key: conv(arg)}
    except ValueError:
        _bad("/%s needs a number" % name)


# ----- commands


def c_hello(app, d):
    app._emit("ready", **ready_fields(app))


def c_bye(app, d):
    app.out.host = False
    app.console.echo = app.out.text
    app.out.text("Human mode. Type a prompt, or /help.\n")


def c_help(app, d):
    from .human import HELP

    app._emit("help", text=HELP)


def c_list(app, d):
    from .catalog import describe, files

    avail = app.avail  # App.available(), measured at the start of this step; a load judges by it too
    mode = app.settings["mode"]
    ms = []
    for name in files(app.dir):
        known = None
        if name == app.file and app.est is not None:
            known = (app.model, app.est[2], app.est[:2])  # its header is not read again beside it
        e = describe(app.dir, name, avail, None if mode == "auto" else mode, app.np is not None, known)
        e["loaded"] = name == app.file
        ms.append(e)
    app._emit("models", dir=app.dir, mem_available=avail, models=ms)


def c_load(app, d):
    name = d.get("name")
    if type(name) is not str or not name:
        _bad('load needs "name": a model file name')
    mode = d.get("mode", app.settings["mode"])
    if mode not in MODES:
        _bad("mode must be one of auto, resident, streamed")
    app.autoq = None
    load_start(app, name, mode)


def c_unload(app, d):
    if app.model is None:
        raise ModelError("no_model", "no model is loaded")
    unload(app)


def c_set(app, d):
    s = app.settings
    if "max_tokens" in d:
        s["max_tokens"] = _num(d, "max_tokens", 0, 0, 65535, True)
    if "temperature" in d:
        s["temperature"] = _num(d, "temperature", 0, 0, 100, False)
    if "top_k" in d:
        s["top_k"] = _num(d, "top_k", 0, 0, 65535, True)
    if "seed" in d:
        v = d["seed"]
        if v is not None and (type(v) is not int or type(v) is bool):
            _bad("seed must be an integer or null (a new seed each time)")
        s["seed"] = v
    if "mode" in d:
        if d["mode"] not in MODES:
            _bad("mode must be one of auto, resident, streamed")
        s["mode"] = d["mode"]
    if "stop_at_context" in d:
        if type(d["stop_at_context"]) is not bool:
            _bad("stop_at_context must be true or false")
        s["stop_at_context"] = d["stop_at_context"]
    app._emit("settings", **s)


def c_info(app, d):
    f = ready_fields(app)
    m = app.model
    f["model"] = None if m is None else {
        "file": app.file, "name": m.name or app.file[:-_EXT], "mode": m.mode, "params": m.params,
        "dtype": m.dtype, "context_length": m.ctx, "vocab_size": m.vocab_size, "model_bytes": app.model_bytes}
    f["settings"] = app.settings
    f["generating"] = app.gen is not None
    app._emit("info", **f)


def c_generate(app, d):
    m = app.model
    if m is None:
        raise ModelError("no_model", "no model is loaded (see /models and /load NAME)")
    s = app.settings
    prompt = d.get("prompt", "")
    if type(prompt) is not str:
        _bad("prompt must be a string")
    n = _num(d, "max_tokens", s["max_tokens"], 0, 65535, True)
    t = _num(d, "temperature", s["temperature"], 0, 100, False)
    k = _num(d, "top_k", s["top_k"], 0, 65535, True)
    seed = d.get("seed", s["seed"])
    if seed is None:
        seed = _seed()
    elif type(seed) is not int or type(seed) is bool:
        _bad("seed must be an integer or null")
    stop = d.get("stop_at_context", s["stop_at_context"])
    if type(stop) is not bool:
        _bad("stop_at_context must be true or false")
    from .gen import Gen
    from .protocol import dumps

    gc.collect()
    g = Gen(m, app.forward, prompt, n, t, k, seed, stop)
    g.req = app.req
    g.reqf = "" if app.req is None else ',"req":' + dumps(app.req)  # the tokens' req, built once
    g.t0 = sysinfo.ticks_ms()
    app.gen = g
    app._emit("start", prompt_tokens=g.prompt_tokens, truncated=g.truncated, unknown=g.unknown, seed=seed,
              max_tokens=n, temperature=t, top_k=k)
    if g.reason is not None:
        app._finish(g.reason)


# ----- loading (continued in loading.py)


def unload(app):
    m = app.model
    if m is None:
        return
    fname = app.file
    app.gen = None
    app.model = None
    app.forward = None
    app.file = None
    app.est = None
    app.model_bytes = 0
    m.close()
    m = None
    app._emit("unloaded", file=fname, mem_free=sysinfo.heap(app.limit)[0])


def load_start(app, name, mode):
    """Decides a load before anything is freed: the new model's estimate (from its header) against app.avail, the
    heap that can be allocated plus what the loaded model holds, by the rule the models list uses. Too big: refused
    with the numbers, and the loaded model stays. Else the old model is freed and the load goes on (app.load_header)."""
    from .catalog import choose, estimates, resolve
    from .header import read

    fname = resolve(app.dir, name)
    short = False
    try:
        h = read(app.dir + "/" + fname)
        est = estimates(h, app.np is not None) + (h.size,)
        half = any(t[0] == "F16" for t in h.tensors.values())
        h = None
    except MemoryError:
        short = True  # raised below, outside this block, so the failed parse can be collected first
    if short:
        gc.collect()
        raise ModelError("out_of_memory", "not enough memory to read the header of %s beside the loaded model%s"
                         % (fname, "; %s stays loaded (unload it first)" % app.file if app.file else ""))
    forced = None if mode == "auto" else mode
    mode, e = choose(fname, est, app.avail, forced, app.file)
    # What a load the chosen mode runs out of memory for may try next (loading.load_finish): streamed, when the
    # mode was not forced and the estimate says streamed fits too.
    alt = None
    if forced is None and mode == "resident":
        from .memest import fits

        if fits({"total": est[1]}, app.avail):
            alt = est[1]
    prev = app.file
    unload(app)  # a second model never shares the heap with the first
    # The modules a loaded model runs with stay imported for good: imported now (only the first load compiles
    # them), before app.load_header measures the heap the model starts from, so model_bytes is the model alone.
    # f16 only for a model with F16 tensors, stream only for a streamed one (a resident load that falls back to
    # streamed imports it then, loading.load_finish): the others never need them.
    from . import model  # noqa: F401

    if half:
        from . import f16  # noqa: F401
    if mode == "streamed":
        from . import stream  # noqa: F401

    if app.np is not None:
        from . import fwd_np  # noqa: F401
    else:
        from . import fwd_py  # noqa: F401
    from .app import load_header

    app.pending = (fname, mode, e, alt, prev, app.req)
    app.next_est = est  # becomes app.est once loaded (app.report_loaded): the list reads no header of it again
    app.next = load_header
