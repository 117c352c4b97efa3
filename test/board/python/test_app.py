# The runtime as the host and a person see it (board/lib/picoformer/app.py, cmds.py; docs/protocol.md): command
# lines in, event lines out, human mode, errors that never stop the runtime, Ctrl-C, heap budget, model switching.
import gc
import os
import shutil
import unittest
import weakref

from helpers import Harness, TempDir, comparable_ids, golden

# The fields docs/protocol.md promises for each event.
FIELDS = {
    "ready": {"runtime", "version", "protocol", "impl", "impl_version", "machine", "ulab", "mem_free", "mem_alloc",
              "heap_limit", "models_dir", "host", "mpy"},
    "models": {"dir", "mem_available", "models"},
    "load": {"file", "mode", "done", "total"},
    "loaded": {"file", "name", "mode", "params", "dtype", "ms", "estimate", "model_bytes", "mem_free", "mem_alloc",
               "config"},
    "unloaded": {"file", "mem_free"},
    "memory": {"free", "alloc", "peak", "heap_limit", "model_bytes"},
    "start": {"prompt_tokens", "truncated", "unknown", "seed", "max_tokens", "temperature", "top_k"},
    "token": {"id", "text", "index"},
    "done": {"reason", "tokens", "prompt_tokens", "ms", "tok_per_s", "decode_ms"},
    "error": {"code", "message", "recoverable"},
    "info": {"runtime", "version", "protocol", "impl", "mem_free", "model", "settings", "generating"},
    "settings": {"max_tokens", "temperature", "top_k", "seed", "mode"},
    "help": {"text"},
}
# A generation of random-1k-i8 known (golden) to run for many tokens, so there is time to stop it.
LONG = {"prompt": "Once upon", "seed": 1, "temperature": 0.8, "max_tokens": 500}
MODEL_FIELDS = {"file", "name", "size", "params", "dtype", "context_length", "vocab_size", "fits", "mode", "estimate",
                "loaded"}


def loose_whitespace(line):
    """Whitespace outside the JSON strings of an event line (compact JSON has none), or None."""
    body = line[4:]
    inside = escaped = False
    for i, ch in enumerate(body):
        if inside:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                inside = False
        elif ch == '"':
            inside = True
        elif ch in " \t":
            return body[max(0, i - 20):i + 24]
    return None


class AppTestCase(unittest.TestCase):
    models = ("random-1k-i8", "random-8k-f32")

    def setUp(self):
        self.tmp = TempDir()
        self.dir = self.tmp.path
        for name in self.models:
            shutil.copy(golden(name)[1], os.path.join(self.dir, name + ".safetensors"))
        self.h = None

    def tearDown(self):
        if self.h is not None:
            for line in self.h.text().replace("\r", "").split("\n"):
                if line.startswith("@pf "):
                    self.assertIsNone(loose_whitespace(line), "event lines are compact JSON: " + line[:200])
            for e in self.h.events():
                self.assertIn(e["ev"], FIELDS)
                self.assertLessEqual(FIELDS[e["ev"]], set(e), e)
                if e["ev"] == "models":
                    for m in e["models"]:
                        self.assertLessEqual({"file", "size", "loaded"} | ({"error"} if "error" in m else MODEL_FIELDS), set(m))
            if self.h.app.model is not None:
                self.h.app.model.close()
        self.tmp.cleanup()

    def host(self, **kw):
        """A booted runtime in host mode."""
        self.h = h = Harness(self.dir, **kw)
        h.settle()
        h.cmd(cmd="hello")
        h.run_until("ready", host=True)
        return h

    def generate(self, **d):
        self.h.cmd(cmd="generate", **d)
        return self.h.run_until("done")

    def error(self, **match):
        return self.h.run_until("error", **match)


class StartupTest(AppTestCase):
    def test_boot_prints_ready_first_lists_and_loads_the_first_model(self):
        self.h = h = Harness(self.dir)
        h.step()
        self.assertTrue(h.text().startswith("@pf {"), h.text())
        first = h.events()[0]
        self.assertEqual((first["ev"], first["host"], first["runtime"], first["protocol"]), ("ready", False, "picoformer", 1))
        h.step(8)
        self.assertEqual(h.app.file, "random-1k-i8.safetensors")
        self.assertEqual([e["ev"] for e in h.events()], ["ready"])  # human mode: the rest is text
        self.assertIn("random-8k-f32.safetensors", h.text())
        self.assertIn("Type a prompt", h.text())

    def test_without_autoload_nothing_is_loaded(self):
        self.h = h = Harness(self.dir, autoload=False)
        h.step(6)
        self.assertIsNone(h.app.model)


