import assert from 'node:assert/strict';
import { modelDeployedMessage, runtimeDeployedNote } from '../../../src/commands/deploy/deployedMessage';

const virtualPico = { label: 'the virtual Pico', virtual: true };
const board = { label: 'CIRCUITPY (/media/pi/CIRCUITPY)', virtual: false };
const counts = { written: 3, unchanged: 9 };

describe('what a finished deploy says', () => {
  it('a running board: deployed and verified, and Generate on Pico… is offered', () => {
    const m = modelDeployedMessage('story-8k.safetensors', board, counts, { virtualRunning: false });
    assert.equal(m.text, 'Deployed story-8k.safetensors to CIRCUITPY (/media/pi/CIRCUITPY) and verified it (3 file(s) written, 9 unchanged).');
    assert.equal(m.action, 'generate');
    assert.equal(modelDeployedMessage('story-8k.safetensors', virtualPico, counts, { virtualRunning: true }).action, 'generate');
  });

  it('a stopped virtual Pico: the files are on its drive, it says the board is stopped and offers to start it', () => {
    const m = modelDeployedMessage('story-8k.safetensors', virtualPico, counts, { virtualRunning: false });
    assert.equal(
      m.text,
      'Deployed story-8k.safetensors to the virtual Pico’s drive and verified it (3 file(s) written, 9 unchanged). The virtual Pico is stopped: start it to run the model.',
    );
    assert.equal(m.action, 'startVirtualPico');
  });

  it('the runtime alone: a stopped virtual Pico is said to be stopped, not left unsaid', () => {
    assert.equal(runtimeDeployedNote(virtualPico, { virtualRunning: false }), ' The virtual Pico is stopped: the runtime starts with it.');
    assert.equal(runtimeDeployedNote(virtualPico, { virtualRunning: true }), '');
    assert.equal(runtimeDeployedNote(board, { virtualRunning: false }), '');
  });
});
