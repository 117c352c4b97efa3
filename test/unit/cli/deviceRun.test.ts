// picoformer run against the scripted Pico (test/unit/serial/support/fakeBoard.ts) over the real SerialTransport
// and session on @serialport/binding-mock: streamed tokens, JSON events, statistics, Ctrl-C, an unplug mid-generation,
// a busy or forbidden port, a board at the REPL, and the choice of model on the board.
import assert from 'node:assert/strict';
import { chooseBoardModel } from '../../../src/cli/boardModel';
import { type BoardSpec, connectBoard } from '../../../src/cli/boardLink';
import { type RunDeps, runCommand } from '../../../src/cli/commands/run';
import type { Terminal } from '../../../src/cli/interactive';
import type { ModelEntry } from '../../../src/device/protocol/events';
import { SerialTransport } from '../../../src/device/serial/serialTransport';
import type { BoardDevice, DeviceSnapshot } from '../../../src/device/types';
import { FAKE_MODEL, FakeBoard } from '../serial/support/fakeBoard';
import { MockPortHarness } from '../serial/support/mockPort';

const PORT = '/dev/ttyACM0';

interface Result {
  code: number;
  out: string;
  err: string;
}

describe('picoformer run', () => {
  let harness: MockPortHarness;
  let fake: FakeBoard;
  let interrupts: Set<() => void>;
  let specs: BoardSpec[];
  let onOut: (text: string, out: string) => void;
  let snapshot: DeviceSnapshot;

  beforeEach(() => {
    harness = new MockPortHarness();
    harness.createPort(PORT, { vendorId: '239A', productId: '80F4' });
    fake = new FakeBoard(harness);
    interrupts = new Set();
    specs = [];
    onOut = () => undefined;
    snapshot = { devices: [], drives: [], bootloaderDrives: [], ports: [], portSource: 'serialport', notes: [] };
  });

  const terminal: Terminal = {
    onInterrupt: (h) => (interrupts.add(h), () => interrupts.delete(h)),
    confirm: () => undefined,
    stderrIsTty: false,
  };
  const pressCtrlC = () => interrupts.forEach((h) => h());

  async function run(...args: string[]): Promise<Result> {
    const deps: RunDeps = {
      probe: () => ({ scan: async () => snapshot, findings: async () => [] }),
      open: (spec) => {
        specs.push(spec);
        const path = spec.kind === 'serial' ? spec.port : 'virtual';
        return { transport: new SerialTransport({ path, binding: harness.binding, reconnect: false }), label: path, dispose: async () => undefined };
      },
      connect: (opened, options) => connectBoard(opened, { ...options, helloAttempts: 3, helloTimeoutMs: 300 }),
      terminal,
      runtimeDir: () => '/nowhere',
      virtualDrive: () => '/nowhere',
      seed: () => 4242,
    };
    let out = '';
    let err = '';
    const code = await runCommand(deps).run(args, {
      out: (t) => {
        out += t;
        onOut(t, out);
      },
      err: (t) => (err += t),
    });
    return { code, out, err };
  }

  it('streams the tokens to stdout and ends with the statistics on stderr', async () => {
    const r = await run('--port', PORT, '--prompt', 'Once', '-n', '9', '--seed', '7', '--temperature', '0.5', '--top-k', '3');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'Once upon\n');
    assert.match(r.err, /^Connected to picoformer 0\.1\.0 on \/dev\/ttyACM0: circuitpython 9\.2\.8, 118,000 bytes free\.\n/);
    assert.match(r.err, /\[9 tokens, stop: max_tokens, seed 7, 12\.5 tok\/s decode on \/dev\/ttyACM0, heap peak 51 of 154 KB\]\n$/);
    const generate = fake.commands.find((c) => c.cmd === 'generate');
    assert.deepEqual({ ...generate, req: undefined }, { cmd: 'generate', prompt: 'Once', max_tokens: 9, temperature: 0.5, top_k: 3, seed: 7, stop_at_context: false, req: undefined });
    assert.equal(fake.commands.at(-1)?.cmd, 'bye', 'the board is left in human mode');
  });

  it('--stop-at-context asks the board to stop at a full context', async () => {
    const r = await run('--port', PORT, '--prompt', 'Once', '-n', '3', '--seed', '7', '--stop-at-context');
    assert.equal(r.code, 0, r.err);
    assert.equal(fake.commands.find((c) => c.cmd === 'generate')?.stop_at_context, true);
  });

  it('--json prints one event per line; without --seed a fresh one is used and printed', async () => {
    const r = await run('--port', PORT, '-p', 'x', '-n', '3', '--json');
    assert.equal(r.code, 0, r.err);
    const events = r.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    assert.deepEqual(events.map((e) => e.type), ['connected', 'model', 'start', 'token', 'token', 'token', 'memory', 'done']);
    assert.deepEqual(events[1], { type: 'model', file: FAKE_MODEL, loaded: true });
    assert.deepEqual(events.filter((e) => e.type === 'token').map((e) => e.text), ['O', 'n', 'c']);
    assert.equal(events[7].reason, 'max_tokens');
    assert.equal(fake.commands.find((c) => c.cmd === 'generate')?.seed, 4242);
    assert.match(r.err, /seed 4242/);
  });

  it('Ctrl-C stops the generation on the board (exit 130)', async () => {
    fake.tokenDelayMs = 20;
    onOut = (_t, out) => {
      if (out === 'On') pressCtrlC();
    };
    const r = await run('--port', PORT, '--prompt', 'x', '-n', '200');
    assert.equal(r.code, 130);
    assert.match(r.err, /Stopping\.\.\./);
    assert.match(r.err, /stop: stopped/);
    assert.ok(fake.commands.some((c) => c.cmd === 'stop'));
  });

  it('a second Ctrl-C closes the port at once, still exit 130', async () => {
    fake.tokenDelayMs = 20;
    onOut = (_t, out) => {
      if (out === 'O') {
        pressCtrlC();
        pressCtrlC();
      }
    };
    const r = await run('--port', PORT, '--prompt', 'x', '-n', '200');
    assert.equal(r.code, 130);
    assert.match(r.err, /picoformer run: stopped after 1 token\.\n$|stop: stopped/);
  });

  it('a board unplugged mid-generation ends the run with the reason (exit 1)', async () => {
    fake.tokenDelayMs = 20;
    onOut = (_t, out) => {
      if (out === 'Onc') harness.unplug();
    };
    const r = await run('--port', PORT, '--prompt', 'x', '-n', '200');
    assert.equal(r.code, 1);
    assert.equal(r.out, 'Onc\n');
    assert.match(r.err, /picoformer run: the board went away mid-generation, after 3 tokens: The board on \/dev\/ttyACM0 disconnected.* \[disconnected\]\n$/);
  });

  it('a port in use or not allowed gives the clear reason', async () => {
    harness.failOpenWith(new Error('Error: Resource temporarily unavailable Cannot lock port'));
    await assert.rejects(run('--port', PORT, '--prompt', 'x'), /Serial port \/dev\/ttyACM0 is in use by another program/);
    harness.failOpenWith(new Error('Error: Permission denied, cannot open /dev/ttyACM0'));
    await assert.rejects(run('--port', PORT, '--prompt', 'x'), /No permission to open serial port \/dev\/ttyACM0\./);
  });

  it('a board that does not answer is reported with what to do', async () => {
    harness = new MockPortHarness();
    harness.createPort(PORT);
    const r = run('--port', PORT, '--prompt', 'x');
    await assert.rejects(r, /The Picoformer runtime does not answer on \/dev\/ttyACM0 .*Deploy it with: picoformer deploy --runtime-only$/);
  });

  it('a board sitting at the REPL is soft-reloaded so the runtime answers', async () => {
    fake.mode = 'press-any-key';
    const r = await run('--port', PORT, '--prompt', 'x', '-n', '2');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'On\n');
    assert.ok(harness.recording.includes('\x04'), 'Ctrl-D was sent');
  });

  it('--model picks the model on the board; an unknown one is refused with the list', async () => {
    assert.equal((await run('--port', PORT, '--prompt', 'x', '-n', '1', '--model', 'story-1k')).code, 0);
    await assert.rejects(run('--port', PORT, '--prompt', 'x', '--model', 'chat-9k'), /chat-9k is not on the board: deploy it first \(picoformer deploy MODEL\)\. On the board: story-1k\.safetensors\./);
  });

  it('without --port uses the console of the one board detected', async () => {
    const device = { key: 'usb:E66', label: 'Raspberry Pi Pico · CircuitPython 9.2.8', virtual: false, firmware: 'circuitpython', ports: [], pairing: 'none', bootloader: false, console: { path: PORT, source: 'serialport', role: 'board', channel: 'console' } } as BoardDevice;
    snapshot = { ...snapshot, devices: [device] };
    assert.equal((await run('--prompt', 'x', '-n', '1')).code, 0);
    assert.deepEqual(specs, [{ kind: 'serial', port: PORT }]);
    snapshot = { ...snapshot, devices: [] };
    await assert.rejects(run('--prompt', 'x'), /no board with a serial console found \(name one with --port PATH, or use --virtual\)/);
  });

  it('checks its arguments before connecting', async () => {
    await assert.rejects(run('--port', PORT), /missing --prompt TEXT/);
    await assert.rejects(run('--port', PORT, '--virtual', '-p', 'x'), /choose one of --port and --virtual/);
    await assert.rejects(run('--drive', '/d', '-p', 'x'), /--drive goes with --virtual/);
    await assert.rejects(run('--port', PORT, '--heap-kb', '100', '-p', 'x'), /they go with --virtual/);
    await assert.rejects(run('--port', PORT, '-p', 'x', '--seed', '99999999999999999999'), /--seed must be within/);
    await assert.rejects(run('--port', PORT, '-p', 'x', '--mode', 'fast'), /--mode must be one of auto, resident, streamed/);
    await assert.rejects(run('--port', PORT, '-p', 'x', '--tokens', '70000'), /--tokens must be between 0 and 65535/);
    await assert.rejects(run('--port', PORT, '-p', 'x', '--temperature', 'hot'), /--temperature must be a number/);
    assert.deepEqual(specs, []);
  });
});