class HostCommandsTest(AppTestCase):
    def test_hello_list_info_set_help(self):
        h = self.host()
        h.cmd(cmd="hello", req=4)
        self.assertEqual(h.run_until("ready", req=4)["host"], True)
        h.cmd(cmd="list", req="L")
        ms = h.run_until("models", req="L")["models"]
        self.assertEqual([m["file"] for m in ms], ["random-1k-i8.safetensors", "random-8k-f32.safetensors"])
        self.assertEqual([m["loaded"] for m in ms], [True, False])
        self.assertEqual(ms[0]["params"], golden("random-1k-i8")[0]["parameter_count"])
        self.assertEqual((ms[0]["fits"], ms[0]["mode"], ms[0]["dtype"]), (True, "resident", "I8"))
        self.assertGreater(ms[1]["estimate"]["resident"], ms[1]["estimate"]["streamed"])
        h.cmd(cmd="info")
        info = h.run_until("info")
        self.assertEqual((info["model"]["file"], info["model"]["mode"], info["generating"]), ("random-1k-i8.safetensors", "resident", False))
        h.cmd(cmd="set", max_tokens=5, temperature=0, top_k=3, seed=9, mode="streamed")
        self.assertEqual(h.run_until("settings"), {"ev": "settings", "max_tokens": 5, "temperature": 0, "top_k": 3, "seed": 9, "mode": "streamed",
                                                   "stop_at_context": False})
        h.cmd(cmd="set", stop_at_context=True)
        self.assertTrue(h.run_until("settings")["stop_at_context"])
        h.cmd(cmd="set", stop_at_context="yes")
        self.assertEqual(self.error()["code"], "bad_argument")
        h.cmd(cmd="help")
        self.assertIn("/load", h.run_until("help")["text"])

    def test_generate_streams_tokens_then_done_then_memory(self):
        h = self.host()
        case = golden("random-1k-i8")[0]["generations"][1]
        h.clear()
        done = self.generate(prompt=case["prompt"], max_tokens=case["max_tokens"], temperature=case["temperature"],
                             top_k=case["top_k"], seed=case["seed"], req=11)
        evs = h.events()
        start = evs[0]
        self.assertEqual((start["ev"], start["req"], start["seed"], start["prompt_tokens"]), ("start", 11, case["seed"], len(case["prompt_ids"])))
        toks = [e for e in evs if e["ev"] == "token"]
        self.assertEqual([t["id"] for t in toks], case["ids"])
        self.assertEqual([t["index"] for t in toks], list(range(len(case["ids"]))))
        self.assertEqual("".join(t["text"] for t in toks), case["text"])
        self.assertEqual((done["reason"], done["tokens"], done["req"], done["refills"]), (case["stop_reason"], len(case["ids"]), 11, case["refills"]))
        self.assertEqual([t["req"] for t in toks], [11] * len(toks))  # a host tells this generation's tokens apart
        mem = h.run_until("memory")
        self.assertEqual(mem["req"], 11)

    def test_done_gives_the_decode_time_with_the_prompt_excluded(self):
        from picoformer import sysinfo

        h = self.host()
        clock = [0]
        forward = h.app.forward

        def slow_forward(m, tok, pos, logits=True):  # every forward pass takes 100 ms of the board's clock
            clock[0] += 100
            return forward(m, tok, pos, logits)

        h.app.forward = slow_forward
        ticks = sysinfo.ticks_ms
        sysinfo.ticks_ms = lambda: clock[0]
        try:
            done = self.generate(prompt="Once upon a time", max_tokens=6, temperature=0, req=3)
        finally:
            sysinfo.ticks_ms = ticks
        n, p = done["tokens"], done["prompt_tokens"]
        self.assertGreater(n, 2)
        # The prompt's passes (the last one gives the first new token) are excluded: n - 1 tokens, 100 ms each.
        self.assertEqual(done["decode_ms"], 100 * (n - 1))  # a host's decode rate: (n - 1) * 1000 / decode_ms = 10
        self.assertEqual(done["ms"], 100 * (p + n - 1))  # from the command to the end, prompt included, as before
        self.assertLess(done["tok_per_s"], 10.0)

    def test_every_event_of_a_generation_carries_its_req_and_none_without_one(self):
        h = self.host()
        h.clear()
        self.generate(prompt="ab", max_tokens=3, temperature=0, req="gen-2")
        h.run_until("memory")
        evs = h.events()
        self.assertEqual([e["ev"] for e in evs], ["start", "token", "token", "token", "done", "memory"])
        self.assertEqual({e.get("req") for e in evs}, {"gen-2"})
        h.clear()
        self.generate(prompt="ab", max_tokens=3, temperature=0)
        h.run_until("memory")
        self.assertEqual([e for e in h.events() if "req" in e], [])

    def test_every_event_a_command_causes_carries_its_req(self):
        h = self.host()
        for i, d in enumerate(({"cmd": "hello"}, {"cmd": "list"}, {"cmd": "info"}, {"cmd": "mem"}, {"cmd": "help"},
                               {"cmd": "set", "max_tokens": 3}, {"cmd": "unload"}, {"cmd": "unload"},
                               {"cmd": "load", "name": "random-8k-f32"}, {"cmd": "load", "name": "nope"},
                               {"cmd": "generate", "prompt": "a", "temperature": 0}, {"cmd": "fly"})):
            h.clear()
            h.cmd(req=i, **d)
            h.step()
            h.settle()  # a load's steps, a generation's
            h.step(20)
            evs = h.events()
            self.assertTrue(evs, d)
            self.assertEqual([e.get("req") for e in evs], [i] * len(evs), "%s: %s" % (d, evs))

    def test_random_seed_is_reported_and_reproduces(self):
        h = self.host()
        h.cmd(cmd="generate", prompt="ab", max_tokens=6, temperature=1.0)
        seed = h.run_until("start")["seed"]
        h.run_until("done")
        first = [e["id"] for e in h.events() if e["ev"] == "token"]
        h.clear()
        self.generate(prompt="ab", max_tokens=6, temperature=1.0, seed=seed)
        self.assertEqual([e["id"] for e in h.events() if e["ev"] == "token"], first)

    def test_max_tokens_zero_and_empty_prompt(self):
        h = self.host()
        self.assertEqual(self.generate(prompt="x", max_tokens=0)["tokens"], 0)
        self.assertEqual(self.generate(prompt="", max_tokens=2, temperature=0)["tokens"], 2)  # BOS alone

    def test_busy_stop_and_mem_during_generation(self):
        h = self.host()
        h.cmd(cmd="generate", req="g", **LONG)
        h.run_until("token")
        h.cmd(cmd="list", req="x")
        self.assertEqual(self.error(req="x")["code"], "busy")
        h.cmd(cmd="mem")
        h.run_until("memory")
        h.cmd(cmd="stop", req="s")
        done = h.run_until("done")
        self.assertEqual((done["reason"], done["req"]), ("stopped", "g"))
        self.assertIsNone(h.app.gen)
        h.run_until("memory")
        n = len(h.events())
        h.cmd(cmd="stop")
        h.step(3)
        self.assertEqual(len(h.events()), n)  # stop while idle: nothing

    def test_bad_lines_give_errors_and_the_runtime_carries_on(self):
        h = self.host()
        for line, code in (("@pf {nope", "bad_command"), ("@pf [1]", "bad_command"), ('@pf {"x": 1}', "bad_command"),
                           ('@pf {"cmd": "fly"}', "unknown_command"), ('@pf {"cmd": "__init__"}', "unknown_command"),
                           ('@pf {"cmd": "load"}', "bad_argument"), ('@pf {"cmd": "load", "name": "zz"}', "not_found"),
                           ('@pf {"cmd": "load", "name": "random-1k-i8", "mode": "fast"}', "bad_argument"),
                           ('@pf {"cmd": "generate", "max_tokens": -1}', "bad_argument"),
                           ('@pf {"cmd": "generate", "temperature": "hot"}', "bad_argument"),
                           ('@pf {"cmd": "generate", "top_k": true}', "bad_argument"),
                           ('@pf {"cmd": "generate", "seed": 1.5}', "bad_argument"),
                           ('@pf {"cmd": "generate", "prompt": 5}', "bad_argument"),
                           ('@pf {"cmd": "generate", "stop_at_context": 1}', "bad_argument"),
                           ('@pf {"cmd": "set", "mode": "x"}', "bad_argument"),
                           ("@pf " + "x" * 5000, "line_too_long")):
            h.send(line + "\n")
            e = self.error()
            self.assertEqual(e["code"], code, line[:60])
            self.assertTrue(e["recoverable"])
        # Unseeded, so the random model may end at EOS within the 2 tokens: either way it generated.
        self.assertIn(self.generate(prompt="a", max_tokens=2)["reason"], ("max_tokens", "eos"))

    def test_in_host_mode_only_command_lines_are_read(self):
        # Line noise (bytes that are no @pf line, a stray prompt or /command) is ignored: no generation, no event.
        h = self.host()
        n = len(h.events())
        for line in ("\ufffd\ufffd\ufffd", "Once upon", "/models", "/load random-8k-f32", "  "):
            h.send(line + "\n")
            h.step(4)
        self.assertEqual(h.events()[n:], [])
        self.assertIsNone(h.app.gen)
        self.assertEqual(h.app.file, "random-1k-i8.safetensors")
        h.cmd(cmd="mem", req=1)
        h.run_until("memory", req=1)

    def test_unload_then_generate_and_unload_again(self):
        h = self.host()
        h.cmd(cmd="unload")
        self.assertEqual(h.run_until("unloaded")["file"], "random-1k-i8.safetensors")
        h.cmd(cmd="generate", prompt="a")
        self.assertEqual(self.error()["code"], "no_model")
        h.cmd(cmd="unload")
        self.assertEqual(self.error()["code"], "no_model")

    def test_a_failure_inside_generation_ends_it_with_an_error_and_the_runtime_goes_on(self):
        h = self.host()
        h.app.debug = False
        real = h.app.forward

        def broken(m, tok, pos, logits=True):
            raise ValueError("boom")

        h.app.forward = broken
        h.cmd(cmd="generate", prompt="a", max_tokens=3, req=21)
        e = self.error()
        self.assertEqual((e["code"], e["req"]), ("internal", 21))
        self.assertIn("boom", e["message"])
        self.assertEqual(h.run_until("done", req=21)["reason"], "error")
        h.app.forward = real
        # a normal generation afterwards (a fixed seed: with a random one it may meet end-of-text early)
        done = self.generate(prompt="a", max_tokens=3, seed=7)
        self.assertIn(done["reason"], ("max_tokens", "eos"))
        self.assertGreater(done["tokens"], 0)

    def test_bye_returns_to_human_mode(self):
        h = self.host()
        h.cmd(cmd="bye")
        h.step(2)
        h.clear()
        h.send("/tokens 2\n")
        h.step(2)
        self.assertIn("max_tokens 2", h.text())
        self.assertEqual(h.events(), [])


