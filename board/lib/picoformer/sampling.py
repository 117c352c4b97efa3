# Token choice exactly as docs/format.md "Generation and sampling" (and src/model/sampling.ts) in pure Python: greedy
# argmax, temperature, top-k with ties to the lower id. Allocates nothing per token. The ulab path has its own
# (sampling_np.py), which comes here only for ties at a top-k threshold; the generator is rng.py.
from math import exp


def argmax(logits):
    best = 0
    bv = logits[0]
    for i in range(1, len(logits)):
        if logits[i] > bv:
            bv = logits[i]
            best = i
    return best


def choose(m, temperature, top_k, rng):
    """The next token id from the loaded model's logits (gen.py's call, as sampling_np.choose)."""
    return sample(m.logits, temperature, top_k, rng, m.topv)


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
