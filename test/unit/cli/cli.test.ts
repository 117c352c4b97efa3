import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { generate } from '../../../src/model/generate';
import { readModel, writeModel } from '../../../src/model/modelFile';
import { assemble, headerOf, tinyModel } from '../model/helpers';

const anchors = join(process.env.PICOFORMER_SHARED ?? resolve(__dirname, '../../../../shared'), 'anchors', 'tiny-transformers-rp2040');
const story = join(anchors, 'v5', 'story-1k-balanced');

interface Run {
  code: number;
  out: string;
  err: string;
  chunks: string[];
}

async function cli(...args: string[]): Promise<Run> {
  const chunks: string[] = [];
  let err = '';
  const code = await runCli(args, { out: (t) => chunks.push(t), err: (t) => (err += t) });
  return { code, out: chunks.join(''), err, chunks };
}

describe('picoformer CLI', () => {
  let dir: string;
  let modelPath: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'picoformer-cli-'));
    modelPath = join(dir, 'tiny.safetensors');
    writeFileSync(modelPath, writeModel({ ...tinyModel({ eos_id: null, family: 'story' }), extraMetadata: { name: 'tiny' } }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help, per-command help and the version; refuses unknown commands', async () => {
    const top = await cli('--help');
    assert.equal(top.code, 0);
    for (const name of ['info', 'import', 'quantize', 'generate']) assert.match(top.out, new RegExp(`\\n  ${name} `));
    assert.match((await cli('generate', '--help')).out, /--top-k K/);
    assert.match((await cli('help', 'quantize')).out, /Usage: picoformer quantize/);
    assert.match((await cli('-v')).out, /^\d+\.\d+\.\d+\n$/);
    const bad = await cli('frobnicate');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown command "frobnicate"/);
  });

  it('info describes a model, as text and as JSON', async () => {
    const text = await cli('info', modelPath);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /tiny\.safetensors: story-324 \(324 parameters\)/);
    assert.match(text.out, /vocab 12, dim 4, hidden 6, 2 layers, 2 heads, context 8/);
    assert.match(text.out, /metadata {3}name: tiny/);
    assert.match(text.out, /KV cache {3}float32: 512 bytes for the whole context/); // 2 x 2 layers x 8 x 4 dims x 4 bytes
    const json = await cli('info', modelPath, '--json');
    const parsed = JSON.parse(json.out);
    assert.deepEqual([parsed.kv_cache, parsed.kv_cache_bytes], ['float32', 512]);
    const kv8 = join(dir, 'kv8.safetensors');
    writeFileSync(kv8, writeModel(tinyModel({ kv_cache: 'int8' })));
    assert.match((await cli('info', kv8)).out, /KV cache {3}int8 \(one scale per cached vector\): 256 bytes for the whole context/); // 2 x 2 x 8 x (4 + 4)
    assert.equal(parsed.parameter_count, 324);
    assert.equal(parsed.weights, 'F32');
    assert.equal(parsed.tensors[0].name, 'tok_emb');
    assert.equal(parsed.vocab.length, 12);
  });

  it('info shows a legacy folder as it would import', async () => {
    const r = await cli('info', story);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /story-1\.3k \(1,304 parameters\), legacy trio/);
    assert.match(r.out, /1 layer, 1 head, context 32/);
  });

  it('info refuses a damaged file with the reason and its code, and a missing file', async () => {
    const bytes = readFileSync(modelPath);
    writeFileSync(modelPath, bytes.subarray(0, bytes.length - 10));
    const r = await cli('info', modelPath);
    assert.equal(r.code, 1);
    assert.match(r.err, /^picoformer info: file is truncated.*\[truncated\]\n$/);
    const missing = await cli('info', join(dir, 'nope.safetensors'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot use .*nope\.safetensors: no such file or folder/);
    const usage = await cli('info');
    assert.equal(usage.code, 2);
    assert.match(usage.err, /missing <model>/);
  });

  it('import converts a legacy trio, optionally to int8, and never overwrites by accident', async () => {
    const out = join(dir, 'story.safetensors');
    const r = await cli('import', story, '-o', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /wrote .*story\.safetensors: story-1\.3k \(1,304 parameters, F32, 7,056 bytes\)/);
    assert.equal(readModel(readFileSync(out)).config.n_heads, 1);
    const again = await cli('import', story, '-o', out, '--int8');
    assert.equal(again.code, 2);
    assert.match(again.err, /already exists \(add --force/);
    assert.equal((await cli('import', join(story, 'config_1280p.json'), '-o', out, '--int8', '--force')).code, 0);
    assert.equal(readModel(readFileSync(out)).tensors.get('layers.0.wq')?.dtype, 'I8');
    assert.equal((await cli('import', story)).code, 2);
    assert.equal((await cli('import', story, '-o', out, '--int8', '--f16', '--force')).code, 2);
  });

  it('import refuses the trio whose size disagrees with its header', async () => {
    const r = await cli('import', join(anchors, 'rp2040-speed_40p'), '-o', join(dir, 'x.safetensors'));
    assert.equal(r.code, 1);
    assert.match(r.err, /61764 bytes but its header and config describe 35008 bytes.*\[legacy_invalid\]/);
  });

  it('quantize writes int8 by default and reports the logit error', async () => {
    const out = join(dir, 'q.safetensors');
    const r = await cli('quantize', modelPath, '-o', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /I8/);
    assert.match(r.out, /logit error vs .* over 32 positions: max [\d.e-]+, mean [\d.e-]+ \(largest logit [\d.]+\); top-1 agreement [\d.]+%/);
    assert.equal(readModel(readFileSync(out)).tensors.get('tok_emb')?.dtype, 'I8');
    assert.match(r.out, /int8 KV cache/);
    assert.equal(readModel(readFileSync(out)).config.kv_cache, 'int8', 'new models get the int8 KV cache');
    const back = await cli('quantize', out, '-o', join(dir, 'f.safetensors'), '--f32', '--json', '--samples', '2');
    const report = JSON.parse(back.out);
    assert.equal(report.weights, 'F32');
    assert.ok(report.logit_error.maxAbs < 1e-5, 'dequantized weights give the int8 logits (up to float32 rounding)');
    assert.equal(report.logit_error.positions, 16);
    assert.equal((await cli('quantize', modelPath, '-o', out, '--force', '--f16')).code, 0);
    assert.equal(readModel(readFileSync(out)).tensors.get('final_norm')?.dtype, 'F16');
    assert.equal((await cli('quantize', modelPath, '-o', out, '--force', '--kv-cache', 'float32')).code, 0);
    assert.ok(!('kv_cache' in readModel(readFileSync(out)).config), 'float32 leaves the key out');
    const bad = await cli('quantize', modelPath, '-o', out, '--force', '--kv-cache', 'int4');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--kv-cache must be one of float32, int8, got "int4"/);
    assert.equal((await cli('quantize', modelPath, '-o', out, '--force', '--samples', '0')).code, 2);
    assert.equal((await cli('quantize', modelPath, '-o', out, '--force', '--samples', '-3')).code, 2);
  });

  it('generate streams tokens as they come and agrees with the reference', async () => {
    const r = await cli('generate', modelPath, '--prompt', 'ea', '--tokens', '5', '--seed', '9', '--temperature', '1.2', '--top-k', '4');
    assert.equal(r.code, 0, r.err);
    const want = generate(readModel(readFileSync(modelPath)), 'ea', { maxTokens: 5, temperature: 1.2, topK: 4, seed: 9 });
    assert.equal(r.out, `${want.text}\n`);
    assert.equal(r.chunks.length, want.ids.length + 1, 'one write per token, then the newline');
    // the speed is the decode rate (prompt excluded), as everywhere else (src/generation/decodeRate.ts)
    assert.match(r.err, /\[5 tokens, stop: max_tokens, seed 9, [\d.,]+ tok\/s decode\]/);
    const json = JSON.parse((await cli('generate', modelPath, '-p', 'ea', '-n', '5', '--seed', '9', '--temperature', '1.2', '--top-k', '4', '--json')).out);
    assert.deepEqual([json.ids, json.text, json.stop_reason, json.prompt_ids], [want.ids, want.text, 'max_tokens', want.promptIds]);
    assert.equal(typeof json.decode_tokens_per_second, 'number');
    assert.equal(json.tokens_per_second, undefined, 'no second, differently defined speed');
  });

  it('generate goes past the context (and says how often it refilled it) unless --stop-at-context', async () => {
    const past = await cli('generate', modelPath, '-p', 'ea', '-n', '30', '--seed', '9');
    assert.equal(past.code, 0, past.err);
    assert.match(past.err, /\[30 tokens, stop: max_tokens, context refilled \d+ times, seed 9, /);
    const json = JSON.parse((await cli('generate', modelPath, '-p', 'ea', '-n', '30', '--seed', '9', '--json')).out);
    assert.ok(json.refills >= 3, `refills ${json.refills}`);
    const stopped = await cli('generate', modelPath, '-p', 'ea', '-n', '30', '--seed', '9', '--stop-at-context');
    assert.match(stopped.err, /\[5 tokens, stop: context, seed 9, /);
  });

  it('generate notes unknown characters and truncation, and takes any integer seed', async () => {
    const r = await cli('generate', modelPath, '-p', '☃'.repeat(10), '-n', '1', '--seed', '-1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /10 prompt characters are not in the vocabulary/);
    assert.match(r.err, /cut by 4 tokens from the left/);
    const big = JSON.parse((await cli('generate', modelPath, '-p', '', '-n', '3', '--seed', String(2n ** 70n + 9n), '--json')).out);
    const small = JSON.parse((await cli('generate', modelPath, '-p', '', '-n', '3', '--seed', '9', '--json')).out);
    assert.deepEqual(big.ids, small.ids, 'only the low 32 bits of the seed count');
  });

  it('generate refuses bad options with exit code 2 and a bad model with 1', async () => {
    for (const bad of [['--temperature', '-1'], ['--top-k', '1.5'], ['--tokens', 'many'], ['--seed', '1e3']]) {
      const r = await cli('generate', modelPath, '-p', 'a', ...bad);
      assert.equal(r.code, 2, bad.join(' '));
      assert.match(r.err, new RegExp(bad[0]));
    }
    const noBos = join(dir, 'nobos.safetensors');
    writeFileSync(noBos, writeModel(tinyModel({ bos_id: null, special_ids: [0, 2, 3], tokenizer: 'longest_match' })));
    const r = await cli('generate', noBos, '-p', '');
    assert.equal(r.code, 1);
    assert.match(r.err, /prompt is empty and this model has no BOS/);
  });

  describe('text from a file reaches the terminal escaped (issue 12 §4)', () => {
    const evil = '\u001b]0;PWNED\u0007\u001b[2J';
    // eslint-disable-next-line no-control-regex -- the characters that must not reach the terminal
    const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

    it('info: the name, created_by and every other metadata string', async () => {
      writeFileSync(modelPath, writeModel({ ...tinyModel({ family: 'story' }), extraMetadata: { name: evil, created_by: `x\u009b2J\u202eevil\r` } }));
      const text = await cli('info', modelPath);
      assert.equal(text.code, 0, text.err);
      assert.doesNotMatch(text.out, raw);
      assert.match(text.out, /name: \\u001b\]0;PWNED\\u0007\\u001b\[2J/);
      const json = await cli('info', modelPath, '--json');
      assert.doesNotMatch(json.out, raw);
      assert.equal(JSON.parse(json.out).metadata.created_by, 'x\u009b2J\u202eevil\r'); // the same value, escaped
    });

    it('generate: vocabulary tokens, keeping the line breaks and tabs of generated text', async () => {
      const vocab = ['<pad>', '<s>', '</s>', '<unk>', '\u001b[2J', '\u0007', '\n', '\t', 'a', 'b', 'c', '\u009b'];
      writeFileSync(modelPath, writeModel({ ...tinyModel({ eos_id: null, tokenizer: 'longest_match' }), vocab }));
      const run = await cli('generate', modelPath, '--prompt', '', '--tokens', '60', '--seed', '3', '--temperature', '5');
      assert.equal(run.code, 0, run.err);
      assert.doesNotMatch(run.out, raw);
      assert.match(run.out, /\\u001b\[2J|\\u0007|\\u009b/);
    });

    it('an error naming a tensor from the file', async () => {
      const { json, data } = headerOf(writeModel(tinyModel()));
      json[`x${evil}`] = json.final_norm;
      delete json.final_norm;
      writeFileSync(modelPath, assemble(json, data));
      const run = await cli('info', modelPath);
      assert.equal(run.code, 1);
      assert.match(run.err, /tensor "x\\u001b\]0;PWNED/);
      assert.doesNotMatch(run.err, raw);
    });
  });
});