class UlabAppTest(AppTestCase):
    models = ("random-30k-i8",)

    def test_the_ulab_path_through_the_app(self):
        from test_golden import stand_in_numpy

        g = golden("random-30k-i8")[0]
        h = self.host(np=stand_in_numpy())
        self.assertTrue(h.events()[-1]["ulab"])
        self.assertEqual(h.app.model.tok.data.ndim, 2)  # the ulab path's view of the items
        for case in g["generations"][:4]:
            done = self.generate(prompt=case["prompt"], max_tokens=case["max_tokens"], temperature=case["temperature"],
                                 top_k=case["top_k"], seed=case["seed"])
            ids = [e["id"] for e in h.events() if e["ev"] == "token"][-done["tokens"]:] if done["tokens"] else []
            n = comparable_ids(case, 1e-4)[0]  # float32 arithmetic: test/board/README.md
            self.assertEqual(ids[:n], case["ids"][:n], case["prompt"])


class CtrlCTest(AppTestCase):
    def test_ctrl_c_stops_a_generation_and_ends_the_runtime_when_idle(self):
        h = self.host()
        h.cmd(cmd="generate", **LONG)
        h.run_until("token")
        h.send("\x03")
        self.assertEqual(h.run_until("done")["reason"], "stopped")
        h.step(2)
        self.assertFalse(h.app.interrupt())
        h.clear()
        h.send("\x03")
        with self.assertRaises(SystemExit):  # code.py ends quietly: the board's REPL follows, no traceback
            h.step()
        self.assertEqual(h.text(), "Picoformer stopped; Ctrl-D restarts it\n")
        # the runtime still works after that (main() would have ended; a host may call step() again)
        # Unseeded, so the random model may end at EOS within the 2 tokens: either way it generated.
        self.assertIn(self.generate(prompt="a", max_tokens=2)["reason"], ("max_tokens", "eos"))

    def test_interrupt_during_generation(self):
        h = self.host()
        h.cmd(cmd="generate", **LONG)
        h.run_until("token")
        self.assertTrue(h.app.interrupt())
        self.assertEqual(h.events()[-2 if h.events()[-1]["ev"] == "memory" else -1]["reason"], "stopped")


