// The virtual Pico's supervisor, run in the worker: what CircuitPython's main.c does around the interpreter.
// boot -> run code.py -> (attached runtime: step loop) -> "Code done running." -> "Press any key" -> REPL,
// with soft reboot (Ctrl-D), auto-reload and Ctrl-C. Every (re)boot gets a fresh interpreter, as the board gets a
// fresh heap.
//
// The board runtime's contract (docs/virtual-pico.md): its main() does `import vpico; vpico.attach(app)` and returns;
// the machine then calls app.step() repeatedly, collecting garbage and checking the heap budget between steps.

import { TextDecoder } from 'node:util';
import { BOARD_TEXT } from '../../device/protocol/boardMessages';
import { InputReader } from '../inputRing';
import type { MachineState, WorkerInit, WorkerMessage } from '../messages';
import { ConsoleOutput } from './consoleOutput';
import { syncDrive } from './driveSync';
import { type InterpreterHooks, type MicroPython, type PyObject, isPythonError, loadMicroPython } from './micropython';
import { PRELUDE, setGcBaseStatement } from './prelude';

type BootReason = 'power-on' | 'soft';
/** ok: the Python call returned. exit: SystemExit. reload: stopped by auto-reload. error: an uncaught exception. */
type RunEnd = { kind: 'ok' } | { kind: 'exit' } | { kind: 'reload' } | { kind: 'error'; traceback: string; type: string };

const CODE_FILES = ['code.txt', 'code.py', 'main.txt', 'main.py'];
const CTRL_B = 0x02;
const CTRL_D = 0x04;
/** replProcessChar's result when the REPL asks for a soft reboot (Ctrl-D, sys.exit()). */
const PYEXEC_FORCED_EXIT = 0x100;
const HEAP_REPORT_MS = 250;
/** An idle attached runtime is stepped at least this often (input wakes it at once). */
const IDLE_STEP_MS = 10;
const MAX_IDLE_STEP_MS = 100;
/** A step still running this long after a Ctrl-C arrived gets a KeyboardInterrupt. */
const STUCK_STEP_MS = 300;
/** Repeated identical time queries mean a busy-wait (time.sleep): sleep for real instead of burning a core. */
const BUSY_WAIT_CALLS = 50;
const VM_FIRST_HEAP = 256 * 1024;
const MICROPYTHON_BANNER = /MicroPython v[^\r\n]*\r?\nType "help\(\)" for more information\.\r?\n/g;

export class Machine {
  private readonly input: InputReader;
  private readonly out: ConsoleOutput;
  private readonly decoder = new TextDecoder();
  private mp!: MicroPython;
  private gcCollect!: () => unknown;
  private gcMemAlloc!: () => unknown;
  private gcBase = 0;
  private syncedPaths = new Set<string>();
  private state: MachineState = 'booting';
  private interruptible = false;
  private reloadRequested = false;
  private lastReloadKick = 0;
  private capture: number[] | undefined;
  private app: PyObject | undefined;
  private pendingMemoryError: string | undefined;
  private memoryErrorSteps = 0;
  private lastRaisedUsage = 0;
  private peakUsage = 0;
  private lastHeapReport = 0;
  private lastReportedUsage = -1;
  private allocAfterCollect = -1;
  private stepStarted = 0;
  private lastTicks = -1;
  private sameTicks = 0;

  constructor(
    private readonly init: WorkerInit,
    private readonly post: (message: WorkerMessage) => void,
  ) {
    this.input = new InputReader(init.input);
    this.out = new ConsoleOutput((bytes) => this.post({ type: 'output', bytes }));
  }

  /** Runs until the worker is terminated. */
  async run(): Promise<never> {
    let reason: BootReason = this.init.resume === 'interrupted' ? await this.resumeAfterHardInterrupt() : 'power-on';
    for (;;) reason = await this.boot(reason);
  }

  /** The host replaced a worker stuck in a loop that Ctrl-C cannot reach (no calls out of the interpreter). */
  private async resumeAfterHardInterrupt(): Promise<BootReason> {
    this.setState('booting');
    await this.createInterpreter();
    this.input.flush();
    this.input.acknowledgeReload();
    this.out.text(
      'Traceback (most recent call last):\r\nKeyboardInterrupt: the virtual Pico restarted its interpreter to stop a loop that never yields\r\n',
    );
    this.title('Done');
    this.out.text(`\r\n${BOARD_TEXT.codeDone}\r\n`);
    return this.waitForKey();
  }

