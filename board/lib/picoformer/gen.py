# One generation, advanced one forward pass at a time (so the app stays responsive and the virtual Pico can
# collect garbage between steps): BOS + left-truncated prompt, then sample / feed until a stop, exactly as
# src/model/generate.ts does it.
from .errors import ModelError
from .sampling import Rng, sample
from .tokenizer import encode


class Gen:
    def __init__(self, m, forward, prompt, max_tokens, temperature, top_k, seed):
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
        self.n = n  # tokens in the sequence
        self.pos = 0  # tokens fed so far
        self.count = 0  # new tokens
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.top_k = top_k
        self.rng = Rng(seed)
        self.reason = "max_tokens" if max_tokens <= 0 else None  # set once generation is over

    def step(self):
        """Feeds one token; once the whole sequence is fed, picks the next. Returns the new id, or -1."""
        m = self.m
        if self.pos < self.n:
            self.forward(m, m.seq[self.pos], self.pos)
            self.pos += 1
            if self.pos < self.n:
                return -1
        if self.count >= self.max_tokens:
            self.reason = "max_tokens"
            return -1
        if self.n >= m.ctx:
            self.reason = "context"
            return -1
        tok = sample(m.logits, self.temperature, self.top_k, self.rng, m.topv)
        if tok == m.eos:
            self.reason = "eos"
            return -1
        m.seq[self.n] = tok
        self.n += 1
        self.count += 1
        if self.count >= self.max_tokens:
            self.reason = "max_tokens"
        elif self.n >= m.ctx:
            self.reason = "context"
        return tok
