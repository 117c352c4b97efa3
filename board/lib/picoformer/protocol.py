# The serial console protocol (full description: docs/protocol.md; keep the two in step).
#
# Board -> host, event lines:   @pf {"ev":"<name>",...}\n      (the console sends \r\n; compact JSON)
#   One JSON object per line after the 4-character prefix "@pf ", always starting at the beginning of a line.
#   Events: ready, models, load, loaded, unloaded, memory, start, token, done, error, info, settings, help.
# Host -> board, command lines: @pf {"cmd": "<name>", ...}\n
#   Commands: hello, bye, list, load, unload, generate, stop, set, info, mem, help. An optional "req" (number or
#   string) is copied into every event the command causes (a generation's start, tokens, done and memory too).
# People: a plain line is a prompt (generated with the current settings); /help, /models, /load NAME [MODE],
#   /unload, /tokens N, /temp T, /topk K, /seed S|random, /mode auto|resident|streamed, /info, /mem, /stop.
# Two output modes. Human (after boot): readable text, input echoed; the only event line is "ready" at boot.
#   Host (after any "@pf" command line, e.g. hello): only event lines, no echo. {"cmd": "bye"} goes back.
import json

PREFIX = "@pf "
_COMPACT = (",", ":")


def dumps(obj):
    # compact: no blank after "," and ":" (MicroPython 1.19+ takes separators)
    return json.dumps(obj, separators=_COMPACT)


try:
    dumps(0)
except Exception:  # an older json.dumps takes no keywords: its own spacing then (parsers accept both)
    dumps = json.dumps


class Out:
    """Writes events (host mode) or text (human mode) and keeps event lines at the start of a line."""

    def __init__(self, write):
        self._write = write
        self.host = False
        self.col0 = True  # the cursor is at the start of a line

    def text(self, s):
        if s:
            self._write(s)
            self.col0 = s[-1] == "\n"

    def event(self, ev, fields):
        body = dumps(fields)
        line = '{"ev":"' + ev + ('"}' if body == "{}" else '",' + body[1:])
        self._write(("" if self.col0 else "\n") + PREFIX + line + "\n")
        self.col0 = True

    def token(self, tid, text, index, req):
        # the hot path: no dict per token; req: ',"req":7' for the generation's command, or "" (cmds.c_generate)
        self._write('%s{"ev":"token","id":%d,"text":%s,"index":%d%s}\n' % (PREFIX, tid, json.dumps(text), index, req))


def parse(line):
    """A console line -> ("cmd", dict) | ("slash", name, arg) | ("prompt", text) | ("bad", message) | None."""
    s = line.strip()
    if not s:
        return None
    if s.startswith("@pf"):
        try:
            d = json.loads(s[3:])
        except ValueError:
            return ("bad", "command line is not valid JSON")
        if type(d) is not dict or type(d.get("cmd")) is not str:
            return ("bad", 'a command is a JSON object with a "cmd" string')
        return ("cmd", d)
    if s[0] == "/":
        parts = s[1:].split(None, 1)
        if not parts:
            return ("slash", "help", "")
        return ("slash", parts[0].lower(), parts[1].strip() if len(parts) > 1 else "")
    return ("prompt", line)
