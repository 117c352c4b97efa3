"""An independent check of the golden vectors: docs/format.md re-implemented in numpy (float64 arithmetic with every
stored vector rounded to float32 as the format says, whole sequences at once, no incremental cache) and in plain Python (tokenizer, xorshift32, sampling, generation loop), compared with what the
TypeScript reference wrote. Needs the vectors first: `npx tsx scripts/golden.ts`.

    python3 test/golden/check_numpy_reference.py        (PICOFORMER_GOLDEN=<dir> to use another folder)
"""
import json
import os
import struct
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.environ.get("PICOFORMER_GOLDEN", os.path.join(HERE, "..", "..", "build", "golden"))
DTYPES = {"F32": "<f4", "F16": "<f2", "I8": "i1"}


def load(path):
    """(config, vocab, float64 weights) from a picoformer/1 safetensors file, int8 dequantized per row."""
    with open(path, "rb") as f:
        b = f.read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8 : 8 + n])
    meta = header.pop("__metadata__")
    data = b[8 + n :]
    raw = {}
    for name, e in header.items():
        s, t = e["data_offsets"]
        raw[name] = np.frombuffer(data[s:t], dtype=DTYPES[e["dtype"]]).reshape(e["shape"]).astype(np.float64)
    weights = {k: (v * raw[k + ".scale"][:, None] if k + ".scale" in raw else v) for k, v in raw.items() if not k.endswith(".scale")}
    return json.loads(meta["config"]), json.loads(meta["vocab"]), weights


