// Python run in every fresh interpreter before code.py: stand-ins for what CircuitPython provides and this
// MicroPython build lacks, the `vpico` module the board runtime attaches to, and a `gc` whose numbers are relative
// to the heap budget (so gc.mem_free() answers as the board would, not with the wasm heap's 100+ MB).
//
// `_vpico_js` is the JS side (registered by the machine): attach(app), read_input(), bytes_available(),
// take_memory_error(), heap_budget().

export const PRELUDE = String.raw`
import sys
import gc as _vpico_real_gc
import _vpico_js
sys.path[:] = ['', '/', '/lib']

class _VPicoGc:
    # gc as the board sees it: usage counts from the moment code.py starts; free = budget - usage.
    _base = 0
    def collect(self):
        _vpico_real_gc.collect()
    def mem_alloc(self):
        return max(0, _vpico_real_gc.mem_alloc() - self._base)
    def mem_free(self):
        return max(0, _vpico_js.heap_budget() - self.mem_alloc())
    def enable(self):
        _vpico_real_gc.enable()
    def disable(self):
        _vpico_real_gc.disable()
    def isenabled(self):
        return _vpico_real_gc.isenabled()
    def threshold(self, *args):
        return _vpico_real_gc.threshold(*args)

class _VPicoModule:
    # The board runtime's hook into the virtual Pico (docs/protocol.md): attach(app) hands over an object whose
    # step() is then called repeatedly; read_input() returns the console input waiting ('' if none, Ctrl-C as
    # "\x03"); HEAP_LIMIT is the heap budget in bytes.
    def __init__(self):
        self.HEAP_LIMIT = _vpico_js.heap_budget()
    def attach(self, app):
        _vpico_js.attach(app)
    def read_input(self):
        message = _vpico_js.take_memory_error()
        if message:
            raise MemoryError(message)
        return _vpico_js.read_input()

class _VPicoRuntime:
    serial_connected = True
    autoreload = True
    @property
    def serial_bytes_available(self):
        return _vpico_js.bytes_available()

class _VPicoSupervisor:
    runtime = _VPicoRuntime()

class _VPicoBoard:
    board_id = 'picoformer_virtual_pico'

sys.modules['gc'] = _VPicoGc()
sys.modules['vpico'] = _VPicoModule()
sys.modules['supervisor'] = _VPicoSupervisor()
sys.modules['board'] = _VPicoBoard()

def _vpico_run(path):
    global _vpico_main
    with open(path) as f:
        source = f.read()
    _vpico_main = {'__name__': '__main__', '__file__': path}
    code = compile(source, path, 'exec')
    source = None
    exec(code, _vpico_main)

def _vpico_raise_memory_error(message):
    raise MemoryError(message)
`;

/** Sets where usage starts counting (the live heap after the prelude, collected). */
export function setGcBaseStatement(baseBytes: number): string {
  return `sys.modules['gc']._base = ${Math.max(0, Math.floor(baseBytes))}`;
}
