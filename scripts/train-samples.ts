// Trains the sample models in models/ from the procedural corpus (src/corpus) and records what they do in
// models/README.md. Deterministic: the same machine gives the same files (seeds for corpus, weights and data order).
// Usage: npx tsx scripts/train-samples.ts [--only story-1k,chat-8k] [--list] [--samples-only] [--check]
//   (npm run train:samples). Corpora and checkpoints go to a temporary folder; only int8 models are kept.
//   --samples-only: regenerate the README's samples from the committed models, without training.
//   --check: retrain into a temporary folder and compare each file's sha256 with the committed one (models/ is
//   left alone); exit code 1 on any mismatch.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus, type CorpusKind } from '../src/corpus/generate';
import { boardProfile } from '../src/memory/boards';
import { estimate } from '../src/memory/estimate';
import { estimateModelFromHeader } from '../src/memory/input';
import { generate } from '../src/model/generate';
import { readModelFile, readModelHeaderFile } from '../src/model/modelIo';
import { Tokenizer } from '../src/model/tokenizer';
import { startTraining } from '../src/train/host';
import type { SizeSpec, TrainSummary } from '../src/train/protocol';
import type { DataRequest } from '../src/train/data';
import type { ArchOptions } from '../src/train/sizing';
import type { TrainSettings } from '../src/train/settings';
import { heldOutScore } from '../bench/heldOut';
import { corpusWordShare, wordsOf } from './sampleWords';

interface Sample {
  /** The sample's name and file name, and the model's own name (from its parameter count). */
  name: string;
  family: 'story' | 'chat';
  corpus: CorpusKind;
  size: SizeSpec;
  /** Architecture options beyond the defaults (rmsnorm, silu, learned positions, tied embeddings). */
  arch?: Partial<Pick<ArchOptions, 'positional' | 'norm' | 'activation' | 'tied_embeddings'>>;
  /** The vocabulary (default: characters): a subword sample gives its tokenizer and size. */
  vocab?: Pick<DataRequest, 'tokenizer' | 'vocabSize'>;
  /** What the model is for, one line for the README. */
  purpose: string;
  settings: Partial<TrainSettings> & { steps: number; batch: number; lr: number; seed: number };
  prompts: string[];
}

const StoryPrompts = ['', 'once upon a time', 'tom had a red', 'one day, the cat'];
const ChatPrompts = ['user: hi!\nbot:', 'user: what does a cow say?\nbot:', 'user: what is your name?\nbot:', 'user: what color is the sky?\nbot:'];

const Samples: readonly Sample[] = [
  {
    // Every word of the corpus is one token (a subword vocabulary asked for 512 entries stops at 478: the whole
    // corpus in words, issue 14): a 1K model cannot learn to spell, but with whole words it only has to choose them.
    // The table takes 956 of its parameters at dim 2; no position table, so the context costs only KV cache.
    name: 'story-1k', family: 'story', corpus: 'stories', purpose: 'the smallest: whole words of the stories, one token each',
    size: { kind: 'dims', dim: 2, hidden_dim: 8, n_layers: 1, n_heads: 1, context_length: 128 }, arch: { positional: 'none' },
    vocab: { tokenizer: 'longest_match', vocabSize: 512 },
    settings: { steps: 6000, batch: 16, lr: 1e-2, seed: 1 }, prompts: StoryPrompts,
  },
  {
    // Subword pieces win at 8K (bench/README.md "Tokenizers": 0.70 held-out bits per character with every word a
    // token against 1.26 with 256 pieces and 1.98 with characters, and the most characters per second).
    name: 'story-8k', family: 'story', corpus: 'stories', purpose: 'whole words of the stories, one token each: phrases and short sentences',
    size: { kind: 'params', target: 8_000 }, vocab: { tokenizer: 'longest_match', vocabSize: 512 },
    settings: { steps: 8000, batch: 16, lr: 5e-3, seed: 1 }, prompts: StoryPrompts,
  },
  {
    name: 'chat-8k', family: 'chat', corpus: 'chat', purpose: 'user/bot turns: answers in the bot\'s phrases',
    size: { kind: 'params', target: 8_000 }, settings: { steps: 8000, batch: 16, lr: 5e-3, seed: 1 }, prompts: ChatPrompts,
  },
  {
    name: 'story-30k', family: 'story', corpus: 'stories', purpose: 'runs resident on a Pico (140 KB budget)',
    size: { kind: 'dims', dim: 32, hidden_dim: 144, n_layers: 2, n_heads: 4, context_length: 64 },
    settings: { steps: 10000, batch: 16, lr: 4e-3, seed: 1 }, prompts: StoryPrompts,
  },
  {
    name: 'story-300k', family: 'story', corpus: 'stories', purpose: 'too big to load whole on a Pico: runs streamed (layer by layer from flash)',
    // One layer: a streamed model's KV cache stays in the heap, and two layers at this width fit only a 32-token
    // context; one layer with a wide feed-forward keeps a 64-token context (zone test, streamed).
    size: { kind: 'dims', dim: 104, hidden_dim: 1183, n_layers: 1, n_heads: 4, context_length: 64 },
    settings: { steps: 6000, batch: 16, lr: 3e-3, seed: 1 }, prompts: StoryPrompts,
  },
];

