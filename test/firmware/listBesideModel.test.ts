// The models list beside a large loaded model on the official firmware (found by the emulated-Pico work: a 45K int8
// model, dim 44, loaded resident, and a following `list` ran out of memory reading the headers beside it). The list
// must answer: the loaded model's entry from what the load already knows, any other file that cannot be read beside
// it as an entry saying so, never an out_of_memory error for the whole command. The model is 36K: since the kv, lean
// and robust merges a 45K one forced resident runs out of memory at start-up (docs/memory.md); 36K loads resident
// and leaves no room to read the other header.
import assert from 'node:assert/strict';
import { configForTarget } from '../../src/model/random';
import { type Booted, bootWith, randomModelFile } from './support';

describe('firmware: the models list beside a 36K int8 model (context 64) loaded resident', function () {
  const big = randomModelFile(configForTarget(36_000, { context_length: 64 }), 'I8', 9);
  const other = randomModelFile({ vocab_size: 48, dim: 8, hidden_dim: 24, n_layers: 1, n_heads: 2, context_length: 32 }, 'I8', 4);
  let booted: Booted;

  before(async () => {
    booted = await bootWith(
      [
        { fileName: 'big-36k.safetensors', bytes: big },
        { fileName: 'other-1k.safetensors', bytes: other },
      ],
      { defaultModel: 'big-36k.safetensors', mode: 'resident' },
    );
  });
  after(async () => booted?.close());

  it('answers with every file: the loaded one in full, the other read or said to be unreadable beside it', async () => {
    const { board } = booted;
    const loaded = await board.session.info();
    const startup = board.events.map((e) => e.event).filter((e) => e.ev === 'loaded' || e.ev === 'error');
    assert.equal(loaded.model?.file, 'big-36k.safetensors', `the start-up load (this case needs the model resident): ${JSON.stringify(startup)}`);
    assert.equal(loaded.model?.mode, 'resident');
    const list = await board.session.list();
    const entry = list.models.find((m) => m.file === 'big-36k.safetensors');
    assert.ok(entry, JSON.stringify(list));
    assert.equal(entry.loaded, true);
    assert.equal(entry.error, undefined, JSON.stringify(entry));
    // What a load of it would decide now (the heap it would have: what can be allocated plus what it holds).
    assert.ok(entry.mode === 'resident' || entry.mode === 'streamed', JSON.stringify(entry));
    assert.ok(entry.estimate && entry.estimate.resident > 0 && entry.estimate.streamed > 0, JSON.stringify(entry));
    const rest = list.models.find((m) => m.file === 'other-1k.safetensors');
    assert.ok(rest, JSON.stringify(list));
    assert.ok(rest.error === undefined || rest.error.code === 'out_of_memory', JSON.stringify(rest));
    // A second list gives the same answer (nothing was left behind by the first).
    assert.deepEqual((await board.session.list()).models.map((m) => m.file), list.models.map((m) => m.file));
  });
});