  private setState(state: MachineState): void {
    this.state = state;
    this.post({ type: 'state', state });
  }

  private async boot(reason: BootReason): Promise<BootReason> {
    this.setState('booting');
    if (reason === 'soft') this.out.text(`${BOARD_TEXT.softReboot}\r\n`);
    await this.createInterpreter();
    this.input.acknowledgeReload();
    this.reloadRequested = false;
    this.out.text(`\r\n${BOARD_TEXT.autoReloadOn}\r\n`);
    const end = this.runCodeFile();
    if (end.kind === 'reload') {
      this.out.text(`\r\n${BOARD_TEXT.autoReloadStopped}\r\n`);
      return 'soft';
    }
    if (end.kind === 'error') this.out.text(end.traceback);
    this.title('Done');
    this.out.text(`\r\n${BOARD_TEXT.codeDone}\r\n`);
    return this.waitForKey();
  }

  private async createInterpreter(): Promise<void> {
    const hooks: InterpreterHooks = { poll: () => this.poll(), ticks: (ms) => this.ticks(ms) };
    const sink = (bytes: Uint8Array) => {
      if (this.capture) this.capture.push(...bytes);
      else this.out.bytes(bytes);
    };
    this.app = undefined;
    this.pendingMemoryError = undefined;
    this.lastRaisedUsage = 0;
    this.peakUsage = 0;
    this.allocAfterCollect = -1;
    this.mp = await loadMicroPython(
      this.init.micropythonModule,
      { heapsize: VM_FIRST_HEAP, stdout: sink, stderr: sink, linebuffer: false },
      hooks,
    );
    this.mp.registerJsModule('_vpico_js', {
      attach: (app: PyObject) => {
        this.app = app;
        return null;
      },
      read_input: () => this.readInputForProgram(),
      bytes_available: () => this.input.available(),
      take_memory_error: () => {
        const message = this.pendingMemoryError ?? null;
        this.pendingMemoryError = undefined;
        return message;
      },
      heap_budget: () => this.init.heapBudget,
    });
    const sync = syncDrive(this.mp.FS, this.init.driveDir, new Set());
    this.syncedPaths = sync.paths;
    for (const warning of sync.warnings) this.post({ type: 'log', message: `drive: ${warning}` });
    this.mp.runPython(PRELUDE);
    const realGc = this.mp.globals.get('_vpico_real_gc') as PyObject;
    this.gcCollect = realGc.collect;
    this.gcMemAlloc = realGc.mem_alloc;
    this.gcCollect();
    this.gcBase = this.gcMemAlloc() as number;
    this.mp.runPython(setGcBaseStatement(this.gcBase));
  }

  /** Runs code.py (or the first of CircuitPython's other names), then the attached runtime if it attached. */
  private runCodeFile(): RunEnd {
    const file = CODE_FILES.find((name) => this.fileExists(name));
    if (!file) return { kind: 'ok' };
    this.title(file);
    this.out.text(`${file} output:\r\n`);
    this.setState('running');
    let end = this.runUser(() => this.mp.runPython(`_vpico_run(${JSON.stringify(file)})`));
    if (end.kind === 'ok') this.checkHeap();
    if (end.kind === 'ok' && this.app) end = this.runAttached(this.app);
    this.app = undefined;
    return end;
  }

  private runAttached(app: PyObject): RunEnd {
    this.setState('attached');
    let idleSteps = 0;
    // Fetch the method once: every attribute read through a proxy pins a new object in the interpreter's proxy table.
    const step = attribute(app, 'step');
    if (typeof step !== 'function') {
      return { kind: 'error', type: 'AttributeError', traceback: "AttributeError: the object given to vpico.attach() has no step() method\r\n" };
    }
    for (;;) {
      if (this.reloadRequested || this.input.reloadPending()) {
        this.input.acknowledgeReload();
        return { kind: 'reload' };
      }
      const token = this.input.wakeToken();
      const availableBefore = this.input.available();
      let end: RunEnd;
      if (this.pendingMemoryError !== undefined && ++this.memoryErrorSteps > 1) {
        // The runtime did not call read_input() during a whole step: fail outside it, as an uncaught MemoryError.
        const message = this.pendingMemoryError;
        this.pendingMemoryError = undefined;
        end = this.runUser(() => this.mp.runPython(`_vpico_raise_memory_error(${JSON.stringify(message)})`));
      } else {
        let result: unknown;
        this.stepStarted = Date.now();
        end = this.runUser(() => {
          result = step();
        });
        this.stepStarted = 0;
        if (end.kind === 'ok') {
          this.checkHeap();
          const busy = Boolean(result) || this.out.takeWroteFlag() || this.input.available() !== availableBefore;
          // Idle: wait for input (which wakes the wait at once), a little longer each idle step.
          idleSteps = busy ? 0 : idleSteps + 1;
          if (!busy) this.input.waitForChange(token, Math.min(MAX_IDLE_STEP_MS, IDLE_STEP_MS * idleSteps));
          continue;
        }
        if (end.kind === 'error' && end.type === 'KeyboardInterrupt' && this.interruptApp(app)) continue;
      }
      return end;
    }
  }

