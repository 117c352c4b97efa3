// picoformer sim with a stand-in machine and scripted keyboard: console bytes both ways, Ctrl-] quits, the pty
// keeps it running, a crash ends it, the heap budget and the drive folder it boots.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SimDeps, type SimMachine, simCommand } from '../../../src/cli/commands/sim';
import type { ConsoleInput } from '../../../src/cli/consoleInput';
import { splitAtQuit } from '../../../src/cli/consoleInput';
import type { Terminal } from '../../../src/cli/interactive';
import { Emitter } from '../../../src/device/serial/emitter';
import type { StopInfo, VirtualPicoOptions } from '../../../src/sim/virtualPico';

class FakeMachine implements SimMachine {
  readonly driveDir: string;
  readonly heapBudget: number;
  readonly written: string[] = [];
  started = false;
  stopped = false;
  private readonly output = new Emitter<Uint8Array>();
  private readonly stops = new Emitter<StopInfo>();
  readonly onOutput = this.output.event;
  readonly onStop = this.stops.event;

  constructor(options: VirtualPicoOptions) {
    this.driveDir = options.driveDir;
    this.heapBudget = options.heapBudget ?? 0;
  }
  async start() {
    this.started = true;
    this.print('code.py output:\r\n');
  }
  async stop() {
    this.stopped = true;
  }
  async write(data: Uint8Array | string) {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    this.written.push(text);
    if (text.includes('\r')) this.print(`echo ${text.trim()}\r\n`);
  }
  print(text: string) {
    this.output.fire(new TextEncoder().encode(text));
  }
  crash(message: string) {
    this.stops.fire({ reason: 'crashed', message });
  }
}

/** Keyboard input the test types; `end()` closes it like a pipe. */
class FakeInput implements ConsoleInput {
  isTty = true;
  private onData: ((bytes: Uint8Array) => void) | undefined;
  private onEnd: (() => void) | undefined;
  stopped = false;
  start(onData: (bytes: Uint8Array) => void, onEnd: () => void) {
    this.onData = onData;
    this.onEnd = onEnd;
    return () => void (this.stopped = true);
  }
  type(text: string) {
    this.onData?.(new TextEncoder().encode(text));
  }
  end() {
    this.onEnd?.();
  }
}