/** Corpus sizes (characters) and seeds: large enough that no model sees a window often. */
const Corpora: Record<CorpusKind, { seed: number; characters: number }> = {
  stories: { seed: 1, characters: 4_000_000 },
  chat: { seed: 1, characters: 2_000_000 },
};

/** Any seeds would do (the generator mixes them, docs/format.md); these are the ones the README has always shown. */
const SampleSeeds = [2024, 7919, 31337];
const root = join(__dirname, '..');
const modelsDir = join(root, 'models');
const resultsFile = join(modelsDir, 'samples.json');

interface Result {
  name: string;
  file: string;
  purpose: string;
  corpus: string;
  parameterCount: number;
  config: string;
  settings: string;
  steps: number;
  bestValLoss: number | null;
  trainingSeconds: number;
  tokensPerSecond: number;
  threads: number;
  fileBytes: number;
  quantMaxAbs: number;
  top1: number;
  /** What the logit error covers: the trainer's export now compares the int8 weights and KV cache together against
   *  the float model; results recorded before the int8 cache (absent) covered the weights only. */
  quantScope?: 'weights and KV cache';
  fit: string;
  samples: { prompt: string; seed: number; temperature: number; text: string }[];
  /** Story models: the share of words of 20 seeded samples that are words of the corpus (scripts/sampleWords.ts). */
  corpusWords?: { share: number; words: number };
  /** Subword models: the corpus' characters per token, which turns the loss per token into bits per character. */
  charsPerToken?: number;
  /** Held-out bits per character (bench/heldOut.ts on text of the corpus the model never saw): comparable across
   *  vocabularies, unlike the loss per token. */
  heldOutBitsPerChar?: number;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const s of Samples) console.log(`${s.name}: ${s.corpus}, ${JSON.stringify(s.size)}, ${JSON.stringify(s.settings)}${s.vocab ? `, ${JSON.stringify(s.vocab)}` : ''}`);
    return;
  }
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : undefined;
  const chosen = Samples.filter((s) => only === undefined || only.includes(s.name));
  if (chosen.length === 0) throw new Error(`no sample named ${only?.join(', ')}; known: ${Samples.map((s) => s.name).join(', ')}`);
  if (args.includes('--check')) {
    if (args.includes('--samples-only')) throw new Error('--check retrains; it does not go with --samples-only');
    process.exitCode = (await check(chosen)) ? 0 : 1;
    return;
  }
  const work = join(tmpdir(), 'picoformer-samples');
  mkdirSync(work, { recursive: true });
  mkdirSync(modelsDir, { recursive: true });
  const results = readResults();
  if (args.includes('--samples-only')) {
    for (const sample of chosen) {
      const known = results[sample.name];
      if (known === undefined && only === undefined) {
        console.log(`${sample.name}: not trained yet (npm run train:samples -- --only ${sample.name}), skipped`);
        continue;
      }
      if (known === undefined) throw new Error(`${sample.name} has no recorded training in ${resultsFile}: train it first`);
      known.purpose = sample.purpose; // the script's own words, not the training's
      known.samples = await samplesOf(sample, join(modelsDir, known.file));
      const words = await corpusWordsOf(sample, join(modelsDir, known.file));
      if (words) known.corpusWords = words;
      const perToken = await charsPerTokenOf(sample, join(modelsDir, known.file));
      if (perToken !== undefined) known.charsPerToken = perToken;
      known.heldOutBitsPerChar = await heldOutBitsOf(sample, join(modelsDir, known.file));
      known.fit = await fitOf(join(modelsDir, known.file)); // the estimator may have changed since training
    }
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(modelsDir, 'README.md'), readme(results));
    return;
  }
  for (const sample of chosen) {
    const { summary, threads } = await train(sample, modelsDir, work);
    const described = await describe(sample, summary, threads);
    // Read again: another run (--only another sample) may have written its entry meanwhile.
    Object.assign(results, readResults(), { [sample.name]: described });
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(modelsDir, 'README.md'), readme(results));
    console.log(`${sample.name}: val ${summary.bestValLoss?.toFixed(4)}, ${(summary.elapsedMs / 1000).toFixed(0)} s, ${summary.fit.zone} ${summary.fit.mode}`);
  }
}

