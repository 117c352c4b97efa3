// Boots the official CircuitPython firmware on the emulated Pico (src/emu) with the runtime and the given models
// deployed to its drive, runs commands and prints every event with its simulated time (ms) and cycle count.
// Usage: npm run firmware -- --model models/story-8k.safetensors [--model ...] [--prompt "once upon"] [--tokens 24]
//          [--temperature 0] [--seed 1] [--mode auto|resident|streamed] [--pure-python] [--events] [--mem]
//          [--largest-alloc] [--exec FILE.py] [--console] [--mpy]
//   --events: every runtime event as a JSON line {simMs, cycles, event}; else a summary (decode ms per token and
//     tok/s by simulated time; firstTokenMs: from the start event to the first token, the prompt's forward passes).
//   --pure-python: /picoformer.json {"ulab": false}: the runtime's pure-Python forward pass (docs/firmware.md).
//   --mode: the default model's load mode (/picoformer.json, as `deploy --mode` writes it).
//   --largest-alloc: after everything, the largest bytearray the REPL can allocate (the runtime stopped).
//   --exec: runs a Python file at the raw REPL at the end and prints its output.
//   --console: echoes the raw console to stderr as it arrives.
//   --mpy: the runtime's modules as precompiled bytecode (.mpy, built now from board/), as a deploy sends them to a
//     board that reported CircuitPython 9's mpy 774.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadMode } from '../src/device/protocol/events';
import { deployToFolder } from '../src/emu/emulateDeploy';
import { simMs } from '../src/emu/emulatedPico';
import { FirmwareBoard } from '../src/emu/firmwareBoard';
import { REPO_ROOT } from '../src/emu/firmware';
import { buildRuntimeBytecode } from './mpyCross.mjs';

const { values } = parseArgs({
  options: {
    model: { type: 'string', multiple: true, default: [] },
    prompt: { type: 'string' },
    tokens: { type: 'string', default: '24' },
    temperature: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    mode: { type: 'string', default: 'auto' },
    'pure-python': { type: 'boolean', default: false },
    events: { type: 'boolean', default: false },
    mem: { type: 'boolean', default: false },
    'largest-alloc': { type: 'boolean', default: false },
    exec: { type: 'string' },
    console: { type: 'boolean', default: false },
    mpy: { type: 'boolean', default: false },
  },
});

const fail = (message: string): never => {
  console.error(`firmware: ${message}`);
  process.exit(2);
};
const mode = values.mode as LoadMode;
if (!['auto', 'resident', 'streamed'].includes(mode)) fail(`--mode must be auto, resident or streamed, not ${values.mode}`);
const number = (name: string, text: string) => (Number.isFinite(Number(text)) ? Number(text) : fail(`--${name} must be a number`));

async function main(): Promise<void> {
const t0 = performance.now();
const drive = mkdtempSync(join(tmpdir(), 'picoformer-firmware-'));
const print = (line: Record<string, unknown>) => console.log(JSON.stringify(line));
let board: FirmwareBoard | undefined;
try {
  if (values['pure-python']) writeFileSync(join(drive, 'picoformer.json'), '{"ulab": false}\n');
  const bytecode = values.mpy ? { bytecodeDir: `${drive}-mpy`, board: { impl: 'circuitpython', mpy: 774 } } : {};
  if (bytecode.bytecodeDir) await buildRuntimeBytecode(join(REPO_ROOT, 'board'), bytecode.bytecodeDir);
  await deployToFolder(drive, { runtimeDir: join(REPO_ROOT, 'board'), models: values.model.map((path) => ({ path })), defaultModelMode: mode, ...bytecode });
  board = await FirmwareBoard.boot({ driveDir: drive, log: (m) => console.error(`[log] ${m}`) });
  const b = board;
  if (values.console) b.pico.onOutput((chunk) => process.stderr.write(Buffer.from(chunk.bytes).toString('utf8')));
  let shown = 0;
  const flush = () => {
    if (values.events) for (const e of b.events.slice(shown)) print({ simMs: +simMs(e).toFixed(3), cycles: e.cycles, event: e.event });
    shown = b.events.length;
  };
  print({ note: 'booted', connectedMs: b.pico.connected ? +simMs(b.pico.connected).toFixed(1) : null, readyMs: +b.now.toFixed(1), ready: b.session.runtime });
  // The start-up load of the default model is over once a list is answered (it waits for it).
  const models = await b.session.list();
  const info = await b.session.info();
  flush();
  print({ note: 'models', mem_available: models.mem_available, models: models.models.map((m) => ({ file: m.file, mode: m.mode, estimate: m.estimate, error: m.error })), loaded: info.model });
  if (values.prompt !== undefined) {
    const run = await b.generate({ prompt: values.prompt, max_tokens: number('tokens', values.tokens), temperature: number('temperature', values.temperature), top_k: 0, seed: number('seed', values.seed) });
    flush();
    print({
      note: 'generated', state: run.result.state, reason: run.result.reason, text: run.result.text, ids: run.result.tokens.map((t) => t.id),
      msPerToken: +run.msPerToken.toFixed(2), tokPerS: +(1000 / run.msPerToken).toFixed(2), totalMs: +run.totalMs.toFixed(1),
      firstTokenMs: run.startTime && run.tokenTimes[0] ? +(simMs(run.tokenTimes[0]) - simMs(run.startTime)).toFixed(1) : null,
      error: run.result.error,
    });
  }
  if (values.mem || values.prompt !== undefined) {
    const mem = await b.mem();
    flush();
    print({ note: 'mem', ...mem });
  }
  if (values.exec) {
    const out = await b.exec(readFileSync(values.exec, 'utf8'), { restart: false });
    print({ note: 'exec', stdout: out.stdout, stderr: out.stderr });
  }
  if (values['largest-alloc']) print({ note: 'largest allocation at the REPL', bytes: await b.largestAllocation({ restart: false }) });
  flush();
  print({ note: 'summary', simSeconds: +(b.now / 1000).toFixed(3), cycles: b.pico.time.cycles, hostSeconds: +((performance.now() - t0) / 1000).toFixed(1) });
} catch (error) {
  console.error(`firmware: ${error instanceof Error ? error.message : String(error)}`);
  if (board) console.error(`console tail: ${JSON.stringify(board.raw.slice(-800))}`);
  process.exitCode = 1;
} finally {
  await board?.close();
  rmSync(drive, { recursive: true, force: true });
  rmSync(`${drive}-mpy`, { recursive: true, force: true });
}
}

void main();
