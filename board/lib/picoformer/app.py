# The runtime, one bounded step at a time. App.step() runs a pending continuation (a list or a load, answered a
# step after its line so that the heap is measured first thing in a step; the next part of a load), or handles one
# console line, or advances the running generation by one forward pass, or idles briefly; nothing blocks. main()
# runs steps forever on a board, or hands the App to the virtual Pico (module vpico), which calls step() itself and
# collects garbage between calls. Every failure becomes an error event and the runtime carries on; Ctrl-C stops a
# generation, and while idle it ends the runtime with one line (STOPPED) so the board's REPL follows, no traceback.
#
# Heap: only what a generation needs stays imported (this module, console, protocol, sysinfo, gen, rng, sampling or
# sampling_np, tokenizer, fwd_*, stream, model). Commands, header checks, estimates, the loader and the human texts
# live in modules imported for one step and then dropped from sys.modules (see use()), so their bytecode is freed.
import gc
import sys
import time

from . import sysinfo
from .console import TOO_LONG, Console
from .errors import ModelError
from .protocol import Out, parse
from .tokenizer import decode

_WHILE_GENERATING = ("stop", "hello", "bye", "info", "mem", "help", "set")
_MEASURED = ("list", "load")  # answered a step later, judged by available() measured first thing in that step
_TRANSIENT = ("cmds", "human", "catalog", "header", "jsoncheck", "memest", "loader", "loading")
STOPPED = "Picoformer stopped; Ctrl-D restarts it\n"


def use(name):
    """Imports picoformer.<name> for the current step only (App.step drops it afterwards)."""
    full = "picoformer." + name
    __import__(full)
    return sys.modules[full]


def drop(keep=()):
    """Forgets the transient modules (but those in keep) so their bytecode can be collected."""
    pkg = sys.modules["picoformer"]
    for n in _TRANSIENT:
        if n not in keep and sys.modules.pop("picoformer." + n, None) is not None and hasattr(pkg, n):
            delattr(pkg, n)


def _write(s):
    sys.stdout.write(s)


