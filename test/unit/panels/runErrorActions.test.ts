// runErrorActions: the buttons a failed run offers, by its error code and where it ran.
import assert from 'node:assert/strict';
import { runErrorActions } from '../../../src/panels/runErrorActions';

const ids = (code: string, target: 'reference' | 'virtual' | 'board') => runErrorActions(code, target).map((a) => a.label);

describe('runErrorActions', () => {
  it('a model or runtime missing from the board: Deploy now', () => {
    assert.deepEqual(ids('not_deployed', 'virtual'), ['Deploy now']);
    assert.deepEqual(ids('no_runtime', 'board'), ['Deploy now']);
  });

  it('a runtime that does not answer: restart the virtual Pico, or deploy the runtime again to a board', () => {
    assert.deepEqual(ids('no_answer', 'virtual'), ['Restart virtual Pico']);
    assert.deepEqual(ids('disconnected', 'virtual'), ['Restart virtual Pico']);
    assert.deepEqual(ids('no_answer', 'board'), ['Deploy now']);
  });

  it('a serial port that cannot be opened: choose another board, or the port setting', () => {
    assert.deepEqual(ids('port_not_found', 'board'), ['Choose a board', 'Open settings']);
    assert.deepEqual(ids('port_busy', 'board'), ['Choose a board', 'Open settings']);
  });

  it('a model that is not on the board and could not be deployed there (it does not fit): choose another model', () => {
    assert.deepEqual(ids('does_not_fit', 'virtual'), ['Choose another model']);
    assert.deepEqual(ids('does_not_fit', 'board'), ['Choose another model']);
  });

  it('no button where none would help (a model too big, a bad prompt, a permission the user must grant)', () => {
    for (const code of ['too_big', 'empty_prompt', 'port_permission', 'internal']) assert.deepEqual(ids(code, 'virtual'), [], code);
  });
});