class MainLoopTest(AppTestCase):
    """main() as code.py runs it on a board: Ctrl-C raises KeyboardInterrupt wherever the runtime is."""

    def run_main(self, script):
        from picoformer.app import main

        out = []
        steps = iter(script)

        def source():  # one scripted action per read: text to deliver, or an exception to raise
            action = next(steps, None)
            if action is None:
                raise AssertionError("the runtime did not end when the script ran out")
            if isinstance(action, BaseException):
                raise action
            return action

        app = main(models_dir=self.dir, write=out.append, source=source, np=None, idle_ms=0)
        return app, "".join(out)

    def test_ctrl_c_while_idle_prints_one_line_and_returns(self):
        app, text = self.run_main([""] * 20 + [KeyboardInterrupt()])
        self.assertIsNotNone(app.model)  # start-up had finished: idle
        self.assertTrue(text.endswith("Picoformer stopped; Ctrl-D restarts it\n"), text[-200:])
        self.assertNotIn("Traceback", text)
        self.assertNotIn("KeyboardInterrupt", text)

    def test_ctrl_c_during_a_generation_stops_it_and_the_next_ends_the_runtime(self):
        app, text = self.run_main([""] * 20 + ["/tokens 400\r", "", "/seed 1\r", "", "Once upon\r", "", "", KeyboardInterrupt()]
                                  + [""] * 5 + [KeyboardInterrupt()])
        self.assertRegex(text, r"\[\d+ tokens, [0-9.]+ tok/s decode, stopped\]")
        self.assertTrue(text.endswith("Picoformer stopped; Ctrl-D restarts it\n"), text[-200:])

    def test_ctrl_c_byte_in_the_input_while_idle_ends_it_too(self):
        app, text = self.run_main([""] * 20 + ["\x03"])
        self.assertTrue(text.endswith("Picoformer stopped; Ctrl-D restarts it\n"), text[-200:])
