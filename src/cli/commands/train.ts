// picoformer train <corpus> -o <out.safetensors> [size] [options]: trains a model on a text file or folder and
// writes it (int8 by default), with progress lines and a summary. Ctrl-C stops after the current step and keeps the
// best weights so far (checkpoint and model are written).
import { BoardIds, type BoardId, DefaultBoardId, parseBoardId } from '../../memory/boards';
import { type ActivationKind, type KvCacheKind, KvCacheKinds, type NormKind, type PositionalKind, type TokenizerKind } from '../../model/config';
import { generate } from '../../model/generate';
import { readModelFile } from '../../model/modelIo';
import { sizeLabel } from '../../model/params';
import { startTraining } from '../../train/host';
import type { PreparedInfo, ProgressPoint, SizeSpec, TrainEvent, TrainJob, TrainSummary } from '../../train/protocol';
import type { TrainSettings } from '../../train/settings';
import { checkpointPathFor } from '../../train/quickJob';
import { formatClock } from '../../views/viewModels/format';
import { parseParamCount } from '../../train/sizing';
import { type Parsed, intOption, numberOption, parse, positionals, stringOption } from '../args';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { bytes, percent, short, thousands } from '../format';
import { dtypeFlag, exists } from './shared';

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a model on a text file or folder (the architecture the board runs), write it as int8',
  usage: `Usage: picoformer train <corpus> -o <out.safetensors> [size] [options]

  <corpus>           a text file, or a folder of .txt/.md files; blank lines separate documents
  -o, --output FILE  the model to write (int8 unless --f16/--f32)

Size (one of):
  --params N         a parameter count: 1k, 8k, 30k, 1.2m... (the name shows it: story-8k)
  --dim D --layers L --heads H --hidden N   explicit sizes
  --board ID         alone: the largest model that runs resident on that board (${BoardIds.join(', ')});
                     with a size: the board the summary's memory zone is for (default ${DefaultBoardId})
  --streamed         with --board: the largest model that runs streamed instead
  --heap-kb N        the heap of --board custom
  --ctx C            context length (default 64; 32 for --params under 4k)

Training:
  --steps N          updates (default 2000)      --batch B        windows per update (default 16)
  --lr X             peak learning rate (3e-3)   --warmup N       warm-up steps (default 5% of steps, at most 200)
  --weight-decay X   AdamW decay on matrices (0.1)   --clip X     gradient norm limit (1; 0 = none)
  --seed S           weights and data order (default 1): the same seed gives the same model
  --eval-every N     validation (and checkpoint) interval (default steps/20)
  --val-windows N    validation windows (default 64)
  --threads 1|2|auto gradient threads (default auto)
  --resume CKPT      continue a run from its checkpoint (same corpus; to its own total, or --steps)
  --checkpoint FILE  where checkpoints go (default <output>.ckpt)

Model:
  --family NAME      first half of the name (default model)
  --norm rmsnorm|layernorm  --activation silu|gelu|relu  --positions learned|none  --untied
  --lowercase        lowercase the text (and the model's input) first
  --tokenizer char|longest_match  --merges N (longest_match pieces)  --max-vocab N (rare characters become unk)
  --kv-cache int8|float32   how the board stores the attention's cache (default int8: about a quarter of the heap)

Output:
  --int8 --f16 --f32 the output's weight type (default int8)   --float-out FILE  also write the float32 model
  --force            overwrite existing files    --json     one JSON event per line instead of text
`,
  async run(args, io) {
    const parsed = parse(args, {
      output: { type: 'string', short: 'o' },
      params: { type: 'string' },
      dim: { type: 'string' },
      layers: { type: 'string' },
      heads: { type: 'string' },
      hidden: { type: 'string' },
      ctx: { type: 'string' },
      board: { type: 'string' },
      streamed: { type: 'boolean' },
      'heap-kb': { type: 'string' },
      steps: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      warmup: { type: 'string' },
      'weight-decay': { type: 'string' },
      clip: { type: 'string' },
      seed: { type: 'string' },
      'eval-every': { type: 'string' },
      'val-windows': { type: 'string' },
      threads: { type: 'string' },
      resume: { type: 'string' },
      checkpoint: { type: 'string' },
      family: { type: 'string' },
      norm: { type: 'string' },
      activation: { type: 'string' },
      positions: { type: 'string' },
      untied: { type: 'boolean' },
      lowercase: { type: 'boolean' },
      tokenizer: { type: 'string' },
      merges: { type: 'string' },
      'max-vocab': { type: 'string' },
      'kv-cache': { type: 'string' },
      int8: { type: 'boolean' },
      f16: { type: 'boolean' },
      f32: { type: 'boolean' },
      'float-out': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const job = await jobFromArgs(parsed);
    const json = parsed.values.json === true;
    const print = textPrinter(io);
    const run = startTraining(job, (e) => (json ? io.out(`${JSON.stringify(e)}\n`) : print(e)));
    const onInterrupt = (): void => {
      io.err('\nstopping after this step; the best weights so far will be saved...\n');
      run.cancel();
    };
    process.once('SIGINT', onInterrupt);
    let summary: TrainSummary;
    try {
      summary = await run.done;
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
    if (!json) {
      io.out(formatSummary(summary));
      io.out(`sample: ${JSON.stringify(await sampleText(summary.output.path))}\n`);
    }
    return 0;
  },
};

async function jobFromArgs(parsed: Parsed): Promise<TrainJob> {
  const [corpus] = positionals(parsed, 'corpus');
  const output = stringOption(parsed, 'output');
  if (output === undefined || output === '') throw new UsageError('missing -o <out.safetensors>');
  const resume = stringOption(parsed, 'resume');
  const checkpoint = stringOption(parsed, 'checkpoint') ?? checkpointPathFor(output);
  const floatOutput = stringOption(parsed, 'float-out');
  const force = parsed.values.force === true;
  for (const path of [output, floatOutput]) {
    if (path !== undefined && !force && (await exists(path))) throw new UsageError(`${path} already exists (add --force to overwrite it)`);
  }
  if (resume === undefined && !force && (await exists(checkpoint))) {
    throw new UsageError(`${checkpoint} already exists: resume with --resume ${checkpoint}, or add --force to start over`);
  }
  let board: BoardId;
  try {
    board = parseBoardId(stringOption(parsed, 'board') ?? DefaultBoardId);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const customHeapKB = board === 'custom' ? numberOption(parsed, 'heap-kb', 140, 16, 8192) : undefined;
  if (board !== 'custom' && parsed.values['heap-kb'] !== undefined) throw new UsageError('--heap-kb goes with --board custom');
  const size = resume === undefined ? sizeFromArgs(parsed) : undefined;
  if (resume !== undefined) {
    const fixed = ['params', 'dim', 'layers', 'heads', 'hidden', 'ctx', 'streamed', 'norm', 'activation', 'positions', 'untied', 'tokenizer', 'merges', 'max-vocab', 'lowercase', 'kv-cache', 'batch', 'lr', 'seed'];
    const given = fixed.filter((k) => parsed.values[k] !== undefined);
    if (given.length > 0) throw new UsageError(`--resume continues the checkpoint's run as it was: drop --${given.join(', --')}`);
  }
  // Resuming without --steps runs to the checkpoint's own total.
  const steps = resume === undefined ? intOption(parsed, 'steps', 2000, 1, 10_000_000) : maybeInt(parsed, 'steps', 1, 10_000_000);
  const settings: Partial<TrainSettings> = steps === undefined ? {} : { steps };
  const optional: [keyof TrainSettings, string, (name: string) => number | undefined][] = [
    ['batch', 'batch', (n) => maybeInt(parsed, n, 1, 4096)],
    ['lr', 'lr', (n) => maybeNumber(parsed, n, 1e-6, 0.5)],
    ['warmup', 'warmup', (n) => maybeInt(parsed, n, 0, 10_000_000)],
    ['weightDecay', 'weight-decay', (n) => maybeNumber(parsed, n, 0, 0.99)],
    ['clip', 'clip', (n) => maybeNumber(parsed, n, 0, 1e6)],
    ['seed', 'seed', (n) => maybeInt(parsed, n, 0, 0xffffffff)],
    ['evalEvery', 'eval-every', (n) => maybeInt(parsed, n, 1, 10_000_000)],
    ['valWindows', 'val-windows', (n) => maybeInt(parsed, n, 1, 100_000)],
  ];
  for (const [key, flag, read] of optional) {
    const v = read(flag);
    if (v !== undefined) settings[key] = v;
  }
  const threadsText = stringOption(parsed, 'threads') ?? 'auto';
  if (!['1', '2', 'auto'].includes(threadsText)) throw new UsageError(`--threads must be 1, 2 or auto, got "${threadsText}"`);
  const tokenizer = choice<TokenizerKind>(parsed, 'tokenizer', ['char', 'longest_match'], 'char');
  const merges = intOption(parsed, 'merges', tokenizer === 'longest_match' ? 64 : 0, 0, 60_000);
  if (merges > 0 && tokenizer !== 'longest_match') throw new UsageError('--merges goes with --tokenizer longest_match');
  const family = stringOption(parsed, 'family') ?? 'model';
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(family)) throw new UsageError('--family must be 1-40 letters, digits, "_", "." or "-"');
  const ctx = maybeInt(parsed, 'ctx', 2, 4096);
  return {
    corpus,
    output,
    outputDtype: dtypeFlag(parsed, 'I8'),
    ...(floatOutput !== undefined ? { floatOutput } : {}),
    checkpoint,
    ...(resume !== undefined ? { resume } : {}),
    ...(size !== undefined ? { size } : {}),
    arch: {
      norm: choice<NormKind>(parsed, 'norm', ['rmsnorm', 'layernorm'], 'rmsnorm'),
      activation: choice<ActivationKind>(parsed, 'activation', ['silu', 'gelu', 'relu'], 'silu'),
      positional: choice<PositionalKind>(parsed, 'positions', ['learned', 'none'], 'learned'),
      tied_embeddings: parsed.values.untied !== true,
      tokenizer,
      lowercase: parsed.values.lowercase === true,
      family,
      kv_cache: choice<KvCacheKind>(parsed, 'kv-cache', KvCacheKinds, 'int8'),
      ...(ctx !== undefined ? { context_length: ctx } : {}),
    },
    data: { tokenizer, lowercase: parsed.values.lowercase === true, merges, valEvery: 10, ...(maybeInt(parsed, 'max-vocab', 5, 65535) !== undefined ? { maxVocab: maybeInt(parsed, 'max-vocab', 5, 65535) } : {}) },
    settings,
    threads: threadsText === 'auto' ? 'auto' : (Number(threadsText) as 1 | 2),
    board,
    ...(customHeapKB !== undefined ? { customHeapKB } : {}),
  };
}

function sizeFromArgs(parsed: Parsed): SizeSpec {
  const dims = ['dim', 'layers', 'heads', 'hidden'].filter((k) => parsed.values[k] !== undefined);
  const params = stringOption(parsed, 'params');
  const byBoard = parsed.values.board !== undefined && params === undefined && dims.length === 0;
  if (parsed.values.streamed === true && !byBoard) throw new UsageError('--streamed goes with --board ID alone (no --params or dims)');
  if (params !== undefined && dims.length > 0) throw new UsageError('give either --params or explicit dims, not both');
  if (params !== undefined) {
    try {
      return { kind: 'params', target: parseParamCount(params) };
    } catch (err) {
      throw new UsageError(`--params: ${(err as Error).message}`);
    }
  }
  if (dims.length > 0) {
    if (dims.length < 4) throw new UsageError('explicit sizes need all of --dim, --layers, --heads and --hidden');
    return {
      kind: 'dims',
      dim: intOption(parsed, 'dim', 0, 1, 4096),
      n_layers: intOption(parsed, 'layers', 0, 1, 64),
      n_heads: intOption(parsed, 'heads', 0, 1, 64),
      hidden_dim: intOption(parsed, 'hidden', 0, 1, 16384),
      context_length: intOption(parsed, 'ctx', 64, 2, 4096),
    };
  }
  if (byBoard) return { kind: 'board', mode: parsed.values.streamed === true ? 'streamed' : 'resident' };
  throw new UsageError('no model size: give --params N, explicit --dim/--layers/--heads/--hidden, or --board ID');
}

/** Text output: the plan, then a progress line at every validation and otherwise at most every 5 seconds. */
function textPrinter(io: CliIo): (e: TrainEvent) => void {
  let last = -Infinity;
  return (e) => {
    if (e.type === 'prepared') io.out(formatPrepared(e.info));
    else if (e.type === 'progress' && (e.point.valLoss !== null || e.point.elapsedMs - last >= 5000)) {
      last = e.point.elapsedMs;
      io.out(formatProgress(e.point));
    }
  };
}

export function formatPrepared(i: PreparedInfo): string {
  const c = i.config;
  const lines = [
    `model ${i.name}: ${thousands(i.parameterCount)} parameters (dim ${c.dim}, ${c.n_layers} layer${c.n_layers === 1 ? '' : 's'}, ${c.n_heads} head${c.n_heads === 1 ? '' : 's'}, hidden ${c.hidden_dim}, context ${c.context_length}, ${c.norm}, ${c.activation}, ${c.positional} positions, ${c.tied_embeddings ? 'tied' : 'untied'})`,
    `vocabulary: ${c.vocab_size} tokens (${c.tokenizer}${c.lowercase ? ', lowercased' : ''}); coverage ${percent(i.coverage)}, ${thousands(i.unknownTokens)} unknown` +
      (i.missingChars.length > 0 ? ` (left out: ${JSON.stringify(i.missingChars.slice(0, 20).join(''))})` : ''),
    `data: ${thousands(i.documents)} documents, ${thousands(i.trainTokens)} training tokens, ${thousands(i.valTokens)} validation tokens`,
    `training: ${thousands(i.settings.steps)} steps of ${i.settings.batch} windows, lr ${i.settings.lr}, seed ${i.settings.seed}, ${i.threads} thread${i.threads > 1 ? 's' : ''}`,
  ];
  if (i.fit) lines.push(`chosen as the largest that runs ${i.fit.mode} on ${i.fit.board}: needs ${bytes(i.fit.requiredBytes)} (zone ${i.fit.zone})`);
  if (i.resumed) lines.push(`resuming ${i.resumed.path} at step ${thousands(i.resumed.step)}`);
  return `${lines.join('\n')}\n`;
}

export function formatProgress(p: ProgressPoint): string {
  const width = String(p.totalSteps).length;
  const val = p.valLoss === null ? '' : `  val ${p.valLoss.toFixed(3)}`;
  return `step ${String(p.step).padStart(width)}/${p.totalSteps}  train ${p.trainLoss.toFixed(3)}${val}  lr ${p.lr.toExponential(1)}  ${thousands(Math.round(p.tokensPerSecond))} tok/s  ${formatClock(p.elapsedMs)}\n`;
}

export function formatSummary(s: TrainSummary): string {
  const e = s.quantError;
  return [
    `${s.reason === 'cancelled' ? 'stopped' : 'done'} after ${thousands(s.steps)} of ${thousands(s.totalSteps)} steps in ${formatClock(s.elapsedMs)} (${thousands(Math.round(s.tokensPerSecond))} tok/s)`,
    `best validation loss ${s.bestValLoss === null ? 'n/a' : s.bestValLoss.toFixed(4)} at step ${thousands(s.bestStep)}: those weights are the model`,
    `wrote ${s.output.path}: ${s.name} (${sizeLabel(s.parameterCount)} parameters), ${s.output.dtype}, ${bytes(s.output.bytes)}` + (s.floatOutput ? `; float32: ${s.floatOutput}` : ''),
    s.output.dtype === 'F32'
      ? 'weights: float32 as trained'
      : `${s.output.dtype} logit error vs float32 over ${e.positions} validation positions: max ${short(e.maxAbs)}, mean ${short(e.meanAbs)} (largest logit ${short(e.maxAbsReference)}); top-1 agreement ${percent(e.top1Agreement)}`,
    `on ${s.fit.board}: ${s.fit.mode === null ? 'does not fit' : `runs ${s.fit.mode}`}, needs ${bytes(s.fit.requiredBytes)} (zone ${s.fit.zone})`,
    `checkpoint: ${s.checkpoint}`,
  ].join('\n') + '\n';
}

/** A short sample from an empty prompt, with a fixed seed (2024, the sample models' first) so reruns compare. */
async function sampleText(path: string): Promise<string> {
  const model = await readModelFile(path);
  return generate(model, '', { maxTokens: 100, temperature: 0.8, topK: 0, seed: 2024 }).text;
}

function choice<T extends string>(parsed: Parsed, name: string, options: readonly T[], fallback: T): T {
  const v = stringOption(parsed, name);
  if (v === undefined) return fallback;
  if (!(options as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${options.join(', ')}, got "${v}"`);
  return v as T;
}

function maybeInt(parsed: Parsed, name: string, min: number, max: number): number | undefined {
  return parsed.values[name] === undefined ? undefined : intOption(parsed, name, 0, min, max);
}

function maybeNumber(parsed: Parsed, name: string, min: number, max: number): number | undefined {
  return parsed.values[name] === undefined ? undefined : numberOption(parsed, name, 0, min, max);
}
