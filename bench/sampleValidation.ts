// The sample models (models/*.safetensors) with their validation text, for the benches that judge a change of the
// forward pass or of generation by what it does to the models we ship. The text is the procedural corpus the sample
// was trained on (stories, or chat for chat-*; seed 1, as scripts/train-samples.ts), cut at a prefix of
// `characters`, split into documents and into training and validation as the trainer does (every 10th document held
// out, docs/training.md): a prefix of the corpus holds out the same documents the full one did, so the text is
// text the model never trained on.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateCorpus } from '../src/corpus/generate';
import type { Model } from '../src/model/modelFile';
import { readModelFile } from '../src/model/modelIo';
import { splitDocuments } from '../src/train/corpusFiles';
import { DefaultDataOptions, prepareData } from '../src/train/data';

export interface SampleText {
  name: string;
  model: Model;
  /** The validation stream: each held-out document's tokens followed by EOS. */
  val: Int32Array;
}

export const ModelsDir = join(__dirname, '..', 'models');

export async function sampleTexts(characters: number, only?: readonly string[]): Promise<SampleText[]> {
  const out: SampleText[] = [];
  for (const file of readdirSync(ModelsDir).filter((f) => f.endsWith('.safetensors')).sort()) {
    const name = file.replace(/\.safetensors$/, '');
    if (only !== undefined && !only.includes(name)) continue;
    const model = await readModelFile(join(ModelsDir, file));
    const kind = model.config.family === 'chat' ? 'chat' : 'stories';
    const documents = splitDocuments(generateCorpus(kind, 1, characters));
    const data = prepareData(documents, { ...DefaultDataOptions, tokenizer: model.config.tokenizer, lowercase: model.config.lowercase }, model.vocab);
    out.push({ name, model, val: data.val.tokens });
  }
  return out;
}

/** Natural log of the softmax probability of `target` under `logits`. */
export function logProb(logits: Float32Array, target: number): number {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  return logits[target] - max - Math.log(sum);
}

/** +0.0012, -0.0003; a difference that rounds to zero is +0.0000 whatever its sign. */
export function signed(x: number): string {
  const text = Math.abs(x).toFixed(4);
  return `${x < 0 && Number(text) !== 0 ? '-' : '+'}${text}`;
}

/** `--name value` from argv, or undefined. */
export function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
