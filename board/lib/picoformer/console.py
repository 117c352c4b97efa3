# Console input without blocking: whatever bytes are waiting, split into lines. Sources, in order: the virtual
# Pico (vpico.read_input), CircuitPython (supervisor.runtime.serial_bytes_available + sys.stdin.read), else
# select.poll on sys.stdin. Ctrl-C (0x03) in the input is reported (only the virtual Pico delivers it: a real
# board turns it into KeyboardInterrupt itself).
import sys

MAX_LINE = 4096  # longer input lines are refused, not buffered forever
TOO_LONG = "\x00too long"  # what next_line() returns for such a line


def default_source():
    try:
        import vpico

        return vpico.read_input
    except ImportError:
        pass
    try:
        import supervisor

        rt = supervisor.runtime

        def cp_read():
            n = rt.serial_bytes_available
            return sys.stdin.read(n) if n else ""

        _ = rt.serial_bytes_available  # an AttributeError here, not later, on builds without it
        return cp_read
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
