# Console input without blocking: whatever is waiting, split into lines. Sources, in order: the virtual Pico
# (vpico.read_input), CircuitPython (supervisor.runtime.serial_bytes_available, see cp_source), else select.poll
# on sys.stdin. Ctrl-C (0x03) in the input is reported (only the virtual Pico delivers it: a real board turns it
# into KeyboardInterrupt itself).
import sys

MAX_LINE = 4096  # longer input lines are refused, not buffered forever
TOO_LONG = "\x00too long"  # what next_line() returns for such a line
_CHARS = 256  # characters taken per read when reading one at a time (no stdin.buffer)


def cp_source(rt, stdin):
    """A reader for CircuitPython: rt.serial_bytes_available counts bytes, but stdin.read(n) counts characters and
    would wait for n of them when some are multi-byte UTF-8. So read bytes from stdin.buffer (and decode them), or
    where there is none, one character at a time while bytes are waiting."""
    raw = getattr(stdin, "buffer", None)
    if raw is None:

        def read_chars():
            got = []
            while len(got) < _CHARS and rt.serial_bytes_available:
                got.append(stdin.read(1))
            return "".join(got)

        return read_chars
    tail = [b""]  # the start of a character the last read cut off

    def read_bytes():
        n = rt.serial_bytes_available  # a bool on old firmware: read(True) reads one byte
        if not n:
            return ""
        data = tail[0] + raw.read(n)
        k = len(data)
        i = k - 1
        while i > k - 4 and i > 0 and 0x80 <= data[i] < 0xC0:
            i -= 1  # back over continuation bytes to the last character's first byte
        if i >= 0 and data[i] >= 0xC0 and k - i < (2 if data[i] < 0xE0 else 3 if data[i] < 0xF0 else 4):
            k = i  # that character is not complete yet: keep it for the next read
        tail[0] = data[k:]
        try:
            return str(data[:k], "utf-8")
        except ValueError:  # not UTF-8 (UnicodeError): keep the ASCII
            return "".join(chr(b) if b < 0x80 else "\ufffd" for b in data[:k])

    return read_bytes


def default_source():
    try:
        import vpico

        return vpico.read_input
    except ImportError:
        pass
    try:
        import supervisor

        rt = supervisor.runtime
        _ = rt.serial_bytes_available  # an AttributeError here, not later, on builds without it
        return cp_source(rt, sys.stdin)
    except (ImportError, AttributeError):
        pass
    import select

    p = select.poll()
    p.register(sys.stdin, select.POLLIN)

    def poll_read():
        s = ""
        while len(s) < 256 and p.poll(0):
            c = sys.stdin.read(1)
            if not c:
                break
            s += c
        return s

    return poll_read


class Console:
    def __init__(self, source=None):
        self.src = source or default_source()
        self.buf = ""
        self.lines = []
        self.cr = False  # the last character was a CR (a following LF is the same line end)
        self.over = False  # the current line passed MAX_LINE
        self.interrupted = False
        self.echo = None  # write function while a person is typing (human mode), else None
        # lines starting with "@" (host commands) are never echoed, so a command cannot come back as an event line

    def read(self):
        """Takes in whatever input is waiting."""
        data = self.src()
        if not data:
            return
        for ch in data:
            echo = self.echo
            if echo and (self.buf[:1] == "@" or (not self.buf and ch == "@")):
                echo = None
            if ch == "\n" and self.cr:
                self.cr = False
                continue
            self.cr = ch == "\r"
            if ch == "\r" or ch == "\n":
                self.lines.append(TOO_LONG if self.over else self.buf)
                self.buf = ""
                self.over = False
                if echo:
                    echo("\r\n")
            elif ch == "\x03":
                self.interrupted = True
                self.buf = ""
                self.over = False
            elif ch == "\x08" or ch == "\x7f":
                if self.buf:
                    self.buf = self.buf[:-1]
                    if echo:
                        echo("\b \b")
            elif self.over or (ch < " " and ch != "\t"):
                pass  # escape sequences and other control characters are not part of a prompt
            elif len(self.buf) >= MAX_LINE:
                self.over = True
                self.buf = ""
            else:
                self.buf += ch
                if echo:
                    echo(ch)

    def next_line(self):
        """The oldest complete line, or None."""
        if self.lines:
            return self.lines.pop(0)
        return None