describe('choosing the model on the board', () => {
  const models: ModelEntry[] = [
    { file: 'story-8k-int8.safetensors', name: 'story-8k', size: 12000, loaded: false },
    { file: 'chat-1k.safetensors', name: 'chat-1k', size: 4000, loaded: true },
    { file: 'broken.safetensors', size: 10, loaded: false, error: { code: 'truncated', message: 'file is truncated' } },
  ];

  it('the loaded model by default, else the only usable one', () => {
    assert.equal(chooseBoardModel(models, undefined), 'chat-1k.safetensors');
    assert.equal(chooseBoardModel([{ ...models[0] }, models[2]], undefined), 'story-8k-int8.safetensors');
    assert.throws(() => chooseBoardModel([models[0], { ...models[1], loaded: false }], undefined), /No model is loaded on the board; choose one with --model NAME\. On the board: story-8k-int8\.safetensors, chat-1k\.safetensors\./);
    assert.throws(() => chooseBoardModel([], undefined, [], 'picoformer deploy MODEL --virtual'), /There are no models on the board: deploy one first \(picoformer deploy MODEL --virtual\)\./);
  });

  it('by file name, name without .safetensors (any case), model name, or a host model\'s deployed names', () => {
    assert.equal(chooseBoardModel(models, 'chat-1k.safetensors'), 'chat-1k.safetensors');
    assert.equal(chooseBoardModel(models, 'STORY-8K-INT8'), 'story-8k-int8.safetensors');
    assert.equal(chooseBoardModel(models, 'story-8k'), 'story-8k-int8.safetensors');
    assert.equal(chooseBoardModel(models, '/home/ann/story.safetensors', ['story-int8.safetensors', 'story-8k-int8.safetensors']), 'story-8k-int8.safetensors');
    assert.throws(() => chooseBoardModel(models, 'nope'), /nope is not on the board: .* On the board: story-8k-int8\.safetensors, chat-1k\.safetensors, broken\.safetensors \(unusable: file is truncated\)\./);
  });
});
