// Characters vs subwords, measured (issue 14): models of about 1K, 2K, 8K and 30K parameters (resident on a Pico) and
// 300K (streamed), each trained with the trainer the product uses on the same procedural stories and the same number of
// training characters, character-level and with subword vocabularies of several sizes. Per model: held-out bits per
// character (bench/heldOut.ts), characters per token, the heap on the Pico (the estimator), and the speed on a Pico in
// tokens and characters per second: measured on the emulated official firmware (`--firmware`, bench/firmwareSpeed.ts)
// and predicted from the shape (bench/picoSpeed.ts).
// Runs are long (the 300K ones most): results go to a JSON file as each run ends (the int8 models beside it, for
// measuring them on the emulated firmware), and a run already there is not trained again, so the script can be
// stopped and started again. Run it niced, once; never in CI.
// `--encoders` only compares encoders, no training: characters per token of BPE's own merge-order encoding and of
// longest match over the same vocabulary, and over the vocabulary pruned for longest match (src/model/subwordVocab).
// Usage: npx tsx bench/tokenizers.ts [--only 1k,8k,30k,300k] [--runs 8k-char,30k-sw256] [--results FILE] [--markdown]
//        npx tsx bench/tokenizers.ts --encoders
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus } from '../src/corpus/generate';
import { boardProfile } from '../src/memory/boards';
import { estimate } from '../src/memory/estimate';
import { estimateModelFromHeader } from '../src/memory/input';
import type { ModelConfig } from '../src/model/config';
import { readModel, readModelHeader } from '../src/model/modelFile';
import { countWords, learnSubwords } from '../src/model/subwordVocab';
import { Tokenizer } from '../src/model/tokenizer';
import { readCorpus } from '../src/train/corpusFiles';
import { type DataOptions, prepareData } from '../src/train/data';
import type { SizeSpec, TrainJob } from '../src/train/protocol';
import { runTraining } from '../src/train/run';
import { defaultContext } from '../src/train/sizing';
import { findWorkerScript } from '../src/train/workerScript';
import { type FirmwareSpeed, firmwareSpeed } from './firmwareSpeed';
import { heldOutScore } from './heldOut';
import { decodeTokensPerSecond } from './picoSpeed';

interface Size {
  label: string;
  size: SizeSpec;
  lr: number;
  /** Training characters for every tokenizer: half the sample model's (steps x 16 windows x its context in
   *  characters; 300K: a quarter), so the runs fit an afternoon on a shared 2-core machine. */
  characters: number;
  /** Shapes by subword size where narrowing the feed-forward cannot keep the count (1K: the table is most of it). */
  shapes?: Record<number, Extract<SizeSpec, { kind: 'dims' }>>;
  /** No position table (1K, as the story-1k sample: a table would be most of the model). */
  positional?: 'none';
}

const oneK = (dim: number, hidden: number, heads: number): Extract<SizeSpec, { kind: 'dims' }> => ({ kind: 'dims', dim, hidden_dim: hidden, n_layers: 1, n_heads: heads, context_length: 128 });

// 300K: the story-300k sample's shape (one layer, dim 104, a wide feed-forward), hidden narrowed for a larger
// vocabulary so the count stays at about 300K.
// 1K: the story-1k sample's shapes (no position table, a 128-token context): dim 8 with characters; with subwords
// the table takes the width (128 pieces at dim 6, every word of the stories, 478 tokens, at dim 2).
const Sizes: readonly Size[] = [
  { label: '1k', size: oneK(8, 27, 2), lr: 1e-2, characters: 3000 * 16 * 128, positional: 'none', shapes: { 128: oneK(6, 8, 2), 512: oneK(2, 8, 1) } },
  { label: '2k', size: { kind: 'params', target: 2_000 }, lr: 1e-2, characters: 4000 * 16 * 64 },
  { label: '8k', size: { kind: 'params', target: 8_000 }, lr: 5e-3, characters: 4000 * 16 * 64 },
  { label: '30k', size: { kind: 'params', target: 30_000 }, lr: 4e-3, characters: 5000 * 16 * 64 },
  { label: '300k', size: { kind: 'dims', dim: 104, hidden_dim: 1183, n_layers: 1, n_heads: 4, context_length: 64 }, lr: 3e-3, characters: 1500 * 16 * 64 },
];

