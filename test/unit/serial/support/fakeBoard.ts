// A scripted Pico for session tests: answers the host's bytes with the transcripts in transcripts.ts (the
// supervisor, the REPL, the raw REPL) and with the Picoformer runtime's event lines (docs/protocol.md). It runs
// on a MockPortHarness, so the session under test talks to it through the real SerialTransport.

import type { MockPortHarness } from './mockPort';
import {
  CTRL_C_WHILE_IDLE,
  ENTER_REPL,
  RAW_REPL_ENTER,
  RAW_REPL_EXIT,
  RAW_REPL_NAME_ERROR,
  RAW_REPL_PRINT_2,
  REPL_SYNTAX_ERROR,
  SOFT_REBOOT_CODE_RAISES,
  SOFT_REBOOT_NO_CODE,
  SOFT_REBOOT_TO_RUNTIME,
} from './transcripts';

type Mode = 'runtime' | 'press-any-key' | 'repl' | 'raw';

export const FAKE_MODEL = 'story-1k.safetensors';
export const FAKE_MEM_FREE = 126112;
const TOKENS = ['O', 'n', 'c', 'e', ' ', 'u', 'p', 'o', 'n', ' ', 'a', ' ', 't', 'i', 'm', 'e'];

const event = (ev: string, fields: Record<string, unknown>) => `@pf ${JSON.stringify({ ev, ...fields }).replace(/,"/g, ', "').replace(/":/g, '": ')}\r\n`;

export class FakeBoard {
  mode: Mode = 'runtime';
  host = false;
  /** Milliseconds between tokens. */
  tokenDelayMs = 5;
  /** An older runtime: its tokens carry no "req" (start, done and errors did already). */
  tokensWithoutReq = false;
  /** What code.py does at boot: start the runtime, or there is no code.py, or it raises (the runtime is broken). */
  codePy: 'runtime' | 'absent' | 'raises' = 'runtime';
  private line = '';
  /** The REPL's line being typed, and whether it continues a statement ("... " prompt: a line began with "@"). */
  private replLine = '';
  private continuing = false;
  private rawCode = '';
  private generating: { req: unknown; timer: ReturnType<typeof setTimeout>; count: number; max: number } | undefined;
  readonly commands: Record<string, unknown>[] = [];

  constructor(private readonly harness: MockPortHarness) {
    harness.onHostWrite((bytes) => {
      for (const ch of bytes.toString('latin1')) this.receive(ch);
    });
  }

