// The extension's one virtual Pico: a folder that plays its CIRCUITPY drive (kept in the extension's storage, so
// deployed models survive restarts) and, while started, the MicroPython machine that runs it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../ids';
import { writeBootOut } from '../sim/bootOut';
import { VirtualPico, type VirtualPicoState } from '../sim/virtualPico';

export class VirtualPicoService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the machine starts, stops or changes state. */
  readonly onDidChange = this.changed.event;
  private machineValue: VirtualPico | undefined;
  private machineDisposables: { dispose(): void }[] = [];

  /**
   * `storageDir`: where the drive folder lives. `heapBudget`: the selected board profile's heap, read at start.
   */
  constructor(
    private readonly storageDir: string,
    private readonly heapBudget: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The drive folder (created, with its boot_out.txt, on first use, so detection lists it as a virtual board). */
  ensureDrive(): string {
    const dir = join(this.storageDir, 'virtual-pico', 'CIRCUITPY');
    mkdirSync(dir, { recursive: true });
    writeBootOut(dir);
    return dir;
  }

  get machine(): VirtualPico | undefined {
    return this.machineValue?.running ? this.machineValue : undefined;
  }

  get state(): VirtualPicoState {
    return this.machine?.state ?? 'stopped';
  }

  /** Starts the machine (if it is not running) and resolves with it. */
  async start(): Promise<VirtualPico> {
    if (this.machine) return this.machine;
    const driveDir = this.ensureDrive();
    const machine = new VirtualPico({ driveDir, heapBudget: this.heapBudget(), log: (m) => this.log.info(`virtual Pico: ${m}`) });
    this.disposeMachineListeners();
    this.machineDisposables = [
      machine.onStateChange(() => this.changed.fire()),
      machine.onStop((info) => {
        if (info.reason === 'crashed') {
          this.log.error(info.message);
          const restart = 'Restart virtual Pico';
          void vscode.window.showErrorMessage(`Picoformer: ${info.message}`, restart).then((choice) => {
            if (choice === restart) void vscode.commands.executeCommand(Commands.startVirtualPico);
          });
        }
        this.changed.fire();
      }),
    ];
    this.machineValue = machine;
    await machine.start();
    this.log.info(`Virtual Pico started (drive ${driveDir}, heap budget ${Math.round(machine.heapBudget / 1024)} KB).`);
    this.changed.fire();
    return machine;
  }

  /** Resolves once the started machine has booted (code.py runs, or it waits at the REPL); false after `timeoutMs`
   *  or when it stopped instead. */
  async booted(timeoutMs = 30_000): Promise<boolean> {
    const done = () => this.machine !== undefined && this.state !== 'booting';
    if (done()) return true;
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        sub.dispose();
        resolve(value);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const sub = this.onDidChange(() => {
        if (done()) finish(true);
        else if (!this.machine) finish(false);
      });
    });
  }

  async stop(): Promise<boolean> {
    const machine = this.machine;
    if (!machine) return false;
    await machine.stop();
    this.log.info('Virtual Pico stopped.');
    this.changed.fire();
    return true;
  }

  private disposeMachineListeners(): void {
    for (const d of this.machineDisposables) d.dispose();
    this.machineDisposables = [];
  }

  dispose(): void {
    void this.machineValue?.stop();
    this.disposeMachineListeners();
    this.changed.dispose();
  }
}
