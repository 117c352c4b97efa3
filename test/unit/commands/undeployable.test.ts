import assert from 'node:assert/strict';
import { missingAndUndeployable, undeployableReason } from '../../../src/commands/deploy/undeployable';
import { boardProfile } from '../../../src/memory/boards';
import { estimateModelFromHeader } from '../../../src/memory/input';
import { entryFor } from '../services/fixtures';

const pico = boardProfile('pico-cp9');
const model = (target: number) => estimateModelFromHeader(entryFor(target, 'I8').header);

describe('a model that cannot be deployed (it does not fit, and nothing the deploy offers would make it)', () => {
  it('a model that fits: no reason', () => {
    assert.equal(undeployableReason({ modelName: 'story-1k.safetensors', model: model(1000), board: pico, dtype: 'I8' }), undefined);
  });

  it('a model too big for the Pico: the reason with the numbers, said of "it"', () => {
    const reason = undeployableReason({ modelName: 'random-100k.safetensors', model: model(100_000), board: pico, dtype: 'I8' });
    assert.match(reason ?? '', /^it does not fit on Raspberry Pi Pico \(RP2040\), CircuitPython 9: resident it needs [\d.]+ KB and streamed [\d.]+ KB, more than the [\d.]+ KB any such board has free\.$/);
    assert.equal(
      missingAndUndeployable('random-100k.safetensors', 'the virtual Pico', reason ?? ''),
      `random-100k.safetensors is not on the virtual Pico, and it cannot be deployed there: ${reason} Choose a smaller model.`,
    );
  });

  it('a float model that int8 would make fit is left to the deploy (it offers int8)', () => {
    const float = estimateModelFromHeader(entryFor(30_000, 'F32').header);
    assert.equal(undeployableReason({ modelName: 'story-30k.safetensors', model: float, board: pico, dtype: 'F32' }), undefined);
  });
});
