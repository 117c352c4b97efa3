// Drives the board runtime's App in the MicroPython VM one App.step() at a time, as the virtual Pico does, and
// records the heap around every step (test/board/memory-vm.ts explains what the VM can and cannot show).
import { performance } from 'node:perf_hooks';
import { HeapVm } from './memory-vm';

export interface AppStep {
  /** What ran: the continuation's name (load_header, load_finish...), "line" for a command, "gen" for a pass. */
  label: string;
  /** Live heap before and after (above the VM's baseline), bytes allocated inside the step. */
  before: number;
  allocated: number;
  after: number;
  /** Wall time of the step in the VM (ms). */
  ms: number;
}

export type AppEvent = { ev: string } & Record<string, unknown>;

const MaxStepsPerCommand = 100_000;

export class AppSession {
  readonly steps: AppStep[] = [];
  private seenLines = 0;

  private constructor(
    private readonly vm: HeapVm,
    readonly baseline: number,
  ) {}

  /** A VM with the runtime, the given files in /models, and an App built (not yet booted). */
  static async start(models: Record<string, Uint8Array>): Promise<AppSession> {
    const vm = await HeapVm.create();
    for (const [name, bytes] of Object.entries(models)) vm.writeFile(`/models/${name}`, bytes);
    vm.run('_inbox = []');
    const baseline = vm.live();
    const session = new AppSession(vm, baseline);
    session.record('import app', 'from picoformer.app import App');
    session.record(
      'App()',
      '_app = App(models_dir="/models", source=lambda: _inbox.pop(0) if _inbox else "", autoload=False, np=None, idle_ms=0)\n_app.debug = True',
    );
    return session;
  }

  /** Live heap now, above the baseline. */
  live(): number {
    return this.vm.live() - this.baseline;
  }

  /** Boots the App: the ready event and the model listing. */
  boot(): AppStep[] {
    return this.untilIdle(() => this.record('boot', '_app.step()'));
  }

  /** Sends one protocol command and runs steps until the App is idle again (a generation runs to its end). */
  command(cmd: Record<string, unknown>): AppStep[] {
    this.vm.run(`_inbox.append(${JSON.stringify(`@pf ${JSON.stringify(cmd)}\n`)})`);
    return this.untilIdle(() => this.record('line', '_app.step()'));
  }

  /** Events printed since the session started (host-mode "@pf" lines). */
  events(): AppEvent[] {
    return this.vm.output.filter((l) => l.startsWith('@pf ')).map((l) => JSON.parse(l.slice(4)) as AppEvent);
  }

  /** Events since the last call. */
  newEvents(): AppEvent[] {
    const all = this.events();
    const fresh = all.slice(this.seenLines);
    this.seenLines = all.length;
    return fresh;
  }

  /** The VM itself, for measurements outside the App. Use it only while this session is the VM in use. */
  get raw(): HeapVm {
    return this.vm;
  }

  private untilIdle(first: () => AppStep): AppStep[] {
    const out = [first()];
    for (let i = 0; i < MaxStepsPerCommand; i++) {
      this.vm.run('_busy = _app.next is not None or _app.gen is not None or bool(_inbox) or bool(_app.console.lines)\n_lbl = "gen" if _app.next is None else _app.next.__name__');
      if (this.vm.get('_busy') !== true) return out;
      out.push(this.record(this.vm.get('_lbl') as string, '_app.step()'));
    }
    throw new Error(`the App was still busy after ${MaxStepsPerCommand} steps`);
  }

  private record(label: string, code: string): AppStep {
    const before = this.vm.live();
    const t0 = performance.now();
    this.vm.run(`_g0 = gc.mem_alloc()\n${code}\n_g1 = gc.mem_alloc()`);
    const ms = performance.now() - t0;
    const allocated = (this.vm.get('_g1') as number) - (this.vm.get('_g0') as number);
    const step = { label, before: before - this.baseline, allocated, after: this.vm.live() - this.baseline, ms };
    this.steps.push(step);
    return step;
  }
}
