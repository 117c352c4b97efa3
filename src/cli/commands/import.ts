// picoformer import <legacy-folder-or-config.json> -o <out.safetensors> [--int8|--f16]: the old trio to picoformer/1.
import { importLegacy } from '../../model/legacy';
import { readLegacyTrio } from '../../model/legacyFiles';
import { readModelHeader, writeModel } from '../../model/modelFile';
import { convertModel } from '../../model/quantize';
import { summarize } from '../../model/summary';
import { parse, positionals } from '../args';
import type { CliCommand } from '../command';
import { bytes, thousands } from '../format';
import { dtypeFlag, writeOutput } from './shared';

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'convert a legacy tiny-transformers-rp2040 model (config/model/vocab trio) to a .safetensors model',
  usage: `Usage: picoformer import <legacy-folder-or-config.json> -o <out.safetensors> [--int8|--f16] [--force]

  <legacy-folder-or-config.json>   the folder holding config_<N>p.json, model_<N>p.bin and vocab_<N>p.bin,
                                   or the config file itself
  -o, --output FILE   where to write the model
  --int8              quantize the matrices to int8 per row (smallest; the deploy default)
  --f16               store every weight as float16
  --force             overwrite FILE if it exists

The imported model reproduces the old runtime's forward pass exactly (see docs/format.md "Legacy import").
`,
  async run(args, io) {
    const parsed = parse(args, {
      output: { type: 'string', short: 'o' },
      int8: { type: 'boolean' },
      f16: { type: 'boolean' },
      force: { type: 'boolean' },
    });
    const [source] = positionals(parsed, 'legacy-folder-or-config.json');
    const target = dtypeFlag(parsed, undefined);
    const imported = importLegacy(await readLegacyTrio(source));
    const model = target === undefined ? imported : convertModel(imported, target);
    const file = writeModel(model);
    const out = await writeOutput(parsed, file);
    const s = summarize(readModelHeader(file));
    io.out(`wrote ${out}: ${s.name} (${thousands(s.parameterCount)} parameters, ${s.weights}, ${bytes(file.length)})\n`);
    return 0;
  },
};
