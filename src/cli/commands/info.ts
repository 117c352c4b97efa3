// picoformer info <model> [--json]: what a model is, after checking all of it.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { importLegacy } from '../../model/legacy';
import { readLegacyTrio } from '../../model/legacyFiles';
import { readModel, readModelHeader, writeModel } from '../../model/modelFile';
import { isLegacyPath, readModelHeaderFile } from '../../model/modelIo';
import { kvCacheOf } from '../../model/config';
import { kvCacheBytes } from '../../model/kvCache';
import { summarize } from '../../model/summary';
import { parse, positionals } from '../args';
import type { CliCommand } from '../command';
import { bytes, thousands } from '../format';

export const info: CliCommand = {
  name: 'info',
  summary: 'show a model: name, size, architecture, tokenizer (checks the whole file)',
  usage: `Usage: picoformer info <model> [--json]

  <model>   a .safetensors model file, or a legacy folder / config_<N>p.json (shown as it would import)
  --json    print one JSON object instead of text
`,
  async run(args, io) {
    const parsed = parse(args, { json: { type: 'boolean' } });
    const [path] = positionals(parsed, 'model');
    const legacy = await isLegacyPath(path);
    let header;
    if (legacy) {
      header = readModelHeader(writeModel(importLegacy(await readLegacyTrio(path))));
    } else {
      header = await readModelHeaderFile(path);
      readModel(new Uint8Array(await readFile(path))); // full check: NaN/Inf and scales too
    }
    const s = summarize(header);
    const c = s.config;
    if (parsed.values.json) {
      io.out(
        `${JSON.stringify({
          file: path,
          legacy,
          format: 'picoformer/1',
          name: s.name,
          parameter_count: s.parameterCount,
          weights: s.weights,
          parameters_by_dtype: s.parametersByDtype,
          file_bytes: s.fileBytes,
          header_bytes: s.headerBytes,
          weight_bytes: s.weightBytes,
          scale_bytes: s.scaleBytes,
          kv_cache: kvCacheOf(c),
          kv_cache_bytes: kvCacheBytes(c),
          config: c,
          vocab: header.vocab,
          metadata: header.extraMetadata,
          tensors: header.tensors.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, bytes: t.bytes + t.scaleBytes })),
        })}\n`,
      );
      return 0;
    }
    const specials = c.special_ids.length;
    const lines = [
      `${basename(path)}: ${s.name} (${thousands(s.parameterCount)} parameters)${legacy ? ', legacy trio (not yet imported)' : ''}`,
      `  file       ${bytes(s.fileBytes)}: header ${bytes(s.headerBytes)}, weights ${bytes(s.weightBytes)}${s.scaleBytes ? `, scales ${bytes(s.scaleBytes)}` : ''}`,
      `  weights    ${s.weights}${s.weights === 'mixed' ? ` (${Object.entries(s.parametersByDtype).map(([d, n]) => `${d} ${thousands(n)}`).join(', ')})` : ''}`,
      `  shape      vocab ${c.vocab_size}, dim ${c.dim}, hidden ${c.hidden_dim}, ${c.n_layers} layer${c.n_layers === 1 ? '' : 's'}, ` +
        `${c.n_heads} head${c.n_heads === 1 ? '' : 's'}, context ${c.context_length}`,
      `  KV cache   ${kvCacheOf(c)}${kvCacheOf(c) === 'int8' ? ' (one scale per cached vector)' : ''}: ${bytes(kvCacheBytes(c))} for the whole context`,
      `  blocks     ${c.norm} (eps ${c.norm_eps.toExponential()}), ${c.activation}, positions ${c.positional}, ${c.tied_embeddings ? 'tied embeddings' : 'separate lm_head'}`,
      `  tokenizer  ${c.tokenizer}${c.lowercase ? ', lowercase' : ''}; bos ${c.bos_id}, eos ${c.eos_id}, unk ${c.unk_id}, pad ${c.pad_id}; ` +
        `${specials} special token${specials === 1 ? '' : 's'}`,
    ];
    const meta = Object.entries(header.extraMetadata).filter(([k]) => k !== 'legacy_config');
    if (meta.length) lines.push(`  metadata   ${meta.map(([k, v]) => `${k}: ${v.length > 60 ? `${v.slice(0, 57)}...` : v}`).join('; ')}`);
    io.out(`${lines.join('\n')}\n`);
    return 0;
  },
};
