// The board runtime in MicroPython (WebAssembly), driven the way the virtual Pico drives it: board/ copied into
// the VM's filesystem, a test `vpico` module (input queue, heap budget), code.py run, then app.step() one call at
// a time. Live heap is read between calls (the VM collects garbage only when control is back in JS: see
// ../shared/docs/testing-recipes.md, section 2).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const Repo = join(__dirname, '..', '..', '..');
/** The runtime under test: board/, or another copy of it (PICOFORMER_BOARD_DIR, e.g. an older commit's). */
export const BoardDir = process.env.PICOFORMER_BOARD_DIR ?? join(Repo, 'board');

interface MicroPython {
  runPython(code: string): unknown;
  globals: { get(key: string): unknown; set(key: string, value: unknown): void };
  FS: { mkdir(path: string): void; writeFile(path: string, data: Uint8Array | string): void; unlink(path: string): void; readdir(path: string): string[] };
}

export type BoardEvent = { ev: string } & Record<string, unknown>;

/** Whitespace outside the JSON strings of an event line, with some context, or undefined (compact JSON). */
export function looseWhitespace(line: string): string | undefined {
  const body = line.slice(4);
  let inside = false;
  let escaped = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (inside) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inside = false;
    } else if (ch === '"') inside = true;
    else if (ch === ' ' || ch === '\t') return body.slice(Math.max(0, i - 20), i + 24);
  }
  return undefined;
}

/** The test stand-in for the virtual Pico's module (docs/protocol.md, "The virtual Pico"). */
function vpicoSource(heapLimit: number | null): string {
  return [
    '_app = None',
    '_in = []',
    `HEAP_LIMIT = ${heapLimit === null ? 'None' : String(heapLimit)}`,
    'def attach(app):',
    '    global _app',
    '    _app = app',
    'def read_input():',
    '    if not _in:',
    '        return ""',
    '    s = "".join(_in)',
    '    _in.clear()',
    '    return s',
    '',
  ].join('\n');
}

function copyTree(mp: MicroPython, from: string, to: string): void {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = `${to}/${name}`;
    if (statSync(src).isDirectory()) {
      mp.FS.mkdir(dst);
      copyTree(mp, src, dst);
    } else if (name.endsWith('.py') || name.endsWith('.mpy')) {
      mp.FS.writeFile(dst, readFileSync(src));
    }
  }
}

/** One VM at a time: the WebAssembly glue keeps its module in a global (a second VM breaks the first). */
export class BoardVm {
  /** Lines printed by the VM (stdout and stderr). */
  readonly lines: string[];
  /** Live heap (bytes above the empty VM) measured after each step by stepMeasured(). */
  readonly liveAfterStep: number[] = [];
  private baseline = 0;
  private cursor = 0;

  private constructor(
    private readonly mp: MicroPython,
    lines: string[],
  ) {
    this.lines = lines;
  }

  /** A VM with board/ (or boardDir: a drive folder a deploy wrote) at its root, the given model files in /models,
   *  and the runtime NOT started yet. */
  static async create(models: Record<string, string>, heapLimit: number | null = null, boardDir = BoardDir): Promise<BoardVm> {
    const module = (await import('@micropython/micropython-webassembly-pyscript/micropython.mjs' as string)) as {
      loadMicroPython(o: object): Promise<MicroPython>;
    };
    const lines: string[] = [];
    const mp = await module.loadMicroPython({ heapsize: 256 * 1024, linebuffer: true, stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t) });
    const vm = new BoardVm(mp, lines);
    copyTree(mp, boardDir, '');
    mp.FS.mkdir('/models');
    for (const [name, path] of Object.entries(models)) mp.FS.writeFile(`/models/${name}`, readFileSync(path));
    mp.FS.writeFile('/lib/vpico.py', vpicoSource(heapLimit));
    mp.runPython('import gc, vpico');
    vm.baseline = vm.rawLive();
    return vm;
  }

  /** Copies a host file into the VM's filesystem. */
  addFile(vmPath: string, hostPath: string): void {
    this.mp.FS.writeFile(vmPath, readFileSync(hostPath));
  }

  /** Writes bytes to a file in the VM's filesystem (a file on the drive, for instance). */
  writeBytes(vmPath: string, data: Uint8Array): void {
    this.mp.FS.writeFile(vmPath, data);
  }

  /** Removes every file in a folder of the VM's filesystem. */
  emptyFolder(vmPath: string): void {
    for (const name of this.mp.FS.readdir(vmPath)) if (name !== '.' && name !== '..') this.mp.FS.unlink(`${vmPath}/${name}`);
  }

  /** Runs code.py (the runtime attaches itself to vpico and returns). */
  boot(): void {
    this.mp.runPython('exec(open("/code.py").read(), {"__name__": "__main__"})');
  }

  run(code: string): void {
    this.mp.runPython(code);
  }

  /** A Python value, computed by `expr` in the VM's __main__. */
  value<T>(expr: string): T {
    this.mp.runPython(`_v = ${expr}`);
    return this.mp.globals.get('_v') as T;
  }

  private rawLive(): number {
    this.mp.runPython('gc.collect()');
    this.mp.runPython('gc.collect()');
    this.mp.runPython('_m = gc.mem_alloc()');
    return this.mp.globals.get('_m') as number;
  }

  /** Bytes allocated and still reachable, above the empty VM (with vpico imported). */
  live(): number {
    return this.rawLive() - this.baseline;
  }

  step(n = 1): void {
    for (let i = 0; i < n; i++) this.mp.runPython('vpico._app.step()');
  }

  /** One step, then the live heap (recorded in liveAfterStep). */
  stepMeasured(): number {
    this.step();
    const live = this.live();
    this.liveAfterStep.push(live);
    return live;
  }

  send(text: string): void {
    // Handed over as a value, not compiled as a literal: the compiler would intern every distinct line for good
    // (a qstr; now and then a whole new qstr pool), which the virtual Pico's input never does.
    this.mp.globals.set('_vm_in', text);
    this.mp.runPython('vpico._in.append(_vm_in)\n_vm_in = None');
  }

  command(cmd: Record<string, unknown>): void {
    this.send(`@pf ${JSON.stringify(cmd)}\n`);
  }

  events(): BoardEvent[] {
    return this.eventLines().map((l) => JSON.parse(l.slice(4)) as BoardEvent);
  }

  eventLines(): string[] {
    return this.lines.filter((l) => l.startsWith('@pf '));
  }

  /** Steps (measuring the heap after each when `measure`) until an event `ev` follows the last one returned. */
  until(ev: string, opts: { measure?: boolean; limit?: number; match?: Record<string, unknown> } = {}): BoardEvent {
    const limit = opts.limit ?? 5000;
    for (let i = 0; i <= limit; i++) {
      const evs = this.events();
      for (let j = this.cursor; j < evs.length; j++) {
        const e = evs[j];
        if (e.ev === ev && Object.entries(opts.match ?? {}).every(([k, v]) => e[k] === v)) {
          this.cursor = j + 1;
          return e;
        }
      }
      if (opts.measure) this.stepMeasured();
      else this.step();
    }
    throw new Error(`no "${ev}" event after ${limit} steps; last output:\n${this.lines.slice(-8).join('\n')}`);
  }

  /** Events after the last one until() returned, up to and including the next `ev` (consumed). */
  collectUntil(ev: string, opts: { measure?: boolean; limit?: number } = {}): BoardEvent[] {
    const from = this.cursor;
    this.until(ev, opts);
    return this.events().slice(from, this.cursor);
  }
}
