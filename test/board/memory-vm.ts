// A MicroPython VM (WebAssembly) with the board runtime in its filesystem, for measuring heap use.
// The VM's heap is not a board's (../shared/docs/testing-recipes.md, section 2): it collects garbage only when
// control returns to JS and grows on demand, so live heap is read BETWEEN runPython calls (after gc.collect()),
// and what one call allocates is read as the growth of gc.mem_alloc() inside it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const RepoRoot = join(__dirname, '../..');
export const RuntimeDir = join(RepoRoot, 'board/lib/picoformer');

interface MicroPython {
  runPython(code: string): unknown;
  globals: { get(key: string): unknown; set(key: string, value: unknown): void };
  FS: { mkdir(path: string): void; writeFile(path: string, data: Uint8Array | string): void };
}

/** One call observed: live heap before it, bytes it allocated, live heap after it (all in bytes). */
export interface Step {
  label: string;
  before: number;
  allocated: number;
  after: number;
}

/** One VM at a time: the WebAssembly glue keeps the running module in a global, so creating a second VM breaks the
 *  first (it aborts on its next call). Finish with one before creating the next. */
export class HeapVm {
  readonly output: string[] = [];
  readonly steps: Step[] = [];

  private constructor(private readonly mp: MicroPython) {}

  /** A fresh VM with board/lib/picoformer at /lib/picoformer and an empty /models. */
  static async create(heapBytes = 2 << 20): Promise<HeapVm> {
    const module = (await import('@micropython/micropython-webassembly-pyscript/micropython.mjs' as string)) as {
      loadMicroPython(o: object): Promise<MicroPython>;
    };
    const vm: HeapVm = new HeapVm(
      await module.loadMicroPython({ heapsize: heapBytes, linebuffer: true, stdout: (t: string) => vm.output.push(t), stderr: (t: string) => vm.output.push(t) }),
    );
    vm.mp.FS.mkdir('/lib');
    vm.mp.FS.mkdir('/lib/picoformer');
    vm.mp.FS.mkdir('/models');
    for (const f of readdirSync(RuntimeDir)) {
      if (f.endsWith('.py')) vm.mp.FS.writeFile(`/lib/picoformer/${f}`, readFileSync(join(RuntimeDir, f)));
    }
    vm.mp.runPython('import gc, sys\nsys.path.insert(0, "/lib")\n_g0 = 0\n_g1 = 0');
    return vm;
  }

  writeFile(path: string, data: Uint8Array | string): void {
    this.mp.FS.writeFile(path, data);
  }

  /** Live heap: bytes still allocated after a full collection (run between calls, where the VM can collect). */
  live(): number {
    this.mp.runPython('gc.collect()');
    this.mp.runPython('gc.collect()');
    this.mp.runPython('_g0 = gc.mem_alloc()');
    return this.mp.globals.get('_g0') as number;
  }

  /** Runs `code` as one call and records the live heap around it and what it allocated inside. */
  step(label: string, code: string): Step {
    const before = this.live();
    this.mp.runPython(`_g0 = gc.mem_alloc()\n${code}\n_g1 = gc.mem_alloc()`);
    const allocated = (this.mp.globals.get('_g1') as number) - (this.mp.globals.get('_g0') as number);
    const step = { label, before, allocated, after: this.live() };
    this.steps.push(step);
    return step;
  }

  run(code: string): void {
    this.mp.runPython(code);
  }

  get(name: string): unknown {
    return this.mp.globals.get(name);
  }
}
