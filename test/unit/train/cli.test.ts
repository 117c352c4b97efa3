import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { readModel } from '../../../src/model/modelFile';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('picoformer corpus and train', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'picoformer-train-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('corpus writes a seeded corpus and refuses to overwrite or to guess', async () => {
    const file = join(dir, 'stories.txt');
    const r = await cli('corpus', 'stories', '--size', '3k', '--seed', '2', '-o', file);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /wrote .*stories\.txt: 3,\d{3} characters, \d+ stories \(seed 2\)/);
    const text = readFileSync(file, 'utf8');
    assert.equal((await cli('corpus', 'stories', '--size', '3k', '--seed', '2', '-o', file)).code, 2, 'exists without --force');
    assert.equal((await cli('corpus', 'stories', '--size', '3k', '--seed', '2', '-o', file, '--force')).code, 0);
    assert.equal(readFileSync(file, 'utf8'), text);
    const bad = await cli('corpus', 'poems', '-o', join(dir, 'x.txt'));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /the corpus kind must be one of stories, chat, got "poems"/);
    assert.match((await cli('corpus', 'chat', '--size', 'lots', '-o', join(dir, 'y.txt'))).err, /--size must be a number of characters/);
  });

  it('train prints the model before training, progress, and a summary with the int8 error and the zone', async () => {
    const corpus = join(dir, 'chat.txt');
    await cli('corpus', 'chat', '--size', '20k', '-o', corpus);
    const out = join(dir, 'tiny.safetensors');
    const r = await cli('train', corpus, '--dim', '8', '--layers', '1', '--heads', '2', '--hidden', '16', '--ctx', '16', '--steps', '20', '--batch', '4', '--family', 'chat', '--threads', '1', '-o', out);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.match(lines[0], /^model chat-\d+: [\d,]+ parameters \(dim 8, 1 layer, 2 heads, hidden 16, context 16, rmsnorm, silu, learned positions, tied\)$/);
    assert.match(r.out, /vocabulary: \d+ tokens \(characters\); coverage 100\.0%, 0 unknown/);
    assert.match(r.out, /step 20\/20 {2}train \d\.\d{3} {2}val \d\.\d{3} {2}lr /);
    assert.match(r.out, /I8 logit error vs float32 over \d+ validation positions: max /);
    assert.match(r.out, /on pico-cp9: runs resident, needs .* \(zone safe\)/);
    assert.match(r.out, /sample: "/);
    assert.equal(readModel(new Uint8Array(readFileSync(out))).config.family, 'chat');
    const sub = await cli('train', corpus, '--params', '1k', '--ctx', '16', '--tokenizer', 'subword', '--vocab-size', '48', '--steps', '4', '--batch', '2', '--threads', '1', '-o', join(dir, 'sub.safetensors'));
    assert.equal(sub.code, 0, sub.err);
    assert.match(sub.out, /vocabulary: 48 tokens \(subword, \d\.\d\d characters per token\); coverage 100\.0%/);
    assert.ok(existsSync(join(dir, 'tiny.ckpt')));
    // Again: the output and the checkpoint exist.
    const again = await cli('train', corpus, '--params', '2k', '-o', out);
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists \(add --force/);
    // Resume continues the checkpoint's run; the model size is not up for change.
    const resumed = await cli('train', corpus, '--resume', join(dir, 'tiny.ckpt'), '--steps', '24', '--threads', '1', '-o', out, '--force');
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.out, /resuming .*tiny\.ckpt at step 20/);
    assert.match(resumed.out, /done after 24 of 24 steps/);
    assert.match((await cli('train', corpus, '--resume', join(dir, 'tiny.ckpt'), '--params', '8k', '-o', out, '--force')).err, /drop --params/);
  });

  it('train says when the header limit cuts the vocabulary, and refuses a model whose header cannot fit', async () => {
    // 2,000 distinct CJK characters: more than a header holds (docs/format.md), so the rarest become unk.
    const corpus = join(dir, 'cjk.txt');
    writeFileSync(corpus, Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x4e00 + i).repeat(1 + Math.floor((2000 - i) / 200))).join(' '));
    const shape = ['--dim', '8', '--heads', '2', '--hidden', '16', '--ctx', '16', '--steps', '2', '--batch', '2', '--threads', '1'];
    const r = await cli('train', corpus, ...shape, '--layers', '1', '--tokenizer', 'char', '-o', join(dir, 'cjk.safetensors'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /"\)\nvocabulary cut from \d{4} to \d{4} tokens: a model file's header holds at most 16384 bytes \(the board reads it whole\), 10240 of them for the vocabulary\n/);
    const deep = await cli('train', corpus, ...shape, '--layers', '20', '--tokenizer', 'char', '-o', join(dir, 'deep.safetensors'));
    assert.notEqual(deep.code, 0);
    assert.match(deep.err, /the model file's header would be \d+ bytes, more than the 16384 a model file may have: its 20 layers list \d+ tensors: use fewer layers/);
    assert.equal(existsSync(join(dir, 'deep.safetensors')), false);
  });

  it('train refuses contradictory or missing sizes with usage errors, and bad corpora with a reason', async () => {
    const corpus = join(dir, 'c.txt');
    writeFileSync(corpus, 'hello there\n\ngeneral kenobi\n');
    const out = join(dir, 'o.safetensors');
    const cases: [string[], RegExp][] = [
      [[], /no model size: give --params N/],
      [['--params', '8k', '--dim', '8'], /either --params or explicit dims/],
      [['--dim', '8'], /need all of --dim, --layers, --heads and --hidden/],
      [['--params', 'huge'], /--params: "huge" is not a parameter count/],
      [['--params', '8k', '--streamed'], /--streamed goes with --board ID alone/],
      [['--board', 'pico-x'], /Unknown board "pico-x"/],
      [['--params', '8k', '--threads', '3'], /--threads must be 1, 2 or auto/],
      [['--params', '8k', '--norm', 'batchnorm'], /--norm must be one of rmsnorm, layernorm/],
      [['--params', '8k', '--merges', '10'], /--merges is now --vocab-size N/],
      [['--params', '8k', '--tokenizer', 'bpe'], /--tokenizer must be one of auto, char, subword, longest_match/],
      [['--params', '8k', '--tokenizer', 'subword', '--vocab-size', '5000'], /--vocab-size/],
    ];
    for (const [args, message] of cases) {
      const r = await cli('train', corpus, ...args, '-o', out);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
    }
    const short = await cli('train', corpus, '--params', '1k', '--threads', '1', '-o', out);
    assert.equal(short.code, 1);
    assert.match(short.err, /fewer than one window of 32/);
    const missing = await cli('train', join(dir, 'nope.txt'), '--params', '1k', '-o', out);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no such file/);
  });
});