def f32(a):
    """Rounded to float32 and back: the reference stores every vector as float32 (docs/format.md)."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def norm(cfg, x, w):
    eps = cfg["norm_eps"]
    if cfg["norm"] == "rmsnorm":
        return f32(x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w)
    m = x.mean(-1, keepdims=True)
    return f32((x - m) / np.sqrt(((x - m) ** 2).mean(-1, keepdims=True) + eps) * w)


def act(cfg, z):
    if cfg["activation"] == "silu":
        return f32(z / (1 + np.exp(-z)))
    if cfg["activation"] == "gelu":
        return f32(0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))))
    return np.maximum(z, 0)


def quantize_rows(a):
    """The int8 KV cache (docs/format.md "KV cache"): per row s = float32(max|row| / 127), q = floor(row / s + 0.5);
    rows whose s is below 2^-126 are zeros with scale 0. Returns (q, s)."""
    s = f32(np.abs(a).max(1) / 127)
    s[s < 2.0**-126] = 0
    q = np.floor(a / np.where(s > 0, s, 1)[:, None] + 0.5) * (s > 0)[:, None]
    assert np.abs(q).max() <= 127
    return q, s


def attend(q, k, v, ks=None, vs=None):
    """Causal attention of every position for one head, (T, hd) each: k and v float32 values, or int8 items with
    one scale per position (ks, vs) applied in the reference's order (the dot, times the scale, over root; the
    exponentials times the value scales, stored as float32)."""
    t, hd = q.shape
    mask = np.triu(np.full((t, t), -np.inf), 1)
    root = np.sqrt(hd)
    s = f32(q @ k.T / root if ks is None else q @ k.T * ks[None, :] / root) + mask
    e = f32(np.exp(s - s.max(1, keepdims=True)))
    total = e.sum(1, keepdims=True)
    if vs is not None:
        e = f32(e * vs[None, :])
    return f32((e @ v) / total)


def logits(cfg, w, tokens):
    """Logits after every position of `tokens`, (T, vocab), every vector stored as float32 as the reference does."""
    t, heads, dim = len(tokens), cfg["n_heads"], cfg["dim"]
    hd = dim // heads
    x = f32(w["tok_emb"][tokens])
    if cfg["positional"] == "learned":
        x = f32(x + f32(w["pos_emb"][:t]))
    for i in range(cfg["n_layers"]):
        p = "layers.%d." % i
        h = norm(cfg, x, w[p + "attn_norm"])
        q, k, v = f32(h @ w[p + "wq"].T), f32(h @ w[p + "wk"].T), f32(h @ w[p + "wv"].T)
        ks = vs = None
        if cfg.get("kv_cache", "float32") == "int8":  # whole vectors quantized, each head reads its slice
            (k, ks), (v, vs) = quantize_rows(k), quantize_rows(v)
        o = np.zeros_like(x)
        for j in range(heads):
            sl = slice(j * hd, (j + 1) * hd)
            o[:, sl] = attend(q[:, sl], k[:, sl], v[:, sl], ks, vs)
        x = f32(x + f32(o @ w[p + "wo"].T))
        x = f32(x + f32(act(cfg, f32(norm(cfg, x, w[p + "ffn_norm"]) @ w[p + "w1"].T)) @ w[p + "w2"].T))
    return f32(norm(cfg, x, w["final_norm"]) @ (w["tok_emb"] if cfg["tied_embeddings"] else w["lm_head"]).T)


def encode(cfg, vocab, text):
    if cfg["lowercase"]:
        text = "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)
    special = set(cfg["special_ids"])
    ids = {t: i for i, t in enumerate(vocab) if i not in special}
    longest = max(len(t) for t in ids)
    out, unknown, i = [], 0, 0
    while i < len(text):
        for n in range(min(longest, len(text) - i), 0, -1):
            if text[i : i + n] in ids:
                out.append(ids[text[i : i + n]])
                i += n
                break
        else:
            out.append(cfg["unk_id"])
            unknown += 1
            i += 1
    return out, unknown


class Rng:
    def __init__(self, seed):
        # the seed mixed by one splitmix32 output, never a zero state
        z = ((seed & 0xFFFFFFFF) + 0x9E3779B9) & 0xFFFFFFFF
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & 0xFFFFFFFF
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & 0xFFFFFFFF
        self.x = (z ^ (z >> 16)) or 0x9E3779B9

    def uniform(self):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return (x >> 8) / 16777216


def sample(z, temperature, top_k, rng):
    if temperature <= 0:
        return int(np.argmax(z))
    z = z / temperature
    n = len(z)
    kept = sorted(sorted(range(n), key=lambda i: (-z[i], i))[:top_k]) if 0 < top_k < n else list(range(n))
    top = max(z[i] for i in kept)
    p = [np.exp(z[i] - top) for i in kept]
    r, acc = rng.uniform() * sum(p), 0.0
    for i, pi in zip(kept, p):
        acc += pi
        if acc > r:
            return i
    return kept[-1]


def generate(cfg, vocab, w, case):
    """(prompt sequence, unknown, new ids, stop reason, refills). Past a full context the window becomes BOS and its
    newest tokens, 3/8 of the context with the new one last (at least BOS and it); with stop_at_context, or when
    that cannot fit, generation stops there."""
    ids, unknown = encode(cfg, vocab, case["prompt"])
    bos = [] if cfg["bos_id"] is None else [cfg["bos_id"]]
    ctx = cfg["context_length"]
    room = max(0, ctx - 1 - len(bos))
    seq = bos + ids[max(0, len(ids) - room) :]
    keep = max(len(bos) + 1, ctx * 3 // 8)
    slides = not case.get("stop_at_context", False) and keep <= ctx
    window, rng, out, refills = list(seq), Rng(case["seed"]), [], 0
    while True:
        if len(out) >= case["max_tokens"]:
            return seq, unknown, out, "max_tokens", refills
        if len(window) >= ctx and not slides:
            return seq, unknown, out, "context", refills
        tok = sample(logits(cfg, w, window)[-1], case["temperature"], case["top_k"], rng)
        if tok == cfg["eos_id"]:
            return seq, unknown, out, "eos", refills
        out.append(tok)
        if len(out) == case["max_tokens"]:
            continue  # the last token is never fed
        if len(window) < ctx:
            window.append(tok)
        else:
            recent = keep - 1 - len(bos)
            window = bos + (window[len(window) - recent :] if recent else []) + [tok]
            refills += 1


def models():
    path = os.path.join(GOLDEN, "index.json")
    if not os.path.exists(path):
        raise unittest.SkipTest("no golden vectors in %s: run `npx tsx scripts/golden.ts` first" % GOLDEN)
    with open(path) as f:
        index = json.load(f)
    for m in index["models"]:
        with open(os.path.join(GOLDEN, m["json"])) as f:
            yield json.load(f), load(os.path.join(GOLDEN, m["model_file"]))


class GoldenAgainstNumpy(unittest.TestCase):
    def test_logits(self):
        for golden, (cfg, _, w) in models():
            for s in golden["sequences"]:
                got = logits(cfg, w, s["tokens"])
                worst = max(np.abs(got[p] - np.array(want)).max() for p, want in zip(s["positions"], s["logits"]))
                self.assertLess(worst, 1e-6, "%s %s" % (golden["name"], s["name"]))

    def test_tokenizer(self):
        for golden, (cfg, vocab, _) in models():
            special = set(cfg["special_ids"])
            for case in golden["tokenizer_cases"]:
                # Python slices by code point where JS slices by UTF-16 unit; both give these answers.
                self.assertEqual(list(encode(cfg, vocab, case["text"])), [case["ids"], case["unknown"]], golden["name"])
                self.assertEqual("".join("" if i in special else vocab[i] for i in case["ids"]), case["decoded"])

    def test_generations(self):
        for golden, (cfg, vocab, w) in models():
            for case in golden["generations"]:
                seq, unknown, ids, reason, refills = generate(cfg, vocab, w, case)
                what = "%s %r seed %s" % (golden["name"], case["prompt"][:20], case["seed"])
                self.assertEqual(seq, case["prompt_ids"], what)
                self.assertEqual(unknown, case["unknown"], what)
                self.assertEqual((ids, reason, refills), (case["ids"], case["stop_reason"], case["refills"]), what)


if __name__ == "__main__":
    unittest.main()
