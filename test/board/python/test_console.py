# Console input on CircuitPython (board/lib/picoformer/console.py) with stand-ins for supervisor and sys.stdin:
# supervisor.runtime.serial_bytes_available counts bytes while sys.stdin.read(n) counts characters, so reading
# "what is available" with read(n) would wait for characters that never come when a person types non-ASCII.
import sys
import unittest

import helpers  # noqa: F401 (puts board/lib on the import path)
from picoformer import console


class WouldBlock(AssertionError):
    pass


class SerialIn:
    """The console's input queue: bytes, as the USB serial delivers them."""

    def __init__(self):
        self.pending = b""

    def type(self, data):
        self.pending += data

    def take(self, n):
        got, self.pending = self.pending[:n], self.pending[n:]
        return got


class Runtime:
    def __init__(self, serial):
        self.serial = serial

    @property
    def serial_bytes_available(self):
        return len(self.serial.pending)


class RawStdin:
    """sys.stdin.buffer: read(n) returns n bytes (blocking for more than are waiting)."""

    def __init__(self, serial):
        self.serial = serial

    def read(self, n):
        if n > len(self.serial.pending):
            raise WouldBlock("buffer.read(%d) with %d bytes waiting" % (n, len(self.serial.pending)))
        return self.serial.take(n)


class TextStdin:
    """sys.stdin: read(n) returns n characters and blocks until n whole characters have arrived."""

    def __init__(self, serial, with_buffer):
        self.serial = serial
        if with_buffer:
            self.buffer = RawStdin(serial)

    def read(self, n):
        data = self.serial.pending
        i = 0
        for _ in range(n):
            if i >= len(data):
                raise WouldBlock("read(%d) with only %r waiting" % (n, data))
            b = data[i]
            width = 1 if b < 0x80 else 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            if i + width > len(data):
                raise WouldBlock("read(%d): a character is not complete yet in %r" % (n, data))
            i += width
        return self.serial.take(i).decode("utf-8")


class CircuitPythonConsoleTest(unittest.TestCase):
    def source(self, with_buffer):
        """console.default_source() as it runs on CircuitPython (supervisor importable, no vpico)."""
        serial = SerialIn()
        fake = type(sys)("supervisor")
        fake.runtime = Runtime(serial)
        saved_mod, saved_in = sys.modules.get("supervisor"), sys.stdin
        sys.modules["supervisor"] = fake
        sys.stdin = TextStdin(serial, with_buffer)
        try:
            src = console.default_source()
        finally:
            sys.stdin = saved_in
            if saved_mod is None:
                del sys.modules["supervisor"]
            else:
                sys.modules["supervisor"] = saved_mod
        return serial, src, fake

    def read_all(self, serial, src, fake, stdin):
        saved = sys.stdin
        sys.stdin = stdin
        try:
            return src()
        finally:
            sys.stdin = saved

    def check(self, with_buffer):
        serial, src, fake = self.source(with_buffer)
        stdin = TextStdin(serial, with_buffer)
        c = console.Console(lambda: self.read_all(serial, src, fake, stdin))
        serial.type("café ✓ 🙂\r".encode("utf-8"))
        c.read()
        self.assertEqual(c.next_line(), "café ✓ 🙂")
        self.assertEqual(serial.pending, b"")
        if not with_buffer:
            return  # one character at a time: a character cut by a USB packet is waited for (a real read blocks)
        # bytes: a character cut between two reads (the USB packet ended inside it) is completed by the next read
        data = "naïve\n".encode("utf-8")
        serial.type(data[:3])
        c.read()
        serial.type(data[3:])
        c.read()
        self.assertEqual(c.next_line(), "naïve")
        self.assertEqual(serial.pending, b"")

    def test_non_ascii_input_never_blocks_with_stdin_buffer(self):
        self.check(with_buffer=True)

    def test_non_ascii_input_never_blocks_without_stdin_buffer(self):
        self.check(with_buffer=False)

    def test_invalid_utf8_does_not_stop_the_console(self):
        serial, src, fake = self.source(True)
        stdin = TextStdin(serial, True)
        c = console.Console(lambda: self.read_all(serial, src, fake, stdin))
        serial.type(b"ab\xff\xfecd\r")
        c.read()
        line = c.next_line()
        self.assertTrue(line.startswith("ab") and line.endswith("cd"), line)


if __name__ == "__main__":
    unittest.main()
