// Token choice on the official firmware (emulated Pico, simulated time: the host's load does not matter), before and
// after in one run: decode tok/s of story-1k and story-8k, greedy, sampled (temperature 0.8) and sampled with top_k
// 40, with a runtime folder given as "before" (e.g. `git archive <commit> board`) and this tree's board/ as "after".
// Each model deployed alone, loaded as the runtime's start-up decides; generations after "once upon a time", 40 new
// tokens, seeds 1-3 (greedy: seed 1); decode = the tokens after each generation's first over the board time between.
// Usage: npx tsx bench/firmwareSampling.ts --before DIR [--tokens N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { deployToFolder } from '../src/emu/emulateDeploy';
import { REPO_ROOT } from '../src/emu/firmware';
import { FirmwareBoard } from '../src/emu/firmwareBoard';
import { decodeSpan } from './firmwareSpeed';

const { values } = parseArgs({ options: { before: { type: 'string' }, tokens: { type: 'string', default: '40' } } });
if (!values.before) {
  console.error('firmwareSampling: --before DIR (a board/ folder to compare with) is required');
  process.exit(2);
}
const Tokens = Math.max(3, Number(values.tokens) || 40);
const Models = ['story-1k', 'story-8k'];
const Settings = [
  { label: 'greedy', temperature: 0, topK: 0, seeds: [1] },
  { label: 'sampled (t 0.8)', temperature: 0.8, topK: 0, seeds: [1, 2, 3] },
  { label: 'sampled, top_k 40', temperature: 0.8, topK: 40, seeds: [1, 2, 3] },
];

/** tok/s per setting label for one runtime and model. */
async function decodeRates(runtimeDir: string, model: string): Promise<Record<string, number>> {
  const drive = mkdtempSync(join(tmpdir(), 'picoformer-bench-sampling-'));
  let board: FirmwareBoard | undefined;
  try {
    await deployToFolder(drive, { runtimeDir, models: [{ path: join(REPO_ROOT, 'models', `${model}.safetensors`) }] });
    board = await FirmwareBoard.boot({ driveDir: drive });
    await board.session.list(); // answered once the start-up load is over
    const rates: Record<string, number> = {};
    for (const s of Settings) {
      let ms = 0;
      let tokens = 0;
      for (const seed of s.seeds) {
        const run = await board.generate({ prompt: 'once upon a time', max_tokens: Tokens, temperature: s.temperature, top_k: s.topK, seed });
        const span = decodeSpan(run.tokenTimes);
        ms += span.ms;
        tokens += span.tokens;
      }
      rates[s.label] = (tokens * 1000) / ms;
      console.error(JSON.stringify({ runtimeDir, model, setting: s.label, tokens, tokPerS: rates[s.label] }));
    }
    return rates;
  } finally {
    await board?.close();
    rmSync(drive, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const after = join(REPO_ROOT, 'board');
  const lines = ['| model | choice | before tok/s | after tok/s | after / before |', '| --- | --- | --- | --- | --- |'];
  for (const model of Models) {
    const b = await decodeRates(values.before as string, model);
    const a = await decodeRates(after, model);
    for (const s of Settings) lines.push(`| ${model} | ${s.label} | ${b[s.label].toFixed(1)} | ${a[s.label].toFixed(1)} | x${(a[s.label] / b[s.label]).toFixed(2)} |`);
  }
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
