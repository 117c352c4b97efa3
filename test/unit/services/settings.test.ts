import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettingDefaults, deployDtype, parseSettings, selectedBoard } from '../../../src/services/settings';

const from = (values: Record<string, unknown>) => parseSettings((key) => values[key]);

describe('settings', () => {
  it('gives the defaults when nothing is set', () => {
    const s = from({});
    assert.deepEqual({ ...s, problems: undefined }, { ...SettingDefaults, problems: undefined });
    assert.deepEqual(s.problems, []);
  });

  it('reads every setting', () => {
    const s = from({
      boardProfile: 'custom',
      customHeapKB: 64,
      serialPort: ' /dev/ttyACM1 ',
      drivePath: '/media/me/CIRCUITPY',
      extraUsbIds: ['239A:80F4'],
      defaultQuantization: 'f16',
      'generation.maxTokens': 10,
      'generation.temperature': 0,
      'generation.topK': 5,
      'generation.seed': -3,
      'virtualPico.startOnOpen': true,
    });
    assert.equal(s.virtualPicoStartOnOpen, true);
    assert.equal(s.serialPort, '/dev/ttyACM1');
    assert.deepEqual([s.boardProfile, s.customHeapKB, s.defaultQuantization], ['custom', 64, 'f16']);
    assert.deepEqual(s.generation, { maxTokens: 10, temperature: 0, topK: 5, seed: -3 });
    assert.equal(selectedBoard(s).heapBytes, 64 * 1024);
  });

  it('replaces each bad value by its default and says which', () => {
    const s = from({ boardProfile: 'pico9000', customHeapKB: 2, extraUsbIds: 'nope', 'generation.maxTokens': 1.5, defaultQuantization: 'int4', 'virtualPico.startOnOpen': 'yes' });
    assert.deepEqual([s.boardProfile, s.customHeapKB, s.extraUsbIds, s.generation.maxTokens, s.defaultQuantization, s.virtualPicoStartOnOpen], ['pico-cp9', 140, [], 64, 'int8', false]);
    assert.equal(s.problems.length, 6);
    assert.match(s.problems[0], /picoformer\.boardProfile is "pico9000"; expected a known board profile/);
  });

  it('reads the training preferences, and replaces bad ones by their defaults with a reason', () => {
    const s = from({
      'training.contextLength': 128, 'training.layers': 3, 'training.heads': 2, 'training.norm': 'layernorm', 'training.activation': 'relu',
      'training.positions': 'none', 'training.tiedEmbeddings': false, 'training.tokenizer': 'longest_match', 'training.merges': 100,
      'training.lowercase': true, 'training.learningRate': 0.002, 'training.batch': 32, 'training.seed': 42, 'training.kvCache': 'float32',
    });
    assert.deepEqual(s.training, {
      contextLength: 128, layers: 3, heads: 2, norm: 'layernorm', activation: 'relu', positions: 'none', tiedEmbeddings: false,
      tokenizer: 'longest_match', merges: 100, lowercase: true, learningRate: 0.002, batch: 32, seed: 42, kvCache: 'float32',
    });
    assert.deepEqual(s.problems, []);
    const bad = from({ 'training.contextLength': 2, 'training.layers': 1.5, 'training.norm': 'batchnorm', 'training.learningRate': 2, 'training.batch': 0, 'training.seed': -1 });
    assert.deepEqual(bad.training, SettingDefaults.training);
    assert.equal(bad.problems.length, 6);
    assert.match(bad.problems[0], /picoformer\.training\.contextLength is 2; expected 0 \(automatic\) or a whole number in 4\.\.1024/);
    assert.match(bad.problems[2], /picoformer\.training\.norm is "batchnorm"; expected rmsnorm or layernorm/);
  });

  it('reads exactly the settings package.json declares, with the same defaults', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    const declared = pkg.contributes.configuration.properties as Record<string, { default: unknown }>;
    const read: string[] = [];
    parseSettings((key) => void read.push(`picoformer.${key}`));
    assert.deepEqual([...read].sort(), Object.keys(declared).sort());
    // Every declared default parses to itself, without a problem.
    const s = parseSettings((key) => declared[`picoformer.${key}`].default);
    assert.deepEqual(s.problems, []);
    assert.deepEqual({ ...s, problems: undefined }, { ...SettingDefaults, problems: undefined });
  });

  it('deploys with the default quantization but never widens the stored type', () => {
    assert.equal(deployDtype('F32', 'int8'), 'I8');
    assert.equal(deployDtype('F16', 'int8'), 'I8');
    assert.equal(deployDtype('F32', 'f16'), 'F16');
    assert.equal(deployDtype('I8', 'f32'), 'I8');
    assert.equal(deployDtype('F16', 'f32'), 'F16');
    assert.equal(deployDtype('mixed', 'f16'), 'F16');
  });
});
