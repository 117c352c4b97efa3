// The virtual Pico behaves like a Pico running CircuitPython for what the extension uses. Slow-ish (each test boots
// a MicroPython worker): run with `npx mocha --config test/sim/.mocharc.json`.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../../src/device/serial/session';
import type { Transport } from '../../src/device/transport';
import { VirtualPico } from '../../src/sim/virtualPico';
import { ConsoleReader, makeDrive, removeDrive, writeDriveFile } from './support';

const TIMEOUT = 20_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('virtual Pico', function () {
  this.timeout(TIMEOUT);
  let drive: string;
  let pico: VirtualPico;
  let transport: Transport;
  let console: ConsoleReader;

  async function boot(files: Record<string, string>, options: { heapBudget?: number } = {}): Promise<void> {
    drive = makeDrive(files);
    pico = new VirtualPico({ driveDir: drive, ...options });
    transport = pico.transport();
    console = new ConsoleReader(transport);
    await transport.open();
  }

  afterEach(async () => {
    console?.dispose();
    await pico?.stop();
    if (drive) removeDrive(drive);
  });

  it('boots like CircuitPython: banner, code.py output, then "Code done running."', async () => {
    await boot({ 'code.py': 'print("hello from code.py")\nprint(2 * 21)\n' });
    await console.waitFor('Auto-reload is on. Simply save files over USB to run them or enter REPL to disable.\r\n');
    await console.waitFor('code.py output:\r\n');
    assert.equal(await console.waitFor('Code done running.'), 'hello from code.py\r\n42\r\n\r\n');
    await console.waitFor('Press any key to enter the REPL. Use CTRL-D to reload.\r\n');
    assert.match(readFileSync(join(drive, 'boot_out.txt'), 'utf8'), /^MicroPython v1\.27\.0 on 2026-11-28; Picoformer Virtual Pico with WebAssembly\r\nBoard ID:picoformer_virtual_pico\r\nUID:[0-9A-F]{16}\r\n$/);
  });

  it('prints an uncaught exception as the board does, with code.py\'s line', async () => {
    await boot({ 'code.py': 'x = 1\nraise ValueError("boom")\n' });
    const before = await console.waitFor('Code done running.');
    assert.match(before, /Traceback \(most recent call last\):\r\n {2}File "code\.py", line 2, in <module>\r\nValueError: boom\r\n/);
    assert.doesNotMatch(before, /<stdin>/);
  });

  it('Ctrl-C interrupts a busy loop and a sleep; any key then enters the REPL', async () => {
    await boot({ 'code.py': 'import time\nprint("looping")\nwhile True:\n    time.sleep(0.05)\n' });
    await console.waitFor('looping');
    await sleep(200);
    await transport.write('\x03');
    const tb = await console.waitFor('Code done running.', 3000);
    assert.match(tb, /KeyboardInterrupt/);
    await console.waitFor('Press any key');
    await transport.write('\r');
    await console.waitFor('MicroPython v1.27.0 on 2026-11-28; Picoformer Virtual Pico with WebAssembly\r\n>>> ');
    await transport.write('print(1+1)\r');
    assert.equal(await console.waitFor('>>> '), 'print(1+1)\r\n2\r\n');
  });

  it('Ctrl-C stops even a loop that never sleeps', async () => {
    await boot({ 'code.py': 'print("spin")\nwhile True:\n    pass\n' });
    await console.waitFor('spin');
    await transport.write('\x03');
    assert.match(await console.waitFor('Code done running.', 3000), /KeyboardInterrupt/);
  });

  it('sleeps without burning a core', async () => {
    await boot({ 'code.py': 'import time\nprint("sleeping")\ntime.sleep(3)\n' });
    await console.waitFor('sleeping');
    const before = process.cpuUsage();
    await sleep(1000);
    const used = process.cpuUsage(before);
    assert.ok(used.user + used.system < 400_000, `used ${(used.user + used.system) / 1000} ms of CPU in 1 s`);
  });

  it('Ctrl-D at the REPL soft-reboots and runs code.py again, in a fresh interpreter', async () => {
    await boot({ 'code.py': 'import sys\ncount = getattr(sys, "_n", 0)\nprint("run")\n' });
    await console.waitFor('Press any key');
    await transport.write(' ');
    await console.waitFor('>>> ');
    await transport.write('leftover = 5\r');
    await console.waitFor('>>> ');
    await transport.write('\x04');
    await console.waitFor('soft reboot\r\n');
    await console.waitFor('code.py output:\r\nrun\r\n');
    await console.waitFor('Press any key');
    await transport.write('\r');
    await console.waitFor('>>> ');
    await transport.write('print("leftover" in globals())\r');
    assert.match(await console.waitFor('>>> '), /False/);
  });

  it('runs raw REPL snippets: print(1+1) and gc.mem_free() against the heap budget', async () => {
    await boot({ 'code.py': 'print("idle")\n' }, { heapBudget: 100_000 });
    const session = new Session(transport);
    await session.open();
    await console.waitFor('Press any key');
    assert.deepEqual(await session.exec('print(1+1)'), { stdout: '2\n', stderr: '' });
    const free = await session.memFree();
    assert.ok(free > 90_000 && free <= 100_000, `mem_free ${free}`);
    assert.match((await session.exec('1/0')).stderr, /ZeroDivisionError/);
  });

  it('reloads 750 ms after a file on the drive changes, stopping running code', async () => {
    await boot({ 'code.py': 'import time\nprint("version 1")\nwhile True:\n    time.sleep(0.05)\n' });
    await console.waitFor('version 1');
    writeDriveFile(drive, 'code.py', 'print("version 2")\n');
    const t0 = Date.now();
    await console.waitFor('Code stopped by auto-reload. Reloading soon.\r\n', 5000);
    const waited = Date.now() - t0;
    assert.ok(waited >= 600, `reloaded after ${waited} ms`);
    await console.waitFor('soft reboot\r\n');
    await console.waitFor('code.py output:\r\nversion 2\r\n');
  });

  it('reloads when code has finished, and sees new library files', async () => {
    await boot({ 'code.py': 'print("first")\n' });
    await console.waitFor('Press any key');
    writeDriveFile(drive, 'lib/helper.py', 'WORD = "from lib"\n');
    writeDriveFile(drive, 'code.py', 'import helper\nprint(helper.WORD)\n');
    await console.waitFor('soft reboot', 5000);
    assert.match(await console.waitFor('Code done running.'), /from lib/);
  });

  it('holds an attached program to the heap budget: MemoryError through read_input', async () => {
    const app = [
      'import vpico',
      'class App:',
      '    def __init__(self):',
      '        self.blocks = []',
      '    def step(self):',
      '        try:',
      '            vpico.read_input()',
      '        except MemoryError as e:',
      '            print("MemoryError at", len(self.blocks), "KB:", e)',
      '            self.blocks = []',
      '            raise SystemExit',
      '        self.blocks.append(bytearray(1024))',
      '        return True',
      'print("budget", vpico.HEAP_LIMIT)',
      'vpico.attach(App())',
    ].join('\n');
    await boot({ 'code.py': app }, { heapBudget: 64 * 1024 });
    await console.waitFor('budget 65536');
    const out = await console.waitFor('Code done running.', 10_000);
    const match = /MemoryError at (\d+) KB: memory allocation failed/.exec(out);
    assert.ok(match, out);
    const kb = Number(match[1]);
    assert.ok(kb >= 50 && kb <= 64, `failed at ${kb} KB`);
    assert.ok((pico.heap?.peak ?? 0) > 60_000);
  });

  it('an attached program that ignores read_input still fails at the budget', async () => {
    const app = ['import vpico', 'class App:', '    blocks = []', '    def step(self):', '        self.blocks.append(bytearray(2048))', 'vpico.attach(App())'].join('\n');
    await boot({ 'code.py': app }, { heapBudget: 32 * 1024 });
    assert.match(await console.waitFor('Code done running.', 10_000), /MemoryError: memory allocation failed/);
  });

  it('Ctrl-C reaches an attached program as "\\x03" in read_input', async () => {
    const app = [
      'import vpico',
      'class App:',
      '    def step(self):',
      '        data = vpico.read_input()',
      '        if "\\x03" in data:',
      '            print("got ctrl-c")',
      '            raise KeyboardInterrupt',
      '        if data:',
      '            print("got", repr(data))',
      'vpico.attach(App())',
      'print("attached")',
    ].join('\n');
    await boot({ 'code.py': app });
    await console.waitFor('attached');
    await transport.write('abc');
    await console.waitFor("got 'abc'");
    await transport.write('\x03');
    await console.waitFor('got ctrl-c');
    await console.waitFor('Code done running.');
  });

  it('a stuck step gets a KeyboardInterrupt', async () => {
    const app = ['import vpico', 'class App:', '    def step(self):', '        print("stuck")', '        while True:', '            pass', 'vpico.attach(App())'].join('\n');
    await boot({ 'code.py': app });
    await console.waitFor('stuck');
    await transport.write('\x03');
    assert.match(await console.waitFor('Code done running.', 3000), /KeyboardInterrupt/);
  });

  it('stopping it looks like an unplug to its transport, starting it again like a replug', async () => {
    await boot({ 'code.py': 'print("up")\n' });
    await console.waitFor('up');
    const events: string[] = [];
    transport.onClose((c) => events.push(`close:${c.reason}:${c.willReconnect}`));
    transport.onOpen((o) => events.push(`open:${o.reconnected}`));
    await pico.stop();
    assert.equal(transport.state, 'reconnecting');
    await assert.rejects(transport.write('x'), /reconnecting/);
    await pico.start();
    await console.waitFor('up');
    assert.deepEqual(events, ['close:disconnected:true', 'open:true']);
  });

  it('refuses a drive folder that does not exist, and a silly budget', async () => {
    await assert.rejects(new VirtualPico({ driveDir: '/nonexistent/vpico' }).start(), /does not exist or is not a folder/);
    assert.throws(() => new VirtualPico({ driveDir: '/tmp', heapBudget: 10 }), /at least 1024 bytes/);
  });
});
