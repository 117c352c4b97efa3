import assert from 'node:assert/strict';
import { boardProfile } from '../../../src/memory/boards';
import { estimate } from '../../../src/memory/estimate';
import { estimateModelFromConfig } from '../../../src/memory/input';
import { modelName, parameterCount } from '../../../src/model/params';
import { type ArchOptions, parseParamCount, sizeModel } from '../../../src/train/sizing';

const vocab = ['<pad>', '<s>', '</s>', '<unk>', ...' etaonihsrdlucmwfgypbvk.,!?"\'-jxqz'];
const arch: ArchOptions = { norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, tokenizer: 'char', lowercase: false, family: 'story' };

describe('model sizing', () => {
  it('reads parameter counts as people write them', () => {
    assert.equal(parseParamCount('8k'), 8000);
    assert.equal(parseParamCount('1.5K'), 1500);
    assert.equal(parseParamCount(' 300k '), 300_000);
    assert.equal(parseParamCount('1.2m'), 1_200_000);
    assert.equal(parseParamCount('2000'), 2000);
    assert.throws(() => parseParamCount('8kb'), /"8kb" is not a parameter count/);
    assert.throws(() => parseParamCount('10'), /between 100 and 50m/);
  });

  for (const target of ['1k', '1.5k', '2k', '8k', '8.5k', '30k', '100k', '300k']) {
    it(`--params ${target}: the name shows the target, within 5%`, () => {
      const n = parseParamCount(target);
      const sized = sizeModel({ kind: 'params', target: n }, vocab, arch);
      assert.equal(sized.name, `story-${target}`);
      assert.equal(sized.parameterCount, parameterCount(sized.config));
      assert.ok(Math.abs(sized.parameterCount - n) <= 0.05 * n, `${sized.parameterCount} for ${n}`);
      assert.equal(sized.config.vocab_size, vocab.length);
      assert.equal(sized.config.context_length, n < 4000 ? 32 : 64);
    });
  }

  it('explicit dims are taken as they are, with the architecture options', () => {
    const sized = sizeModel(
      { kind: 'dims', dim: 12, hidden_dim: 20, n_layers: 3, n_heads: 3, context_length: 24 },
      vocab,
      { ...arch, norm: 'layernorm', activation: 'gelu', positional: 'none', tied_embeddings: false, family: 'chat' },
    );
    const c = sized.config;
    assert.deepEqual([c.dim, c.hidden_dim, c.n_layers, c.n_heads, c.context_length], [12, 20, 3, 3, 24]);
    assert.deepEqual([c.norm, c.activation, c.positional, c.tied_embeddings, c.family], ['layernorm', 'gelu', 'none', false, 'chat']);
    assert.deepEqual([c.bos_id, c.eos_id, c.unk_id, c.pad_id], [1, 2, 3, 0]);
    assert.equal(sized.name, modelName(parameterCount(c), 'chat'));
    assert.throws(() => sizeModel({ kind: 'dims', dim: 10, hidden_dim: 20, n_layers: 1, n_heads: 3, context_length: 24 }, vocab, arch), /not divisible by n_heads/);
  });

  it('a target the tables alone exceed is refused with what to change', () => {
    assert.throws(() => sizeModel({ kind: 'params', target: 400 }, vocab, { ...arch, context_length: 1024 }), /no model of about 400 parameters .* try a shorter context \(--ctx, or the picoformer\.training\.contextLength setting\)/);
    assert.throws(
      () => sizeModel({ kind: 'board', board: boardProfile('pico-cp9'), mode: 'resident' }, vocab, { ...arch, context_length: 1024, kv_cache: 'float32' }),
      /^Error: no model with a \d+-token vocabulary and a 1024-token context runs resident on Raspberry Pi Pico .*; try a shorter context \(--ctx, or the picoformer\.training\.contextLength setting\)$/,
    );
  });

  it('new models get the int8 KV cache; float32 leaves the key out of the config (an old-style file)', () => {
    const dims = { kind: 'dims', dim: 8, hidden_dim: 16, n_layers: 1, n_heads: 2, context_length: 16 } as const;
    assert.equal(sizeModel(dims, vocab, arch).config.kv_cache, 'int8');
    assert.equal(sizeModel(dims, vocab, { ...arch, kv_cache: 'int8' }).config.kv_cache, 'int8');
    assert.ok(!('kv_cache' in sizeModel(dims, vocab, { ...arch, kv_cache: 'float32' }).config));
  });

  it('--board sizes follow the KV cache: int8 leaves room for a larger model, streamed most of all', () => {
    const board = boardProfile('pico-cp9');
    for (const mode of ['resident', 'streamed'] as const) {
      const int8 = sizeModel({ kind: 'board', board, mode }, vocab, arch);
      const float = sizeModel({ kind: 'board', board, mode }, vocab, { ...arch, kv_cache: 'float32' });
      assert.equal(int8.config.kv_cache, 'int8');
      assert.ok(int8.parameterCount > float.parameterCount, `${mode}: ${int8.parameterCount} vs ${float.parameterCount}`);
      if (mode === 'streamed') assert.ok(int8.parameterCount > 1.5 * float.parameterCount, `${int8.parameterCount} vs ${float.parameterCount}`);
    }
  });

  for (const mode of ['resident', 'streamed'] as const) {
    it(`--board: the largest model that runs ${mode} in zone safe or test, and a bigger one would not`, () => {
      const board = boardProfile('pico-cp9');
      const sized = sizeModel({ kind: 'board', board, mode }, vocab, arch);
      assert.ok(sized.estimate !== undefined);
      assert.ok(sized.estimate.zone === 'safe' || sized.estimate.zone === 'test', sized.estimate.zone);
      assert.equal(sized.estimate.chosen.mode, mode);
      const c = sized.config;
      const wider = { ...c, dim: c.dim + c.n_heads, hidden_dim: Math.round(((c.dim + c.n_heads) * c.hidden_dim) / c.dim) };
      const bigger = estimate(estimateModelFromConfig(wider, vocab, 'I8'), board, { mode });
      assert.ok(bigger.zone === 'danger' || bigger.zone === 'impossible', `the next width up is ${bigger.zone}`);
      if (mode === 'resident') assert.ok(sized.parameterCount > 15_000 && sized.parameterCount < 60_000, String(sized.parameterCount));
      else assert.ok(sized.parameterCount > sizeModel({ kind: 'board', board, mode: 'resident' }, vocab, arch).parameterCount);
    });
  }
});
