// Runtime benchmark: the board runtime in the MicroPython VM, driven one App step at a time (test/board/memory-app.ts)
// for int8 models of about 1K, 8K, 30K, 100K and 300K parameters, resident and streamed, side by side in one run.
// Per model and mode: live heap after load (measured and estimated), per-token time in the VM, bytes allocated per
// token (growth of gc.mem_alloc() inside one step), whether the live heap after the first token equals the live
// heap after the last, and the estimated speed on an RP2040 from the multiply-adds per token.
// Usage: npx tsx bench/runtime.ts [--tokens N] [--repeat R] [--markdown]
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { boardProfile } from '../src/memory/boards';
import type { LoadMode } from '../src/memory/boardParts';
import { BoardC } from '../src/memory/constants';
import { estimate } from '../src/memory/estimate';
import { AppSession, type AppStep } from '../test/board/memory-app';
import { macsPerToken } from './picoSpeed';
import { buildModel, SizedConfigs } from '../test/board/memory-models';

/** RP2040 figures from ../shared/docs/pico-facts.md: 125 MHz; a multiply-add costs ~2,000-2,800 cycles in pure
 *  Python and ~305-325 with ulab on int8 weights. Those count the multiply-adds alone (an upper bound on speed).
 *  `originEffective` is what the origin runtime achieved per multiply-add with everything else included: its
 *  1.3K model (1,552 MACs/token) at 15.2 tok/s and its 10.4K model (12,312) at 2.2 tok/s give 5,300 and 4,600. */
const ClockHz = 125e6;
const CyclesPerMac = { pythonFast: 2000, pythonSlow: 2800, originEffective: 5000, ulabInt8: 315 };

interface Row {
  size: string;
  params: number;
  mode: LoadMode;
  fitsPico: boolean;
  estLive: number;
  live: number;
  msPerToken: number;
  allocPerToken: number;
  liveFirst: number;
  liveLast: number;
  tokens: number;
  macs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function run(size: string, mode: LoadMode, tokens: number): Promise<Row> {
  const built = buildModel(size, 'I8');
  const config = (SizedConfigs.find((s) => s.size === size) as (typeof SizedConfigs)[number]).config;
  const e = estimate(built.model, boardProfile('pico-cp9'), { mode, ulab: false });
  const s = await AppSession.start({ 'm.safetensors': built.file });
  s.boot();
  s.command({ cmd: 'load', name: 'm.safetensors', mode });
  const loaded = s.newEvents().find((ev) => ev.ev === 'loaded' || ev.ev === 'error');
  if (loaded?.ev !== 'loaded') throw new Error(`${size} ${mode}: ${JSON.stringify(loaded)}`);
  const n = Math.min(tokens, config.context_length - 1);
  const steps = s.command({ cmd: 'generate', prompt: '', max_tokens: n, temperature: 0, seed: 1 });
  const gen: AppStep[] = steps.filter((x) => x.label === 'gen');
  if (gen.length < 3) throw new Error(`${size} ${mode}: only ${gen.length} forward passes`);
  const done = s.newEvents().find((ev) => ev.ev === 'done');
  const fileFix = mode === 'streamed' ? 16 - BoardC.FILE_OBJ : 0; // the VM's file object is 16 bytes
  // Positions 0..n-1 are fed; average the multiply-adds over them.
  let macs = 0;
  for (let p = 0; p < gen.length; p++) macs += macsPerToken(config, p);
  return {
    size, params: built.params, mode, fitsPico: e[mode].fitsBudget,
    estLive: e[mode].liveAfterLoad + fileFix, live: s.live(),
    msPerToken: median(gen.map((x) => x.ms)), allocPerToken: median(gen.map((x) => x.allocated)),
    // the last pass ends the generation and frees its state, so compare the first with the one before the last
    liveFirst: gen[0].after, liveLast: gen[gen.length - 2].after, tokens: Number(done?.tokens ?? gen.length),
    macs: Math.round(macs / gen.length),
  };
}

const kb = (b: number): string => `${(b / 1024).toFixed(1)}`;
const tokPerS = (macs: number, cycles: number): string => (ClockHz / (macs * cycles)).toFixed(macs * cycles > ClockHz ? 2 : 1);

function table(rows: Row[], markdown: boolean): string {
  const head = ['model', 'params', 'mode', 'fits 140 KB', 'live KB est / VM', 'VM ms/tok', 'VM alloc/tok', 'live Δ 1st→last', 'MAC/tok', 'Pico tok/s: py bound', 'py origin-like', 'ulab bound'];
  const body = rows.map((r) => [
    `${r.size} int8`, r.params.toLocaleString('en-US'), r.mode, r.fitsPico ? 'yes' : 'no',
    `${kb(r.estLive)} / ${kb(r.live)} (${(((r.estLive - r.live) / r.live) * 100).toFixed(1)}%)`,
    r.msPerToken.toFixed(1), `${kb(r.allocPerToken)} KB`, `${r.liveLast - r.liveFirst > 0 ? '+' : ''}${r.liveLast - r.liveFirst} B`,
    r.macs.toLocaleString('en-US'), `${tokPerS(r.macs, CyclesPerMac.pythonSlow)}-${tokPerS(r.macs, CyclesPerMac.pythonFast)}`,
    tokPerS(r.macs, CyclesPerMac.originEffective), tokPerS(r.macs, CyclesPerMac.ulabInt8),
  ]);
  if (markdown) return [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { tokens: { type: 'string', default: '24' }, repeat: { type: 'string', default: '2' }, markdown: { type: 'boolean' } } });
  const tokens = Number(values.tokens);
  const repeat = Number(values.repeat);
  const rows: Row[] = [];
  await run('1k', 'resident', 4); // warm-up: the first VM compiles the WebAssembly
  for (const { size } of SizedConfigs) {
    // Resident and streamed alternate, `repeat` times each, and the faster run counts: the machine is noisy.
    const best = new Map<LoadMode, Row>();
    for (let i = 0; i < repeat; i++) {
      for (const mode of ['resident', 'streamed'] as const) {
        const r = await run(size, mode, tokens);
        const prev = best.get(mode);
        if (prev === undefined || r.msPerToken < prev.msPerToken) best.set(mode, r);
      }
    }
    rows.push(best.get('resident') as Row, best.get('streamed') as Row);
  }
  const md = values.markdown === true;
  console.log(`Picoformer runtime benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, Node ${process.version}, MicroPython 1.27.0 (WebAssembly); pure-Python forward pass (no ulab), ${tokens} tokens (fewer when the context is shorter), greedy.\n`);
  console.log(table(rows, md));
  console.log('\nStreamed / resident, same run:');
  const ratio: string[] = [];
  for (let i = 0; i < rows.length; i += 2) {
    const [res, str] = [rows[i], rows[i + 1]];
    ratio.push(`${md ? '- ' : '  '}${res.size}: time x${(str.msPerToken / res.msPerToken).toFixed(2)}, live heap x${(str.live / res.live).toFixed(2)}`);
  }
  console.log(ratio.join('\n'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
