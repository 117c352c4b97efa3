// Writes the sample workspace's random-weight models (samples/workspace/models/random-*.safetensors): what the
// trained models (models/, copied beside these by scripts/build.mjs) do not show: a float model (deploying it offers
// int8), one in the danger zone and one that cannot fit the default Pico profile. Random weights generate gibberish;
// the family "random" says so in their names.
// Usage: npx tsx scripts/make-samples.ts [--check]   (--check: fail if a committed sample differs from the script)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boardProfile } from '../src/memory/boards';
import { estimate } from '../src/memory/estimate';
import { estimateModelFromHeader } from '../src/memory/input';
import { readModelHeader, writeModel } from '../src/model/modelFile';
import { convertModel } from '../src/model/quantize';
import { configForTarget, randomModel } from '../src/model/random';
import { summarize } from '../src/model/summary';
import type { Dtype } from '../src/model/tensor';

interface Sample {
  target: number;
  dtype: Dtype;
  seed: number;
  /** Overrides for configForTarget (vocabulary, layers, context). */
  options?: Parameters<typeof configForTarget>[1];
}

const Samples: readonly Sample[] = [
  // Float, so deploying it offers the int8 conversion first.
  { target: 1_000, dtype: 'F32', seed: 11, options: { vocab_size: 48, context_length: 48 } },
  // Fits the Pico resident with little room left ("danger"); streamed it is "safe".
  { target: 30_000, dtype: 'I8', seed: 13 },
  // Too big for a Pico's heap even as int8: "impossible" there (it fits a Pico 2).
  { target: 100_000, dtype: 'I8', seed: 14, options: { context_length: 128 } },
];

const outDir = join(__dirname, '..', 'samples', 'workspace', 'models');
const check = process.argv.includes('--check');
const pico = boardProfile('pico-cp9');
if (!check) mkdirSync(outDir, { recursive: true });
let stale = 0;

for (const sample of Samples) {
  const config = configForTarget(sample.target, { ...sample.options, family: 'random' });
  const model = convertModel(randomModel(config, sample.seed), sample.dtype);
  model.extraMetadata = { ...model.extraMetadata, created_by: 'picoformer scripts/make-samples.ts (random weights)' };
  const bytes = writeModel(model);
  const header = readModelHeader(bytes);
  const summary = summarize(header);
  const file = join(outDir, `${summary.name}.safetensors`);
  const e = estimate(estimateModelFromHeader(header), pico);
  const line = `${summary.name}: ${summary.parameterCount} params, ${summary.weights}, ${bytes.length} bytes, peak ${e.chosen.required} B on ${pico.id}: ${e.zone}`;
  if (check) {
    let same = false;
    try {
      same = Buffer.compare(readFileSync(file), Buffer.from(bytes)) === 0;
    } catch {
      same = false;
    }
    if (!same) stale++;
    console.log(`${same ? 'ok   ' : 'STALE'} ${line}`);
  } else {
    writeFileSync(file, bytes);
    console.log(`wrote ${line}`);
  }
}
if (stale > 0) {
  console.error(`${stale} sample model(s) differ from scripts/make-samples.ts: run \`npx tsx scripts/make-samples.ts\``);
  process.exit(1);
}
