# The runtime, one bounded step at a time. App.step() either handles one console line, or advances the running
# generation by one forward pass, or idles briefly; nothing blocks. main() runs steps forever on a board, or hands
# the App to the virtual Pico (module vpico), which calls step() itself and collects garbage between calls.
# Every failure becomes an error event and the runtime carries on; Ctrl-C stops a generation, and while idle it
# passes through (KeyboardInterrupt) so the host can reach the REPL.
import gc
import sys
import time

from . import PROTOCOL, VERSION, human, sysinfo
from .console import TOO_LONG, Console
from .errors import ModelError
from .protocol import Out, parse, slash_to_cmd

MODES = ("auto", "resident", "streamed")
_WHILE_GENERATING = ("stop", "hello", "bye", "info", "mem", "help", "set")


def _write(s):
    sys.stdout.write(s)


def _bad(msg):
    raise ModelError("bad_argument", msg)


def _num(d, key, default, lo, hi, integer):
    v = d.get(key, default)
    if type(v) is bool or type(v) not in ((int,) if integer else (int, float)) or not lo <= v <= hi:
        _bad("%s must be %s in %s..%s" % (key, "an integer" if integer else "a number", lo, hi))
    return v


class App:
    def __init__(self, models_dir="/models", write=None, source=None, heap_limit=None, autoload=True,
                 np="auto", idle_ms=5):
        self.out = Out(write or _write)
        self.console = Console(source)
        self.console.echo = self.out.text  # human mode echoes what a person types
        self.dir = models_dir
        self.limit = heap_limit  # a heap budget in bytes (the virtual Pico's), or None for the real heap
        self.autoload = autoload
        self.np = sysinfo.ulab() if np == "auto" else np
        self.idle_ms = idle_ms
        self.settings = {"max_tokens": 64, "temperature": 0.8, "top_k": 0, "seed": None, "mode": "auto"}
        self.model = None
        self.file = None
        self.forward = None
        self.model_bytes = 0
        self.gen = None
        self.req = None  # "req" of the command being answered
        self.peak = 0
        self.booted = False
        self.debug = False  # tests: let unexpected exceptions through

    # ----- the step loop

    def step(self):
        if not self.booted:
            self.booted = True
            self._guard(self._boot)
            return
        c = self.console
        c.read()
        if c.interrupted:
            c.interrupted = False
            if not self.interrupt():
                raise KeyboardInterrupt
            return
        line = c.next_line()
        if line is not None:
            self._guard(self._line, line)
        elif self.gen is not None:
            if not self._guard(self._gen_step) and self.gen is not None:
                self._finish("error")
        elif self.idle_ms:
            time.sleep(self.idle_ms / 1000)

    def interrupt(self):
        """Ctrl-C: stops a running generation (True); False when there was none."""
        if self.gen is None:
            return False
        self._finish("stopped")
        return True

    def _guard(self, fn, *args):
        """Runs fn; any failure becomes an error event (returns False) and the runtime carries on."""
        try:
            fn(*args)
            self.req = None
            return True
        except ModelError as e:
            self._emit("error", code=e.code, message=e.message, recoverable=True)
        except MemoryError:
            gc.collect()
            self._emit("error", code="out_of_memory", message="ran out of memory; everything it needed was freed",
                       recoverable=True)
        except Exception as e:  # a bug must not end the runtime
            if self.debug:
                raise
            self._emit("error", code="internal", message="%s: %s" % (type(e).__name__, e), recoverable=True)
        self.req = None
        gc.collect()
        return False

    def _emit(self, ev, **d):
        if self.req is not None:
            d["req"] = self.req
        if self.out.host:
            self.out.event(ev, d)
        else:
            human.render(self.out, ev, d)

    # ----- boot

    def _ready_fields(self):
        name, ver, machine = sysinfo.impl()
        free, alloc = sysinfo.heap(self.limit)
        return {"runtime": "picoformer", "version": VERSION, "protocol": PROTOCOL, "impl": name,
                "impl_version": ver, "machine": machine, "ulab": self.np is not None, "mem_free": free,
                "mem_alloc": alloc, "heap_limit": self.limit, "models_dir": self.dir, "host": self.out.host}

    def _boot(self):
        d = self._ready_fields()
        self.out.event("ready", d)  # always an event line, so a host sees every (re)start
        if not self.out.host:
            human.render(self.out, "ready", d)
        from .catalog import files

        self._c_list({})
        if not self.autoload:
            return
        for name in files(self.dir):
            try:
                self._load(name, self.settings["mode"])
                return
            except ModelError as e:
                self._emit("error", code=e.code, message=e.message, recoverable=True)

    # ----- input lines and commands

    def _line(self, line):
        if line == TOO_LONG:
            raise ModelError("line_too_long", "input line longer than the console accepts; ignored")
        p = parse(line)
        if p is None:
            return
        kind = p[0]
        if kind == "bad":
            self._host()
            raise ModelError("bad_command", p[1])
        if kind == "cmd":
            self._host()
            self._command(p[1])
        elif kind == "slash":
            d = slash_to_cmd(p[1], p[2])
            if type(d) is str:
                raise ModelError("bad_argument" if d.startswith("/") or d.startswith("usage") else "unknown_command", d)
            self._command(d)
        else:
            self._command({"cmd": "generate", "prompt": p[1]})

    def _host(self):
        self.out.host = True
        self.console.echo = None

    def _command(self, d):
        r = d.get("req")
        self.req = r if type(r) in (int, str) and type(r) is not bool else None  # kept for an error event too
        cmd = d["cmd"]
        fn = getattr(self, "_c_" + cmd, None)
        if fn is None:
            raise ModelError("unknown_command", "unknown command %s" % cmd)
        if self.gen is not None and cmd not in _WHILE_GENERATING:
            raise ModelError("busy", "a generation is running; stop it first (stop, /stop or Ctrl-C)")
        fn(d)
        self.req = None

    def _c_hello(self, d):
        self._emit("ready", **self._ready_fields())

    def _c_bye(self, d):
        self.out.host = False
        self.console.echo = self.out.text
        self.out.text("Human mode. Type a prompt, or /help.\n")

    def _c_help(self, d):
        self._emit("help", text=human.HELP)

    def _c_list(self, d):
        from .catalog import describe, files

        free = sysinfo.heap(self.limit)[0]
        avail = free + self.model_bytes  # what a load would have: it frees the current model first
        forced = self.settings["mode"] if self.settings["mode"] != "auto" else None
        ms = []
        for name in files(self.dir):
            e = describe(self.dir, name, avail, forced, self.np is not None)
            e["loaded"] = name == self.file
            ms.append(e)
        self._emit("models", dir=self.dir, mem_available=avail, models=ms)

    def _c_load(self, d):
        name = d.get("name")
        if type(name) is not str or not name:
            _bad('load needs "name": a model file name')
        mode = d.get("mode", self.settings["mode"])
        if mode not in MODES:
            _bad("mode must be one of auto, resident, streamed")
        self._load(name, mode)

    def _c_unload(self, d):
        if self.model is None:
            raise ModelError("no_model", "no model is loaded")
        self._unload()

    def _c_set(self, d):
        s = self.settings
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
        self._emit("settings", **s)

    def _c_info(self, d):
        f = self._ready_fields()
        m = self.model
        f["model"] = None if m is None else {
            "file": self.file, "name": m.name or self.file[:-12], "mode": m.mode, "params": m.params, "dtype": m.dtype,
            "context_length": m.ctx, "vocab_size": m.vocab_size, "model_bytes": self.model_bytes}
        f["settings"] = self.settings
        f["generating"] = self.gen is not None
        self._emit("info", **f)

    def _c_mem(self, d):
        free, alloc = sysinfo.heap(self.limit)
        if alloc > self.peak:
            self.peak = alloc
        self._emit("memory", free=free, alloc=alloc, peak=self.peak, heap_limit=self.limit,
                   model_bytes=self.model_bytes)

    def _c_stop(self, d):
        if self.gen is not None:
            self._finish("stopped")

    def _c_generate(self, d):
        m = self.model
        if m is None:
            raise ModelError("no_model", "no model is loaded (see /models and /load NAME)")
        s = self.settings
        prompt = d.get("prompt", "")
        if type(prompt) is not str:
            _bad("prompt must be a string")
        n = _num(d, "max_tokens", s["max_tokens"], 0, 65535, True)
        t = _num(d, "temperature", s["temperature"], 0, 100, False)
        k = _num(d, "top_k", s["top_k"], 0, 65535, True)
        seed = d.get("seed", s["seed"])
        if seed is None:
            seed = sysinfo.seed()
        elif type(seed) is not int or type(seed) is bool:
            _bad("seed must be an integer or null")
        from .gen import Gen

        gc.collect()
        g = Gen(m, self.forward, prompt, n, t, k, seed)
        g.req = self.req
        g.t0 = sysinfo.ticks_ms()
        self.gen = g
        self._emit("start", prompt_tokens=g.prompt_tokens, truncated=g.truncated, unknown=g.unknown, seed=seed,
                   max_tokens=n, temperature=t, top_k=k)
        if g.reason is not None:
            self._finish(g.reason)

    # ----- models

    def _load(self, name, mode):
        from . import header, loader
        from .catalog import choose, resolve

        fname = resolve(self.dir, name)
        self._unload()
        alloc0 = sysinfo.heap(self.limit)[1]
        h = header.read(self.dir + "/" + fname)
        free = sysinfo.heap(self.limit)[0]
        mode, est = choose(h, free, None if mode == "auto" else mode, self.np is not None)
        t0 = sysinfo.ticks_ms()
        shown = [-1]

        def progress(done, total):
            if done == 0 or done == total or done - shown[0] >= total // 8:
                shown[0] = done
                self._emit("load", file=fname, mode=mode, done=done, total=total)

        m = loader.load(h, mode, self.np, progress)
        h = None
        if self.np is not None:
            from .fwd_np import forward
        else:
            from .fwd_py import forward
        ms = sysinfo.ticks_diff(sysinfo.ticks_ms(), t0)
        self.model = m
        self.file = fname
        self.forward = forward
        free, alloc = sysinfo.heap(self.limit)
        self.model_bytes = alloc - alloc0
        self.peak = alloc
        self._emit("loaded", file=fname, name=m.name or fname[:-12], mode=mode, params=m.params, dtype=m.dtype, ms=ms,
                   estimate=est, model_bytes=self.model_bytes, mem_free=free, mem_alloc=alloc, config=m.cfg)

    def _unload(self):
        m = self.model
        if m is None:
            return
        fname = self.file
        self.gen = None
        self.model = None
        self.forward = None
        self.file = None
        self.model_bytes = 0
        m.close()
        m = None
        free = sysinfo.heap(self.limit)[0]
        self._emit("unloaded", file=fname, mem_free=free)

    # ----- generation

    def _gen_step(self):
        g = self.gen
        tok = g.step()
        if tok >= 0:
            from .tokenizer import decode

            text = decode(self.model.vocab, tok)
            if self.out.host:
                self.out.token(tok, text, g.count - 1)
            else:
                self.out.text(text)
        if g.reason is not None:
            self._finish(g.reason)

    def _finish(self, reason):
        g = self.gen
        self.gen = None
        ms = sysinfo.ticks_diff(sysinfo.ticks_ms(), g.t0)
        self.req = g.req
        self._emit("done", reason=reason, tokens=g.count, prompt_tokens=g.prompt_tokens, ms=ms,
                   tok_per_s=round(g.count * 1000 / ms, 2) if ms > 0 else 0.0)
        if self.out.host:
            self._c_mem({})
        self.req = None


def main(**kw):
    """Runs the runtime (board/code.py calls this)."""
    try:
        import vpico
    except ImportError:
        vpico = None
    if vpico is not None:
        if "heap_limit" not in kw:
            kw["heap_limit"] = getattr(vpico, "HEAP_LIMIT", None)
        if "idle_ms" not in kw:
            kw["idle_ms"] = 0
    app = App(**kw)
    if vpico is not None:
        vpico.attach(app)  # the virtual Pico calls app.step() from now on
        return app
    while True:
        try:
            app.step()
        except KeyboardInterrupt:
            if not app.interrupt():
                raise
