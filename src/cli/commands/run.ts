// picoformer run [--port PATH | --virtual [--drive DIR]] --prompt TEXT [...]: generates on a board (or the virtual
// Pico) through the serial session and streams the tokens as they arrive. The generation itself is the board
// backend's (src/services/boardBackend.ts), the same the extension's Studio uses.
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { LoadMode } from '../../device/protocol/events';
import type { GenerationRun } from '../../generation/backend';
import type { Dtype } from '../../model/tensor';
import { BoardBackend } from '../../services/boardBackend';
import { boardFileName } from '../../services/boardFileName';
import { bigintOption, intOption, numberOption, parse, positionals, stringOption } from '../args';
import { BoardOptions, boardFromOptions } from '../boardOption';
import { type BoardLink, type BoardSpec, type ConnectOptions, type OpenedTransport, connectBoard, openTransport } from '../boardLink';
import { chooseBoardModel } from '../boardModel';
import { type CliCommand, UsageError } from '../command';
import { type DeviceProbe, nodeDeviceProbe, pickConsole } from '../detect';
import { type Terminal, processTerminal } from '../interactive';
import { readModelArgument } from '../modelPath';
import { jsonLine, streamGeneration } from '../runOutput';
import { runtimeFolder } from '../runtimeFolder';
import { defaultVirtualDrive, prepareVirtualDrive } from '../virtualDrive';

export interface RunDeps {
  probe(): DeviceProbe;
  open(spec: BoardSpec, log: (message: string) => void): OpenedTransport;
  connect(opened: OpenedTransport, options: ConnectOptions): Promise<BoardLink>;
  terminal: Terminal;
  runtimeDir(): string;
  virtualDrive(): string;
  /** A fresh seed when none is given. */
  seed(): number;
}

const defaults: RunDeps = {
  probe: nodeDeviceProbe,
  open: openTransport,
  connect: connectBoard,
  terminal: processTerminal,
  runtimeDir: () => runtimeFolder(),
  virtualDrive: () => defaultVirtualDrive(),
  seed: () => randomInt(1, 2 ** 32),
};

const Modes: readonly LoadMode[] = ['auto', 'resident', 'streamed'];

/** Names a host model file can have on the board after a deploy (as stored, or converted). */
async function hostCandidates(path: string): Promise<string[]> {
  if (!existsSync(path)) return [];
  const entry = await readModelArgument(path);
  return (['I8', 'F16', 'F32'] as Dtype[]).map((d) => boardFileName(entry, d));
}

