// picoformer sim [--drive DIR] [--pty] [--heap-kb N]: the virtual Pico with this terminal attached as its serial
// console (keys go to the board raw, its output comes back), optionally also on a pty for screen/tio/the extension.
// Ctrl-] quits; Ctrl-C goes to the board, as in any serial terminal. The machine itself is src/sim.
import type { Disposable } from '../../device/transport';
import { CustomHeapKbRange } from '../../memory/boards';
import { PtyBridge } from '../../sim/ptyBridge';
import { type StopInfo, VirtualPico, type VirtualPicoOptions } from '../../sim/virtualPico';
import { numberOption, parse, positionals, stringOption } from '../args';
import { BoardOptions, boardFromOptions } from '../boardOption';
import { type CliCommand, UsageError } from '../command';
import { type ConsoleInput, processInput, splitAtQuit } from '../consoleInput';
import { type Terminal, processTerminal } from '../interactive';
import { runtimeFolder } from '../runtimeFolder';
import { defaultVirtualDrive, prepareVirtualDrive } from '../virtualDrive';

/** What sim needs of the virtual Pico (VirtualPico has it all). */
export interface SimMachine {
  readonly driveDir: string;
  readonly heapBudget: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  write(data: Uint8Array | string): Promise<void>;
  onOutput(listener: (bytes: Uint8Array) => void): Disposable;
  onStop(listener: (info: StopInfo) => void): Disposable;
}

export interface SimPty {
  /** Resolves with the pty's path. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

export interface SimDeps {
  createMachine(options: VirtualPicoOptions): SimMachine;
  createPty(machine: SimMachine, linkPath: string | undefined): SimPty;
  input: ConsoleInput;
  terminal: Terminal;
  runtimeDir(): string;
  virtualDrive(): string;
}

const defaults: SimDeps = {
  createMachine: (options) => new VirtualPico(options),
  createPty: (machine, linkPath) => new PtyBridge(machine as VirtualPico, linkPath ? { linkPath } : {}),
  input: processInput,
  terminal: processTerminal,
  runtimeDir: () => runtimeFolder(),
  virtualDrive: () => defaultVirtualDrive(),
};

type Ending = { code: number; message?: string };

export function simCommand(deps: SimDeps = defaults): CliCommand {
  return {
    name: 'sim',
    rawTerminal: true,
    summary: 'run the virtual Pico (MicroPython in WebAssembly, a folder as its drive) with this terminal as its console',
    usage: `Usage: picoformer sim [--drive DIR] [--pty] [--pty-path PATH] [--heap-kb N | --board ID]

  --drive DIR        the folder that plays the CIRCUITPY drive (default: one under your cache folder, kept
                     between runs). A folder without code.py gets boot_out.txt and the Picoformer runtime.
  --pty              also expose the console as a pseudo-terminal (Linux, macOS; needs socat) and print its path,
                     for screen PATH 115200, tio PATH, or the extension's serial port setting
  --pty-path PATH    where to link the pty (default <tmp>/picoformer-vpico)
  --heap-kb N        the heap budget in KB (default: the board profile's, 140 KB for the Pico)
  --board ID         take the heap budget from this board profile

Keys go to the board as typed (raw); Ctrl-C interrupts code on the board; Ctrl-] quits. Files changed in the
drive folder (picoformer deploy --virtual from another terminal) restart code.py, as on a real board.
`,
    async run(args, io) {
      const parsed = parse(args, {
        drive: { type: 'string' },
        pty: { type: 'boolean' },
        'pty-path': { type: 'string' },
        ...BoardOptions,
      });
      positionals(parsed);
      const heapKb = stringOption(parsed, 'heap-kb');
      if (heapKb !== undefined && parsed.values.board !== undefined && parsed.values.board !== 'custom') throw new UsageError('choose one of --heap-kb and --board');
      const heapBudget = heapKb !== undefined ? Math.floor(numberOption(parsed, 'heap-kb', 140, CustomHeapKbRange.min, CustomHeapKbRange.max) * 1024) : boardFromOptions(parsed).heapBytes;
      const ptyPath = stringOption(parsed, 'pty-path');
      if (ptyPath !== undefined && !parsed.values.pty) throw new UsageError('--pty-path goes with --pty');
      const named = stringOption(parsed, 'drive');
      const drive = await prepareVirtualDrive(named ?? deps.virtualDrive(), { create: named === undefined, runtimeDir: deps.runtimeDir() });
      if (drive.installedRuntime) io.err(`Installed the Picoformer runtime on ${drive.dir} (deploy a model with: picoformer deploy MODEL ${named === undefined ? '--virtual' : `--drive ${drive.dir}`}).\n`);

      const machine = deps.createMachine({ driveDir: drive.dir, heapBudget });
      const decoder = new TextDecoder();
      let finish: (ending: Ending) => void = () => undefined;
      const ended = new Promise<Ending>((resolve) => (finish = resolve));
      const subscriptions = [
        machine.onOutput((bytes) => io.out(decoder.decode(bytes, { stream: true }))),
        machine.onStop((info) => {
          if (info.reason === 'crashed') finish({ code: 1, message: info.message });
        }),
      ];
      let pty: SimPty | undefined;
      let stopInput: () => void = () => undefined;
      let stopInterrupts: () => void = () => undefined;
      try {
        await machine.start();
        io.err(`Virtual Pico: drive ${machine.driveDir}, heap budget ${Math.round(machine.heapBudget / 1024)} KB. ${deps.input.isTty ? 'Ctrl-] quits; Ctrl-C goes to the board.' : 'Ctrl-] (0x1d) or the end of input quits.'}\n`);
        if (parsed.values.pty) {
          pty = deps.createPty(machine, ptyPath);
          const path = await pty.start();
          io.err(`Console also on ${path}: screen ${path} 115200, or tio ${path}\n`);
        }
        // Without a terminal (a pipe), Ctrl-C reaches us as a signal: it quits, as the end of input does.
        stopInterrupts = deps.terminal.onInterrupt(() => finish({ code: 130 }));
        let writes = Promise.resolve();
        stopInput = deps.input.start(
          (bytes) => {
            const { send, quit } = splitAtQuit(bytes);
            if (send.length) writes = writes.then(() => machine.write(send)).catch(() => undefined);
            if (quit) void writes.then(() => finish({ code: 0 }));
          },
          () => {
            // A closed pipe ends the session unless a pty keeps it useful.
            if (!pty) void writes.then(() => finish({ code: 0 }));
          },
        );
        const ending = await ended;
        if (ending.message) io.err(`\npicoformer sim: ${ending.message}\n`);
        return ending.code;
      } finally {
        stopInput();
        stopInterrupts();
        await pty?.stop().catch(() => undefined);
        await machine.stop().catch(() => undefined);
        for (const s of subscriptions) s.dispose();
        const rest = decoder.decode();
        if (rest) io.out(rest);
      }
    },
  };
}

export const simCommandDefault = simCommand();
