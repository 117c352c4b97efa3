// Side by side on the emulated official firmware (CircuitPython 9.2.8, simulated time): the old project's runtime
// and ours on the anchors' two legacy models (ours on them imported, as int8 and as float32), and ours on the
// sample models. Decode tok/s (the same prompt, 0.8 temperature, the mean over the new tokens), the heap in use
// after the generation with each runtime's import included, and the ratios.
// Usage: npm run bench:firmware -- [--tokens N] [--write]   (--write: the table into bench/README.md)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../src/emu/firmware';
import { measureModel } from '../src/emu/measureModel';
import { boardProfile } from '../src/memory/boards';
import { estimate } from '../src/memory/estimate';
import { estimateModelFromHeader } from '../src/memory/input';
import { importLegacy } from '../src/model/legacy';
import { readLegacyTrio } from '../src/model/legacyFiles';
import { readModelHeader, writeModel } from '../src/model/modelFile';
import { convertModel } from '../src/model/quantize';
import { replaceBetweenMarkers } from './firmware/markers';
import { AnchorsDir, runOldRuntime } from './firmware/oldRuntime';

const { values } = parseArgs({ options: { tokens: { type: 'string', default: '10' }, write: { type: 'boolean', default: false } } });
const Tokens = Math.max(2, Number(values.tokens) || 10);
const Prompt = 'once upon a time';

interface Row {
  model: string;
  params: number;
  runtime: 'old' | 'ours';
  weights: string;
  mode: string;
  tokPerS: number;
  heap: number;
  runtimeHeap: number;
}

async function ours(label: string, bytes: Uint8Array, weights: string): Promise<Row> {
  const header = readModelHeader(bytes);
  const mode = estimate(estimateModelFromHeader(header), boardProfile('pico-cp9')).mode ?? 'streamed';
  const m = await measureModel({
    fileName: `${label}.safetensors`,
    bytes,
    modes: [mode],
    ulab: true,
    generations: [{ prompt: Prompt, tokens: Tokens, temperature: 0.8, seed: 7 }],
  });
  const load = m.loads[0];
  if (!load.loaded || load.allocAfterGenerating === undefined) throw new Error(`${label}: ${load.error?.code}: ${load.error?.message}`);
  if (load.generationError) throw new Error(`${label}: generating: ${load.generationError.code}: ${load.generationError.message}`);
  return {
    model: label, params: header.parameterCount, runtime: 'ours', weights, mode: load.loaded.mode,
    tokPerS: 1000 / load.generations[0].decodeMs, heap: load.allocAfterGenerating, runtimeHeap: m.ready.mem_alloc,
  };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const log = (r: Row) => console.error(`${r.model} ${r.runtime} ${r.weights}: ${r.tokPerS.toFixed(2)} tok/s, heap ${r.heap}`);
  for (const trio of ['v5/story-1k-balanced', 'v5/chat-10k-balanced']) {
    const name = trio.split('/')[1];
    const model = importLegacy(await readLegacyTrio(join(AnchorsDir(), trio)));
    const old = await runOldRuntime(trio, Prompt, Tokens);
    const row: Row = { model: name, params: readModelHeader(writeModel(model)).parameterCount, runtime: 'old', weights: 'float lists', mode: 'resident', tokPerS: 1000 / old.decodeMs, heap: old.heapAfterGenerating, runtimeHeap: old.importBytes };
    rows.push(row);
    log(row);
    for (const [weights, bytes] of [['int8', writeModel(convertModel(model, 'I8'))], ['float32', writeModel(model)]] as const) {
      const r = await ours(name, bytes, weights);
      rows.push(r);
      log(r);
    }
  }
  for (const sample of ['story-1k', 'story-8k', 'chat-8k', 'story-30k', 'story-300k']) {
    const r = await ours(sample, new Uint8Array(readFileSync(join(REPO_ROOT, 'models', `${sample}.safetensors`))), 'int8');
    rows.push(r);
    log(r);
  }
  const text = table(rows);
  console.log(text);
  if (values.write) {
    const path = join(REPO_ROOT, 'bench', 'README.md');
    writeFileSync(path, replaceBetweenMarkers(readFileSync(path, 'utf8'), 'firmware-bench', `(${new Date().toISOString().slice(0, 10)}, \`npm run bench:firmware\`, ${Tokens} new tokens after "${Prompt}")\n\n${text}`));
  }
}

function table(rows: readonly Row[]): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const lines = [
    '| model | params | runtime | weights | mode | decode tok/s | heap after generating (runtime included) | runtime alone | speed vs old | heap vs old |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const old = rows.find((o) => o.runtime === 'old' && o.model === r.model);
    const ratios = old && r !== old ? `x${(r.tokPerS / old.tokPerS).toFixed(1)} | x${(r.heap / old.heap).toFixed(2)}` : ' | ';
    lines.push(`| ${r.model} | ${n(r.params)} | ${r.runtime} | ${r.weights} | ${r.mode} | ${r.tokPerS.toFixed(1)} | ${n(r.heap)} | ${n(r.runtimeHeap)} | ${ratios} |`);
  }
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
