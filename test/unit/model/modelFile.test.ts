import assert from 'node:assert/strict';
import { kvCacheOf } from '../../../src/model/config';
import { readModel, readModelHeader, writeModel } from '../../../src/model/modelFile';
import { convertModel } from '../../../src/model/quantize';
import { readSafetensorsHeader } from '../../../src/model/safetensors';
import { assemble, assertFormatError, dropTensor, editConfig, editHeader, entry, headerOf, tinyConfig, tinyFile, tinyModel } from './helpers';

describe('picoformer/1 model file', () => {
  it('writes tensors in the documented order, scales after their matrix', () => {
    const file = writeModel(convertModel(tinyModel({ tied_embeddings: false }), 'I8'));
    const names = readSafetensorsHeader(file).tensors.map((t) => t.name);
    assert.deepEqual(names.slice(0, 8), ['tok_emb', 'tok_emb.scale', 'pos_emb', 'pos_emb.scale', 'layers.0.attn_norm', 'layers.0.wq', 'layers.0.wq.scale', 'layers.0.wk']);
    assert.deepEqual(names.slice(-4), ['layers.1.w2.scale', 'final_norm', 'lm_head', 'lm_head.scale']);
  });

  it('round-trips F32, F16 and I8 models exactly', () => {
    for (const dtype of ['F32', 'F16', 'I8'] as const) {
      const model = convertModel(tinyModel({ positional: 'none', tied_embeddings: false }), dtype);
      const back = readModel(writeModel(model));
      assert.deepEqual(back.config, model.config);
      assert.deepEqual(back.vocab, model.vocab);
      assert.deepEqual([...back.tensors.keys()].sort(), [...model.tensors.keys()].sort());
      for (const [name, t] of model.tensors) assert.deepEqual(back.tensors.get(name), t, `${dtype} ${name}`);
      assert.deepEqual(writeModel(back), writeModel(model));
    }
  });

  it('keeps extra metadata and reports the header without decoding weights', () => {
    const model = { ...tinyModel(), extraMetadata: { name: 'demo', created_by: 'test' } };
    const h = readModelHeader(writeModel(model));
    assert.deepEqual(h.extraMetadata, { name: 'demo', created_by: 'test' });
    assert.equal(h.parameterCount, 12 * 4 + 8 * 4 + 2 * (2 * 4 + 4 * 16 + 2 * 4 * 6) + 4);
    assert.equal(h.tensors[0].name, 'tok_emb');
    assert.equal(h.tensors[0].bytes, 12 * 4 * 4);
  });

  it('refuses files without picoformer metadata', () => {
    const { json, data } = headerOf(tinyFile());
    delete json.__metadata__;
    assertFormatError(() => readModelHeader(assemble(json, data)), 'metadata_missing', /not a picoformer model/);
    for (const key of ['format', 'config', 'vocab']) {
      const file = editHeader(tinyFile(), (j) => {
        delete (j.__metadata__ as Record<string, string>)[key];
      });
      assertFormatError(() => readModelHeader(file), 'metadata_missing', new RegExp(`"${key}"`));
    }
  });

  it('refuses another format, or config/vocab that are not JSON', () => {
    const meta = (edit: (m: Record<string, string>) => void): Uint8Array =>
      editHeader(tinyFile(), (j) => edit(j.__metadata__ as Record<string, string>));
    assertFormatError(() => readModelHeader(meta((m) => (m.format = 'picoformer/2'))), 'metadata_unknown', /picoformer\/2/);
    assertFormatError(() => readModelHeader(meta((m) => (m.config = '{'))), 'metadata_invalid', /config is not valid JSON/);
    assertFormatError(() => readModelHeader(meta((m) => (m.vocab = '[x'))), 'metadata_invalid', /vocab is not valid JSON/);
  });

  it('refuses invalid configs, naming the key', () => {
    const bad = (edit: (c: Record<string, unknown>) => void, message: RegExp): void =>
      assertFormatError(() => readModelHeader(editConfig(tinyFile(), edit)), 'config_invalid', message);
    bad((c) => (c.extra = 1), /unknown key "extra"/);
    bad((c) => delete c.dim, /missing "dim"/);
    bad((c) => (c.dim = 5), /dim 5 is not divisible by n_heads 2/);
    bad((c) => (c.n_layers = 0), /n_layers must be an integer in 1\.\.64/);
    bad((c) => (c.norm = 'batchnorm'), /norm must be one of rmsnorm, layernorm/);
    bad((c) => (c.norm_eps = 0), /norm_eps/);
    bad((c) => (c.tied_embeddings = 'yes'), /tied_embeddings/);
    bad((c) => (c.bos_id = 99), /bos_id must be a token id/);
    bad((c) => (c.unk_id = null), /unk_id/);
    bad((c) => (c.special_ids = [0, 1, 2]), /unk_id 3 is not in special_ids/);
    bad((c) => (c.special_ids = [0, 1, 2, 3, 3]), /lists 3 twice/);
    bad((c) => (c.family = 'a b'), /family/);
    bad((c) => (c.kv_cache = 'int4'), /kv_cache must be one of float32, int8, found "int4"/);
    bad((c) => (c.kv_cache = null), /kv_cache/);
  });

  it('reads kv_cache when present and leaves it out when absent (old files unchanged)', () => {
    assert.equal(readModelHeader(tinyFile()).config.kv_cache, undefined);
    assert.equal(kvCacheOf(readModelHeader(tinyFile()).config), 'float32');
    for (const kind of ['float32', 'int8'] as const) {
      const file = tinyFile({ kv_cache: kind });
      assert.equal(readModelHeader(file).config.kv_cache, kind);
      assert.deepEqual(writeModel(readModel(file)), file, 'rewritten byte for byte');
    }
  });

  it('refuses vocabularies that do not fit the config', () => {
    const vocab = (v: unknown): Uint8Array =>
      editHeader(tinyFile(), (j) => ((j.__metadata__ as Record<string, string>).vocab = JSON.stringify(v)));
    const good = tinyModel().vocab;
    assertFormatError(() => readModelHeader(vocab(good.slice(1))), 'vocab_mismatch', /11 entries but config\.vocab_size is 12/);
    assertFormatError(() => readModelHeader(vocab({})), 'vocab_invalid', /array/);
    assertFormatError(() => readModelHeader(vocab([...good.slice(0, 11), 5])), 'vocab_invalid', /vocab\[11\] must be a string/);
    assertFormatError(() => readModelHeader(vocab([...good.slice(0, 11), ''])), 'vocab_invalid', /vocab\[11\] is empty/);
    assertFormatError(() => readModelHeader(vocab([...good.slice(0, 11), good[5]])), 'vocab_invalid', /repeats vocab\[5\]/);
    assertFormatError(() => readModelHeader(vocab([...good.slice(0, 11), 'ab'])), 'vocab_invalid', /not one character/);
    assertFormatError(() => readModelHeader(vocab([...good.slice(0, 11), '\ud800'])), 'vocab_invalid', /surrogate/);
  });

  it('refuses unknown and missing tensors', () => {
    const renamed = editHeader(tinyFile(), (j) => {
      j['layers.0.wqq'] = j['layers.0.wq'];
      delete j['layers.0.wq'];
    });
    assertFormatError(() => readModelHeader(renamed), 'tensor_unknown', /layers\.0\.wqq/);
    const extraLayer = editConfig(tinyFile(), (c) => (c.n_layers = 3));
    assertFormatError(() => readModelHeader(extraLayer), 'tensor_missing', /layers\.2\.attn_norm/);
    const fewerLayers = editConfig(tinyFile(), (c) => (c.n_layers = 1));
    assertFormatError(() => readModelHeader(fewerLayers), 'tensor_unknown', /layers\.1\./);
    const untied = editConfig(tinyFile(), (c) => (c.tied_embeddings = false));
    assertFormatError(() => readModelHeader(untied), 'tensor_missing', /lm_head/);
  });

  it('refuses shapes that disagree with the config', () => {
    const file = editConfig(tinyFile(), (c) => (c.hidden_dim = 3));
    assertFormatError(() => readModelHeader(file), 'shape_mismatch', /layers\.0\.w1" has shape \[6,4\], the config needs \[3,4\]/);
    const ctx = editConfig(tinyFile(), (c) => (c.context_length = 16));
    assertFormatError(() => readModelHeader(ctx), 'shape_mismatch', /pos_emb/);
  });

  it('refuses dtypes a tensor may not have, and scales that do not belong', () => {
    const i8 = writeModel(convertModel(tinyModel(), 'I8'));
    const normI8 = editHeader(tinyFile(), (j) => {
      const e = entry(j, 'final_norm');
      e.dtype = 'I8';
      e.shape = [16];
    });
    assertFormatError(() => readModelHeader(normI8), 'dtype_invalid', /final_norm" is I8; it must be F32 or F16/);
    const f64 = editHeader(tinyFile(), (j) => {
      const e = entry(j, 'final_norm');
      e.dtype = 'F64';
      e.shape = [2];
    });
    assertFormatError(() => readModelHeader(f64), 'dtype_invalid', /F64/);
    assertFormatError(() => readModelHeader(dropTensor(i8, 'layers.0.wq.scale')), 'tensor_missing', /layers\.0\.wq\.scale" is missing/);
    const scaleDtype = editHeader(i8, (j) => {
      entry(j, 'layers.0.wq.scale').dtype = 'F16';
      entry(j, 'layers.0.wq.scale').shape = [8];
    });
    assertFormatError(() => readModelHeader(scaleDtype), 'dtype_invalid', /scales must be F32/);
    const scaleShape = editHeader(i8, (j) => {
      entry(j, 'layers.0.wq.scale').shape = [2, 2];
    });
    assertFormatError(() => readModelHeader(scaleShape), 'shape_mismatch', /expected \[4\] \(one scale per row\)/);
    const scaleOfNorm = editHeader(i8, (j) => {
      j['final_norm.scale'] = j['layers.0.wq.scale'];
      delete j['layers.0.wq.scale'];
    });
    assertFormatError(() => readModelHeader(scaleOfNorm), 'tensor_unknown', /final_norm\.scale" is a scale for "final_norm", which is not a matrix/);
    const scaleOnFloat = editHeader(writeModel(convertModel(tinyModel(), 'F16')), (j) => {
      const norm = entry(j, 'final_norm');
      j['tok_emb.scale'] = { dtype: 'F16', shape: [4], data_offsets: norm.data_offsets };
      delete j.final_norm;
    });
    assertFormatError(() => readModelHeader(scaleOnFloat), 'tensor_unknown', /tok_emb\.scale" is a scale, but "tok_emb" is F16/);
  });

  it('refuses NaN and Inf weights, naming the tensor and element (full validation only)', () => {
    for (const [dtype, bad] of [['F32', NaN], ['F32', Infinity], ['F16', -Infinity]] as const) {
      const model = convertModel(tinyModel(), dtype);
      const file = writeModel(model);
      const h = readSafetensorsHeader(file);
      const e = h.tensors.find((t) => t.name === 'layers.1.wv');
      assert.ok(e);
      const view = new DataView(file.buffer, file.byteOffset + h.dataStart + e.begin);
      if (dtype === 'F32') view.setFloat32(4 * 3, bad, true);
      else view.setUint16(2 * 3, 0xfc00, true);
      assert.doesNotThrow(() => readModelHeader(file));
      assertFormatError(() => readModel(file), 'non_finite', /layers\.1\.wv" has (NaN|-?Infinity) at element 3/);
    }
  });

  it('refuses negative and non-finite scales', () => {
    const file = writeModel(convertModel(tinyModel(), 'I8'));
    const h = readSafetensorsHeader(file);
    const e = h.tensors.find((t) => t.name === 'layers.0.w2.scale');
    assert.ok(e);
    const view = new DataView(file.buffer, file.byteOffset + h.dataStart + e.begin);
    view.setFloat32(4, -0.5, true);
    assertFormatError(() => readModel(file), 'scale_invalid', /layers\.0\.w2\.scale": row 1 has a negative scale/);
    view.setFloat32(4, NaN, true);
    assertFormatError(() => readModel(file), 'non_finite', /layers\.0\.w2\.scale/);
  });

  it('the writer refuses a model it could not read back', () => {
    const model = tinyModel();
    model.tensors.delete('final_norm');
    assertFormatError(() => writeModel(model), 'tensor_missing', /final_norm/);
    const extra = tinyModel();
    extra.tensors.set('bonus', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    assertFormatError(() => writeModel(extra), 'tensor_unknown', /bonus/);
    const nan = tinyModel();
    (nan.tensors.get('tok_emb')?.data as Float32Array)[0] = NaN;
    assertFormatError(() => writeModel(nan), 'non_finite');
    assertFormatError(() => writeModel({ ...tinyModel(), extraMetadata: { format: 'x' } }), 'metadata_invalid');
    const short = tinyModel();
    short.tensors.set('final_norm', { dtype: 'F32', shape: [4], data: new Float32Array(3) });
    assertFormatError(() => writeModel(short), 'shape_mismatch', /final_norm/);
    assert.equal(tinyConfig().vocab_size, 12);
  });
});
