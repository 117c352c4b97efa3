// picoformer deploy <model> [--drive PATH | --virtual] [--runtime-only] [--dry-run] [--int8] [--yes]: the memory
// verdict first, then the plan, then the copy (staged, verified, cancellable with Ctrl-C) and a summary. The work
// is src/device/deploy's and src/memory's; this parses, asks and prints.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DeployFs, nodeDeployFs } from '../../device/deploy/deployFs';
import { DeployError } from '../../device/deploy/deployErrors';
import { parseBootOut } from '../../device/drives/bootOut';
import { type LockHolder, withDriveLock } from '../../device/deploy/driveLock';
import { executeDeploy } from '../../device/deploy/executeDeploy';
import { prepareDeploy } from '../../device/deploy/prepareDeploy';
import type { Dtype } from '../../model/tensor';
import { writeBootOut } from '../../sim/bootOut';
import { parse, stringOption } from '../args';
import { BoardOptions, BoardUsage, boardFromOptions } from '../boardOption';
import { type CliCommand, UsageError } from '../command';
import { type DeviceProbe, nodeDeviceProbe, pickDrive } from '../detect';
import { checkMemory, modelForBoard } from '../deployModel';
import { ProgressPrinter, formatPlan, formatSummary } from '../deployText';
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
      let model: Awaited<ReturnType<typeof modelForBoard>> | undefined;
      if (modelPath !== undefined) {
        const entry = await readModelArgument(modelPath);
        const dtype: Dtype | undefined = parsed.values.int8 ? 'I8' : entry.summary.weights === 'mixed' ? undefined : entry.summary.weights;
        if (!(await checkMemory(entry, dtype, board, parsed.values.yes === true, io, deps.terminal))) return 1;
        model = await modelForBoard(entry, dtype);
      }

      let drivePath = drive;
      if (parsed.values.virtual) {
        // The CLI's own folder, not a board: it is created even for a dry run, so there is a drive to plan against.
        drivePath = deps.virtualDrive();
        mkdirSync(drivePath, { recursive: true });
        if (!dryRun) writeBootOut(drivePath);
      } else if (drivePath === undefined) {
        const probe = deps.probe();
        const snapshot = await probe.scan({});
        drivePath = pickDrive(snapshot, await probe.findings(snapshot)).path;
      }

      const fs = deps.fs();
      const abort = new AbortController();
      const stopListening = deps.terminal.onInterrupt(() => {
        if (!abort.signal.aborted) io.err('\nCancelling: the board keeps its previous files...\n');
        abort.abort();
      });
      const request = { drivePath, runtimeDir: deps.runtimeDir(), models: model ? [model.model] : [], ...(runtimeOnly ? { defaultModel: null } : {}) };
      // Planned and carried out holding the drive's deploy lock, so the plan sees what another deploy wrote.
      const deployLocked = async (): Promise<number> => {
        const plan = await prepareDeploy(request, fs);
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
        } finally {
          progress.finish();
        }
      };
      const onWait = (holder: LockHolder | undefined) =>
        io.err(`Waiting: another deploy is writing to this drive${holder ? ` (process ${holder.pid})` : ''}. Ctrl-C cancels.\n`);
      try {
        return dryRun ? await deployLocked() : await withDriveLock(drivePath, deployLocked, { signal: abort.signal, onWait });
      } catch (error) {
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
