// The format limits a model file's header (docs/format.md: the board parses it whole with json): a run whose model
// could not be written within it is refused before training, not after.
import type { ModelConfig } from '../model/config';
import { tensorLayout } from '../model/layout';
import { modelToWrite } from '../model/modelFile';
import { convertModel } from '../model/quantize';
import { randomModel } from '../model/random';
import { MaxHeaderLength, paddedHeaderLength, safetensorsHeader } from '../model/safetensors';
import { VocabHeaderRoom, vocabHeaderBytes } from '../model/vocab';

/** The header's length of the model as int8 (its scales make the largest tensor table of the dtypes). */
export function headerBytes(config: ModelConfig, vocab: readonly string[]): number {
  // measured before the writer's limit applies: the point is to say by how much, and why
  const { tensors, metadata } = modelToWrite(convertModel(randomModel(config, 1, [...vocab]), 'I8'));
  return paddedHeaderLength(safetensorsHeader(tensors, metadata).text);
}

/** Why a model of `config` and `vocab` cannot be written, or null when it can. */
export function headerProblem(config: ModelConfig, vocab: readonly string[]): string | null {
  const bytes = headerBytes(config, vocab);
  if (bytes <= MaxHeaderLength) return null;
  const vocabBytes = vocabHeaderBytes(vocab);
  const cause = vocabBytes > VocabHeaderRoom
    ? `its ${vocab.length}-token vocabulary takes ${vocabBytes}: use a smaller vocabulary`
    : `its ${config.n_layers} layers list ${tensorLayout(config).length} tensors: use fewer layers`;
  return `the model file's header would be ${bytes} bytes, more than the ${MaxHeaderLength} a model file may have: ${cause}`;
}
