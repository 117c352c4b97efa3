// picoformer deploy <model> [--drive PATH | --virtual] [--runtime-only] [--dry-run] [--int8] [--yes]: the memory
// verdict first, then the plan, then the copy (staged, verified, cancellable with Ctrl-C) and a summary. The work
// is src/device/deploy's and src/memory's; this parses, asks and prints.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deployVerdict } from '../../commands/deploy/verdict';
import { type DeployFs, nodeDeployFs } from '../../device/deploy/deployFs';
import { DeployError } from '../../device/deploy/deployErrors';
import { parseBootOut } from '../../device/drives/bootOut';
import { executeDeploy } from '../../device/deploy/executeDeploy';
import { type DeployModel, prepareDeploy } from '../../device/deploy/prepareDeploy';
import type { BoardProfile } from '../../memory/boards';
import { estimate } from '../../memory/estimate';
import { estimateModelFromHeader } from '../../memory/input';
import type { Dtype } from '../../model/tensor';
import { boardFileName } from '../../services/boardFileName';
import type { ReadableModelEntry } from '../../services/modelEntry';
import { writeModel } from '../../model/modelFile';
import { loadAnyModel } from '../../model/modelIo';
import { convertModel } from '../../model/quantize';
import { writeBootOut } from '../../sim/bootOut';
import { parse, stringOption } from '../args';
import { BoardOptions, BoardUsage, boardFromOptions } from '../boardOption';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { type DeviceProbe, nodeDeviceProbe, pickDrive } from '../detect';
import { ProgressPrinter, formatPlan, formatSummary } from '../deployText';
import { formatKB } from '../../views/viewModels/format';
import { type Terminal, processTerminal } from '../interactive';
import { readModelArgument } from '../modelPath';
import { runtimeFolder } from '../runtimeFolder';
import { defaultVirtualDrive } from '../virtualDrive';

export interface DeployDeps {
  probe(): DeviceProbe;
  fs(): DeployFs;
  terminal: Terminal;
  runtimeDir(): string;
  virtualDrive(): string;
}

const defaults: DeployDeps = {
  probe: nodeDeviceProbe,
  fs: nodeDeployFs,
  terminal: processTerminal,
  runtimeDir: () => runtimeFolder(),
  virtualDrive: () => defaultVirtualDrive(),
};

const DtypeNames: Record<Dtype, string> = { I8: 'int8', F16: 'float16', F32: 'float32' };

/** The model as it goes to the board: converted when the weight type changes (legacy trios always). */
async function modelForBoard(entry: ReadableModelEntry, dtype: Dtype | undefined): Promise<{ model: DeployModel; fileName: string }> {
  if (dtype === undefined) {
    const fileName = entry.path.split(/[\\/]/).pop() as string;
    return { model: { path: entry.path, fileName }, fileName };
  }
  const fileName = boardFileName(entry, dtype);
  if (!entry.legacy && dtype === entry.summary.weights) return { model: { path: entry.path, fileName }, fileName };
  const { model } = await loadAnyModel(entry.path);
  return { model: { bytes: writeModel(convertModel(model, dtype)), fileName, path: entry.path }, fileName };
}

/** The folder's boot_out.txt says it is a virtual Pico's drive. */
function isVirtualDrive(dir: string): boolean {
  try {
    return parseBootOut(readFileSync(join(dir, 'boot_out.txt'), 'utf8')).virtual;
  } catch {
    return false;
  }
}

function quote(path: string): string {
  return /^[\w./:@%+=-]+$/.test(path) ? path : JSON.stringify(path);
}

/** Prints the verdict; resolves to whether to go on. */
async function checkMemory(entry: ReadableModelEntry, dtype: Dtype | undefined, board: BoardProfile, yes: boolean, io: CliIo, terminal: Terminal): Promise<boolean> {
  const header = estimateModelFromHeader(entry.header);
  const e = estimate(header, board, dtype ? { dtype } : {});
  const int8 = dtype === 'I8' ? undefined : estimate(header, board, { dtype: 'I8' });
  const name = `${entry.summary.name}${dtype && dtype !== entry.summary.weights ? ` (as ${DtypeNames[dtype]})` : ''}`;
  const verdict = deployVerdict({ modelName: name, estimate: e, int8 });
  io.out(`Memory: ${verdict.message}\n`);
  const stored = dtype ?? entry.summary.weights;
  if (stored !== 'I8' && int8 && verdict.kind !== 'refuse') {
    const what = entry.legacy ? 'a legacy model' : stored === 'mixed' ? 'a model with mixed weight types' : `a ${DtypeNames[stored]} model`;
    io.err(
      `note: this is ${what}; int8 is recommended (files about 4x smaller than float32): as int8 it would need ${formatKB(int8.chosen.required)} of heap (${int8.zone}) instead of ${formatKB(e.chosen.required)}. Add --int8 to convert it on the way.\n`,
    );
  }
  if (verdict.offers.includes('streamed')) io.err(`note: to load it streamed, run it with --mode streamed (picoformer run).\n`);
  if (verdict.kind === 'refuse') {
    const offer = verdict.offers.includes('int8') ? ' Try again with --int8.' : ' Choose a smaller model (or a board with more memory, --board).';
    io.err(`picoformer deploy: refused: the model does not fit; nothing was written.${offer}\n`);
    return false;
  }
  if (verdict.kind === 'warn' && !yes) {
    const answer = terminal.confirm('Deploy it anyway?');
    if (answer === undefined) {
      io.err('picoformer deploy: the model is in the danger zone; add --yes to deploy it anyway. Nothing was written.\n');
      return false;
    }
    if (!(await answer)) {
      io.err('Nothing was written.\n');
      return false;
    }
  }
  return true;
}