class NothingOnTheDriveKillsTheRuntimeTest(AppTestCase):
    """Issue 12 §1: whatever a file does to the reader (a MemoryError, an unexpected exception), the runtime
    reports it, frees what it allocated and carries on: start-up lists the other models and loads one."""

    def setUp(self):
        super().setUp()
        # sorts first, so start-up reads it first
        shutil.copy(golden("random-1k-i8")[1], os.path.join(self.dir, "a-bad.safetensors"))
        import json as _json

        self.real_loads = _json.loads
        self.addCleanup(setattr, _json, "loads", self.real_loads)

    def fail_on(self, marker, exc):
        # json.loads raises exc for the bad file's header (its bytes carry the marker), as a board short of heap would
        import json as _json

        real = self.real_loads

        def loads(s, *a, **kw):
            if isinstance(s, (bytes, bytearray)) and marker in s:
                raise exc
            return real(s, *a, **kw)

        _json.loads = loads

    def mark_bad_file(self):
        from helpers import read_parts, write_raw

        hdr, data = read_parts(os.path.join(self.dir, "a-bad.safetensors"))
        hdr["__metadata__"]["name"] = "marked-bad"
        write_raw(os.path.join(self.dir, "a-bad.safetensors"), hdr, data)
        return b"marked-bad"

    def test_a_header_that_exhausts_the_heap_at_start_up(self):
        self.fail_on(self.mark_bad_file(), MemoryError())
        self.h = h = Harness(self.dir)
        h.app.debug = False
        h.settle()
        self.assertEqual(h.app.file, "random-1k-i8.safetensors")
        self.assertIn("a-bad.safetensors", h.text())
        self.assertIn("out_of_memory", h.text())
        h.cmd(cmd="list", req=2)
        ms = h.run_until("models", req=2)["models"]
        self.assertEqual([m.get("error", {}).get("code") for m in ms], ["out_of_memory", None, None])
        self.assertEqual(ms[1]["file"], "random-1k-i8.safetensors")
        self.assertTrue(ms[1]["loaded"])

    def test_any_exception_a_file_causes_is_reported_and_the_runtime_goes_on(self):
        self.fail_on(self.mark_bad_file(), RecursionError("maximum recursion depth exceeded"))
        self.h = h = Harness(self.dir)
        h.app.debug = False
        h.settle()
        self.assertEqual(h.app.file, "random-1k-i8.safetensors")
        h.cmd(cmd="load", name="a-bad", req=3)
        e = self.error(req=3)
        self.assertEqual(e["code"], "internal")
        self.assertIn("RecursionError", e["message"])
        self.assertEqual(h.app.file, "random-1k-i8.safetensors")  # refused before anything was freed

    def test_a_memory_error_outside_any_command_is_reported_and_the_runtime_goes_on(self):
        h = self.host()
        h.app.debug = False
        loaded = h.app.file
        real = h.app.console.src
        raised = []

        def src():
            if not raised:
                raised.append(1)
                raise MemoryError()
            return real()

        h.app.console.src = src
        h.step()  # the console read fails: the step must not
        self.assertEqual(self.error()["code"], "out_of_memory")
        h.cmd(cmd="mem", req=4)
        h.run_until("memory", req=4)
        self.assertEqual(h.app.file, loaded)