interface RunSpec {
  size: string;
  /** undefined: characters. */
  subword?: number;
}

const Runs: readonly RunSpec[] = [
  { size: '1k' }, { size: '1k', subword: 128 }, { size: '1k', subword: 512 },
  { size: '2k' }, { size: '2k', subword: 64 }, { size: '2k', subword: 128 },
  { size: '8k' }, { size: '8k', subword: 128 }, { size: '8k', subword: 256 }, { size: '8k', subword: 512 },
  { size: '30k' }, { size: '30k', subword: 128 }, { size: '30k', subword: 256 }, { size: '30k', subword: 512 },
  { size: '300k' }, { size: '300k', subword: 256 }, { size: '300k', subword: 512 },
];

const runLabel = (r: RunSpec): string => `${r.size}-${r.subword === undefined ? 'char' : `sw${r.subword}`}`;

interface Result {
  run: string;
  size: string;
  tokenizer: string;
  vocab: number;
  params: number;
  shape: string;
  steps: number;
  trainChars: number;
  trainSeconds: number;
  bestValLoss: number;
  bitsPerChar: number;
  heldOutChars: number;
  unknown: number;
  charsPerToken: number;
  mode: string;
  zone: string;
  requiredBytes: number;
  config: Record<string, unknown>;
}

const { values } = parseArgs({
  options: {
    only: { type: 'string' }, runs: { type: 'string' }, results: { type: 'string' }, markdown: { type: 'boolean' }, encoders: { type: 'boolean' },
    firmware: { type: 'boolean' },
  },
});
const resultsFile = values.results ?? join(__dirname, '..', 'build', 'bench-tokenizers', 'results.json');
const HeldOut = { seed: 2, characters: 60_000 };
const Corpus = { seed: 1, characters: 4_000_000 };

function loadResults(): Result[] {
  return existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Result[]) : [];
}