export function deployCommand(deps: DeployDeps = defaults): CliCommand {
  const usage = `Usage: picoformer deploy <model> [--drive PATH | --virtual] [--int8] [--dry-run] [--yes] [--board ID]
       picoformer deploy --runtime-only [--drive PATH | --virtual] [--dry-run]

  <model>            a .safetensors model, or a legacy folder / config_<N>p.json (converted on the way)
  --drive PATH       the board's CIRCUITPY drive (default: the one detected; an error lists them if several)
  --virtual          the virtual Pico's drive (picoformer sim / run --virtual), created if needed
  --int8             convert the model to int8 first (recommended for float and legacy models)
  --runtime-only     deploy only the Picoformer runtime (code.py, lib/picoformer), no model
  --dry-run          print the memory verdict and the plan; write nothing
  --yes              deploy a model in the danger zone without asking
${BoardUsage}

The runtime goes with every model; files the board already has are skipped. Every file is staged under a temporary
name, verified and only then renamed over the old one (models first, code.py last), so Ctrl-C or an unplugged
board leaves the previous files in place. The model becomes the board's default (/picoformer.json).
Exit code 0 when deployed (or planned), 1 when refused or failed, 130 when cancelled.
`;
  return {
    name: 'deploy',
    summary: 'copy a model (and the runtime) to a CIRCUITPY drive: memory verdict, plan, verified atomic copy',
    usage,
    async run(args, io) {
      const parsed = parse(args, {
        drive: { type: 'string' },
        virtual: { type: 'boolean' },
        'runtime-only': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        int8: { type: 'boolean' },
        yes: { type: 'boolean', short: 'y' },
        ...BoardOptions,
      });
      const runtimeOnly = parsed.values['runtime-only'] === true;
      if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
      const modelPath = parsed.positionals[0];
      if (runtimeOnly && modelPath !== undefined) throw new UsageError('--runtime-only deploys no model: leave out <model>');
      if (!runtimeOnly && modelPath === undefined) throw new UsageError('missing <model> (or --runtime-only)');
      if (runtimeOnly && parsed.values.int8) throw new UsageError('--int8 converts a model: it does not go with --runtime-only');
      const drive = stringOption(parsed, 'drive');
      if (drive !== undefined && parsed.values.virtual) throw new UsageError('choose one of --drive and --virtual');
      const board = boardFromOptions(parsed);
      const dryRun = parsed.values['dry-run'] === true;

      // The model and its verdict come first: nothing is looked up on the board for a model that cannot go there.
      let model: { model: DeployModel; fileName: string } | undefined;
      if (modelPath !== undefined) {
        const entry = await readModelArgument(modelPath);
        const dtype: Dtype | undefined = parsed.values.int8 ? 'I8' : entry.summary.weights === 'mixed' ? undefined : entry.summary.weights;
        if (!(await checkMemory(entry, dtype, board, parsed.values.yes === true, io, deps.terminal))) return 1;
        model = await modelForBoard(entry, dtype);
      }

      let drivePath = drive;
      if (parsed.values.virtual) {
        drivePath = deps.virtualDrive();
        if (!dryRun) {
          mkdirSync(drivePath, { recursive: true });
          writeBootOut(drivePath);
        }
      } else if (drivePath === undefined) {
        const probe = deps.probe();
        const snapshot = await probe.scan({});
        drivePath = pickDrive(snapshot, await probe.findings(snapshot)).path;
      }

      const fs = deps.fs();
      const plan = await prepareDeploy(
        { drivePath, runtimeDir: deps.runtimeDir(), models: model ? [model.model] : [], ...(runtimeOnly ? { defaultModel: null } : {}) },
        fs,
      );
      io.out(formatPlan(plan));
      if (!plan.fits) {
        io.err(`picoformer deploy: ${plan.spaceProblem ?? 'not enough space on the drive.'} Nothing was written.\n`);
        return 1;
      }
      if (dryRun) {
        io.out('Dry run: nothing was written.\n');
        return 0;
      }
      if (plan.writes.length === 0 && plan.obsolete.length === 0) return 0;

      const abort = new AbortController();
      const stopListening = deps.terminal.onInterrupt(() => {
        if (!abort.signal.aborted) io.err('\nCancelling: the board keeps its previous files...\n');
        abort.abort();
      });
      const progress = new ProgressPrinter((t) => io.err(t), deps.terminal.stderrIsTty, plan);
      try {
        const result = await executeDeploy(plan, { fs, signal: abort.signal, onProgress: (p) => progress.update(p) });
        progress.finish();
        io.out(formatSummary(plan, result, model ? model.fileName : 'the runtime'));
        if (model) {
          const target = parsed.values.virtual ? '--virtual ' : isVirtualDrive(drivePath) ? `--virtual --drive ${quote(drivePath)} ` : '';
          io.out(`${model.fileName} is the board's default model now; the runtime restarts and loads it. Try: picoformer run ${target}--prompt "..."\n`);
        }
        return 0;
      } catch (error) {
        progress.finish();
        if (!(error instanceof DeployError)) throw error;
        const replaced = error.replaced.length ? ` Already replaced: ${error.replaced.join(', ')}.` : '';
        io.err(`picoformer deploy: ${error.message}${replaced} [${error.code}]\n`);
        return error.code === 'cancelled' ? 130 : 1;
      } finally {
        stopListening();
      }
    },
  };
}

export const deployCommandDefault = deployCommand();
