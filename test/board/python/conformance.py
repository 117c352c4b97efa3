# The board's side of the conformance corpus (test/board/conformance/): for each file of a corpus folder, the
# board reader's verdict through the running runtime, as a host sees it: the file alone in the models folder,
# `list` (the header check: the file's entry or its error code), a resident `load` when the list took it (every
# weight checked), then `mem` answered (the runtime is still there); hung when an answer does not come within a
# bounded number of steps (and, per file, a few seconds of wall time). test_conformance.py compares the verdicts
# with the TypeScript reader's (manifest.json); `npm run fuzz` runs this file as a script:
#   python3 test/board/python/conformance.py CORPUS_DIR  ->  one JSON object per file on stdout
import json
import os
import shutil
import signal
import sys
import tempfile

import helpers  # noqa: F401 (puts board/lib on sys.path)
from picoformer.app import App

STEPS = 400  # steps a command may take to be answered (a load of these tiny models takes four or five)
SECONDS = 10  # wall time per file before it counts as hung


class _Hung(Exception):
    pass


class Board:
    """One runtime for a whole corpus, as a board keeps running while files come and go on its drive."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="pf-conf-")
        self.input = []
        self.out = []
        self.new()

    def new(self):
        self.app = App(models_dir=self.tmp, write=self.out.append, source=self._read, np=None, idle_ms=0,
                       autoload=False)
        self.step(3)  # ready, then the (empty) list

    def _read(self):
        s = "".join(self.input)
        self.input.clear()
        return s

    def step(self, n=1):
        for _ in range(n):
            self.app.step()

    def ask(self, cmd, want):
        """Sends a command; the first event named in want (after it) or raises _Hung."""
        self.out.clear()
        self.input.append("@pf " + json.dumps(cmd) + "\n")
        for _ in range(STEPS):
            self.app.step()
            for line in "".join(self.out).replace("\r", "").split("\n"):
                if line.startswith("@pf "):
                    e = json.loads(line[4:])
                    if e["ev"] in want:
                        return e
        raise _Hung("no %s after %s" % ("/".join(want), cmd["cmd"]))

    def judge(self, path):
        """{"list": code|"ok", "load": code|"ok"|None, "answers": bool, "crash": text|None}"""
        for n in os.listdir(self.tmp):
            os.remove(os.path.join(self.tmp, n))
        shutil.copy(path, os.path.join(self.tmp, "m.safetensors"))
        r = {"list": None, "load": None, "answers": False, "crash": None}
        try:
            if self.app.out.host is False:
                self.ask({"cmd": "hello"}, ("ready",))
            e = self.ask({"cmd": "list"}, ("models", "error"))
            if e["ev"] == "error":
                r["list"] = e["code"]
            else:
                m = e["models"][0]
                r["list"] = m["error"]["code"] if "error" in m else "ok"
            if r["list"] == "ok":
                e = self.ask({"cmd": "load", "name": "m", "mode": "resident"}, ("loaded", "error"))
                r["load"] = "ok" if e["ev"] == "loaded" else e["code"]
            r["answers"] = self.ask({"cmd": "mem", "req": 1}, ("memory",))["req"] == 1
            if self.app.model is not None:
                self.ask({"cmd": "unload"}, ("unloaded",))
        except _Hung as x:
            r["crash"] = "hung: %s" % x
        except Exception as x:  # the runtime let something escape its step: that is a crash
            r["crash"] = "%s: %s" % (type(x).__name__, x)
        if r["crash"] or not r["answers"]:
            self.new()  # a fresh runtime for the next file, as a board would restart
        for k in ("list", "load"):
            if r[k] == "internal":
                r["crash"] = r["crash"] or "internal error event"
        return r

    def close(self):
        if self.app.model is not None:
            self.app.model.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _alarm(signum, frame):
    raise _Hung("more than %d s" % SECONDS)


def run(folder, names):
    """[(name, verdict)] for the files of folder named in names."""
    board = Board()
    use_alarm = hasattr(signal, "SIGALRM")
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
    out = []
    try:
        for name in names:
            if use_alarm:
                signal.alarm(SECONDS)
            try:
                r = board.judge(os.path.join(folder, name))
            except _Hung as x:
                r = {"list": None, "load": None, "answers": False, "crash": "hung: %s" % x}
                board.new()
            finally:
                if use_alarm:
                    signal.alarm(0)
            out.append((name, r))
    finally:
        board.close()
    return out


if __name__ == "__main__":
    folder = sys.argv[1]
    with open(os.path.join(folder, "manifest.json")) as f:
        files = [e["file"] for e in json.load(f)["files"]]
    for name, r in run(folder, files):
        r["file"] = name
        print(json.dumps(r), flush=True)
