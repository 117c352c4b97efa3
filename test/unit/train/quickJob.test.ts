import assert from 'node:assert/strict';
import { boardProfile } from '../../../src/memory/boards';
import { DefaultTrainingPreferences, checkpointPathFor, suggestedModelPath, defaultSteps, describePreferences, estimatedTrainingSeconds, familyFromCorpus, largestOnBoard, quickTrainJob, roughParameters, suggestedLearningRate } from '../../../src/train/quickJob';

describe('quick training jobs (the editor\'s Train command)', () => {
  it('uses the sample models\' architecture and a learning rate that suits the size', () => {
    const job = quickTrainJob({ corpus: '/w/corpus/stories.txt', output: '/w/models/story-8k.safetensors', size: { kind: 'params', target: 8000 }, steps: 1200, board: 'pico-cp9' });
    assert.deepEqual(job.arch, { norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, tokenizer: 'char', lowercase: false, family: 'story', kv_cache: 'int8' });
    assert.deepEqual(job.settings, { steps: 1200, lr: 5e-3, batch: 16, seed: 1 });
    assert.deepEqual(job.data, { tokenizer: 'char', lowercase: false, merges: 0, valEvery: 10 });
    assert.equal(job.outputDtype, 'I8');
    assert.equal(job.checkpoint, '/w/models/story-8k.ckpt');
    assert.equal(job.threads, 'auto');
    assert.equal(job.customHeapKB, undefined);
    const streamed = quickTrainJob({ corpus: 'c.txt', output: 'o.safetensors', size: { kind: 'board', mode: 'streamed' }, steps: 10, board: 'custom', customHeapKB: 200, seed: 9, family: 'notes' });
    assert.deepEqual(streamed.settings, { steps: 10, lr: 3e-3, batch: 16, seed: 9 });
    assert.equal(streamed.customHeapKB, 200);
    assert.equal(streamed.arch.family, 'notes');
    assert.deepEqual([1000, 8000, 30000, 300000].map(suggestedLearningRate), [1e-2, 5e-3, 4e-3, 3e-3]);
  });

  it('follows the training preferences (settings): architecture, vocabulary, learning rate, batch, seed', () => {
    const preferences = {
      ...DefaultTrainingPreferences,
      contextLength: 128, layers: 3, heads: 2, norm: 'layernorm', activation: 'gelu', positions: 'none', tiedEmbeddings: false,
      tokenizer: 'longest_match', merges: 40, lowercase: true, learningRate: 2e-3, batch: 8, seed: 77, kvCache: 'float32',
    } as const;
    const job = quickTrainJob({ corpus: '/w/chat.txt', output: '/w/m.safetensors', size: { kind: 'params', target: 8000 }, steps: 50, board: 'pico-cp9', preferences });
    assert.deepEqual(job.arch, {
      norm: 'layernorm', activation: 'gelu', positional: 'none', tied_embeddings: false, tokenizer: 'longest_match', lowercase: true, family: 'chat',
      kv_cache: 'float32', context_length: 128, n_layers: 3, n_heads: 2,
    });
    assert.deepEqual(job.data, { tokenizer: 'longest_match', lowercase: true, merges: 40, valEvery: 10 });
    assert.deepEqual(job.settings, { steps: 50, lr: 2e-3, batch: 8, seed: 77 });
    assert.equal(quickTrainJob({ corpus: 'c.txt', output: 'o.safetensors', size: { kind: 'params', target: 8000 }, steps: 5, board: 'pico-cp9', preferences, seed: 3 }).settings.seed, 3, 'an explicit seed wins');
    assert.equal(quickTrainJob({ corpus: 'c.txt', output: 'o.safetensors', size: { kind: 'params', target: 8000 }, steps: 5, board: 'pico-cp9', preferences: { ...preferences, tokenizer: 'char' } }).data.merges, 0, 'merges only with longest_match');
    // A longer context's KV cache leaves less heap for weights; the board's largest model shrinks.
    const pico = boardProfile('pico-cp9');
    const at64 = largestOnBoard(pico, 'resident') ?? 0;
    const at128 = largestOnBoard(pico, 'resident', { ...DefaultTrainingPreferences, contextLength: 128 }) ?? 0;
    assert.ok(at128 > 0 && at128 < at64, `context 128: ${at128} < context 64: ${at64}`);
    assert.equal(roughParameters({ kind: 'board', mode: 'resident' }, pico, { ...DefaultTrainingPreferences, contextLength: 128 }), at128);
  });

  it('describes the preferences that differ from the sample models', () => {
    assert.equal(describePreferences(DefaultTrainingPreferences), '');
    assert.equal(
      describePreferences({ ...DefaultTrainingPreferences, contextLength: 32, layers: 1, heads: 2, norm: 'layernorm', positions: 'none', tiedEmbeddings: false, tokenizer: 'longest_match', merges: 10, lowercase: true, batch: 4, seed: 5, learningRate: 0.01, activation: 'relu', kvCache: 'float32' }),
      'context 32 · 1 layer · 2 heads · layernorm · relu · no position table · untied embeddings · longest_match (10 pieces) · lowercase · learning rate 0.01 · batch 4 · seed 5 · float32 KV cache',
    );
  });

  it('knows the largest model for a board before the corpus is read (for the size question and the settings)', () => {
    const pico = boardProfile('pico-cp9');
    const resident = largestOnBoard(pico, 'resident') ?? 0;
    const streamed = largestOnBoard(pico, 'streamed') ?? 0;
    assert.ok(resident > 15_000 && resident < 45_000, `resident on a Pico: ${resident}`);
    assert.ok(streamed > resident, `streamed ${streamed} > resident ${resident}`);
    assert.ok((largestOnBoard(boardProfile('pico2-cp9'), 'resident') ?? 0) > 3 * resident, 'the Pico 2 holds several times more');
    assert.equal(largestOnBoard(boardProfile('custom', 16), 'resident'), undefined, 'nothing fits 16 KB');
    assert.equal(roughParameters({ kind: 'board', mode: 'resident' }, pico), resident);
    assert.equal(roughParameters({ kind: 'params', target: 8000 }, pico), 8000);
    const job = quickTrainJob({ corpus: 'c.txt', output: 'o.safetensors', size: { kind: 'board', mode: 'resident' }, steps: 10, board: 'pico-cp9' });
    assert.equal(job.settings.lr, suggestedLearningRate(resident));
  });

  it('names the family after the corpus, as a valid name half', () => {
    assert.equal(familyFromCorpus('/a/corpus/stories.txt'), 'story');
    assert.equal(familyFromCorpus('/a/my_story_book.md'), 'story');
    assert.equal(familyFromCorpus('/a/chat.txt'), 'chat');
    assert.equal(familyFromCorpus('/a/Shakespeare Sonnets!.txt'), 'shakespeare-sonnets');
    assert.equal(familyFromCorpus('/a/...txt'), 'model');
    assert.equal(familyFromCorpus('/a/poems'), 'poems');
  });

  it('suggests a model file named after the text file that never takes an existing model (or its checkpoint)', () => {
    const taken = new Set(['/w/models/story-8k.safetensors', '/w/models/stories-8k.safetensors', '/w/models/stories-8k-2.ckpt']);
    const exists = (p: string) => taken.has(p);
    assert.equal(suggestedModelPath('/w/models', '/w/corpus/stories.txt', '8k', exists), '/w/models/stories-8k-3.safetensors', 'not story-8k, the sample model');
    assert.equal(suggestedModelPath('/w/models', '/w/corpus/chat.txt', '1k', exists), '/w/models/chat-1k.safetensors');
    assert.equal(suggestedModelPath('/w/models', '/w/My Garden Notes!.txt', 'resident', exists), '/w/models/my-garden-notes-resident.safetensors');
    assert.equal(suggestedModelPath('/w/models', '/w/poems', '30k', exists), '/w/models/poems-30k.safetensors', 'a folder: its name');
  });

  it('checkpoints beside the model; suggests steps and a rough time that grows with size', () => {
    assert.equal(checkpointPathFor('/m/x.safetensors'), '/m/x.ckpt');
    assert.equal(checkpointPathFor('/m/x.bin'), '/m/x.bin.ckpt');
    assert.equal(defaultSteps(8000), 3000);
    assert.equal(defaultSteps(300_000), 1000);
    const small = estimatedTrainingSeconds(1000, 3000);
    const big = estimatedTrainingSeconds(30_000, 3000);
    assert.ok(small > 10 && small < 120, `1K: ${small} s`);
    assert.ok(big > 120 && big < 900, `30K: ${big} s`);
  });
});
