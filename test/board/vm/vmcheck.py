# Runs inside the MicroPython VM (copied to /lib by the tests): compares the runtime's logits with a golden JSON
# (test/golden/README.md), one forward pass per call so the VM can collect garbage between calls.
import json

from picoformer import fwd_py, header, loader

_s = None


def start(golden_path, model_path, mode, names):
    """Loads the model; names: which golden sequences to check."""
    global _s
    with open(golden_path) as f:
        g = json.load(f)
    seqs = [(s["tokens"], dict(zip(s["positions"], s["logits"]))) for s in g["sequences"] if s["name"] in names]
    g = None
    _s = {"m": loader.load(header.read(model_path), mode), "seqs": seqs, "i": 0, "pos": 0, "worst": 0.0, "n": 0}


def step():
    """One forward pass; False when every sequence is done."""
    s = _s
    if s["i"] >= len(s["seqs"]):
        return False
    tokens, want = s["seqs"][s["i"]]
    p = s["pos"]
    lg = fwd_py.forward(s["m"], tokens[p], p)
    if p in want:
        for a, b in zip(lg, want[p]):
            e = abs(a - b) / max(1.0, abs(b))
            if e > s["worst"]:
                s["worst"] = e
        s["n"] += 1
    s["pos"] = p + 1
    if s["pos"] >= len(tokens):
        s["i"] += 1
        s["pos"] = 0
    return True


def result():
    """(worst relative error, positions compared)."""
    s = _s
    s["m"].close()
    return [s["worst"], s["n"]]