describe('picoformer sim', () => {
  let root: string;
  let runtime: string;
  let machine: FakeMachine | undefined;
  let input: FakeInput;
  let interrupts: Set<() => void>;
  let pty: { link?: string; started: boolean; stopped: boolean };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pf-sim-'));
    runtime = join(root, 'board');
    mkdirSync(join(runtime, 'lib', 'picoformer'), { recursive: true });
    writeFileSync(join(runtime, 'code.py'), 'import picoformer\n');
    writeFileSync(join(runtime, 'lib', 'picoformer', 'app.py'), '# runtime\n');
    machine = undefined;
    input = new FakeInput();
    interrupts = new Set();
    pty = { started: false, stopped: false };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const terminal: Terminal = { onInterrupt: (h) => (interrupts.add(h), () => interrupts.delete(h)), confirm: () => undefined, stderrIsTty: false };

  /** Starts `sim`; `script` runs once the machine is up. */
  async function sim(args: string[], script: (m: FakeMachine) => void = () => undefined) {
    const deps: SimDeps = {
      createMachine: (options) => {
        machine = new FakeMachine(options);
        const started = machine.start.bind(machine);
        machine.start = async () => {
          await started();
          setTimeout(() => script(machine!), 5);
        };
        return machine;
      },
      createPty: (_m, link) => ({
        start: async () => ((pty.started = true), (pty.link = link), link ?? '/tmp/picoformer-vpico'),
        stop: async () => void (pty.stopped = true),
      }),
      input,
      terminal,
      runtimeDir: () => runtime,
      virtualDrive: () => join(root, 'cache', 'CIRCUITPY'),
    };
    let out = '';
    let err = '';
    const code = await simCommand(deps).run(args, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  it('relays keys and output like a serial terminal; Ctrl-] quits after sending what came before it', async () => {
    const drive = join(root, 'drive');
    mkdirSync(drive);
    writeFileSync(join(drive, 'code.py'), 'print("hi")\n');
    const r = await sim(['--drive', drive], () => {
      input.type('\x03');
      input.type('help()\r');
      input.type('ab\x1dcd');
    });
    assert.equal(r.code, 0);
    assert.deepEqual(machine?.written, ['\x03', 'help()\r', 'ab']);
    assert.equal(r.out, 'code.py output:\r\necho help()\r\n');
    assert.match(r.err, /^Virtual Pico: drive .*drive, heap budget 140 KB\. Ctrl-\] quits; Ctrl-C goes to the board\.\n$/);
    assert.ok(machine?.stopped && input.stopped);
    assert.equal(readFileSync(join(drive, 'code.py'), 'utf8'), 'print("hi")\n', 'a drive with a program is left as it is');
    assert.match(readFileSync(join(drive, 'boot_out.txt'), 'utf8'), /Picoformer Virtual Pico/);
  });

  it('the default drive is created with boot_out.txt and the runtime', async () => {
    const r = await sim([], () => input.type('\x1d'));
    assert.equal(r.code, 0);
    const drive = join(root, 'cache', 'CIRCUITPY');
    assert.equal(machine?.driveDir, drive);
    assert.equal(readFileSync(join(drive, 'code.py'), 'utf8'), 'import picoformer\n');
    assert.ok(existsSync(join(drive, 'lib', 'picoformer', 'app.py')));
    assert.ok(existsSync(join(drive, 'boot_out.txt')));
    assert.match(r.err, /^Installed the Picoformer runtime on .*CIRCUITPY \(deploy a model with: picoformer deploy MODEL --virtual\)\.\n/);
  });

  it('the end of piped input quits; with --pty it keeps running until Ctrl-C', async () => {
    input.isTty = false;
    const piped = await sim([], () => input.end());
    assert.equal(piped.code, 0);
    assert.match(piped.err, /Ctrl-\] \(0x1d\) or the end of input quits\./);

    const withPty = await sim(['--pty', '--pty-path', join(root, 'tty')], () => {
      input.end();
      setTimeout(() => interrupts.forEach((h) => h()), 20);
    });
    assert.equal(withPty.code, 130);
    assert.match(withPty.err, /Console also on .*tty: screen .*tty 115200, or tio .*tty\n/);
    assert.deepEqual(pty, { started: true, stopped: true, link: join(root, 'tty') });
  });

  it('a crashed machine ends the session with its reason', async () => {
    const r = await sim([], (m) => m.crash('the virtual Pico crashed: out of memory'));
    assert.equal(r.code, 1);
    assert.match(r.err, /\npicoformer sim: the virtual Pico crashed: out of memory\n$/);
  });

  it('takes the heap budget from --heap-kb or a board profile', async () => {
    await sim(['--heap-kb', '64'], () => input.type('\x1d'));
    assert.equal(machine?.heapBudget, 64 * 1024);
    await sim(['--board', 'pico-w-cp9'], () => input.type('\x1d'));
    assert.equal(machine?.heapBudget, 100 * 1024);
  });

  it('checks its arguments', async () => {
    await assert.rejects(sim(['--heap-kb', '64', '--board', 'pico2-cp9']), /choose one of --heap-kb and --board/);
    await assert.rejects(sim(['--heap-kb', '8']), /--heap-kb must be between 16 and 8192/);
    await assert.rejects(sim(['--pty-path', '/tmp/x']), /--pty-path goes with --pty/);
    await assert.rejects(sim(['--drive', join(root, 'missing')]), /The drive folder .*missing does not exist/);
    await assert.rejects(sim(['extra']), /unexpected argument "extra"/);
    assert.equal(machine, undefined);
  });
});

describe('the quit key', () => {
  it('splits input at Ctrl-]', () => {
    assert.deepEqual(splitAtQuit(new Uint8Array([1, 2])), { send: new Uint8Array([1, 2]), quit: false });
    assert.deepEqual(splitAtQuit(new Uint8Array([1, 0x1d, 2])), { send: new Uint8Array([1]), quit: true });
  });
});
