import assert from 'node:assert/strict';
import { resetOutcome } from '../../../src/commands/resetOutcome';

describe('what Reset Board says after the reload', () => {
  it('a drive with the runtime: it starts again', () => {
    const outcome = resetOutcome('Virtual Pico', { runtime: true, models: ['story-8k.safetensors'] });
    assert.equal(outcome.runtime, 'starting');
    assert.equal(outcome.text, 'Virtual Pico reset; its runtime is starting again');
  });

  it('a drive without the runtime: nothing starts, and it says what to deploy (not that the runtime starts)', () => {
    const outcome = resetOutcome('Virtual Pico', { runtime: false, models: [] });
    assert.equal(outcome.runtime, 'missing');
    assert.doesNotMatch(outcome.text, /starting again/);
    assert.match(outcome.text, /^Virtual Pico reset, but it has no Picoformer runtime, so nothing starts\. Deploy a model \(the runtime goes with it\) or the runtime alone\.$/);
  });

  it('no drive to look at (a board on a port only): the reload, without a claim', () => {
    const outcome = resetOutcome('Raspberry Pi Pico on /dev/ttyACM0', undefined);
    assert.equal(outcome.runtime, 'unknown');
    assert.equal(outcome.text, 'Raspberry Pi Pico on /dev/ttyACM0 reset (soft reload)');
  });
});
