import assert from 'node:assert/strict';
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

  it('deploys with the default quantization but never widens the stored type', () => {
    assert.equal(deployDtype('F32', 'int8'), 'I8');
    assert.equal(deployDtype('F16', 'int8'), 'I8');
    assert.equal(deployDtype('F32', 'f16'), 'F16');
    assert.equal(deployDtype('I8', 'f32'), 'I8');
    assert.equal(deployDtype('F16', 'f32'), 'F16');
    assert.equal(deployDtype('mixed', 'f16'), 'F16');
  });
});
