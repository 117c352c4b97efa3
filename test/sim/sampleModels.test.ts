// Issue 6's proof for the trained sample models (every .safetensors in models/, with its README prompts from
// models/samples.json): deployed to a virtual Pico as `picoformer deploy` does, each loads in the mode the memory
// estimate picks (story-300k streamed) and the board runtime's tokens equal the TypeScript reference's, greedy and
// sampled with the README's seeds; and what they say is the corpus's language. Expected tokens are computed here,
// never stored: the samples (and the sampler's seeding) may change.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BoardLink, connectBoard, openTransport } from '../../src/cli/boardLink';
import { generateCorpus, type CorpusKind } from '../../src/corpus/generate';
import { nodeDeployFs } from '../../src/device/deploy/deployFs';
import { executeDeploy } from '../../src/device/deploy/executeDeploy';
import { prepareDeploy } from '../../src/device/deploy/prepareDeploy';
import { boardProfile } from '../../src/memory/boards';
import { estimate } from '../../src/memory/estimate';
import { estimateModelFromHeader } from '../../src/memory/input';
import { generate } from '../../src/model/generate';
import type { Model } from '../../src/model/modelFile';
import { readModelFile, readModelHeaderFile } from '../../src/model/modelIo';
import { parameterCount } from '../../src/model/params';
import { DEFAULT_HEAP_BUDGET } from '../../src/sim/virtualPico';
import { makeDrive, removeDrive } from './support';

const REPO = join(__dirname, '..', '..');
const MODELS = join(REPO, 'models');

interface RecordedSample {
  prompt: string;
  seed: number;
  temperature: number;
}

/** models/samples.json, as far as this test reads it. */
const recorded = JSON.parse(readFileSync(join(MODELS, 'samples.json'), 'utf8')) as Record<string, { file: string; samples: RecordedSample[] }>;
const files = readdirSync(MODELS).filter((f) => f.endsWith('.safetensors')).sort();

/** New tokens per generation, prompts and seeds per prompt. A streamed model is slow in the VM (story-300k: 0.3 s a
 *  token, 10x story-8k, measured): it gets the first two prompts with one seed each, so this file takes ~2 minutes. */
const Budget = { resident: { tokens: 40, prompts: 4, seeds: 3 }, streamed: { tokens: 32, prompts: 2, seeds: 1 } } as const;

/** Share of complete generated words that must be corpus words, by parameter count (story-1k and story-8k write
 *  whole-word tokens; chat-8k spells its characters and scores least). */
const WordShare = [
  { minParams: 20_000, share: 0.85 },
  { minParams: 900, share: 0.65 },
];

const words = (text: string): string[] => text.match(/[a-z]+/g) ?? [];

const vocabularies = new Map<CorpusKind, Set<string>>();
/** Every word of the corpus generator's output (a few hundred thousand characters holds its whole vocabulary). */
function vocabulary(kind: CorpusKind): Set<string> {
  let known = vocabularies.get(kind);
  if (!known) vocabularies.set(kind, (known = new Set(words(generateCorpus(kind, 1, 400_000)))));
  return known;
}

/** The generated words that end inside the generated text and before its end (the last one may be cut off). */
function generatedWords(prompt: string, text: string): string[] {
  const full = prompt + text;
  const found: string[] = [];
  for (const m of full.matchAll(/[a-z]+/g)) {
    const end = (m.index ?? 0) + m[0].length;
    if (end > prompt.length && end < full.length) found.push(m[0]);
  }
  return found;
}

/** First words of the chat corpus's bot lines ("bot: hello! ..." gives hello). */
function botOpeners(): Set<string> {
  const openers = generateCorpus('chat', 1, 400_000).match(/^bot: [a-z]+/gm) ?? [];
  return new Set(openers.map((line) => line.slice('bot: '.length)));
}

/** The load modes the models above were found in (the last suite checks both paths were taken). */
const modesSeen = new Set<string>();

interface Case extends RecordedSample {
  tokens: number;
}

interface Outcome extends Case {
  text: string;
}