class HeapBudgetTest(AppTestCase):
    models = ("random-100k-i8", "random-1k-f32", "random-30k-i8")

    def setUp(self):
        super().setUp()
        os.rename(os.path.join(self.dir, "random-100k-i8.safetensors"), os.path.join(self.dir, "a-100k.safetensors"))

    def estimates(self, name):
        from picoformer import catalog, header

        return catalog.estimates(header.read(golden(name)[1]), False)

    def test_a_model_too_big_is_refused_and_the_next_one_loads(self):
        from picoformer.memest import MARGIN

        limit = self.estimates("random-1k-f32")[0] + MARGIN + 1000
        self.assertGreater(self.estimates("random-100k-i8")[1] + MARGIN, limit)
        self.h = h = Harness(self.dir, heap_limit=limit)
        h.step()  # ready
        h.cmd(cmd="hello")  # answered at once, even while start-up goes on
        h.run_until("ready", host=True)
        e = h.run_until("error")
        self.assertEqual(e["code"], "too_big")
        self.assertIn("a-100k", e["message"])
        loaded = h.run_until("loaded")
        self.assertEqual(loaded["file"], "random-1k-f32.safetensors")
        h.cmd(cmd="list")
        ms = {m["file"]: m for m in h.run_until("models")["models"]}
        self.assertFalse(ms["a-100k.safetensors"]["fits"])
        self.assertIsNone(ms["a-100k.safetensors"]["mode"])

    def test_the_estimate_picks_streamed_when_resident_does_not_fit_and_a_forced_mode_is_checked(self):
        from picoformer.memest import MARGIN

        er, es = self.estimates("random-30k-i8")
        self.assertGreater(er, es)
        limit = (er + es) // 2 + MARGIN
        self.h = h = Harness(self.dir, heap_limit=limit, autoload=False)
        h.cmd(cmd="hello")
        h.cmd(cmd="load", name="random-30k-i8")
        self.assertEqual(h.run_until("loaded")["mode"], "streamed")
        h.cmd(cmd="load", name="random-30k-i8", mode="resident")
        e = self.error()
        self.assertEqual(e["code"], "too_big")
        self.assertEqual(h.app.file, "random-30k-i8.safetensors")  # decided before freeing anything: kept
        h.cmd(cmd="load", name="random-30k-i8")
        self.assertEqual(h.run_until("loaded")["mode"], "streamed")
        self.assertEqual(self.generate(prompt="a", max_tokens=3)["tokens"], 3)

    def test_a_refused_load_keeps_the_current_model_and_gives_the_numbers_the_list_gave(self):
        from picoformer.memest import MARGIN

        limit = self.estimates("random-30k-i8")[1] + MARGIN
        self.h = h = Harness(self.dir, heap_limit=limit, autoload=False)
        h.cmd(cmd="hello")
        h.cmd(cmd="load", name="random-30k-i8")
        h.run_until("loaded")
        model = h.app.model
        h.cmd(cmd="list", req="l")
        listed = h.run_until("models", req="l")
        big = {m["file"]: m for m in listed["models"]}["a-100k.safetensors"]
        self.assertEqual((big["fits"], big["mode"]), (False, None))
        h.clear()
        h.cmd(cmd="load", name="a-100k", req="b")
        e = self.error(req="b")
        self.assertEqual(e["code"], "too_big")
        self.assertEqual(e["available"], listed["mem_available"])  # the figure the list judged by
        self.assertEqual(e["needed"], big["estimate"]["streamed"] + MARGIN)
        self.assertIn("random-30k-i8.safetensors stays loaded", e["message"])
        self.assertIs(h.app.model, model)
        self.assertEqual([x["ev"] for x in h.events()], ["error"])  # no unloaded
        self.assertEqual(self.generate(prompt="a", max_tokens=2)["tokens"], 2)

    def test_the_list_beside_a_loaded_model_reads_no_header_of_it_and_survives_running_out_of_memory(self):
        # On the firmware a large model can leave no room to parse headers beside it (test/firmware/
        # listBesideModel.test.ts): the loaded model's entry comes from its load, another file's MemoryError
        # becomes that file's error entry, and the list answers.
        from picoformer import app as app_module
        from picoformer import header

        transient = app_module._TRANSIENT
        app_module._TRANSIENT = tuple(n for n in transient if n != "header")  # keep the patched module
        real = header.read
        reads = []

        def read(path):
            reads.append(path.rsplit("/", 1)[-1])
            if "a-100k" in path and h.app.model is not None:
                raise MemoryError
            return real(path)

        header.read = read
        try:
            self.h = h = Harness(self.dir, autoload=False)
            h.cmd(cmd="hello")
            h.cmd(cmd="load", name="random-30k-i8", req=1)
            h.run_until("loaded", req=1)
            del reads[:]
            h.cmd(cmd="list", req=2)
            ms = {m["file"]: m for m in h.run_until("models", req=2)["models"]}
            self.assertNotIn("random-30k-i8.safetensors", reads)
            loaded = ms["random-30k-i8.safetensors"]
            self.assertTrue(loaded["loaded"])
            self.assertEqual(loaded["estimate"], dict(zip(("resident", "streamed"), self.estimates("random-30k-i8"))))
            self.assertEqual(loaded["size"], os.path.getsize(os.path.join(self.dir, "random-30k-i8.safetensors")))
            self.assertEqual((loaded["params"], loaded["context_length"], loaded["mode"]), (h.app.model.params, h.app.model.ctx, "resident"))
            self.assertEqual(ms["a-100k.safetensors"]["error"]["code"], "out_of_memory")
            self.assertIn("random-1k-f32.safetensors", reads)
            self.assertNotIn("error", ms["random-1k-f32.safetensors"])
            # unloaded: its header is read again like any other
            h.cmd(cmd="unload", req=3)
            h.run_until("unloaded", req=3)
            h.cmd(cmd="list", req=4)
            h.run_until("models", req=4)
            self.assertIn("random-30k-i8.safetensors", reads)
        finally:
            header.read = real
            app_module._TRANSIENT = transient

    def test_a_bad_file_keeps_the_current_model(self):
        self.h = h = Harness(self.dir, autoload=False)
        h.cmd(cmd="hello")
        h.cmd(cmd="load", name="random-1k-f32")
        h.run_until("loaded")
        with open(os.path.join(self.dir, "broken.safetensors"), "wb") as f:
            f.write(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}      ")
        h.clear()
        h.cmd(cmd="load", name="broken")
        self.assertEqual(self.error()["code"], "header_json")
        self.assertEqual(h.app.file, "random-1k-f32.safetensors")
        self.assertNotIn("unloaded", [x["ev"] for x in h.events()])

    def test_a_load_failing_after_the_old_model_was_freed_says_so(self):
        # NaN in a norm: only found while reading the data, after the decision freed the old model
        from helpers import tensors_of, write_model

        ts, meta = tensors_of(golden("random-1k-f32")[1])
        ts = [(n, dt, sh, b"\x00\x00\xc0\x7f" + raw[4:] if n == "final_norm" else raw) for n, dt, sh, raw in ts]
        write_model(os.path.join(self.dir, "nan.safetensors"), ts, meta)
        self.h = h = Harness(self.dir, autoload=False)
        h.cmd(cmd="hello")
        h.cmd(cmd="load", name="random-30k-i8")
        h.run_until("loaded")
        h.clear()
        h.cmd(cmd="load", name="nan", req=5)
        self.assertEqual(h.run_until("unloaded", req=5)["file"], "random-30k-i8.safetensors")
        e = self.error(req=5)
        self.assertEqual(e["code"], "non_finite")
        self.assertIn("random-30k-i8.safetensors was unloaded", e["message"])
        self.assertIsNone(h.app.model)
        h.cmd(cmd="info")
        self.assertIsNone(h.run_until("info")["model"])

    def test_a_resident_load_out_of_memory_falls_back_to_streamed_and_says_so(self):
        # The firmware's heap can refuse what the estimate allowed (test/firmware/outOfMemory.test.ts): the load
        # drops what it allocated and tries streamed when the decision allows it, and reports the fallback.
        from picoformer import app as app_module
        from picoformer import loader

        # the loader stays imported between steps (else each load imports a fresh, unpatched copy)
        transient = app_module._TRANSIENT
        app_module._TRANSIENT = tuple(n for n in transient if n != "loader")
        real = loader._new
        tried = []

        def resident_fails(tc, n, np):
            if tried[-1] == "resident" and tc == "b" and n > 1024:  # a weight matrix (stream buffers: 1 KB)
                raise MemoryError
            return real(tc, n, np)

        real_load = loader._load

        def tracking(h, mode, np, progress):
            tried.append(mode)
            return real_load(h, mode, np, progress)

        loader._new, loader._load = resident_fails, tracking
        try:
            self.h = h = Harness(self.dir, autoload=False)
            h.cmd(cmd="hello")
            h.cmd(cmd="load", name="random-30k-i8", req=1)
            loaded = h.run_until("loaded", req=1)
            self.assertEqual(tried, ["resident", "streamed"])
            self.assertEqual(loaded["mode"], "streamed")
            self.assertEqual(loaded["fallback"], {"from": "resident", "code": "out_of_memory"})
            self.assertEqual(loaded["estimate"], self.estimates("random-30k-i8")[1])
            # the resident attempt failed allocating, before any progress: progress is the streamed load's
            self.assertEqual([e["mode"] for e in h.events() if e["ev"] == "load" and e["done"] == 0], ["streamed"])
            self.assertEqual(self.generate(prompt="a", max_tokens=2)["tokens"], 2)
            # forced: no fallback, a clean out_of_memory
            del tried[:]
            h.cmd(cmd="load", name="random-30k-i8", mode="resident", req=2)
            e = self.error(req=2)
            self.assertEqual(tried, ["resident"])
            self.assertEqual(e["code"], "out_of_memory")
            self.assertIn("random-30k-i8.safetensors was unloaded", e["message"])
            self.assertIsNone(h.app.model)
            # a person sees it too
            h.cmd(cmd="bye")
            h.send("/load random-30k-i8\n")
            for _ in range(50):
                if "(/help for commands)" in h.text():  # the end of the loaded line
                    break
                h.step()
            self.assertIn("resident ran out of memory; loaded streamed instead.", h.text())
            h.cmd(cmd="hello")
            h.run_until("ready", host=True)
            # an ordinary load reports no fallback
            loader._new = real
            h.cmd(cmd="load", name="random-1k-f32", req=3)
            self.assertIsNone(h.run_until("loaded", req=3)["fallback"])
        finally:
            loader._new, loader._load = real, real_load
            app_module._TRANSIENT = transient

    def test_loading_a_second_model_frees_the_first(self):
        self.h = h = Harness(self.dir, autoload=False)
        h.cmd(cmd="hello")
        h.cmd(cmd="load", name="random-30k-i8")
        h.run_until("loaded")
        first = weakref.ref(h.app.model)
        kv = weakref.ref(h.app.model.kc[0])
        h.cmd(cmd="load", name="random-1k-f32")
        evs = [h.run_until("unloaded"), h.run_until("loaded")]
        gc.collect()
        self.assertIsNone(first())
        self.assertIsNone(kv())
        self.assertEqual(evs[0]["file"], "random-30k-i8.safetensors")


