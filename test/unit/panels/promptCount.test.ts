import assert from 'node:assert/strict';
import { makeConfig } from '../../../src/model/config';
import { readModelHeader, writeModel } from '../../../src/model/modelFile';
import { randomModel } from '../../../src/model/random';
import { Tokenizer } from '../../../src/model/tokenizer';
import { countPrompt, promptCountText, promptTokenizer, runPromptText } from '../../../src/panels/promptCount';
import { studioModelView } from '../../../src/views/viewModels/studioModelView';

const vocab = ['<pad>', '<s>', '</s>', '<unk>', ' ', 'a', 'b', 'c', ' the', ' cat', 'the'];

function view(ctx: number, bos = true): ReturnType<typeof studioModelView> {
  const config = makeConfig({
    vocab_size: vocab.length, dim: 4, hidden_dim: 4, n_layers: 1, n_heads: 1, context_length: ctx, tokenizer: 'longest_match',
    ...(bos ? {} : { bos_id: null, special_ids: [0, 2, 3] }),
  });
  const v = bos ? vocab : ['<pad>', 'x', ...vocab.slice(2)];
  return studioModelView(readModelHeader(writeModel(randomModel(config, 1, v))), 'm.safetensors', false);
}

describe('the prompt token count', () => {
  it('counts as the model encodes: the same ids as the reference tokenizer', () => {
    const m = view(64);
    const t = promptTokenizer(m.tokenizer);
    const reference = new Tokenizer(vocab, { tokenizer: 'longest_match', lowercase: false, unk_id: 3, special_ids: [0, 1, 2, 3] });
    for (const prompt of ['the cat', ' the cat', 'abc', 'x the ☃', '']) assert.deepEqual(t.encode(prompt), reference.encode(prompt), prompt);
    assert.deepEqual(countPrompt(t, m.tokenizer, m.contextLength, 'the cat ab'), { tokens: 5, characters: 10, unknown: 0, dropped: 0 });
    assert.equal(promptCountText(countPrompt(t, m.tokenizer, m.contextLength, 'the cat ab'), 64), 'Prompt: 5 tokens · 10 characters, 2.0 per token');
    assert.equal(promptCountText(countPrompt(t, m.tokenizer, m.contextLength, ''), 64), 'Prompt: 0 tokens');
  });

  it('says what the context drops and which characters are unknown', () => {
    const m = view(4);
    const c = countPrompt(promptTokenizer(m.tokenizer), m.tokenizer, 4, 'a b ☃');
    assert.deepEqual(c, { tokens: 5, characters: 5, unknown: 1, dropped: 3 }, 'room for BOS, 2 prompt tokens and one new token');
    assert.equal(promptCountText(c, 4), 'Prompt: 5 tokens · 5 characters, 1.0 per token · 1 unknown character (each becomes <unk>) · the oldest 3 tokens are dropped to fit the 4-token context');
    const noBos = view(4, false);
    assert.equal(countPrompt(promptTokenizer(noBos.tokenizer), noBos.tokenizer, 4, 'a b').dropped, 0, 'without BOS the prompt has one more place');
  });
});

describe("a run's prompt in the Studio's status line", () => {
  it('counts tokens and unknown characters in the singular and the plural', () => {
    assert.equal(runPromptText(17, 0, 1), 'prompt 17 tokens · 1 unknown character');
    assert.equal(runPromptText(1, 0, 2), 'prompt 1 token · 2 unknown characters');
    assert.equal(runPromptText(5, 3, 0), 'prompt 5 tokens (3 dropped to fit the context)');
  });
});