for (const file of files) {
  const name = file.replace(/\.safetensors$/, '');

  describe(`sample model ${name} on the virtual Pico`, function () {
    this.timeout(120_000);
    let drive: string;
    let link: BoardLink;
    let model: Model;
    let mode: 'resident' | 'streamed';
    const outcomes: Outcome[] = [];

    const entry = recorded[name];
    const samples = entry?.samples ?? [];
    const prompts = [...new Set(samples.map((s) => s.prompt))];

    before(async function () {
      this.timeout(60_000);
      assert.ok(entry, `${file} has no entry in models/samples.json (npm run train:samples records it)`);
      assert.equal(entry.file, file);
      drive = makeDrive();
      const plan = await prepareDeploy({ drivePath: drive, runtimeDir: join(REPO, 'board'), models: [{ path: join(MODELS, file) }] }, nodeDeployFs());
      await executeDeploy(plan);
      // The reference runs the very bytes the board has.
      model = await readModelFile(join(drive, 'models', file));
      link = await connectBoard(openTransport({ kind: 'virtual', driveDir: drive, heapBudget: DEFAULT_HEAP_BUDGET }, () => undefined));
    });

    after(async () => {
      await link?.close();
      if (drive) removeDrive(drive);
    });

    it('is loaded at start in the mode the memory estimate picks', async () => {
      await link.session.list(); // answered once the start-up load of the default model is over
      const loaded = (await link.session.info()).model;
      assert.equal(loaded?.file, file, 'the deployed default model is loaded');
      const header = await readModelHeaderFile(join(drive, 'models', file));
      const expected = estimate(estimateModelFromHeader(header), boardProfile('pico-cp9'), { ulab: link.ready.ulab }).mode;
      assert.ok(expected, `${name} cannot load on a Pico at all`);
      assert.equal(loaded.mode, expected);
      mode = expected;
      modesSeen.add(mode);
    });

    /** Runs `cases` on the board and in the reference; collects every difference before failing. */
    async function compare(cases: Case[]): Promise<void> {
      assert.ok(mode, 'the load mode is known (the previous test passed)');
      assert.ok(cases.length > 0, 'models/samples.json lists prompts');
      const differences: string[] = [];
      for (const c of cases) {
        const board = await (await link.session.generate({ prompt: c.prompt, max_tokens: c.tokens, temperature: c.temperature, top_k: 0, seed: c.seed })).result;
        assert.equal(board.state, 'done', `${JSON.stringify(c)}: ${board.error?.message ?? board.state}`);
        const reference = generate(model, c.prompt, { maxTokens: c.tokens, temperature: c.temperature, topK: 0, seed: c.seed });
        const ids = board.tokens.map((t) => t.id);
        if (JSON.stringify([ids, board.reason]) !== JSON.stringify([reference.ids, reference.stopReason])) {
          differences.push(`${JSON.stringify(c)}:\n  board     ${JSON.stringify(board.text)} (${board.reason}) ${ids.join(',')}\n  reference ${JSON.stringify(reference.text)} (${reference.stopReason}) ${reference.ids.join(',')}`);
        }
        assert.ok(ids.length >= Math.min(c.tokens, 16) || board.reason === 'eos', `${JSON.stringify(c)}: only ${ids.length} tokens`);
        outcomes.push({ ...c, text: board.text });
      }
      assert.deepEqual(differences, [], `the board's tokens differ from the reference's:\n${differences.join('\n')}`);
    }

    it('greedy: the board\'s tokens are the reference\'s for the README\'s prompts', async () => {
      const budget = Budget[mode];
      await compare(prompts.slice(0, budget.prompts).map((prompt) => ({ prompt, seed: 1, temperature: 0, tokens: budget.tokens })));
    });

    it('sampled with the README\'s seeds and temperature: the board\'s tokens are the reference\'s', async () => {
      const budget = Budget[mode];
      const cases = prompts.slice(0, budget.prompts).flatMap((prompt) => samples.filter((s) => s.prompt === prompt).slice(0, budget.seeds));
      await compare(cases.map((s) => ({ prompt: s.prompt, seed: s.seed, temperature: s.temperature, tokens: budget.tokens })));
    });

    it('speaks the language of its corpus', () => {
      assert.ok(outcomes.length > 0, 'generations to judge (the tests above ran)');
      const kind: CorpusKind = model.config.family === 'chat' ? 'chat' : 'stories';
      const params = parameterCount(model.config);
      const rule = WordShare.find((r) => params >= r.minParams);
      if (rule) {
        const known = vocabulary(kind);
        const generated = outcomes.flatMap((o) => generatedWords(o.prompt, o.text));
        const share = generated.filter((w) => known.has(w)).length / generated.length;
        assert.ok(generated.length >= 20, `only ${generated.length} complete words generated`);
        assert.ok(share >= rule.share, `${(share * 100).toFixed(0)}% of ${generated.length} generated words are ${kind} words (at least ${rule.share * 100}% expected):\n${outcomes.map((o) => JSON.stringify(o.text)).join('\n')}`);
      }
      if (kind === 'chat') {
        const openers = botOpeners();
        for (const o of outcomes) {
          const [answer, ...after] = o.text.split('\n');
          assert.match(answer, /^ [a-z]/, `${JSON.stringify(o.prompt)} -> ${JSON.stringify(o.text)}: a bot turn starts with a space and a word`);
          // Any line after the answer is the next turn, as far as it got.
          for (const line of after) assert.ok('user: '.startsWith(line) || 'bot: '.startsWith(line) || /^(user|bot): /.test(line), `${JSON.stringify(o.text)}: "${line}" is not a turn`);
          if (o.temperature === 0) assert.ok(openers.has(words(answer)[0] ?? ''), `${JSON.stringify(o.text)}: a greedy answer starts as a bot line of the corpus does`);
        }
      }
    });
  });
}

describe('sample models on the virtual Pico, together', () => {
  it('take both load paths: resident and streamed (story-300k)', () => {
    assert.deepEqual([...modesSeen].sort(), ['resident', 'streamed']);
  });
});