function saveResults(results: Result[]): void {
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 1)}\n`);
}

async function measure(spec: RunSpec, corpus: string, heldOut: string[], dir: string): Promise<Result> {
  const size = Sizes.find((s) => s.label === spec.size) as Size;
  const data: DataOptions = spec.subword === undefined
    ? { tokenizer: 'char', lowercase: false, valEvery: 10 }
    : { tokenizer: 'longest_match', lowercase: false, vocabSize: spec.subword, valEvery: 10 };
  // The same training characters for every tokenizer: steps from the training stream's characters per token.
  const documents = (await readCorpus(corpus)).documents;
  const prepared = prepareData(documents, data);
  const trainChars = documents.filter((_, i) => i % 10 !== 9).reduce((n, d) => n + [...d].length, 0);
  const cpt = trainChars / (prepared.train.tokens.length - prepared.train.docStarts.length);
  let sizeSpec = (spec.subword !== undefined && size.shapes?.[spec.subword]) || size.size;
  const context = sizeSpec.kind === 'dims' ? sizeSpec.context_length : sizeSpec.kind === 'params' ? defaultContext(sizeSpec.target) : 64;
  const steps = Math.round(size.characters / (16 * context * cpt));
  if (sizeSpec === size.size && sizeSpec.kind === 'dims' && spec.subword !== undefined) {
    // Keep the count: every extra embedding row costs dim parameters; the feed-forward gives them back.
    const chars = prepareData(documents, { tokenizer: 'char', lowercase: false, valEvery: 10 }).vocab.length;
    const extra = (prepared.vocab.length - chars) * sizeSpec.dim;
    sizeSpec = { ...sizeSpec, hidden_dim: sizeSpec.hidden_dim - Math.round(extra / (2 * sizeSpec.dim)) };
  }
  const output = join(dirname(resultsFile), `${runLabel(spec)}.safetensors`);
  const job: TrainJob = {
    corpus, output, outputDtype: 'I8', checkpoint: join(dir, `${runLabel(spec)}.ckpt`), size: sizeSpec,
    arch: { norm: 'rmsnorm', activation: 'silu', positional: size.positional ?? 'learned', tied_embeddings: true, lowercase: false, family: 'story' },
    data, settings: { steps, batch: 16, lr: size.lr, seed: 1 }, threads: 'auto', board: 'pico-cp9',
  };
  const started = Date.now();
  let lastLog = 0;
  const summary = await runTraining(job, {
    emit: (e) => {
      if (e.type === 'progress' && Date.now() - lastLog > 60_000) {
        lastLog = Date.now();
        console.error(`  ${runLabel(spec)} step ${e.point.step}/${e.point.totalSteps} train ${e.point.trainLoss.toFixed(3)} ${Math.round(e.point.tokensPerSecond)} tok/s`);
      }
    },
    cancelled: () => false,
    workerScript: findWorkerScript(),
  });
  const file = new Uint8Array(readFileSync(output));
  const model = readModel(file);
  const score = heldOutScore(model, heldOut);
  const e = estimate(estimateModelFromHeader(readModelHeader(file)), boardProfile('pico-cp9'));
  const c = model.config;
  return {
    run: runLabel(spec), size: spec.size, tokenizer: spec.subword === undefined ? 'char' : 'subword', vocab: c.vocab_size,
    params: summary.parameterCount, shape: `dim ${c.dim}, ${c.n_layers} layer${c.n_layers > 1 ? 's' : ''}, hidden ${c.hidden_dim}`,
    steps, trainChars: Math.round(steps * 16 * context * cpt), trainSeconds: (Date.now() - started) / 1000, bestValLoss: summary.bestValLoss ?? NaN,
    bitsPerChar: score.bitsPerChar, heldOutChars: score.characters, unknown: score.unknown, charsPerToken: score.charsPerToken,
    mode: e.mode ?? 'none', zone: e.zone, requiredBytes: e.chosen.required, config: { ...c },
  };
}

function table(results: Result[], firmware: Record<string, FirmwareSpeed>): string {
  const head =
    '| size | tokenizer | vocab | params | shape | steps | held-out bits/char | chars/token | Pico heap (estimate) | ' +
    'firmware tok/s | firmware chars/s | predicted tok/s, chars/s |';
  const lines = [head, `|${' --- |'.repeat(12)}`];
  for (const s of Sizes) {
    for (const r of results.filter((x) => x.size === s.label)) {
      const tps = decodeTokensPerSecond(r.config as unknown as ModelConfig);
      const f = firmware[r.run];
      lines.push(
        `| ${r.size} | ${r.tokenizer} | ${r.vocab} | ${r.params.toLocaleString('en-US')} | ${r.shape} | ${r.steps.toLocaleString('en-US')} | ` +
          `${r.bitsPerChar.toFixed(3)} | ${r.charsPerToken.toFixed(2)} | ${(r.requiredBytes / 1024).toFixed(1)} KB ${r.mode}, ${r.zone} | ` +
          `${f ? f.tokensPerSecond.toFixed(1) : 'not measured'} | ${f ? f.charsPerSecond.toFixed(1) : 'not measured'} | ` +
          `${tps.toFixed(1)}, ${(tps * r.charsPerToken).toFixed(1)} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Tokens of `text` under BPE's own encoding: each word's merges applied in the order they were learned. */
function bpeOrderTokens(text: string, merges: [string, string][]): number {
  const rank = new Map(merges.map(([a, b], i) => [`${a}\u0000${b}`, i]));
  let tokens = 0;
  for (const [word, count] of countWords(text)) {
    let s = [...word];
    for (;;) {
      let at = -1;
      let best = Infinity;
      for (let i = 0; i + 1 < s.length; i++) {
        const r = rank.get(`${s[i]}\u0000${s[i + 1]}`);
        if (r !== undefined && r < best) [at, best] = [i, r];
      }
      if (at < 0) break;
      s = [...s.slice(0, at), s[at] + s[at + 1], ...s.slice(at + 2)];
    }
    tokens += s.length * count;
  }
  return tokens;
}

