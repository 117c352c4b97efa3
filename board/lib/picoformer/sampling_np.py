# Token choice on the ulab path: the contract of docs/format.md "Generation and sampling" (as sampling.py), with the
# passes over the vocabulary in C on the logits' view m.LG. ulab 6.5 (CircuitPython 9.2.8) has no cumsum, so the walk
# to r sums chunks of about sqrt(V) probabilities in C, walks the chunk sums in Python to the chunk r falls in, then
# that chunk's items: about 2 * sqrt(V) Python steps instead of 3 * V.
# Per sampled token it allocates a few temporaries (garbage at once, never kept; about 6 KB at V = 477, 8 KB with
# top-k: bench/README.md): z, exp(z), the chunk sums and short lists; with top-k a sorted copy and a mask.


def choose(m, temperature, top_k, rng):
    """The next token id from m.LG (ulab.numpy view of m.logits); the pure-Python path for ties at a top-k threshold."""
    np = m.np
    L = m.LG
    if not temperature > 0:
        return int(np.argmax(L))  # ulab keeps the first of equal maxima (a strict >): the lowest id, as the contract
    n = len(m.logits)
    # The max and the threshold stay 1-item ndarrays (broadcast): a CircuitPython float has 30 bits, so a logit read
    # out as one may no longer equal itself in the array.
    keep = None
    if 0 < top_k < n:
        s = np.sort(L)
        mx = s[n - 1:]
        keep = L >= s[n - top_k:n - top_k + 1]
        if int(np.sum(keep)) != top_k:  # ties at the threshold: only the lower ids of them are kept (rare)
            from .sampling import sample  # imported only then: the ulab path's heap holds this module alone

            return sample(m.logits, temperature, top_k, rng, m.topv)
    else:
        a = int(np.argmax(L))
        mx = L[a:a + 1]
    # (l - max l) / t is z - max z; subtracting first keeps it finite (<= 0) for any temperature, exp(0) = 1 at the max
    p = L - mx
    mx = s = None
    p /= temperature
    p = np.exp(p)
    if keep is not None:
        p *= keep
    # Chunks of c ids: their sums in C (a matrix-vector product with ones: faster in ulab than sum along an axis), and
    # Python lists for the short walks (reading ndarray items one by one allocates).
    c = int(n ** 0.5) + 1
    q = n // c
    sums = np.dot(p[:q * c].reshape((q, c)), np.ones(c)).tolist() if q > 0 else []
    r = rng.uniform() * (sum(sums) + sum(p[q * c:].tolist()))
    run = 0.0
    i = 0  # the first id of the chunk r falls in (or of the short tail)
    for v in sums:
        if run + v > r:
            break
        run += v
        i += c
    # From there the walk of the contract (dropped ids add 0); past the chunk only when rounding (the sums' order)
    # left r above it, and to the end when it left r at sum(p): then the last kept id.
    while i < n:
        for v in p[i:i + c].tolist():
            run += v
            if run > r:
                return i
            i += 1
    return n - 1 if keep is None else int(np.nonzero(keep)[0][-1])
