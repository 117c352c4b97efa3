# Event lines (board/lib/picoformer/protocol.py): compact JSON (no blank after ":" and ","), the token hot path
# included, and a graceful fallback on a json module whose dumps() has no `separators` (older firmware).
import importlib
import json
import sys
import unittest

import helpers  # noqa: F401 (puts board/lib on the import path)
from picoformer import protocol


class Lines:
    def __init__(self):
        self.chunks = []

    def out(self):
        o = protocol.Out(self.chunks.append)
        o.host = True
        return o

    def events(self):
        text = "".join(self.chunks)
        return [line for line in text.split("\n") if line]


class CompactTest(unittest.TestCase):
    def test_events_and_tokens_are_compact(self):
        w = Lines()
        o = w.out()
        o.event("memory", {"free": 1, "alloc": 2, "heap_limit": None, "nested": {"a": [1, 2]}})
        o.event("ready", {})
        o.token(17, 'a "b", c: d', 3, "")
        o.token(2, "x", 0, ',"req":7')
        o.token(2, "x", 0, ',"req":"r 1"')
        lines = w.events()
        self.assertEqual(lines[0], '@pf {"ev":"memory","free":1,"alloc":2,"heap_limit":null,"nested":{"a":[1,2]}}')
        self.assertEqual(lines[1], '@pf {"ev":"ready"}')
        self.assertEqual(lines[2], '@pf {"ev":"token","id":17,"text":"a \\"b\\", c: d","index":3}')
        self.assertEqual(json.loads(lines[3][4:]), {"ev": "token", "id": 2, "text": "x", "index": 0, "req": 7})
        self.assertEqual(json.loads(lines[4][4:])["req"], "r 1")

    def test_a_json_without_separators_falls_back_to_its_own_spacing(self):
        class OldJson:
            loads = staticmethod(json.loads)

            @staticmethod
            def dumps(obj, **kw):
                if kw:
                    raise TypeError("function does not take keyword arguments")
                return json.dumps(obj)

        saved = sys.modules["json"]
        sys.modules["json"] = OldJson
        try:
            old = importlib.reload(protocol)
            self.assertIs(old.dumps, OldJson.dumps)
            w = Lines()
            o = w.out()
            o.event("memory", {"free": 1, "alloc": [1, 2]})
            self.assertEqual(json.loads(w.events()[0][4:]), {"ev": "memory", "free": 1, "alloc": [1, 2]})
        finally:
            sys.modules["json"] = saved
            importlib.reload(protocol)
        self.assertEqual(protocol.dumps({"a": 1, "b": [1, 2]}), '{"a":1,"b":[1,2]}')


if __name__ == "__main__":
    unittest.main()
