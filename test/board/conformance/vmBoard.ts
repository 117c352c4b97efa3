// The board's side of the conformance corpus in the MicroPython VM (WebAssembly), judged as the CPython runner
// (test/board/python/conformance.py) judges it: one runtime for the whole corpus, each file alone in /models,
// `list`, a resident `load` when the list took the file, then `mem` answered. A Python exception escaping the
// runtime's step is a crash (a fresh VM then takes over, as a board would restart).
import { BoardVm, type BoardEvent } from '../vm/boardVm';

export interface BoardVerdict {
  list: string | null;
  load: string | null;
  answers: boolean;
  crash: string | null;
}

/** Steps a command may take to be answered (a load of the corpus's tiny models takes four or five). */
const Steps = 400;

class Hung extends Error {}

export class VmBoard {
  private cursor = 0;

  private constructor(private vm: BoardVm) {}

  static async start(): Promise<VmBoard> {
    const board = new VmBoard(await VmBoard.boot());
    board.ask({ cmd: 'hello' }, ['ready']);
    return board;
  }

  private static async boot(): Promise<BoardVm> {
    const vm = await BoardVm.create({}, null);
    vm.boot();
    vm.step(3); // ready, then the (empty) list
    return vm;
  }

  /** The first event named in `want` that the command causes. */
  private ask(cmd: Record<string, unknown>, want: readonly string[]): BoardEvent {
    this.cursor = this.vm.lines.length;
    this.vm.command(cmd);
    for (let i = 0; i < Steps; i++) {
      this.vm.step();
      for (; this.cursor < this.vm.lines.length; this.cursor++) {
        const line = this.vm.lines[this.cursor];
        if (!line.startsWith('@pf ')) continue;
        const e = JSON.parse(line.slice(4)) as BoardEvent;
        if (want.includes(e.ev)) {
          this.cursor++;
          return e;
        }
      }
    }
    throw new Hung(`no ${want.join('/')} after ${String(cmd.cmd)}`);
  }

  async judge(bytes: Uint8Array): Promise<BoardVerdict> {
    const r: BoardVerdict = { list: null, load: null, answers: false, crash: null };
    this.vm.emptyFolder('/models');
    this.vm.writeBytes('/models/m.safetensors', bytes);
    try {
      const listed = this.ask({ cmd: 'list' }, ['models', 'error']);
      if (listed.ev === 'error') r.list = String(listed.code);
      else {
        const entry = (listed.models as { error?: { code: string } }[])[0];
        r.list = entry.error ? entry.error.code : 'ok';
      }
      if (r.list === 'ok') {
        const loaded = this.ask({ cmd: 'load', name: 'm', mode: 'resident' }, ['loaded', 'error']);
        r.load = loaded.ev === 'loaded' ? 'ok' : String(loaded.code);
      }
      r.answers = this.ask({ cmd: 'mem', req: 1 }, ['memory']).req === 1;
      if (this.vm.value<boolean>('vpico._app.model is not None')) this.ask({ cmd: 'unload' }, ['unloaded']);
    } catch (err) {
      r.crash = err instanceof Hung ? `hung: ${err.message}` : `${(err as { type?: string }).type ?? 'error'}: ${err instanceof Error ? err.message.split('\n').slice(-2).join(' ') : String(err)}`;
    }
    if (r.list === 'internal' || r.load === 'internal') r.crash ??= 'internal error event';
    if (r.crash !== null || !r.answers) {
      this.vm = await VmBoard.boot();
      this.ask({ cmd: 'hello' }, ['ready']);
    }
    return r;
  }
}

/** One line per file where the board's verdict differs from the TypeScript reader's (`header`, `full`). */
export function disagreement(name: string, ts: { header: string; full: string }, board: BoardVerdict): string | undefined {
  const wantLoad = ts.header === 'ok' ? ts.full : null;
  if (board.crash === null && board.answers && board.list === ts.header && board.load === wantLoad) return undefined;
  return `${name}: TypeScript ${ts.header}/${ts.full}, board ${board.list}/${board.load}${board.crash ? ` (${board.crash})` : ''}`;
}
