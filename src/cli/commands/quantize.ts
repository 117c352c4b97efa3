// picoformer quantize <in> -o <out> [--int8|--f16|--f32]: change the weight type and say what it costs in logits.
import { type KvCacheKind, KvCacheKinds, NewModelKvCache } from '../../model/config';
import { readModelHeader, writeModel } from '../../model/modelFile';
import { loadAnyModel } from '../../model/modelIo';
import { compareLogits, convertModel, sampleSequences } from '../../model/quantize';
import { summarize } from '../../model/summary';
import { intOption, parse, positionals, stringOption } from '../args';
import { type CliCommand, UsageError } from '../command';
import { bytes, percent, short } from '../format';
import { dtypeFlag, writeOutput } from './shared';

export const quantizeCommand: CliCommand = {
  name: 'quantize',
  summary: 'convert a model to int8 (per row), float16 or float32, and report the logit error',
  usage: `Usage: picoformer quantize <in> -o <out.safetensors> [--int8|--f16|--f32] [--kv-cache int8|float32] [--samples N] [--seed S] [--force] [--json]

  <in>            a .safetensors model (or a legacy folder / config_<N>p.json)
  -o, --output    where to write the converted model
  --int8          matrices to int8 with one float32 scale per row (the default)
  --f16           every weight to float16
  --f32           every weight to float32 (undoes int8: the dequantized values)
  --kv-cache K     how the board stores the attention's cache: int8 (the default: about a quarter of the heap) or
                  float32 (as models made before the int8 cache)
  --samples N     sample sequences for the error report (default 4, each as long as the context, at most 64)
  --seed S        seed of the sample sequences (default 1)
  --force         overwrite the output if it exists
  --json          print the report as JSON

The error report runs both models on the same random token sequences and compares every logit (the KV cache's
effect included).
`,
  async run(args, io) {
    const parsed = parse(args, {
      output: { type: 'string', short: 'o' },
      int8: { type: 'boolean' },
      f16: { type: 'boolean' },
      f32: { type: 'boolean' },
      samples: { type: 'string' },
      seed: { type: 'string' },
      'kv-cache': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [input] = positionals(parsed, 'in');
    const target = dtypeFlag(parsed, 'I8');
    const samples = intOption(parsed, 'samples', 4, 1, 64);
    const seed = intOption(parsed, 'seed', 1, 0, 0xffffffff);
    const kvCache = stringOption(parsed, 'kv-cache') ?? NewModelKvCache;
    if (!(KvCacheKinds as readonly string[]).includes(kvCache)) throw new UsageError(`--kv-cache must be one of ${KvCacheKinds.join(', ')}, got "${kvCache}"`);
    const { model } = await loadAnyModel(input);
    const converted = convertModel(model, target, kvCache as KvCacheKind);
    const file = writeModel(converted);
    const out = await writeOutput(parsed, file);
    const error = compareLogits(model, converted, sampleSequences(model, samples, 64, seed));
    const s = summarize(readModelHeader(file));
    if (parsed.values.json) {
      io.out(`${JSON.stringify({ output: out, weights: s.weights, kv_cache: kvCache, file_bytes: file.length, logit_error: error })}\n`);
      return 0;
    }
    io.out(
      `wrote ${out}: ${s.name}, ${s.weights}, ${kvCache} KV cache, ${bytes(file.length)}\n` +
        `logit error vs ${input} over ${error.positions} positions: max ${short(error.maxAbs)}, mean ${short(error.meanAbs)} ` +
        `(largest logit ${short(error.maxAbsReference)}); top-1 agreement ${percent(error.top1Agreement)}\n`,
    );
    return 0;
  },
};