  /** Board output (split into small chunks, as USB packets would be). */
  send(text: string): void {
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 64) this.harness.emit(bytes.subarray(i, i + 64));
  }

  /** The runtime starts (boot, reload). */
  boot(): void {
    this.stopGenerating();
    this.host = false;
    this.replLine = '';
    this.continuing = false;
    if (this.codePy === 'runtime') {
      this.mode = 'runtime';
      return this.send(SOFT_REBOOT_TO_RUNTIME);
    }
    this.mode = 'press-any-key';
    this.send(this.codePy === 'absent' ? SOFT_REBOOT_NO_CODE : SOFT_REBOOT_CODE_RAISES);
  }

  private receive(ch: string): void {
    switch (this.mode) {
      case 'runtime':
        return this.runtimeInput(ch);
      case 'press-any-key':
        if (ch === '\x04') return this.boot();
        this.mode = 'repl';
        return this.send(ENTER_REPL);
      case 'repl':
        if (ch === '\x01') {
          this.mode = 'raw';
          this.rawCode = '';
          return this.send(RAW_REPL_ENTER);
        }
        if (ch === '\x04') return this.send('\r\n'), this.boot();
        if (ch === '\x03') {
          this.replLine = '';
          this.continuing = false;
          return this.send('\r\n>>> ');
        }
        if (ch === '\r') return this.replEnter();
        if (ch === '\n') return; // MicroPython's readline takes Enter as \r and ignores \n
        this.replLine += ch;
        return this.send(ch);
      case 'raw':
        if (ch === '\x02') {
          this.mode = 'repl';
          return this.send(RAW_REPL_EXIT);
        }
        if (ch === '\x04') {
          if (!this.rawCode) return this.boot();
          const code = this.rawCode;
          this.rawCode = '';
          return this.send(this.runRaw(code));
        }
        this.rawCode += ch;
    }
  }

  /** Enter at the REPL: a line starting with "@" (a decorator, such as a host's "@pf" command) continues the
   *  statement, and so does every line after it until an empty one; the empty line ends it with a SyntaxError. */
  private replEnter(): void {
    const line = this.replLine;
    this.replLine = '';
    if (line.startsWith('@') || (this.continuing && line !== '')) {
      this.continuing = true;
      return this.send('\r\n... ');
    }
    const wasContinuing = this.continuing;
    this.continuing = false;
    this.send(wasContinuing || line !== '' ? `\r\n${REPL_SYNTAX_ERROR}>>> ` : '\r\n>>> ');
  }

  private runRaw(code: string): string {
    if (code === 'print(1+1)') return RAW_REPL_PRINT_2;
    if (code.includes('gc.mem_free()')) return `OK${FAKE_MEM_FREE}\r\n\x04\x04>`;
    if (code.includes("os.listdir('/models')")) return `OK[["${FAKE_MODEL}", 4000]]\r\n\x04\x04>`;
    if (code.includes('while True')) return 'OK'; // never ends (until Ctrl-C, not emulated)
    return RAW_REPL_NAME_ERROR;
  }

  private runtimeInput(ch: string): void {
    if (ch === '\x03') {
      if (this.generating) return this.finishGeneration('stopped');
      this.mode = 'press-any-key';
      return this.send(CTRL_C_WHILE_IDLE);
    }
    if (ch !== '\r' && ch !== '\n') {
      this.line += ch;
      return;
    }
    const line = this.line;
    this.line = '';
    if (!line.startsWith('@pf ')) return;
    this.host = true;
    let command: Record<string, unknown>;
    try {
      command = JSON.parse(line.slice(4));
    } catch {
      return this.send(event('error', { code: 'bad_command', message: 'not JSON', recoverable: true }));
    }
    this.commands.push(command);
    const req = command.req;
    const withReq = (fields: Record<string, unknown>) => (req === undefined ? fields : { ...fields, req });
    switch (command.cmd) {
      case 'hello':
        return this.send(event('ready', withReq({ runtime: 'picoformer', version: '0.1.0', protocol: 1, impl: 'circuitpython', impl_version: '9.2.8', machine: 'Raspberry Pi Pico with rp2040', ulab: true, mem_free: 118000, mem_alloc: 40000, heap_limit: null, models_dir: '/models', host: true })));
      case 'list':
        return this.send(event('models', withReq({ dir: '/models', mem_available: 118000, models: [{ file: FAKE_MODEL, name: 'story-1k', size: 4000, params: 1240, dtype: 'I8', context_length: 64, vocab_size: 48, fits: true, mode: 'resident', estimate: { resident: 10920, streamed: 10576 }, loaded: true }] })));
      case 'load':
        if (command.name !== FAKE_MODEL && command.name !== 'story-1k') {
          return this.send(event('error', withReq({ code: 'not_found', message: `no model ${command.name} in /models`, recoverable: true })));
        }
        return this.send(
          event('unloaded', withReq({ file: FAKE_MODEL, mem_free: 118000 })) +
            event('load', withReq({ file: FAKE_MODEL, mode: 'resident', done: 0, total: 4000 })) +
            event('load', withReq({ file: FAKE_MODEL, mode: 'resident', done: 4000, total: 4000 })) +
            event('loaded', withReq({ file: FAKE_MODEL, name: 'story-1k', mode: 'resident', params: 1240, dtype: 'I8', ms: 400, estimate: 10920, model_bytes: 9000, mem_free: 109000, mem_alloc: 49000, config: {} })),
        );
      case 'mem':
        return this.send(event('memory', withReq({ free: 109000, alloc: 49000, peak: 52000, heap_limit: null, model_bytes: 9000 })));
      case 'info':
        return this.send(event('info', withReq({ runtime: 'picoformer', version: '0.1.0', protocol: 1, host: true, model: null, settings: { max_tokens: 64, temperature: 0.8, top_k: 0, seed: null, mode: 'auto' }, generating: Boolean(this.generating) })));
      case 'stop':
        if (this.generating) this.finishGeneration('stopped');
        return;
      case 'bye':
        this.host = false;
        return this.send('Human mode. Type a prompt, or /help.\r\n');
      case 'generate': {
        if (this.generating) return this.send(event('error', withReq({ code: 'busy', message: 'a generation is running', recoverable: true })));
        const max = typeof command.max_tokens === 'number' ? command.max_tokens : 64;
        this.send(event('start', withReq({ prompt_tokens: 3, truncated: 0, unknown: 0, seed: command.seed ?? 12345, max_tokens: max, temperature: 0.8, top_k: 0 })));
        this.generating = { req, count: 0, max, timer: setTimeout(() => this.nextToken(), this.tokenDelayMs) };
        return;
      }
      default:
        return this.send(event('error', withReq({ code: 'unknown_command', message: `unknown command ${String(command.cmd)}`, recoverable: true })));
    }
  }

  private nextToken(): void {
    const g = this.generating;
    if (!g) return;
    if (g.count >= g.max) return this.finishGeneration('max_tokens');
    const text = TOKENS[g.count % TOKENS.length];
    const req = g.req === undefined || this.tokensWithoutReq ? {} : { req: g.req };
    this.send(event('token', { id: text.charCodeAt(0), text, index: g.count, ...req }));
    g.count++;
    g.timer = setTimeout(() => this.nextToken(), this.tokenDelayMs);
  }

  private finishGeneration(reason: string): void {
    const g = this.generating;
    if (!g) return;
    this.stopGenerating();
    const req = g.req === undefined ? {} : { req: g.req };
    this.send(event('done', { reason, tokens: g.count, prompt_tokens: 3, ms: 100, tok_per_s: 90, decode_ms: 640, ...req }) + event('memory', { free: 109000, alloc: 49000, peak: 52000, heap_limit: null, model_bytes: 9000, ...req }));
  }

  private stopGenerating(): void {
    if (this.generating) clearTimeout(this.generating.timer);
    this.generating = undefined;
  }
}
