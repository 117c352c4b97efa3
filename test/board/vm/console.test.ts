// The console as the virtual Pico presents it (docs/protocol.md): a person typing in human mode, Ctrl-C stopping a
// generation, Ctrl-C while idle ending the runtime with one line, bad command lines answered with errors.
import assert from 'node:assert/strict';
import { BoardVm, looseWhitespace } from './boardVm';
import { golden } from './goldenFiles';

async function booted(): Promise<BoardVm> {
  const vm = await BoardVm.create({ 'random-1k-i8.safetensors': golden('random-1k-i8').model });
  vm.boot();
  vm.step(8); // ready, list, the four load steps, idle
  return vm;
}

describe('board runtime in MicroPython: console', function () {
  this.timeout(60_000);

  it('prints ready as an event line, then text for a person, and echoes what they type', async () => {
    const vm = await booted();
    assert.ok(vm.lines[0].startsWith('@pf {'), vm.lines[0]);
    assert.equal(vm.events()[0].ev, 'ready');
    assert.ok(vm.lines.some((l) => l.includes('Type a prompt')), vm.lines.join('\n'));
    vm.send('/tokens 3\r');
    vm.step(2);
    vm.send('/seed 1\r'); // with this seed (golden) "Once upon" does not end at EOS within 3 tokens
    vm.step(2);
    vm.send('Once upon\r');
    vm.step(15);
    const text = vm.lines.join('\n');
    assert.match(text, /\/tokens 3\r?\n?/);
    assert.match(text, /max_tokens 3/);
    assert.match(text, /\[3 tokens, [0-9.]+ tok\/s decode, max_tokens\]/);
    assert.equal(vm.events().length, 1, 'human mode prints no event line but ready');
  });

  it('Ctrl-C stops a generation; Ctrl-C while idle prints one line and ends the runtime quietly (SystemExit)', async () => {
    const vm = await booted();
    vm.command({ cmd: 'hello' });
    vm.until('ready', { match: { host: true } });
    vm.command({ cmd: 'generate', prompt: 'Once upon', seed: 1, temperature: 0.8, max_tokens: 500 });
    vm.until('token');
    vm.send('\x03');
    assert.equal(vm.until('done').reason, 'stopped');
    vm.until('memory');
    const before = vm.lines.length;
    vm.send('\x03');
    assert.throws(() => vm.step(), (e: Error & { type?: string }) => e.type === 'SystemExit' || /SystemExit/.test(String(e)));
    const after = vm.lines.slice(before).join('\n');
    assert.match(after, /^Picoformer stopped; Ctrl-D restarts it$/m);
    assert.doesNotMatch(after, /Traceback|KeyboardInterrupt/);
  });

  it('answers garbled and unknown commands with errors and keeps going', async () => {
    const vm = await booted();
    vm.send('@pf {"cmd": \n');
    assert.equal(vm.until('error').code, 'bad_command');
    vm.command({ cmd: 'teleport', req: 3 });
    const e = vm.until('error');
    assert.deepEqual([e.code, e.req, e.recoverable], ['unknown_command', 3, true]);
    vm.command({ cmd: 'generate', prompt: 'a', max_tokens: 2, seed: 1 });
    assert.equal(vm.until('done').tokens, 2);
  });

  it('in host mode reads only @pf lines: line noise starts nothing and gets no answer', async () => {
    const vm = await booted();
    vm.command({ cmd: 'hello' });
    vm.until('ready', { match: { host: true } });
    const before = vm.events().length;
    for (const line of ['\xff\xfe\xfd', 'Once upon', '/models']) {
      vm.send(`${line}\n`);
      vm.step(4);
    }
    assert.deepEqual(vm.events().slice(before), []);
    assert.equal(vm.value<boolean>('vpico._app.gen is None'), true);
    vm.command({ cmd: 'mem', req: 2 });
    assert.equal(vm.until('memory').req, 2);
  });

  it('writes compact event lines, and every event of a generation carries its req', async () => {
    const vm = await booted();
    vm.command({ cmd: 'hello' });
    vm.command({ cmd: 'list', req: 'l' });
    vm.until('models');
    vm.command({ cmd: 'generate', prompt: 'Once upon', max_tokens: 4, seed: 1, temperature: 0.8, req: 9 });
    const evs = vm.collectUntil('memory');
    assert.deepEqual(evs.map((e) => e.ev), ['start', 'token', 'token', 'token', 'token', 'done', 'memory']);
    assert.deepEqual(evs.map((e) => e.req), Array(7).fill(9));
    for (const line of vm.eventLines()) assert.equal(looseWhitespace(line), undefined, `not compact: ${line.slice(0, 200)}`);
  });
});