export function runCommand(deps: RunDeps = defaults): CliCommand {
  return {
    name: 'run',
    summary: 'generate on a board (or the virtual Pico) and stream the tokens as they arrive',
    usage: `Usage: picoformer run [--port PATH | --virtual [--drive DIR]] --prompt TEXT [--tokens N] [--seed S]
                      [--temperature T] [--top-k K] [--stop-at-context] [--model NAME] [--mode M] [--json]

  --port PATH        the board's serial console (default: the one detected; an error lists them if several)
  --virtual          run on the virtual Pico (started for this run), with --drive DIR as its drive
                     (default: the one picoformer sim and deploy --virtual use)
  -p, --prompt TEXT  the text to continue
  -n, --tokens N     new tokens at most (default 64)
  --seed S           random seed (default: a new one each run, printed so the run can be repeated)
  --temperature T    0 = greedy (default 0.8)
  --top-k K          sample among the K most likely tokens only; 0 = all (default 0)
  --stop-at-context  end when the context is full, instead of refilling it with its newest tokens and going on
  --model NAME       the model on the board (file name, with or without .safetensors, or a model file on this
                     computer that was deployed); default: the one the board has loaded
  --mode M           load mode if the model must be loaded: auto (default), resident or streamed
  --heap-kb N, --board ID   the virtual Pico's heap budget (default the Pico's)
  --json             one JSON event per line on stdout (connected, model, start, token, memory, done, error)

Tokens stream to stdout; connection notes and the final statistics go to stderr. The same seed gives the same
tokens as picoformer generate on the same model. Ctrl-C stops the generation (exit code 130).
Exit code 1 when the board cannot be reached or the generation fails (the reason is printed).
`,
    async run(args, io) {
      const parsed = parse(args, {
        port: { type: 'string' },
        virtual: { type: 'boolean' },
        drive: { type: 'string' },
        prompt: { type: 'string', short: 'p' },
        tokens: { type: 'string', short: 'n' },
        seed: { type: 'string' },
        temperature: { type: 'string' },
        'top-k': { type: 'string' },
        'stop-at-context': { type: 'boolean' },
        model: { type: 'string' },
        mode: { type: 'string' },
        json: { type: 'boolean' },
        ...BoardOptions,
      });
      positionals(parsed);
      const port = stringOption(parsed, 'port');
      const virtual = parsed.values.virtual === true;
      const drive = stringOption(parsed, 'drive');
      if (port !== undefined && virtual) throw new UsageError('choose one of --port and --virtual');
      if (drive !== undefined && !virtual) throw new UsageError('--drive goes with --virtual (a board is reached through its --port)');
      if (!virtual && (parsed.values.board !== undefined || parsed.values['heap-kb'] !== undefined)) throw new UsageError('--board and --heap-kb set the virtual Pico\'s heap: they go with --virtual');
      const prompt = stringOption(parsed, 'prompt');
      if (prompt === undefined) throw new UsageError('missing --prompt TEXT');
      const maxTokens = intOption(parsed, 'tokens', 64, 0, 65535);
      const temperature = numberOption(parsed, 'temperature', 0.8, 0, 100);
      const topK = intOption(parsed, 'top-k', 0, 0, 65535);
      const seedOption = bigintOption(parsed, 'seed');
      if (seedOption !== undefined && !Number.isSafeInteger(Number(seedOption))) throw new UsageError(`--seed must be within ±${Number.MAX_SAFE_INTEGER} on a board`);
      const seed = seedOption === undefined ? deps.seed() : Number(seedOption);
      const mode = stringOption(parsed, 'mode') as LoadMode | undefined;
      if (mode !== undefined && !Modes.includes(mode)) throw new UsageError(`--mode must be one of ${Modes.join(', ')}, got "${mode}"`);
      const requested = stringOption(parsed, 'model');
      const json = parsed.values.json === true;
      const heapBudget = virtual ? boardFromOptions(parsed).heapBytes : 0;
      const candidates = requested === undefined ? [] : await hostCandidates(requested);

      let spec: BoardSpec;
      if (virtual) {
        const prepared = await prepareVirtualDrive(drive ?? deps.virtualDrive(), { create: drive === undefined, runtimeDir: deps.runtimeDir() });
        if (prepared.installedRuntime) io.err(`Installed the Picoformer runtime on ${prepared.dir}.\n`);
        spec = { kind: 'virtual', driveDir: prepared.dir, heapBudget };
      } else if (port !== undefined) {
        spec = { kind: 'serial', port };
      } else {
        const probe = deps.probe();
        const snapshot = await probe.scan({});
        spec = { kind: 'serial', port: pickConsole(snapshot, await probe.findings(snapshot)) };
      }

      // Ctrl-C: while connecting, give up; while generating, ask the board to stop; a second one closes at once.
      const abort = new AbortController();
      let run: GenerationRun | undefined;
      let link: BoardLink | undefined;
      let presses = 0;
      const stopListening = deps.terminal.onInterrupt(() => {
        presses++;
        abort.abort();
        if (run && presses === 1) {
          io.err('\nStopping...\n');
          run.stop();
        } else void link?.close();
      });
      try {
        const opened = deps.open(spec, () => undefined);
        link = await deps.connect(opened, { signal: abort.signal });
        const ready = link.ready;
        const where = spec.kind === 'virtual' ? `${link.label} (drive ${spec.driveDir})` : link.label;
        io.err(`Connected to ${ready.runtime} ${ready.version} on ${where}: ${ready.impl} ${ready.impl_version}, ${ready.mem_free.toLocaleString('en-US')} bytes free.\n`);
        if (json) io.out(jsonLine({ type: 'connected', target: where, runtime: ready.runtime, version: ready.version, impl: ready.impl, impl_version: ready.impl_version, mem_free: ready.mem_free, heap_limit: ready.heap_limit }));
        const listed = await link.session.list();
        const deployHint = `picoformer deploy MODEL${spec.kind === 'virtual' ? (drive === undefined ? ' --virtual' : ` --drive ${spec.driveDir}`) : ''}`;
        const file = chooseBoardModel(listed.models, requested, candidates, deployHint);
        const loaded = listed.models.some((m) => m.file === file && m.loaded);
        if (!loaded) io.err(`Loading ${file} on the board...\n`);
        if (json) io.out(jsonLine({ type: 'model', file, loaded }));
        if (abort.signal.aborted) return 130;

        const session = link.session;
        const backend = new BoardBackend({
          target: { kind: virtual ? 'virtual' : 'board', label: link.label },
          session: async () => session,
          boardFile: async () => file,
          loadMode: () => mode,
        });
        run = backend.start({ name: file, path: file }, { prompt, maxTokens, temperature, topK, seed, stopAtContext: parsed.values['stop-at-context'] === true });
        return await streamGeneration(run, io, { json, label: link.label, virtual: spec.kind === 'virtual', seed, interrupted: () => presses > 0 });
      } catch (error) {
        if (abort.signal.aborted) {
          io.err('picoformer run: cancelled.\n');
          return 130;
        }
        throw error;
      } finally {
        stopListening();
        await link?.close();
      }
    },
  };
}

export const runCommandDefault = runCommand();
