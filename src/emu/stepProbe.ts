// A code.py for calibration runs on the emulated Pico: the runtime exactly as board/code.py starts it, with every
// step of a list or a load measured. Before such a step the heap is collected and automatic collection is turned
// off, and `gc.mem_alloc()` is read at the step's end, before each collection the runtime asks for (sysinfo.heap)
// and after each JSON parse (the header's tables and vocabulary are alive then): the step's bound is the most seen.
// (Imports cannot be watched: a Python wrapper of __import__ breaks MicroPython's relative imports.) It counts the step's garbage since the last collection, but it is not the VM
// calibration's strict upper bound: CircuitPython still collects when a heap area is full (gc.disable() only stops
// the collections it would start by itself before that), and what was garbage then is not seen. Generation steps run
// untouched. Each measured step prints one `CALIB {...}` line (not an event line, so the session shows it as console
// text). Never deployed by the product: only the calibration sweep and the firmware tests write it to a drive.

/** One measured runtime step. */
export interface StepRecord {
  /** What ran: "boot", "measured:<continuation>" (a list or a load's decision), load_header, load_finish..., or
   *  "line" when a quick command was answered while the continuation waited. */
  step: string;
  /** Live heap when the step began (after a collection). */
  before: number;
  /** Live heap plus garbage at the step's end. */
  end: number;
  /** The bound: the most the heap held, garbage included, at the step's end or before a collection inside it. */
  max: number;
}

/** The wrapper's own heap (its functions and globals), measured when code.py starts: subtract it from live figures. */
export interface ProbeOverhead {
  wrapper: number;
}

export const STEP_PROBE_CODE = `# Picoformer calibration: the runtime with its list and load steps measured (src/emu/stepProbe.ts).
import gc
import sys

gc.collect()
_a0 = gc.mem_alloc()
_seen = [0]


def _heap_seen(limit=None):
    a = gc.mem_alloc()
    if a > _seen[0]:
        _seen[0] = a
    return _heap(limit)


def _measured_step(self):
    if self.booted and self.next is None:
        return _step(self)
    if not self.booted:
        label = "boot"
    elif self.next is _app._measured:
        label = "measured:" + self.pending[0]
    else:
        label = self.next.__name__
    nxt = self.next
    pending = self.pending
    gc.collect()
    b = gc.mem_alloc()
    _seen[0] = b
    gc.disable()
    try:
        _step(self)
    finally:
        e = gc.mem_alloc()
        gc.enable()
        if self.booted and label != "boot" and self.next is nxt and self.pending is pending:
            label = "line"  # a quick command (hello, info...) was answered; the continuation waits
        print('CALIB {"step":"%s","before":%d,"end":%d,"max":%d}' % (label, b, e, e if e > _seen[0] else _seen[0]))


def _seen_after(fn):
    def call(*args, **kw):
        r = fn(*args, **kw)
        a = gc.mem_alloc()
        if a > _seen[0]:
            _seen[0] = a
        return r

    return call


class _Json:
    pass


import json as _real_json  # noqa: E402

_j = _Json()
_j.dumps = _real_json.dumps
_j.loads = _seen_after(_real_json.loads)
_j.load = _seen_after(_real_json.load)
sys.modules["json"] = _j
gc.collect()
print('CALIB {"wrapper":%d}' % (gc.mem_alloc() - _a0))
from picoformer import app as _app, sysinfo as _si

_heap = _si.heap
_si.heap = _heap_seen
_step = _app.App.step
_app.App.step = _measured_step
_app.main()
`;

const LinePattern = /^CALIB (\{.*\})\s*$/;

/** The step records and the wrapper's overhead in a console transcript (everything since boot). */
export function parseStepProbe(console: string): { steps: StepRecord[]; overhead: ProbeOverhead | undefined } {
  const steps: StepRecord[] = [];
  let overhead: ProbeOverhead | undefined;
  for (const line of console.split(/\r?\n/)) {
    const m = LinePattern.exec(line.replace(/^.*?(?=CALIB )/, ''));
    if (!m) continue;
    const value = JSON.parse(m[1]) as Partial<StepRecord> & Partial<ProbeOverhead>;
    if (typeof value.wrapper === 'number') overhead = { wrapper: value.wrapper };
    else if (typeof value.step === 'string' && typeof value.before === 'number' && typeof value.end === 'number' && typeof value.max === 'number') {
      steps.push({ step: value.step, before: value.before, end: value.end, max: value.max });
    }
  }
  return { steps, overhead };
}