class App:
    def __init__(self, models_dir="/models", write=None, source=None, heap_limit=None, autoload=True,
                 np="auto", idle_ms=5):
        self.out = Out(write or _write)
        self.console = Console(source)
        self.console.echo = self.out.text  # human mode echoes what a person types
        self.dir = models_dir
        self.limit = heap_limit  # a heap budget in bytes (the virtual Pico's), or None for the real heap
        self.np = np  # "auto" until the first step (cmds.boot) resolves it: ulab.numpy, or None
        self.idle_ms = idle_ms
        self.settings = {"max_tokens": 64, "temperature": 0.8, "top_k": 0, "seed": None, "mode": "auto",
                         "stop_at_context": False}
        self.model = None
        self.file = None
        self.forward = None
        self.model_bytes = 0
        self.est = None  # the loaded model's (resident, streamed, file size) estimates, for the list
        self.next_est = None
        self.avail = 0  # available(), measured at the start of the step that runs a later() command
        self.gen = None
        self.req = None  # "req" of the command being answered
        self.peak = 0
        self.next = None  # a continuation fn(app) to run on the next step
        self.pending = None  # a load's state between its steps
        self.keep = ()  # transient modules to keep imported across steps (during a load: loading.py)
        self.autoq = None  # files still to try loading at start-up
        self.autoload = autoload
        self.booted = False
        self.failing = 0  # steps in a row that failed outside any command
        self.debug = False  # tests: let unexpected exceptions through

    # ----- the step loop

    def step(self):
        try:
            self._step()
            self.failing = 0
        except KeyboardInterrupt:
            raise
        except Exception as e:  # outside any command (a console read short of heap...): report it, carry on
            if self.debug:
                raise
            self.failing += 1
            if self.failing == 1:  # once per run of failures, so a failure that repeats cannot flood the console
                self.report(e)
            gc.collect()
        finally:
            drop(self.keep)

    def _step(self):
        if not self.booted:
            self.booted = True
            self._guard(use("cmds").boot, self)
            return
        if self.next is _measured:
            # first thing, before this step reads input or imports anything (and, on the virtual Pico, with the
            # last step's garbage collected): the figure the list and a load's decision both judge by
            self.avail = self.available()
        c = self.console
        c.read()
        if c.interrupted:
            c.interrupted = False
            if not self.interrupt():
                self.quit()
            return
        if self.next is not None and not self._quick(c):
            # start-up or a load in progress: other commands wait for it
            fn = self.next
            self.next = None
            if not self._guard(fn, self) and self.autoq:
                self.later("autoload")  # that model failed: try the next one
            return
        line = c.next_line()
        if line is not None:
            self._guard(self._line, line)
        elif self.gen is not None:
            if not self._guard(self._gen_step) and self.gen is not None:
                self._finish("error")
        elif self.idle_ms:
            time.sleep(self.idle_ms / 1000)

    def _quick(self, c):
        # True when the next input line is a command answered at once even mid-load (hello, info, mem, ...)
        if not c.lines:
            return False
        p = parse(c.lines[0])
        return p is not None and p[0] == "cmd" and p[1]["cmd"] in _WHILE_GENERATING

    def interrupt(self):
        """Ctrl-C: stops a running generation (True); False when there was none."""
        if self.gen is None:
            return False
        self._finish("stopped")
        return True

    def quit(self):
        """Ctrl-C while idle: one line for the person at the terminal, then code.py ends quietly (the board offers
        its REPL; the virtual Pico ends code.py on SystemExit the same way)."""
        self.out.text(("" if self.out.col0 else "\n") + STOPPED)
        raise SystemExit

    def _guard(self, fn, *args):
        """Runs fn; any failure becomes an error event (returns False) and the runtime carries on."""
        try:
            fn(*args)
            self.req = None
            return True
        except Exception as e:  # a bug, or anything a file can cause, must not end the runtime
            if self.debug and not isinstance(e, (ModelError, MemoryError)):
                raise
            self.pending = None
            self.keep = ()
            self.report(e)
        self.req = None
        gc.collect()
        return False

    def report(self, e):
        """An exception as an error event (ModelError: its code; MemoryError: out_of_memory; else internal)."""
        try:
            if isinstance(e, ModelError):
                self._emit("error", code=e.code, message=e.message, recoverable=True, **e.fields)
                return
            e = "%s: %s" % (type(e).__name__, e) if not isinstance(e, MemoryError) else None
            gc.collect()
            if e is None:
                self._emit("error", code="out_of_memory", message="ran out of memory; what it had allocated was freed",
                           recoverable=True)
            else:
                self._emit("error", code="internal", message=e, recoverable=True)
        except Exception:  # even the report failed (no heap left): the next step tries again
            pass

    def _emit(self, ev, **d):
        if self.req is not None:
            d["req"] = self.req
        if self.out.host:
            self.out.event(ev, d)
        else:
            use("human").render(self.out, ev, d)

    # ----- input lines and commands

    def _line(self, line):
        if line == TOO_LONG:
            raise ModelError("line_too_long", "input line longer than the console accepts; ignored")
        p = parse(line)
        if p is None:
            return
        kind = p[0]
        if kind == "cmd" or kind == "bad":
            self.out.host = True
            self.console.echo = None
            if kind == "bad":
                raise ModelError("bad_command", p[1])
            self._command(p[1])
        elif self.out.host:
            return  # host mode reads only @pf lines: line noise must not start a generation (docs/protocol.md)
        elif kind == "slash":
            self._command(use("cmds").slash(p[1], p[2]))
        else:
            self._command({"cmd": "generate", "prompt": p[1]})

    def _command(self, d):
        r = d.get("req")
        self.req = r if type(r) in (int, str) and type(r) is not bool else None  # kept for an error event too
        cmd = d["cmd"]
        if self.gen is not None and cmd not in _WHILE_GENERATING:
            raise ModelError("busy", "a generation is running; stop it first (stop, /stop or Ctrl-C)")
        if cmd in _MEASURED:
            self.later("c_" + cmd, d)
            return
        if cmd == "stop":
            if self.gen is not None:
                self._finish("stopped")
        elif cmd == "mem":
            self.memory()
        else:
            fn = getattr(use("cmds"), "c_" + cmd, None)
            if fn is None:
                raise ModelError("unknown_command", "unknown command %s" % cmd)
            fn(self, d)
        self.req = None

    def available(self):
        """The heap a load would have: what can be allocated now (measured, sysinfo.allocatable) plus what the
        loaded model holds (a load frees it first). The list (each model's "fits") and a load's decision both use
        this figure, with catalog.choose."""
        return sysinfo.allocatable(self.limit) + self.model_bytes

    def later(self, fn, d=None):
        """Runs cmds.<fn>(app, d) on the next step, which first measures available() into self.avail."""
        self.pending = (fn, d, self.req)
        self.next = _measured

    def memory(self):
        free, alloc = sysinfo.heap(self.limit)
        if alloc > self.peak:
            self.peak = alloc
        self._emit("memory", free=free, alloc=alloc, peak=self.peak, heap_limit=self.limit,
                   model_bytes=self.model_bytes)

    # ----- generation

    def _gen_step(self):
        g = self.gen
        self.req = g.req  # an error in this pass answers the generate command too
        tok = g.step()
        if tok >= 0:
            if g.count == 1:
                g.t1 = sysinfo.ticks_ms()  # the decode rate counts from the first new token (few new names: heap)
            text = decode(self.model.vocab, tok)
            if self.out.host:
                self.out.token(tok, text, g.count - 1, g.reqf)
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
                   tok_per_s=round(g.count * 1000 / ms, 2) if ms > 0 else 0.0,
                   decode_ms=sysinfo.ticks_diff(sysinfo.ticks_ms(), g.t1) if g.count > 1 else 0, refills=g.refills)
        if self.out.host:
            self.pending = g.req
            self.next = _memory_after  # next step: this one's garbage is gone by then (the virtual Pico)
        self.req = None


def _measured(app):
    fn, d, app.req = app.pending
    app.pending = None
    getattr(use("cmds"), fn)(app, d)


def load_header(app):
    """A load's first step after cmds.load_start freed the old model: the heap the new model is measured from,
    read before this step imports anything, then the header (loading.py)."""
    alloc0 = sysinfo.heap(app.limit)[1]
    use("loading").read_header(app, alloc0)


def report_loaded(app):
    """The last step of a load (after loading.load_finish): the heap measured once the loader's code is gone."""
    fname, alloc0, e, fallback, ms, app.req = app.pending
    app.pending = None
    m = app.model
    free, alloc = sysinfo.heap(app.limit)
    app.model_bytes = alloc - alloc0
    app.est = app.next_est
    app.next_est = None
    app.peak = alloc
    app._emit("loaded", file=fname, name=m.name or fname[:-12], mode=m.mode, params=m.params, dtype=m.dtype,
              ms=ms, estimate=e, model_bytes=app.model_bytes, mem_free=free, mem_alloc=alloc, config=m.cfg,
              fallback=fallback)
    if app.out.host:
        app.memory()


def _memory_after(app):
    app.req = app.pending
    app.pending = None
    app.memory()


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
        except KeyboardInterrupt:  # a real board raises it wherever the runtime is when Ctrl-C arrives
            if app.interrupt():
                continue
            try:
                app.quit()
            except SystemExit:
                return app
        except SystemExit:
            return app
