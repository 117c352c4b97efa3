# Strict JSON (RFC 8259), checked before json.loads builds anything: MicroPython's json.loads lets through missing
# commas and colons, trailing commas, control characters and overlong UTF-8, and CPython's takes NaN, so both
# readers (this and the TypeScript one, src/model/jsonText.ts) judge a file by this one grammar. It also bounds the
# nesting (deep input exhausts the heap or CPython's recursion limit) and can refuse numbers with a fraction or
# exponent. Nothing it allocates grows with the input. docs/format.md states the limits.

DEPTH = 8  # the deepest nesting of any JSON text in a model file

_WS = b" \t\n\r"
_ESC = b'"\\/bfnrtu'
_HEX = b"0123456789abcdefABCDEF"
_WORDS = (b"true", b"false", b"null")
# Lead bytes MicroPython's str() accepts but UTF-8 does not have (overlong C0/C1, past U+10FFFF F5..)...
_NEVER = (b"\xc0", b"\xc1", b"\xf5", b"\xf6", b"\xf7", b"\xf8", b"\xf9", b"\xfa", b"\xfb", b"\xfc", b"\xfd", b"\xfe",
          b"\xff")
# ...and second bytes it accepts after these leads: overlong E0/F0, surrogates ED, past U+10FFFF F4
_SECOND = ((b"\xe0", 0x80, 0x9F), (b"\xed", 0xA0, 0xBF), (b"\xf0", 0x80, 0x8F), (b"\xf4", 0x90, 0xBF))


def utf8(b):
    """None when bytes b are well-formed UTF-8 (as a strict decoder wants it), else why not."""
    n = len(b)
    if not n or max(b) < 0x80:
        return None  # ASCII (JSON.stringify's headers mostly are): nothing to check, nothing allocated
    i = 0
    try:
        while i < n:  # str() checks the structure; 2 KB at a time, so the whole is never copied
            j = i + 2048
            for _ in range(3):
                if j < n and 0x80 <= b[j] < 0xC0:
                    j -= 1  # never cut a character
            str(b[i:j], "utf-8")  # a 2 KB copy at most, then garbage
            i = j
    except UnicodeError:
        return "is not valid UTF-8 (near byte %d)" % i
    for x in _NEVER:
        if x in b:
            return "is not valid UTF-8 (byte 0x%s)" % x.hex()
    for x, lo, hi in _SECOND:
        k = b.find(x)
        while k >= 0:
            if k + 1 < n and lo <= b[k + 1] <= hi:
                return "is not valid UTF-8 (at byte %d)" % k
            k = b.find(x, k + 1)
    return None


def check(b, ints=False):
    """None when bytes b hold exactly one strict JSON value nested at most DEPTH deep (with ints: every number
    an integer, no fraction or exponent), else why not. Non-ASCII bytes are taken as they are (see utf8)."""
    n = len(b)
    # a raw control character inside a string is looked for only when there is one anywhere: compact JSON has none
    mv = memoryview(b) if n and min(b) < 32 else None
    open_ = bytearray(DEPTH)  # the open containers: "[" or "{"
    d = 0
    # what comes next: 0 a value, 1 a value or "]", 2 a key, 3 a key or "}", 4 ":", 5 "," or a close or the end
    s = 0
    i = 0
    while True:
        while i < n and b[i] in _WS:
            i += 1
        if i >= n:
            break
        c = b[i]
        if s == 5:
            if d and c == 44:  # ,
                s = 0 if open_[d - 1] == 91 else 2
            elif d and c == open_[d - 1] + 2:  # "]" is "[" + 2, "}" is "{" + 2
                d -= 1
            else:
                return _bad(i)
            i += 1
        elif s == 4:
            if c != 58:  # :
                return _bad(i)
            s = 0
            i += 1
        elif c == 34:  # a key (s 2, 3) or a string value (s 0, 1)
            i = _string(b, i, n, mv)
            if i < 0:
                return _bad(-1 - i)
            s = 4 if s >= 2 else 5
        elif s >= 2:
            if c != 125 or s != 3:  # only "}" may end an object where a key could start
                return _bad(i)
            d -= 1
            s = 5
            i += 1
        elif c == 93 and s == 1:  # []
            d -= 1
            s = 5
            i += 1
        elif c == 91 or c == 123:
            if d >= DEPTH:
                return "nests deeper than %d levels" % DEPTH
            open_[d] = c
            d += 1
            s = 1 if c == 91 else 3
            i += 1
        elif c == 45 or 48 <= c <= 57:
            j = _number(b, i, n)
            if not j:
                return _bad(i)
            if j < 0:
                if ints:
                    return "has a number with a fraction or exponent at byte %d (integers only)" % i
                j = -j
            i = j
            s = 5
        else:
            for w in _WORDS:
                if c == w[0] and b.startswith(w, i):
                    i += len(w)
                    s = 5
                    break
            else:
                return _bad(i)
    if s != 5 or d:
        return "is not valid JSON (it ends early)"
    return None


def _bad(i):
    return "is not valid JSON (at byte %d)" % i


def _string(b, i, n, mv):
    # b[i] is a quote: the index after the closing one, or -1 - the position of what is wrong (mv: a memoryview of
    # b when b holds a control character somewhere, else None)
    a = j = i + 1
    while True:
        q = b.find(b'"', j)
        if q < 0:
            return -1 - i
        k = b.find(b"\\", j, q)
        if k < 0:
            break
        e = b[k + 1]
        if e == 117:  # \uXXXX
            if k + 6 > n:
                return -1 - k
            for x in range(k + 2, k + 6):
                if b[x] not in _HEX:
                    return -1 - k
            j = k + 6
        elif e in _ESC:
            j = k + 2  # past the escape (an escaped quote too: the search goes on after it)
        else:
            return -1 - k
    if mv is not None and q > a and min(mv[a:q]) < 32:
        return -1 - a  # a raw control character
    return q + 1


def _number(b, i, n):
    # -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at i: its end, negated when it has a fraction or exponent;
    # 0 when it is not one
    j = i + 1 if b[i] == 45 else i
    if j >= n or not 48 <= b[j] <= 57:
        return 0
    if b[j] == 48:
        j += 1
    else:
        while j < n and 48 <= b[j] <= 57:
            j += 1
    frac = False
    if j < n and b[j] == 46:
        frac = True
        j += 1
        k = j
        while j < n and 48 <= b[j] <= 57:
            j += 1
        if j == k:
            return 0
    if j < n and (b[j] == 101 or b[j] == 69):
        frac = True
        j += 1
        if j < n and (b[j] == 43 or b[j] == 45):
            j += 1
        k = j
        while j < n and 48 <= b[j] <= 57:
            j += 1
        if j == k:
            return 0
    return -j if frac else j