/** Trains one sample into `outDir`, with its corpus and checkpoint in `work`. */
async function train(sample: Sample, outDir: string, work: string): Promise<{ summary: TrainSummary; threads: number }> {
  const corpusFile = join(work, `${sample.corpus}-${Corpora[sample.corpus].seed}.txt`);
  writeFileSync(corpusFile, generateCorpus(sample.corpus, Corpora[sample.corpus].seed, Corpora[sample.corpus].characters));
  const output = join(outDir, `${sample.name}.safetensors`);
  let threads = 1;
  let name = '';
  const run = startTraining(
    {
      corpus: corpusFile, output, outputDtype: 'I8', checkpoint: join(work, `${sample.name}.ckpt`), size: sample.size,
      arch: { norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, ...sample.arch, lowercase: false, family: sample.family },
      data: { tokenizer: 'char', lowercase: false, valEvery: 10, ...sample.vocab },
      settings: sample.settings, threads: 'auto', board: 'pico-cp9',
    },
    (e) => {
      if (e.type === 'prepared') {
        threads = e.info.threads;
        name = e.info.name;
        console.log(`${sample.name}: ${e.info.name}, ${e.info.parameterCount} parameters, ${e.info.trainTokens} training tokens, ${threads} threads`);
      } else if (e.type === 'progress' && e.point.valLoss !== null) {
        const p = e.point;
        console.log(`  step ${p.step}/${p.totalSteps} train ${p.trainLoss.toFixed(3)} val ${p.valLoss?.toFixed(3)} ${Math.round(p.tokensPerSecond)} tok/s ${(p.elapsedMs / 1000).toFixed(0)} s`);
      }
    },
  );
  const summary = await run.done;
  if (name !== sample.name) throw new Error(`${sample.name} came out as ${name}: fix its size in this script`);
  return { summary, threads };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Retrains each sample into a temporary folder and compares its bytes with the committed file; true if all match. */
async function check(chosen: readonly Sample[]): Promise<boolean> {
  let allMatch = true;
  for (const sample of chosen) {
    const work = mkdtempSync(join(tmpdir(), `picoformer-check-${sample.name}-`));
    try {
      const { summary } = await train(sample, work, work);
      const committedPath = join(modelsDir, `${sample.name}.safetensors`);
      let committed: string;
      try {
        committed = sha256(readFileSync(committedPath));
      } catch (error) {
        committed = `unreadable (${(error as Error).message})`;
      }
      const retrained = sha256(readFileSync(summary.output.path));
      const same = committed === retrained;
      allMatch &&= same;
      console.log(same ? `${sample.name}: match (sha256 ${retrained})` : `${sample.name}: MISMATCH: committed ${committed}, retrained ${retrained}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return allMatch;
}

async function samplesOf(sample: Sample, path: string): Promise<Result['samples']> {
  const model = await readModelFile(path);
  const samples: Result['samples'] = [];
  for (const prompt of sample.prompts) {
    for (const seed of prompt === sample.prompts[0] ? SampleSeeds : [SampleSeeds[0]]) {
      const temperature = 0.8;
      samples.push({ prompt, seed, temperature, text: generate(model, prompt, { maxTokens: 160, temperature, topK: 0, seed }).text });
    }
  }
  return samples;
}

async function describe(sample: Sample, s: TrainSummary, threads: number): Promise<Result> {
  const c = (await readModelFile(s.output.path)).config;
  const samples = await samplesOf(sample, s.output.path);
  return {
    name: sample.name, file: `${sample.name}.safetensors`, purpose: sample.purpose,
    corpus: `${sample.corpus} (seed ${Corpora[sample.corpus].seed}, ${Corpora[sample.corpus].characters.toLocaleString('en-US')} characters)`,
    parameterCount: s.parameterCount,
    config: `dim ${c.dim}, ${c.n_layers} layer${c.n_layers > 1 ? 's' : ''}, ${c.n_heads} head${c.n_heads > 1 ? 's' : ''}, hidden ${c.hidden_dim}, context ${c.context_length}, vocab ${c.vocab_size}${c.positional === 'none' ? ', no position table' : ''}`,
    settings: `${s.totalSteps} steps x ${sample.settings.batch} windows, lr ${sample.settings.lr}, seed ${sample.settings.seed}`,
    steps: s.steps, bestValLoss: s.bestValLoss, trainingSeconds: Math.round(s.elapsedMs / 1000), tokensPerSecond: Math.round(s.tokensPerSecond), threads,
    fileBytes: s.output.bytes, quantMaxAbs: s.quantError.maxAbs, top1: s.quantError.top1Agreement, quantScope: 'weights and KV cache',
    fit: await fitOf(s.output.path),
    samples,
    corpusWords: await corpusWordsOf(sample, s.output.path),
    charsPerToken: await charsPerTokenOf(sample, s.output.path),
    heldOutBitsPerChar: await heldOutBitsOf(sample, s.output.path),
  };
}

/** Held-out text: 60,000 characters of the sample's corpus kind from another seed (as bench/tokenizers.ts). */
const HeldOut = { seed: 2, characters: 60_000 };

/** The model's held-out bits per character (bench/heldOut.ts), rounded to 3 places. */
async function heldOutBitsOf(sample: Sample, path: string): Promise<number> {
  const documents = generateCorpus(sample.corpus, HeldOut.seed, HeldOut.characters).split('\n\n').map((d) => d.trim()).filter((d) => d.length > 0);
  return Number(heldOutScore(await readModelFile(path), documents).bitsPerChar.toFixed(3));
}

/** For a subword model, its corpus' characters per token as the model encodes it (a character model's is 1). */
async function charsPerTokenOf(sample: Sample, path: string): Promise<number | undefined> {
  if (sample.vocab === undefined) return undefined;
  const model = await readModelFile(path);
  const corpus = generateCorpus(sample.corpus, Corpora[sample.corpus].seed, Corpora[sample.corpus].characters);
  return Number((corpus.length / new Tokenizer(model.vocab, model.config).encode(corpus).ids.length).toFixed(3));
}

/** "val 2.345 nats per token, 2.61 characters per token: 1.296 bits per character" for a subword model. */
function perCharacter(r: Result): string {
  if (r.charsPerToken === undefined || r.bestValLoss === null) return '';
  const bits = r.bestValLoss / r.charsPerToken / Math.LN2;
  return ` Its tokens are pieces of ${r.charsPerToken.toFixed(2)} characters on average (its corpus as it encodes it): its validation loss of ${r.bestValLoss.toFixed(3)} nats per token is ${bits.toFixed(3)} bits per character.`;
}

/** For story models, how many generated words are words of the corpus (issue 14's bar: 90%). */
async function corpusWordsOf(sample: Sample, path: string): Promise<Result['corpusWords']> {
  if (sample.corpus !== 'stories') return undefined;
  const corpus = Corpora[sample.corpus];
  const words = new Set(wordsOf(generateCorpus(sample.corpus, corpus.seed, corpus.characters)));
  const { share, words: count } = corpusWordShare(await readModelFile(path), words);
  return { share, words: count };
}

/** The model's zone on a Pico, as the current estimator sees it: "test, streamed (119.0 KB of 140)". */
async function fitOf(path: string): Promise<string> {
  const e = estimate(estimateModelFromHeader(await readModelHeaderFile(path)), boardProfile('pico-cp9'));
  return `${e.zone}, ${e.mode ?? 'does not load'} (${(e.chosen.required / 1024).toFixed(1)} KB of 140)`;
}

function readResults(): Record<string, Result> {
  try {
    return JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, Result>;
  } catch {
    return {};
  }
}

function readme(results: Record<string, Result>): string {
  const ordered = Samples.map((s) => results[s.name]).filter((r): r is Result => r !== undefined);
  const rows = ordered.map(
    (r) =>
      `| \`${r.file}\` | ${r.parameterCount.toLocaleString('en-US')} | ${r.config} | ${r.bestValLoss?.toFixed(3) ?? 'n/a'} | ${r.heldOutBitsPerChar?.toFixed(3) ?? 'n/a'} | ` +
      `${r.trainingSeconds} s (${r.tokensPerSecond.toLocaleString('en-US')} tok/s, ${r.threads} thread${r.threads > 1 ? 's' : ''}) | ${(r.fileBytes / 1024).toFixed(1)} KB | ${r.fit} | ` +
      `${r.corpusWords ? `${(r.corpusWords.share * 100).toFixed(1)}% of ${r.corpusWords.words}` : 'n/a'} |`,
  );
  const sections = ordered.map((r) => {
    const lines = r.samples.map((s) => `- ${s.prompt === '' ? '(empty prompt)' : `\`${JSON.stringify(s.prompt).slice(1, -1)}\``}, seed ${s.seed}: \`${JSON.stringify(s.text).slice(1, -1)}\``);
    const scope = r.quantScope ?? 'weights only, measured at training, before the int8 KV cache: bench/README.md "KV cache" has the cache\'s own effect';
    return `### ${r.name}\n\n${r.purpose}. Trained on ${r.corpus}: ${r.settings}; int8 logit error against float32 at most ${r.quantMaxAbs.toFixed(3)}, top-1 agreement ${(r.top1 * 100).toFixed(1)}% (${scope}).${perCharacter(r)}\n\n${lines.join('\n')}\n`;
  });
  return `# Sample models

Trained by \`npm run train:samples\` (\`scripts/train-samples.ts\`) on the procedural corpus (\`picoformer corpus\`,
docs/training.md) with the TypeScript trainer; every file is int8 with the int8 KV cache (picoformer/1, docs/format.md). The same script on
the same machine gives the same files: corpus, weights and data order are all seeded, and one gradient thread or two
give the same bits. \`npm run train:samples -- --only NAME --check\` retrains into a temporary folder and compares
the bytes with the committed file (all five were checked this way: identical). Training times are from
the run that made the files, on a shared 2-core machine, and vary with load.

Validation loss is the mean cross-entropy per token (nats) on the documents held out of training; a token is a
character in a character vocabulary and a whole word (or a punctuation mark) in the subword vocabularies of
story-1k and story-8k, so it is not comparable across vocabularies. *Bits/char* is: the held-out text's total
negative log-likelihood in bits over its characters, on 60,000 characters of the corpus from another seed (seed 2;
\`bench/heldOut.ts\`, as the tokenizer table of bench/README.md). Memory is the estimate
for a Raspberry Pi Pico with CircuitPython 9 (\`pico-cp9\`, 140 KB budget; docs/memory.md). *Corpus words*: of 20
seeded samples of a story model (empty prompt, seeds 1-20, temperature 0.8, 160 tokens at most), the share of the
words (space-separated, punctuation stripped) that are words of its training corpus (\`scripts/sampleWords.ts\`;
\`test/unit/scripts/sampleWords.test.ts\` checks that no model drops below its figure here). The aim is 90%.

| file | parameters | shape | val loss | bits/char | training | size | on a Pico | corpus words |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

## Samples

Generated by the TypeScript reference (\`picoformer generate <model> -p PROMPT --seed S --temperature 0.8\`), 160 tokens at
most, stopping at the end-of-text token (a full context is refilled and generation goes on, docs/format.md). The board runtime (\`board/lib/picoformer\`) generates the
same tokens for the same seed: \`test/sim/sampleModels.test.ts\` deploys every model here to the virtual Pico
(MicroPython, story-300k streamed) and compares its tokens with the reference's, greedy and sampled. Any seed does: the generator mixes the seed
into its starting state (docs/format.md), so small or neighbouring seeds such as 1, 2, 3 sample as well as these.

${sections.join('\n')}`;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
