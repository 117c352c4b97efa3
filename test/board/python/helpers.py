# Shared helpers for the board-runtime tests under CPython: paths, golden vectors (test/golden/README.md), a
# safetensors writer for broken files, the golden comparison rules, and an App harness with fake console I/O.
import json
import os
import struct
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "board", "lib"))

GOLDEN = os.environ.get("PICOFORMER_GOLDEN", os.path.join(REPO, "build", "golden"))
BOARD_GOLDEN = os.environ.get("PICOFORMER_BOARD_GOLDEN", os.path.join(REPO, "build", "golden-board"))

# Logit tolerance (test/board/README.md): |got - want| <= TOL * max(1, |want|)
TOL_F64 = 1e-5  # CPython floats: only the 9-digit printing and float32 storage differ from the reference
TOL_F32 = 1e-3  # ulab path: float32 arithmetic throughout


def slurp(path):
    with open(path, "rb") as f:
        return f.read()


def spit(path, data):
    with open(path, "wb") as f:
        f.write(data)


def load_json(path):
    with open(path) as f:
        return json.load(f)


def golden_models(folder=GOLDEN):
    """[(json dict, model path)] of a golden folder; skips the test when the vectors were not generated."""
    idx = os.path.join(folder, "index.json")
    if not os.path.exists(idx):
        raise unittest.SkipTest("no golden vectors in %s: run npm run test:board (it generates them)" % folder)
    out = []
    for e in load_json(idx)["models"]:
        g = load_json(os.path.join(folder, e["json"]))
        out.append((g, os.path.join(folder, g["model_file"])))
    return out


def golden(name):
    for folder in (GOLDEN, BOARD_GOLDEN):
        for g, path in golden_models(folder) if os.path.exists(os.path.join(folder, "index.json")) else []:
            if g["name"] == name:
                return g, path
    raise unittest.SkipTest("golden model %s not generated" % name)


def worst_logit_error(forward, m, g):
    """Largest |got - want| / max(1, |want|) over the stored logits of every golden sequence."""
    worst = 0.0
    for s in g["sequences"]:
        want = dict(zip(s["positions"], s["logits"]))
        for p, tok in enumerate(s["tokens"]):
            lg = forward(m, tok, p)
            if p in want:
                for a, b in zip(lg, want[p]):
                    e = abs(a - b) / max(1.0, abs(b))
                    if e > worst:
                        worst = e
    return worst


def comparable_ids(case, err):
    """How many generated ids must match: up to and including the first choice whose margin is below 10 * err /
    temperature (greedy: 10 * err), as test/golden/README.md says; and whether the stop reason must match too."""
    t = case["temperature"]
    thr = 10 * err / (t if t > 0 else 1.0)
    for i, m in enumerate(case["margins"]):
        if m < thr:
            return i + 1, False
    return len(case["ids"]), True


def run_generation(m, forward, case):
    from picoformer.gen import Gen

    g = Gen(m, forward, case["prompt"], case["max_tokens"], case["temperature"], case["top_k"], case["seed"],
            case.get("stop_at_context", False))
    ids = []
    while g.reason is None:
        t = g.step()
        if t >= 0:
            ids.append(t)
    return g, ids


# ----- writing model files, valid or not


def read_parts(path):
    """(header dict, data bytes) of a safetensors file."""
    b = slurp(path)
    n = struct.unpack("<Q", b[:8])[0]
    return json.loads(b[8:8 + n]), b[8 + n:]


def write_raw(path, header, data, hlen=None):
    """Writes header (dict or raw bytes) + data; hlen overrides the 8-byte length field."""
    h = header if isinstance(header, bytes) else json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    spit(path, struct.pack("<Q", len(h) if hlen is None else hlen) + h + data)


def tensors_of(path):
    """[(name, dtype, shape, bytes)] in file order, and the metadata dict."""
    hdr, data = read_parts(path)
    meta = hdr.pop("__metadata__")
    ts = sorted(hdr.items(), key=lambda kv: kv[1]["data_offsets"][0])
    return [(k, v["dtype"], v["shape"], data[v["data_offsets"][0]:v["data_offsets"][1]]) for k, v in ts], meta


def write_model(path, tensors, meta):
    """Writes tensors [(name, dtype, shape, bytes)] back to back with fresh offsets."""
    hdr = {"__metadata__": meta}
    data = b""
    for name, dt, shape, raw in tensors:
        hdr[name] = {"dtype": dt, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    write_raw(path, hdr, data)


class TempDir:
    def __init__(self):
        self.t = tempfile.TemporaryDirectory()
        self.path = self.t.name

    def file(self, name):
        return os.path.join(self.path, name)

    def cleanup(self):
        self.t.cleanup()


# ----- the App with a fake console


class Harness:
    """Runs App steps with scripted console input; collects the raw output and parses event lines."""

    def __init__(self, models_dir, **kw):
        from picoformer.app import App

        self.input = []
        self.chunks = []
        self.cursor = 0  # events before this one were consumed by run_until
        kw.setdefault("np", None)
        kw.setdefault("idle_ms", 0)
        self.app = App(models_dir=models_dir, write=self.chunks.append, source=self._read, **kw)
        self.app.debug = True

    def _read(self):
        s = "".join(self.input)
        self.input.clear()
        return s

    def send(self, s):
        self.input.append(s)

    def cmd(self, **d):
        self.send("@pf " + json.dumps(d) + "\n")

    def step(self, n=1):
        for _ in range(n):
            self.app.step()

    def run_until(self, ev, limit=2000, **match):
        """Steps until an event named ev (with the given field values) follows the last one this returned."""
        for _ in range(limit):
            evs = self.events()
            for i in range(self.cursor, len(evs)):
                e = evs[i]
                if e["ev"] == ev and all(e.get(k) == v for k, v in match.items()):
                    self.cursor = i + 1
                    return e
            self.app.step()
        raise AssertionError("no %s event after %d steps; output:\n%s" % (ev, limit, self.text()[-2000:]))

    def settle(self, limit=100):
        """Steps until start-up (ready, list, autoload) and any multi-step load have finished."""
        for _ in range(limit):
            if self.app.booted and self.app.next is None:
                return
            self.app.step()
        raise AssertionError("the runtime did not settle")

    def text(self):
        return "".join(self.chunks)

    def events(self):
        out = []
        for line in self.text().replace("\r", "").split("\n"):
            if line.startswith("@pf "):
                out.append(json.loads(line[4:]))
        return out

    def clear(self):
        self.chunks.clear()
        self.cursor = 0
