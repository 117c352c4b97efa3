#!/usr/bin/python3
"""The TypeScript trainer's computation (src/train/) in plain PyTorch on the CPU, for bench/train.ts's side-by-side.

Same model (network.ts: pre-norm blocks, causal multi-head attention with heads side by side in `dim`, tied or
separate output layer), same initial distributions (init.ts; torch's RNG, so not the same numbers), same AdamW with
decay only on the non-embedding matrices (paramLayout.ts), same warm-up + cosine schedule (schedule.ts), global-norm
clipping, batches of `batch` windows of the context length (BOS + stream tokens, data.ts) drawn half at document
starts and half anywhere, and validation on the windows the TypeScript run uses, excluded from the timing.
Differences: float32 throughout (the TS trainer keeps activations, gradients and moments in float64) and the batch
in one pass (TS runs window by window).

Usage: /usr/bin/python3 bench/train_torch.py SPEC.json [--threads N]
SPEC (written by bench/train.ts): {"config": ModelConfig, "settings": TrainSettings, "trainTokens": path,
"trainDocStarts": path, "valTokens": path, "valStarts": [int]}; the paths hold little-endian int32.
Prints one JSON object per line: "prepared", one "eval" per validation, then "done".
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

EMBEDDING_STD = 0.1  # init.ts EmbeddingStd
ADAM_EPS = 1e-8  # run.ts


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


def normal(gen, shape, std):
    return nn.Parameter(torch.randn(shape, generator=gen) * std)


class Layer(nn.Module):
    def __init__(self, c, gen):
        super().__init__()
        d, h = c["dim"], c["hidden_dim"]
        residual = 1 / math.sqrt(2 * c["n_layers"])  # init.ts: wo and w2 write into the residual stream
        self.attn_norm = nn.Parameter(torch.ones(d))
        self.wq = normal(gen, (d, d), 1 / math.sqrt(d))
        self.wk = normal(gen, (d, d), 1 / math.sqrt(d))
        self.wv = normal(gen, (d, d), 1 / math.sqrt(d))
        self.wo = normal(gen, (d, d), residual / math.sqrt(d))
        self.ffn_norm = nn.Parameter(torch.ones(d))
        self.w1 = normal(gen, (h, d), 1 / math.sqrt(d))
        self.w2 = normal(gen, (d, h), residual / math.sqrt(h))


class Model(nn.Module):
    def __init__(self, c, seed):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        v, d, t = c["vocab_size"], c["dim"], c["context_length"]
        self.c = c
        self.heads = c["n_heads"]
        self.tok_emb = normal(gen, (v, d), EMBEDDING_STD)
        self.pos_emb = normal(gen, (t, d), EMBEDDING_STD) if c["positional"] == "learned" else None
        self.layers = nn.ModuleList(Layer(c, gen) for _ in range(c["n_layers"]))
        self.final_norm = nn.Parameter(torch.ones(d))
        self.lm_head = None if c["tied_embeddings"] else normal(gen, (v, d), EMBEDDING_STD)
        self.register_buffer("future", torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1))

    def norm(self, x, w):
        eps = self.c["norm_eps"]
        if self.c["norm"] == "layernorm":
            return F.layer_norm(x, (x.shape[-1],), weight=w, eps=eps)
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w

    def activate(self, z):
        kind = self.c["activation"]
        if kind == "silu":
            return F.silu(z)
        if kind == "gelu":
            return F.gelu(z, approximate="tanh")
        return F.relu(z)

    def attention(self, h, layer):
        b, t, d = h.shape
        hd = d // self.heads

        def split(w):  # (b, t, d) -> (b, heads, t, hd): head j owns dims j*hd .. (j+1)*hd-1
            return F.linear(h, w).view(b, t, self.heads, hd).transpose(1, 2)

        q, k, v = split(layer.wq), split(layer.wk), split(layer.wv)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        p = scores.masked_fill(self.future[:t, :t], float("-inf")).softmax(-1)
        return (p @ v).transpose(1, 2).reshape(b, t, d)

    def forward(self, inputs):
        t = inputs.shape[1]
        x = F.embedding(inputs, self.tok_emb)
        if self.pos_emb is not None:
            x = x + self.pos_emb[:t]
        for layer in self.layers:
            x = x + F.linear(self.attention(self.norm(x, layer.attn_norm), layer), layer.wo)
            x = x + F.linear(self.activate(F.linear(self.norm(x, layer.ffn_norm), layer.w1)), layer.w2)
        out = self.tok_emb if self.lm_head is None else self.lm_head
        return F.linear(self.norm(x, self.final_norm), out)

    def param_groups(self, weight_decay):
        """paramLayout.ts: decay the matrices that are not embeddings (wq..w2, an untied lm_head), nothing else."""
        decay, rest = [], []
        for name, p in self.named_parameters():
            (decay if p.dim() == 2 and name not in ("tok_emb", "pos_emb") else rest).append(p)
        return [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]


def learning_rate(s, step):
    """schedule.ts learningRate: linear warm-up to the peak, cosine decay to minLrRatio * peak at the last step."""
    peak = s["lr"]
    if step < s["warmup"]:
        return peak * (step + 1) / s["warmup"]
    progress = min(1.0, (step - s["warmup"]) / max(1, s["steps"] - s["warmup"]))
    low = peak * s["minLrRatio"]
    return low + 0.5 * (peak - low) * (1 + math.cos(math.pi * progress))


def windows(tokens, starts, ctx, bos):
    """data.ts fillWindow: inputs BOS s[start..start+ctx-2], targets s[start..start+ctx-1]."""
    targets = tokens[torch.as_tensor(starts)[:, None] + torch.arange(ctx)]
    inputs = torch.cat((torch.full((len(starts), 1), bos, dtype=targets.dtype), targets[:, :-1]), dim=1)
    return inputs, targets


def sample_starts(rng, doc_starts, last, count):
    """data.ts sampleStart: half at a random document start (when one fits), half at a random position."""
    coin = rng.random(count)
    doc = doc_starts[rng.integers(len(doc_starts), size=count)]
    anywhere = rng.integers(last + 1, size=count)
    return np.where((coin < 0.5) & (doc <= last), doc, anywhere)


def read_ints(path):
    return np.fromfile(path, dtype="<i4").astype(np.int64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: leave torch's default)")
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as f:
        spec = json.load(f)
    c, s = spec["config"], spec["settings"]
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    ctx, batch = c["context_length"], s["batch"]
    train = torch.from_numpy(read_ints(spec["trainTokens"]))
    doc_starts = read_ints(spec["trainDocStarts"])
    val_inputs, val_targets = windows(torch.from_numpy(read_ints(spec["valTokens"])), spec["valStarts"], ctx, c["bos_id"])
    last = len(train) - ctx
    if last < 0:
        raise SystemExit(f"the training stream has {len(train)} tokens, fewer than one window of {ctx}")

    model = Model(c, s["seed"])
    opt = torch.optim.AdamW(model.param_groups(s["weightDecay"]), lr=s["lr"], betas=(s["beta1"], s["beta2"]), eps=ADAM_EPS)
    rng = np.random.default_rng(s["seed"])
    emit("prepared", torch=torch.__version__, threads=torch.get_num_threads(), params=sum(p.numel() for p in model.parameters()))

    def validate():
        with torch.no_grad():
            v = c["vocab_size"]
            total = F.cross_entropy(model(val_inputs).view(-1, v), val_targets.view(-1), reduction="sum")
        return total.item() / val_targets.numel()

    train_seconds = 0.0
    since_loss, since_steps = 0.0, 0
    for step in range(s["steps"]):
        t0 = time.perf_counter()
        inputs, targets = windows(train, sample_starts(rng, doc_starts, last, batch), ctx, c["bos_id"])
        loss = F.cross_entropy(model(inputs).view(-1, c["vocab_size"]), targets.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if s["clip"] > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), s["clip"])
        for group in opt.param_groups:
            group["lr"] = learning_rate(s, step)
        opt.step()
        since_loss += loss.item()
        since_steps += 1
        train_seconds += time.perf_counter() - t0
        if not math.isfinite(since_loss):
            raise SystemExit(f"training diverged at step {step + 1}")
        done = step + 1
        if done % s["evalEvery"] == 0 or done == s["steps"]:
            emit("eval", step=done, trainLoss=since_loss / since_steps, valLoss=validate(), trainSeconds=train_seconds)
            since_loss, since_steps = 0.0, 0
    tokens = s["steps"] * batch * ctx
    emit("done", steps=s["steps"], tokensPerSecond=tokens / train_seconds, trainSeconds=train_seconds)


if __name__ == "__main__":
    main()