class ResidentModulesTest(AppTestCase):
    models = ("random-1k-i8", "random-1k-f16")

    def test_f16_is_imported_only_for_a_model_with_f16_tensors(self):
        import sys

        sys.modules.pop("picoformer.f16", None)
        self.h = h = Harness(self.dir, autoload=False)
        h.cmd(cmd="hello")
        h.cmd(cmd="load", name="random-1k-i8")
        h.run_until("loaded")
        self.assertNotIn("picoformer.f16", sys.modules)
        h.cmd(cmd="load", name="random-1k-f16", mode="streamed")
        h.run_until("loaded")
        self.assertIn("picoformer.f16", sys.modules)

    def test_ready_says_which_bytecode_the_board_imports(self):
        h = self.host()
        h.cmd(cmd="hello", req=1)
        self.assertIsNone(h.run_until("ready", req=1)["mpy"])  # CPython has no sys.implementation._mpy


class HumanModeTest(AppTestCase):
    def test_a_person_types_a_prompt_and_commands(self):
        self.h = h = Harness(self.dir)
        h.step(8)
        h.clear()
        for ch in "/tokens 4\r":
            h.send(ch)
            h.step()
        self.assertIn("/tokens 4\r\n", h.text())  # echoed as typed
        self.assertIn("max_tokens 4", h.text())
        h.clear()
        h.send("/temp 0\r")
        h.step(2)
        h.clear()
        h.send("hellp\x7fo\r")  # a backspace
        h.step(12)
        self.assertIn("hellp\b \bo\r\n", h.text())
        self.assertIn("[4 tokens", h.text())
        self.assertEqual(h.events(), [])
        h.clear()
        h.send("/bogus\r/load nothing\r/load\r/seed x\r")
        h.step(6)
        t = h.text()
        for code in ("unknown_command", "not_found", "bad_argument"):
            self.assertIn("Error (%s)" % code, t)

    def test_past_the_context_the_summary_says_how_often_it_was_refilled_and_context_stop_asks_to_stop(self):
        self.h = h = Harness(self.dir)  # random-1k-i8 loads first: context 24, so 60 tokens refill it
        h.step(8)
        ctx = h.app.model.ctx
        h.send("/tokens 60\r/temp 0\r")
        h.step(4)

        def typed_prompt_summary():
            h.clear()
            h.send("a\r")
            for _ in range(400):
                h.step()
                if "tok/s" in h.text():
                    return h.text()
            self.fail("no summary line")

        self.assertRegex(typed_prompt_summary(), r"\[60 tokens, [\d.]+ tok/s decode, max_tokens, context refilled \d+ times\]")
        h.clear()
        h.send("/context stop\r")
        h.step(2)
        self.assertIn("at a full context stop", h.text())
        self.assertRegex(typed_prompt_summary(), r"\[%d tokens, [\d.]+ tok/s decode, context\]" % (ctx - 2))
        h.send("/context sometimes\r")
        h.step(2)
        self.assertIn("Error (bad_argument): usage: /context stop|refill", h.text())

    def test_a_command_line_is_not_echoed_and_switches_to_host_mode(self):
        self.h = h = Harness(self.dir)
        h.step(8)
        h.clear()
        h.send('@pf {"cmd": "info"}\r\n')
        h.step()
        self.assertTrue(h.text().startswith("@pf {"), h.text())
        self.assertEqual(h.events()[0]["ev"], "info")


if __name__ == "__main__":
    unittest.main()
