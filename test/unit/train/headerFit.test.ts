import assert from 'node:assert/strict';
import { makeConfig } from '../../../src/model/config';
import { headerBytes, headerProblem } from '../../../src/train/headerFit';

describe('the model file header within the format limit', () => {
  const shape = { dim: 16, hidden_dim: 32, n_heads: 2, context_length: 64, tokenizer: 'longest_match' as const, family: 'story' as const };
  const vocab = (n: number, width: number): string[] => ['<pad>', '<bos>', '<eos>', '<unk>', ...Array.from({ length: n - 4 }, (_, i) => `${i}`.padStart(width, 'q'))];

  it('passes 1,024 tokens of 4 characters at 4 layers, with the header measured as written', () => {
    const config = makeConfig({ ...shape, vocab_size: 1024, n_layers: 4 });
    assert.equal(headerProblem(config, vocab(1024, 4)), null);
    assert.ok(headerBytes(config, vocab(1024, 4)) > 10_000);
  });

  it('names the vocabulary when it is the vocabulary that does not fit', () => {
    const config = makeConfig({ ...shape, vocab_size: 1024, n_layers: 1 });
    assert.match(headerProblem(config, vocab(1024, 16)) ?? '', /header would be \d+ bytes, more than the 16384 .* its 1024-token vocabulary takes \d+: use a smaller vocabulary/);
  });

  it('names the layers when the tensor table does not fit', () => {
    const config = makeConfig({ ...shape, vocab_size: 64, n_layers: 20 });
    assert.match(headerProblem(config, vocab(64, 1)) ?? '', /its 20 layers list \d+ tensors: use fewer layers/);
  });
});
