import assert from 'node:assert/strict';
import { type ConsoleItem, ConsoleParser } from '../../../src/device/protocol/consoleParser';
import {
  AUTO_RELOAD,
  CTRL_C_WHILE_IDLE,
  ENTER_REPL,
  RAW_REPL_ENTER,
  SOFT_REBOOT_TO_RUNTIME,
} from '../serial/support/transcripts';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Feeds `text` in chunks of `size` bytes (UTF-8 characters and CRLFs get cut). */
function parse(text: string, size = 0): ConsoleItem[] {
  const p = new ConsoleParser();
  const all = bytes(text);
  const items: ConsoleItem[] = [];
  if (!size) items.push(...p.push(all));
  else for (let i = 0; i < all.length; i += size) items.push(...p.push(all.subarray(i, i + size)));
  return items;
}

const kinds = (items: ConsoleItem[]) =>
  items.map((i) => (i.kind === 'event' ? `event:${i.event.ev}` : i.kind === 'board' ? `board:${i.message.kind}` : i.kind));

describe('protocol/consoleParser', () => {
  it('reads a soft reboot into the runtime: supervisor lines, the ready event, human text', () => {
    const items = parse(SOFT_REBOOT_TO_RUNTIME);
    assert.deepEqual(kinds(items), [
      'text',
      'board:soft-reboot',
      'text',
      'board:auto-reload-on',
      'board:code-output',
      'event:ready',
      'text',
      'text',
      'text',
    ]);
    const ready = items.find((i) => i.kind === 'event');
    assert.equal(ready?.kind === 'event' && ready.event.ev === 'ready' && ready.event.impl_version, '9.2.8');
  });

  it('gives the same items whatever the chunking (1, 2, 3, 7 bytes)', () => {
    const text = SOFT_REBOOT_TO_RUNTIME + CTRL_C_WHILE_IDLE + ENTER_REPL;
    const whole = parse(text);
    for (const size of [1, 2, 3, 7]) assert.deepEqual(parse(text, size), whole, `chunks of ${size}`);
  });

  it('gathers a traceback up to its exception line', () => {
    const items = parse(CTRL_C_WHILE_IDLE);
    // As the firmware prints it (captured): the supervisor repeats the auto-reload line before "Press any key".
    assert.deepEqual(kinds(items), ['traceback', 'text', 'board:code-done', 'board:auto-reload-on', 'text', 'board:press-any-key']);
    const tb = items[0];
    assert.ok(tb.kind === 'traceback');
    assert.equal(tb.traceback.exception, 'KeyboardInterrupt');
    assert.equal(tb.traceback.lines[0], 'Traceback (most recent call last):');
    assert.equal(tb.traceback.lines.at(-1), 'KeyboardInterrupt: ');
  });

  it('parses a MemoryError traceback message', () => {
    const items = parse('Traceback (most recent call last):\r\n  File "code.py", line 1, in <module>\r\nMemoryError: memory allocation failed, allocating 4096 bytes\r\n');
    assert.ok(items[0].kind === 'traceback');
    assert.equal(items[0].traceback.exception, 'MemoryError');
    assert.equal(items[0].traceback.message, 'memory allocation failed, allocating 4096 bytes');
  });

  it('reports the REPL prompt at once, although no newline follows it', () => {
    const items = parse(ENTER_REPL);
    assert.deepEqual(kinds(items), ['text', 'board:banner', 'prompt']);
    const banner = items[1];
    assert.ok(banner.kind === 'board');
    assert.equal(banner.message.version, '9.2.8');
    assert.equal(banner.message.board, 'Raspberry Pi Pico with rp2040');
  });

  it("recognises MicroPython's REPL banner too (a MicroPython board, the virtual Pico)", () => {
    const items = parse('\r\nMicroPython v1.27.0 on 2026-11-28; Picoformer Virtual Pico with WebAssembly\r\n>>> ');
    const banner = items.find((i) => i.kind === 'board');
    assert.ok(banner?.kind === 'board' && banner.message.kind === 'banner');
    assert.equal(banner.message.version, '1.27.0');
    assert.equal(banner.message.board, 'Picoformer Virtual Pico with WebAssembly');
  });

  it('recognises the raw REPL banner and auto-reload', () => {
    assert.ok(kinds(parse(RAW_REPL_ENTER)).includes('board:raw-repl'));
    assert.deepEqual(kinds(parse(AUTO_RELOAD)), ['text', 'board:auto-reload-stopped']);
  });

  it('keeps human text interleaved with events, in order', () => {
    const items = parse(
      'The model says:\r\n@pf {"ev": "token", "id": 4, "text": "a", "index": 0}\r\nnot an event @pf {"ev":"token"}\r\n@pf {"ev": "token", "id": 5, "text": "b", "index": 1}\n',
    );
    assert.deepEqual(kinds(items), ['text', 'event:token', 'text', 'event:token']);
  });

  it('turns malformed and unknown event lines into items without throwing', () => {
    const items = parse('@pf {"ev": "token", "id": \r\n@pf {"ev": "new_thing"}\r\n@pf {"ev": "token", "id": 1.5, "text": "a"}\r\n');
    assert.deepEqual(kinds(items), ['garbage', 'unknown-event', 'garbage']);
  });

  it('survives binary garbage and invalid UTF-8', () => {
    const p = new ConsoleParser();
    const junk = new Uint8Array(3000).map((_, i) => (i * 37) % 256);
    const items = [...p.push(junk), ...p.push(bytes('\r\n@pf {"ev": "help", "text": "ok"}\r\n'))];
    const last = items[items.length - 1];
    assert.ok(last.kind === 'event' && last.event.ev === 'help');
  });

  it('strips the title sequence in the middle of an event line split across chunks', () => {
    const p = new ConsoleParser();
    const items = [
      ...p.push(bytes('@pf {"ev": "help", \x1b]0;\u{1F40D}co')),
      ...p.push(bytes('de.py | 9.2.8\x1b\\"text": "x"}\r')),
      ...p.push(bytes('\n')),
    ];
    assert.deepEqual(kinds(items), ['event:help']);
  });

  it('flush() hands over a partial line and an unfinished traceback', () => {
    const p = new ConsoleParser();
    assert.deepEqual(p.push(bytes('Traceback (most recent call last):\r\n  File "x"\r\npartial')), []);
    const items = p.flush();
    assert.deepEqual(kinds(items), ['traceback', 'text']);
    assert.ok(items[0].kind === 'traceback' && items[0].traceback.exception === '');
  });

  it('an event line ends a traceback that was cut short', () => {
    const items = parse('Traceback (most recent call last):\r\n  File "x"\r\n@pf {"ev": "help", "text": "t"}\r\n');
    assert.deepEqual(kinds(items), ['traceback', 'event:help']);
  });
});
