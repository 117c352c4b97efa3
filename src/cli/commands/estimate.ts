// picoformer estimate <model> [--board ID] [--ctx N] [--mode resident|streamed|auto] [--int8|--f16|--f32] [--json]:
// will it fit on the board, in which load mode, with how much room (reads the header only).
import { basename } from 'node:path';
import { boardProfile, BoardIds, DefaultBoardId, parseBoardId } from '../../memory/boards';
import { type ModeOption, estimate } from '../../memory/estimate';
import { estimateModelFromHeader } from '../../memory/input';
import { estimateJson, formatEstimate } from '../../memory/report';
import { type KvCacheKind, KvCacheKinds } from '../../model/config';
import { importLegacy } from '../../model/legacy';
import { readLegacyTrio } from '../../model/legacyFiles';
import { readModelHeader, writeModel } from '../../model/modelFile';
import { isLegacyPath, readModelHeaderFile } from '../../model/modelIo';
import { intOption, numberOption, parse, positionals, stringOption } from '../args';
import { type CliCommand, UsageError } from '../command';
import { dtypeFlag } from './shared';

const Modes: readonly ModeOption[] = ['auto', 'resident', 'streamed'];

export const estimateCommand: CliCommand = {
  name: 'estimate',
  summary: 'estimate the heap a model needs on a board, and whether it loads resident or streamed',
  usage: `Usage: picoformer estimate <model> [--board ID] [--heap-kb N] [--ctx N] [--mode M] [--int8|--f16|--f32]
                          [--kv-cache int8|float32] [--json]

  <model>          a .safetensors model file, or a legacy folder / config_<N>p.json (estimated as imported)
  --board ID       ${BoardIds.join(', ')} (default ${DefaultBoardId})
  --heap-kb N      the heap in KB for --board custom (default 140)
  --ctx N          run with a shorter context than the model's (smaller KV cache)
  --mode M         auto (default: resident if it fits, else streamed), resident or streamed
  --int8 --f16 --f32  estimate the model as deployed with every matrix in that type (default: as in the file)
  --kv-cache K     estimate it with an int8 or a float32 KV cache (default: the model's own)
  --no-ulab        the board has no ulab (plain MicroPython builds)
  --json           print one JSON object instead of text

Exit code 0 when the model fits, 1 when it does not, 2 on bad arguments.
`,
  async run(args, io) {
    const parsed = parse(args, {
      json: { type: 'boolean' },
      board: { type: 'string' },
      'heap-kb': { type: 'string' },
      ctx: { type: 'string' },
      mode: { type: 'string' },
      int8: { type: 'boolean' },
      f16: { type: 'boolean' },
      f32: { type: 'boolean' },
      'no-ulab': { type: 'boolean' },
      'kv-cache': { type: 'string' },
    });
    const [path] = positionals(parsed, 'model');
    let board;
    try {
      const id = parseBoardId(stringOption(parsed, 'board') ?? DefaultBoardId);
      board = boardProfile(id, id === 'custom' ? numberOption(parsed, 'heap-kb', 140, 16, 8192) : undefined);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (board.id !== 'custom' && parsed.values['heap-kb'] !== undefined) throw new UsageError('--heap-kb goes with --board custom');
    const mode = (stringOption(parsed, 'mode') ?? 'auto') as ModeOption;
    if (!Modes.includes(mode)) throw new UsageError(`--mode must be one of ${Modes.join(', ')}, got "${mode}"`);
    const header = (await isLegacyPath(path)) ? readModelHeader(writeModel(importLegacy(await readLegacyTrio(path)))) : await readModelHeaderFile(path);
    const ctx = intOption(parsed, 'ctx', header.config.context_length, 1, header.config.context_length);
    const kvCache = stringOption(parsed, 'kv-cache') as KvCacheKind | undefined;
    if (kvCache !== undefined && !KvCacheKinds.includes(kvCache)) throw new UsageError(`--kv-cache must be one of ${KvCacheKinds.join(', ')}, got "${kvCache}"`);
    const e = estimate(estimateModelFromHeader(header), board, {
      contextLength: ctx,
      dtype: dtypeFlag(parsed, undefined),
      ...(kvCache !== undefined ? { kvCache } : {}),
      mode,
      ulab: parsed.values['no-ulab'] !== true,
    });
    if (parsed.values.json) io.out(`${JSON.stringify({ file: path, ...estimateJson(e) })}\n`);
    else io.out(formatEstimate(e, basename(path)));
    return e.mode === null ? 1 : 0;
  },
};