  /** What the runtime's own loop does on a board when Ctrl-C escapes a step: app.interrupt() stops a generation. */
  private interruptApp(app: PyObject): boolean {
    const interrupt = attribute(app, 'interrupt');
    if (typeof interrupt !== 'function') return false;
    let stopped = false;
    const end = this.runUser(() => {
      stopped = Boolean(interrupt());
    });
    return end.kind === 'ok' && stopped;
  }

  /** Runs Python that belongs to the user's program: Ctrl-C and auto-reload can interrupt it. */
  private runUser(body: () => void): RunEnd {
    this.interruptible = true;
    try {
      body();
      return { kind: 'ok' };
    } catch (err) {
      if (!isPythonError(err)) throw err;
      if (err.type === 'KeyboardInterrupt' && this.reloadRequested) return { kind: 'reload' };
      if (err.type === 'SystemExit') return { kind: 'exit' };
      return { kind: 'error', type: err.type, traceback: cleanTraceback(err.message) };
    } finally {
      this.interruptible = false;
      this.out.flush();
    }
  }

  /** After "Code done running.": the first key enters the REPL; Ctrl-D or a file change reloads. */
  private async waitForKey(): Promise<BootReason> {
    this.out.text(`\r\n${BOARD_TEXT.pressAnyKey}\r\n`);
    this.setState('waiting');
    for (;;) {
      const token = this.input.wakeToken();
      if (this.input.reloadPending()) return 'soft';
      const byte = this.input.readByte();
      if (byte === CTRL_D) return 'soft';
      if (byte >= 0) return this.repl();
      this.input.waitForChange(token, 1000);
    }
  }

  private repl(): BootReason {
    this.setState('repl');
    this.title('REPL');
    this.withBanner(() => this.mp.replInit());
    for (;;) {
      const token = this.input.wakeToken();
      if (this.input.reloadPending()) {
        // CircuitPython does not reload while at the REPL, but the files are visible to the next import.
        this.input.acknowledgeReload();
        this.resync();
      }
      const byte = this.input.readByte();
      if (byte < 0) {
        this.input.waitForChange(token, 1000);
        continue;
      }
      let status = 0;
      const run = () => {
        const end = this.runUser(() => {
          status = this.mp.replProcessChar(byte);
        });
        if (end.kind === 'error') this.out.text(end.traceback);
      };
      if (byte === CTRL_B) this.withBanner(run);
      else run();
      if (status & PYEXEC_FORCED_EXIT) return 'soft';
    }
  }

  /** Runs `body` and replaces MicroPython's REPL banner by CircuitPython's. */
  private withBanner(body: () => void): void {
    this.out.flush();
    this.capture = [];
    try {
      body();
    } finally {
      const text = Buffer.from(this.capture).toString('latin1').replace(MICROPYTHON_BANNER, `${this.init.bannerLine}\r\n`);
      this.capture = undefined;
      this.out.bytes(Buffer.from(text, 'latin1'));
      this.out.flush();
    }
  }

  /** What vpico.read_input() returns: the waiting input, decoded; a Ctrl-C stays in it as "\x03" for the runtime. */
  private readInputForProgram(): string {
    const bytes = this.input.readAll();
    return bytes.length ? this.decoder.decode(bytes, { stream: true }) : '';
  }

  /** Ctrl-C: like CircuitPython, drop the waiting input and raise KeyboardInterrupt in the running code. */
  private interrupt(): void {
    this.input.flush();
    this.mp._module._mp_sched_keyboard_interrupt();
  }