function encoderTable(): string {
  const lines = ['| corpus | vocab | BPE merge order | longest match, same vocabulary | longest match, pruned vocabulary (ours) |', '|---|---|---|---|---|'];
  const config = { tokenizer: 'longest_match' as const, lowercase: false, unk_id: 3, special_ids: [0, 1, 2, 3] };
  for (const kind of ['stories', 'chat'] as const) {
    const train = generateCorpus(kind, 1, 1_000_000);
    const held = generateCorpus(kind, 2, 200_000);
    const chars = [...held].length;
    for (const size of [64, 128, 256, 384, 512]) {
      const plain = learnSubwords(train, { size: size - 4, rounds: 0 });
      const pruned = learnSubwords(train, { size: size - 4 });
      const longest = (entries: string[]): number => new Tokenizer(['<pad>', '<s>', '</s>', '<unk>', ...entries], config).encode(held).ids.length;
      const cell = (tokens: number, entries: string[]): string => `${(chars / tokens).toFixed(3)}${entries.length + 4 < size ? ` (${entries.length + 4} entries: every word)` : ''}`;
      lines.push(`| ${kind} | ${size} | ${cell(bpeOrderTokens(held, plain.merges), plain.entries)} | ${cell(longest(plain.entries), plain.entries)} | ${cell(longest(pruned.entries), pruned.entries)} |`);
    }
  }
  return lines.join('\n');
}

/** The short table docs/training.md shows. */
function shortTable(results: Result[], firmware: Record<string, FirmwareSpeed>): string {
  const lines = ['| size | vocabulary | held-out bits/char | chars/token | chars/s on the firmware | zone on a Pico |', '|---|---|---|---|---|---|'];
  for (const r of results) {
    const f = firmware[r.run];
    lines.push(
      `| ${r.size} | ${r.tokenizer === 'char' ? 'characters' : `${r.vocab} subword tokens`} | ${r.bitsPerChar.toFixed(3)} | ${r.charsPerToken.toFixed(2)} | ` +
        `${f ? f.charsPerSecond.toFixed(1) : 'not measured'} | ${r.zone} (${r.mode}) |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (values.encoders) {
    console.log('characters per token on held-out text (seed 2, 200,000 characters), vocabularies learned from 1,000,000 characters (seed 1)\n');
    console.log(encoderTable());
    return;
  }
  let results = loadResults();
  const only = values.only?.split(',');
  const named = values.runs?.split(',');
  const todo = Runs.filter((r) => (only === undefined || only.includes(r.size)) && (named === undefined || named.includes(runLabel(r))));
  const firmwareFile = join(dirname(resultsFile), 'firmware.json');
  const firmware = existsSync(firmwareFile) ? (JSON.parse(readFileSync(firmwareFile, 'utf8')) as Record<string, FirmwareSpeed>) : {};
  if (values.firmware) {
    for (const spec of todo) {
      const model = join(dirname(resultsFile), `${runLabel(spec)}.safetensors`);
      if (!existsSync(model)) continue;
      console.error(`${runLabel(spec)}: on the emulated firmware...`);
      firmware[runLabel(spec)] = await firmwareSpeed(model, join(__dirname, '..', 'board'));
      console.error(`  ${JSON.stringify(firmware[runLabel(spec)])}`);
      writeFileSync(firmwareFile, `${JSON.stringify(firmware, null, 1)}\n`);
    }
  } else if (!values.markdown) {
    const dir = mkdtempSync(join(tmpdir(), 'picoformer-bench-tok-'));
    try {
      const corpus = join(dir, 'stories.txt');
      writeFileSync(corpus, generateCorpus('stories', Corpus.seed, Corpus.characters));
      const heldOut = generateCorpus('stories', HeldOut.seed, HeldOut.characters).split('\n\n').map((d) => d.trim()).filter((d) => d.length > 0);
      for (const spec of todo) {
        if (results.some((r) => r.run === runLabel(spec))) continue;
        console.error(`${runLabel(spec)}: training...`);
        const r = await measure(spec, corpus, heldOut, dir);
        console.error(`${r.run}: ${r.params} params, ${r.bitsPerChar.toFixed(3)} bits/char, ${r.charsPerToken.toFixed(2)} chars/token, ${Math.round(r.trainSeconds)} s`);
        results = [...loadResults().filter((x) => x.run !== r.run), r];
        saveResults(results);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const order = Runs.map(runLabel);
  results.sort((a, b) => order.indexOf(a.run) - order.indexOf(b.run));
  console.log(
    `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}; stories corpus (seed ${Corpus.seed}, ` +
      `${Corpus.characters.toLocaleString('en-US')} characters), held out: stories seed ${HeldOut.seed} (${HeldOut.characters.toLocaleString('en-US')} characters)\n`,
  );
  console.log(table(results, firmware));
  if (values.markdown) console.log(`\nShort (docs/training.md):\n\n${shortTable(results, firmware)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exitCode = 1;
});
