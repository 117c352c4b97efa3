# One generation, advanced one forward pass at a time (so the app stays responsive and the virtual Pico can
# collect garbage between steps): BOS + left-truncated prompt, then sample / feed until a stop, exactly as
# src/model/generate.ts does it. Past the context the window m.seq is refilled in place: BOS and the newest tokens,
# 3/8 of the context with the new one last (src/model/contextWindow.ts), fed again from position 0, one token per
# step; only the last token fed before a choice gets logits.
from .errors import ModelError
from .rng import Rng
from .tokenizer import encode


def refill_length(ctx, bos):
    """Tokens in the window after a refill (contextWindow.refillLength): 3/8 of the context, at least BOS + 1."""
    k = ctx * 3 // 8
    least = 1 if bos is None else 2
    return k if k > least else least


class Gen:
    def __init__(self, m, forward, prompt, max_tokens, temperature, top_k, seed, stop_at_context=False):
        ids, self.unknown = encode(m.vocab, prompt)
        room = m.ctx - 1 - (0 if m.bos is None else 1)
        if room < 0:
            room = 0
        self.truncated = len(ids) - room if len(ids) > room else 0
        seq = m.seq
        n = 0
        if m.bos is not None:
            seq[0] = m.bos
            n = 1
        for i in range(self.truncated, len(ids)):
            seq[n] = ids[i]
            n += 1
        ids = None
        if n == 0:
            raise ModelError("empty_prompt", "the prompt is empty and this model has no BOS token to start from")
        self.m = m
        self.forward = forward
        self.prompt_tokens = n
        self.n = n  # tokens in the window (m.seq[:n])
        self.pos = 0  # tokens of the window fed so far
        self.count = 0  # new tokens
        self.refills = 0
        self.keep = refill_length(m.ctx, m.bos)
        self.slides = not stop_at_context and self.keep <= m.ctx
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.top_k = top_k
        self.rng = Rng(seed)
        # the token choice of the model's path; each path imports only its own
        if m.np is None:
            from .sampling import choose
        else:
            from .sampling_np import choose
        self.choose = choose
        self.reason = "max_tokens" if max_tokens <= 0 else None  # set once generation is over

    def step(self):
        """Feeds one token; once the whole window is fed, picks the next. Returns the new id, or -1."""
        m = self.m
        if self.pos < self.n:
            self.pos += 1
            self.forward(m, m.seq[self.pos - 1], self.pos - 1, self.pos == self.n)
            if self.pos < self.n:
                return -1
        if self.count >= self.max_tokens:
            self.reason = "max_tokens"
            return -1
        if self.n >= m.ctx and not self.slides:
            self.reason = "context"
            return -1
        tok = self.choose(m, self.temperature, self.top_k, self.rng)
        if tok == m.eos:
            self.reason = "eos"
            return -1
        self.count += 1
        if self.count >= self.max_tokens:
            self.reason = "max_tokens"  # the last token is never fed
        elif self.n < m.ctx:
            m.seq[self.n] = tok
            self.n += 1
            if self.n >= m.ctx and not self.slides:
                self.reason = "context"
        else:
            self.refill(tok)
        return tok

    def refill(self, tok):
        """The full window becomes BOS (if any), its newest tokens and tok, self.keep in all; fed from position 0."""
        seq = self.m.seq
        b = 0 if self.m.bos is None else 1
        r = self.keep - 1 - b
        n = self.n
        for i in range(r):
            seq[b + i] = seq[n - r + i]
        seq[b + r] = tok
        self.n = self.keep
        self.pos = 0
        self.refills += 1
