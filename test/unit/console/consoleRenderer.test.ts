import assert from 'node:assert/strict';
import { ConsoleRenderer } from '../../../src/device/console/consoleRenderer';
import { describeCommandLine, describeEvent } from '../../../src/device/console/hostTraffic';

/** The text a terminal shows, without colours. */
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex

const ev = (fields: Record<string, unknown>) => `@pf ${JSON.stringify(fields)}\r\n`;

describe('serial console: what the terminal shows', () => {
  it('passes human-mode text, echo, the REPL and escape sequences through as they come', () => {
    const r = new ConsoleRenderer();
    const out = r.board('\x1b]0;🐍code.py | 9.2.8\x1b\\Once upon a time\r\n[12 tokens, 3.4 tok/s, max_tokens]\r\n>>> ');
    assert.equal(out, '\x1b]0;🐍code.py | 9.2.8\x1b\\Once upon a time\r\n[12 tokens, 3.4 tok/s, max_tokens]\r\n>>> ');
  });

  it('gives a lone \\n its \\r, and leaves \\r\\n alone', () => {
    const r = new ConsoleRenderer();
    assert.equal(r.board('a\nb\r\nc\r'), 'a\r\nb\r\nc\r');
    assert.equal(r.board('\n'), '\n', 'the \\n of a \\r\\n split across chunks');
  });

  it('shows event lines as readable host traffic, tokens as text, whatever the chunking', () => {
    const stream =
      ev({ ev: 'ready', runtime: 'picoformer', version: '0.2.0', protocol: 1, impl: 'micropython', impl_version: '1.27.0', machine: 'x', ulab: false, mem_free: 120_000, mem_alloc: 20_000, heap_limit: 143_360, models_dir: '/models', host: true, req: 1 }) +
      ev({ ev: 'start', prompt_tokens: 3, truncated: 0, unknown: 0, seed: 7, max_tokens: 3, temperature: 0.8, top_k: 0, req: 2 }) +
      ev({ ev: 'token', id: 1, text: 'On', index: 0, req: 2 }) +
      ev({ ev: 'token', id: 2, text: 'ce', index: 1, req: 2 }) +
      ev({ ev: 'done', reason: 'max_tokens', tokens: 2, prompt_tokens: 3, ms: 500, tok_per_s: 4, req: 2 });
    for (const size of [1, 3, 7, stream.length]) {
      const r = new ConsoleRenderer();
      let out = '';
      for (let i = 0; i < stream.length; i += size) out += r.board(stream.slice(i, i + size));
      assert.equal(
        plain(out),
        '← ready: picoformer 0.2.0 on micropython 1.27.0, 117.2 KB free (host mode)\r\n← generating (3 prompt tokens, seed 7):\r\nOnce\r\n← [2 tokens, 4 tok/s, max_tokens]\r\n',
        `chunks of ${size}`,
      );
      assert.ok(!out.includes('@pf'), 'no raw event line reaches the terminal');
    }
  });

  it('an error event stands out in red', () => {
    const r = new ConsoleRenderer();
    const out = r.board(`partial${'\r\n'}${ev({ ev: 'error', code: 'too_big', message: 'needs 200 KB', recoverable: true })}`);
    assert.equal(plain(out), 'partial\r\n← error too_big: needs 200 KB\r\n');
    assert.match(out, /\x1b\[31m/); // eslint-disable-line no-control-regex
  });

  it('text that only starts like an event line is shown; a held "@" is shown by flush()', () => {
    const r = new ConsoleRenderer();
    assert.equal(r.board('@pX\r\n'), '@pX\r\n');
    assert.equal(r.board('>>> @'), '>>> @', 'not at the start of a line: shown at once');
    const s = new ConsoleRenderer();
    assert.equal(s.board('@'), '');
    assert.equal(s.flush(), '@');
    assert.equal(s.board('p'), 'p', 'after a flush the line is no longer at its start');
  });

  it('a malformed event line says so instead of disappearing', () => {
    const r = new ConsoleRenderer();
    assert.match(plain(r.board('@pf {"ev": \r\n')), /^← malformed event line \(not valid JSON/);
  });

  it('shows the commands the extension writes, and its own notes, on lines of their own', () => {
    const r = new ConsoleRenderer();
    const out = r.board('Once') + r.command('@pf {"cmd":"generate","prompt":"Once upon","max_tokens":32,"seed":7,"req":3}') + r.note('Connected');
    assert.equal(plain(out), 'Once\r\n→ generate "Once upon" 32 tokens seed 7\r\n[Connected]\r\n');
  });
});

describe('serial console: host traffic in words', () => {
  it('names what each command asks', () => {
    assert.equal(describeCommandLine('@pf {"cmd":"hello","req":1}').kind === 'line' && describeCommandLine('@pf {"cmd":"hello","req":1}').text, 'hello');
    const load = describeCommandLine('@pf {"cmd":"load","name":"story-8k.safetensors","mode":"streamed"}');
    assert.deepEqual(load, { kind: 'line', tone: 'host', text: 'load story-8k.safetensors streamed' });
    assert.deepEqual(describeCommandLine('@pf {nope'), { kind: 'line', tone: 'host', text: '@pf {nope' });
  });

  it('summarises models, loads, memory and settings; only the first load progress event is shown', () => {
    const models = describeEvent({ ev: 'models', dir: '/models', mem_available: 102_400, models: [
      { file: 'a.safetensors', size: 1, loaded: true },
      { file: 'b.safetensors', size: 1, loaded: false, fits: false },
      { file: 'c.safetensors', size: 1, loaded: false, error: { code: 'truncated', message: 'x' } },
    ] });
    assert.deepEqual(models, { kind: 'line', tone: 'board', text: 'models: a.safetensors (loaded), b.safetensors (does not fit), c.safetensors (truncated); 100.0 KB available' });
    assert.ok(describeEvent({ ev: 'load', file: 'a', mode: 'resident', done: 0, total: 10 }));
    assert.equal(describeEvent({ ev: 'load', file: 'a', mode: 'resident', done: 5, total: 10 }), undefined);
    assert.match(JSON.stringify(describeEvent({ ev: 'memory', free: 1024, alloc: 2048, peak: 4096, heap_limit: null, model_bytes: 0 })), /heap: 1.0 KB free, 2.0 KB used, peak 4.0 KB/);
    assert.match(JSON.stringify(describeEvent({ ev: 'settings', max_tokens: 5, temperature: 0, top_k: 0, seed: null, mode: 'auto' })), /seed random/);
  });
});