  /** Interpreter hook: deliver Ctrl-C and auto-reload to running code, and send output that has waited. */
  private poll(): void {
    if (!this.interruptible) return;
    const now = Date.now();
    this.out.flushIfOld(now);
    if (this.input.ctrlCPending()) {
      // An attached runtime reads Ctrl-C as input between steps; only a step that runs on without reading it
      // (stuck, or a long load) gets a KeyboardInterrupt, as the board's USB interrupt would raise.
      if (this.state !== 'attached' || (this.stepStarted && now - this.stepStarted > STUCK_STEP_MS)) this.interrupt();
      return;
    }
    if (this.state !== 'running' && this.state !== 'attached') return;
    if (this.input.reloadPending()) {
      this.input.acknowledgeReload();
      this.reloadRequested = true;
    }
    // A program may swallow the KeyboardInterrupt (CircuitPython's reload exception cannot be caught that way):
    // keep raising it until the program ends.
    if (this.reloadRequested && now - this.lastReloadKick > 100) {
      this.lastReloadKick = now;
      this.mp._module._mp_sched_keyboard_interrupt();
    }
  }

  /** Interpreter hook: time.sleep spins on the clock; sleep a millisecond at a time instead (input wakes it). */
  private ticks(ms: number): void {
    if (ms !== this.lastTicks) {
      this.lastTicks = ms;
      this.sameTicks = 0;
      return;
    }
    if (++this.sameTicks < BUSY_WAIT_CALLS) return;
    this.sameTicks = 0;
    this.poll();
    const token = this.input.wakeToken();
    if (!this.input.ctrlCPending() && !this.input.reloadPending()) this.input.waitForChange(token, 1);
  }

  /** Collects garbage (possible only between calls into the interpreter) and holds the program to the budget. */
  private checkHeap(): void {
    // Nothing allocated since the last collection: the live heap is what it was.
    if ((this.gcMemAlloc() as number) !== this.allocAfterCollect) {
      this.gcCollect();
      this.allocAfterCollect = this.gcMemAlloc() as number;
    }
    const usage = Math.max(0, this.allocAfterCollect - this.gcBase);
    const budget = this.init.heapBudget;
    this.peakUsage = Math.max(this.peakUsage, usage);
    let force = false;
    if (usage > budget) {
      // Like a board whose heap is full: the next allocation that needs more fails; holding steady does not.
      if (usage > this.lastRaisedUsage) {
        this.lastRaisedUsage = usage;
        if (this.pendingMemoryError === undefined) this.memoryErrorSteps = 0;
        this.pendingMemoryError = `memory allocation failed: the program holds ${usage} bytes, over the virtual Pico's heap budget of ${budget} bytes`;
        force = true;
      }
    } else {
      this.lastRaisedUsage = 0;
    }
    this.reportHeap(usage, force);
  }

  /** Tells the host the live heap: when it changed (at most every 250 ms), at least every 2.5 s, or when forced. */
  private reportHeap(usage: number, force = false): void {
    const now = Date.now();
    const changed = usage !== this.lastReportedUsage;
    if (force || now - this.lastHeapReport >= (changed ? HEAP_REPORT_MS : 10 * HEAP_REPORT_MS)) {
      this.lastHeapReport = now;
      this.lastReportedUsage = usage;
      this.post({ type: 'heap', used: usage, budget: this.init.heapBudget, peak: this.peakUsage });
    }
  }

  private resync(): void {
    const sync = syncDrive(this.mp.FS, this.init.driveDir, this.syncedPaths);
    this.syncedPaths = sync.paths;
    for (const warning of sync.warnings) this.post({ type: 'log', message: `drive: ${warning}` });
  }

  private fileExists(name: string): boolean {
    try {
      return !this.mp.FS.isDir(this.mp.FS.stat(`/${name}`).mode);
    } catch {
      return false;
    }
  }

  /** CircuitPython sets the terminal title (OSC 0) to show what runs. */
  private title(what: string): void {
    this.out.text(`\x1b]0;\u{1F40D}${what} | ${this.init.version}\x1b\\`);
  }
}

/** A Python attribute seen from JS, or undefined when it is missing (reading it through the proxy may throw). */
function attribute(object: PyObject, name: string): unknown {
  try {
    return object[name];
  } catch {
    return undefined;
  }
}

/** Drops the frames of the machine's own wrapper (file "<stdin>") and uses CRLF, as the board prints it. */
export function cleanTraceback(message: string): string {
  const lines = message
    .split(/\r?\n/)
    .filter((line) => !/^ {2}File "<stdin>"/.test(line));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => `${line}\r\n`).join('');
}
