# Text <-> token ids over the packed vocabulary (header.Vocab), as docs/format.md "Tokenizer" says. Matching is
# done on UTF-8 bytes: entries that match at one position are prefixes of one another, so the longest in bytes is
# the longest in characters, and a char vocabulary (one code point per entry) is the same algorithm.


def encode(vb, text):
    """(ids, unknown): ids as a list, unknown = input code points that became unk_id."""
    t = text.encode()
    if vb.lowercase:
        t = bytes(b + 32 if 65 <= b <= 90 else b for b in t)
    blob = vb.blob
    offs = vb.offs
    sp = vb.special
    nv = len(sp)
    ids = []
    unknown = 0
    p = 0
    n = len(t)
    while p < n:
        first = t[p]
        best = -1
        blen = 0
        for i in range(nv):
            o = offs[i]
            if sp[i] or blob[o] != first:
                continue
            k = offs[i + 1] - o
            if k <= blen or p + k > n:
                continue
            j = 1
            while j < k and blob[o + j] == t[p + j]:
                j += 1
            if j == k:
                best = i
                blen = k
        if best < 0:
            ids.append(vb.unk)
            unknown += 1
            blen = 1 if first < 0xC0 else 2 if first < 0xE0 else 3 if first < 0xF0 else 4
        else:
            ids.append(best)
        p += blen
    return ids, unknown


def decode(vb, tid):
    """Text of one token: special tokens decode to '' (decode-only ones to their text)."""
    if vb.special[tid] == 1:
        return ""
    return vb.blob[vb.offs[tid]:vb.offs[tid + 1]].decode()
