# Token choice exactly as docs/format.md "Generation and sampling" (and src/model/sampling.ts): xorshift32 kept in
# two 16-bit halves so every intermediate stays a small int (MicroPython allocates ints of 31 bits and more),
# greedy argmax, temperature, top-k with ties to the lower id. Allocates nothing per token.
from math import exp


class Rng:
    def __init__(self, seed):
        # The seed mixed (one splitmix32 output) so small or neighbouring seeds give unrelated streams. Long ints
        # here are fine: this runs once per generation.
        m = 0xFFFFFFFF
        s = ((seed & m) + 0x9E3779B9) & m
        s = ((s ^ (s >> 16)) * 0x85EBCA6B) & m
        s = ((s ^ (s >> 13)) * 0xC2B2AE35) & m
        s ^= s >> 16
        if s == 0:
            s = 0x9E3779B9
        self.hi = s >> 16
        self.lo = s & 0xFFFF

    def uniform(self):
        """The next state's (x >> 8) / 2**24."""
        hi = self.hi
        lo = self.lo
        # x ^= x << 13
        t = ((hi << 13) | (lo >> 3)) & 0xFFFF
        lo ^= (lo << 13) & 0xFFFF
        hi ^= t
        # x ^= x >> 17
        lo ^= hi >> 1
        # x ^= x << 5
        t = ((hi << 5) | (lo >> 11)) & 0xFFFF
        lo ^= (lo << 5) & 0xFFFF
        hi ^= t
        self.hi = hi
        self.lo = lo
        return ((hi << 8) | (lo >> 8)) / 16777216


def argmax(logits):
    best = 0
    bv = logits[0]
    for i in range(1, len(logits)):
        if logits[i] > bv:
            bv = logits[i]
            best = i
    return best


def sample(logits, temperature, top_k, rng, topv):
    """The next token id. topv: scratch array with at least top_k items."""
    if not temperature > 0:
        return argmax(logits)
    n = len(logits)
    if top_k > 0 and top_k < n:
        thr, quota = _threshold(logits, top_k, topv)
        mx = topv[0] / temperature
    else:
        thr = None
        quota = 0
        mx = logits[0] / temperature
        for i in range(1, n):
            z = logits[i] / temperature
            if z > mx:
                mx = z
    # pass 1: sum(p) over the kept ids in id order; pass 2: walk them again to r
    tot = 0.0
    eq = 0
    for i in range(n):
        v = logits[i]
        if thr is not None and not (v > thr or (v == thr and eq < quota)):
            continue
        if thr is not None and v == thr:
            eq += 1
        tot += exp(v / temperature - mx)
    r = rng.uniform() * tot
    run = 0.0
    eq = 0
    last = 0
    for i in range(n):
        v = logits[i]
        if thr is not None and not (v > thr or (v == thr and eq < quota)):
            continue
        if thr is not None and v == thr:
            eq += 1
        run += exp(v / temperature - mx)
        last = i
        if run > r:
            return i
    return last


def _threshold(logits, k, topv):
    # topv[0..k) = the k largest logits, descending; returns (the k-th largest, how many ids equal to it are kept
    # so that exactly k are kept with ties going to the lower ids)
    cnt = 0
    for i in range(len(logits)):
        v = logits[i]
        if cnt < k:
            j = cnt
            cnt += 1
        elif v > topv[k - 1]:
            j = k - 1
        else:
            continue
        while j > 0 and topv[j - 1] < v:
            topv[j] = topv[j - 1]
            j -= 1
        topv[j] = v
    thr = topv[k - 1]
    above = 0
    for j in range(k):
        if topv[j] > thr:
            above += 1
    return thr, k - above
