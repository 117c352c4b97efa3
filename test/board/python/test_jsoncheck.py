# The strict JSON check the board runs before json.loads (board/lib/picoformer/jsoncheck.py) against CPython's
# strict parser (NaN and friends refused): the same verdict on listed cases and on thousands of seeded mutations
# of JSON texts, with the nesting bound and the integers-only rule on top.
import json
import random
import unittest

import helpers  # noqa: F401
from picoformer.jsoncheck import DEPTH, check, utf8


def _no_constants(name):
    raise ValueError(name)


def depth(v):
    if isinstance(v, dict):
        return 1 + max([depth(x) for x in v.values()] or [0])
    if isinstance(v, list):
        return 1 + max([depth(x) for x in v] or [0])
    return 0


def has_float(v):
    if isinstance(v, dict):
        return any(has_float(x) for x in v.values())
    if isinstance(v, list):
        return any(has_float(x) for x in v)
    return isinstance(v, float)


def strict(b, ints=False):
    """CPython's verdict: True when b is one strict JSON value within the bounds."""
    if b.startswith(b"\xef\xbb\xbf"):
        return False  # CPython skips a BOM in bytes; JSON has none
    try:
        v = json.loads(b.decode("utf-8"), parse_constant=_no_constants)
    except (ValueError, RecursionError):
        return False
    if depth(v) > DEPTH:
        return False
    return not (ints and has_float(v))


class JsonCheckTest(unittest.TestCase):
    def test_listed_cases(self):
        for text in (b"1", b"-0", b"1e5", b"1E+2", b"-1.5e-3", b'"a\\u00e9\\n\\/"', b"[]", b"{}", b' {"a" : [1, 2] } ',
                     b"true", b"null", b'[1,2,]', b'{"a":1,}', b"01", b"+1", b".5", b"1.", b"-", b"1e", b"NaN",
                     b"Infinity", b'"\x01"', b'"\\x"', b'"\\u12"', b"\x0c1", b"1 x", b"'a'", b"tru", b"{1:2}",
                     b"[1 2]", b'{"a" 1}', b"[", b"", b" ", b'{"a":1}{"b":2}', b"[1]]", b"[true false]", b'"\\"',
                     b'"a\\\\"', b'"\\\\\\""', b"[" * 8 + b"]" * 8, b"[" * 9 + b"]" * 9, b'{"a":' * 8 + b"1" + b"}" * 8,
                     b'{"a":' * 9 + b"1" + b"}" * 9, b"\xef\xbb\xbf{}", b'["\t"]', b"[1,\n2]"):
            self.assertEqual(check(text) is None, strict(text), text)
            self.assertEqual(check(text, True) is None, strict(text, True), text)

    def test_seeded_mutations_agree_with_cpython(self):
        rng = random.Random(7)
        seeds = [b'{"tok_emb":{"dtype":"F32","shape":[4,2],"data_offsets":[0,32]},"__metadata__":{"a":"x\\"y"}}',
                 b'[1,-2.5e3,"\\u00e9",true,false,null,{"k":[[]]}]', b'{"a":{"b":{"c":[1,{"d":"e"}]}}}']
        chars = b'{}[]",:\\ 0123456789.eE+-tfnul\x00\x01\t\n\xff'
        agree = 0
        for _ in range(5000):
            b = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 4)):
                i = rng.randrange(len(b) + 1)
                k = rng.randrange(3)
                if k == 0:
                    b[i:i + 1] = bytes([rng.choice(chars)])
                elif k == 1:
                    del b[i:i + rng.randrange(1, 4)]
                else:
                    b[i:i] = bytes([rng.choice(chars)])
            b = bytes(b)
            if utf8(b) is not None:
                continue  # not UTF-8: refused before the grammar (test_utf8)
            for ints in (False, True):
                self.assertEqual(check(b, ints) is None, strict(b, ints), (b, ints))
            agree += 1
        self.assertGreater(agree, 3000)

    def test_utf8_is_as_strict_as_cpython(self):
        for b in (b"a\xc3\xa9", b"\xc0\xaf", b"\xc1\xbf", b"\xe0\x80\xaf", b"\xe0\xa0\x80", b"\xed\x9f\xbf",
                  b"\xed\xa0\x80", b"\xf0\x8f\xbf\xbf", b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80",
                  b"\xf5\x80\x80\x80", b"\xff", b"\x80", b"\xc3", b"\xe2\x82", b"x" * 2047 + b"\xc3\xa9" + b"y" * 3000):
            try:
                b.decode("utf-8")
                want = True
            except UnicodeDecodeError:
                want = False
            self.assertEqual(utf8(b) is None, want, b[:20])


if __name__ == "__main__":
    unittest.main()
