// Boards as the extension sees them: the hot-plug watcher's latest snapshot (real boards and the virtual Pico's
// drive), the diagnosis of what is wrong when nothing usable is found, and change events for the views.
import * as vscode from 'vscode';
import { nodeHost } from '../device/drives/nodeHost';
import type { DeviceWatcher } from '../device/watch/deviceWatcher';
import { createDeviceWatcher } from '../device/watch/createDeviceWatcher';
import { type Finding, diagnose } from '../device/watch/diagnose';
import { gatherDiagnosisFacts } from '../device/watch/diagnosisFacts';
import type { BoardDevice, DeviceSnapshot, Host } from '../device/types';
import { needsCircuitPython } from '../device/circuitPythonInstall';
import { ContextKeys } from '../ids';
import type { SettingsService } from './settingsService';
import type { VirtualPicoService } from './virtualPicoService';

export class DeviceService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a scan changed the boards (or the diagnosis), and when the virtual Pico starts or stops. */
  readonly onDidChange = this.changed.event;
  private readonly host: Host = nodeHost();
  private readonly watcher: DeviceWatcher;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private subscription: { dispose(): void } | undefined;
  private findingsValue: Finding[] = [];
  private firstScan: Promise<void>;
  private virtualPreferred = false;
  private resolveFirstScan: () => void = () => undefined;

  constructor(
    private readonly settings: SettingsService,
    private readonly virtualPico: VirtualPicoService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.firstScan = new Promise((resolve) => (this.resolveFirstScan = resolve));
    this.watcher = createDeviceWatcher({
      settings: () => {
        const s = this.settings.current();
        return { drivePath: s.drivePath || undefined, serialPort: s.serialPort || undefined, extraUsbIds: s.extraUsbIds, extraDrives: [this.virtualPico.ensureDrive()] };
      },
      onError: (message) => this.log.warn(message),
    });
    this.disposables.push(
      settings.onDidChange(() => void this.refresh()),
      virtualPico.onDidChange(() => this.changed.fire()),
    );
  }

  /** Starts watching (polling runs only while the extension is active). */
  start(): void {
    this.subscription ??= this.watcher.subscribe((change) => {
      void this.afterScan(change.snapshot).finally(() => this.resolveFirstScan());
    });
  }

  /** The latest scan, waiting for the first one if it has not finished yet. */
  async snapshot(): Promise<DeviceSnapshot | undefined> {
    this.start();
    await Promise.race([this.firstScan, new Promise((resolve) => setTimeout(resolve, 15_000))]);
    return this.watcher.current();
  }

  /** Every board of the latest scan, the virtual Pico's drive included. */
  async boards(): Promise<BoardDevice[]> {
    return (await this.snapshot())?.devices ?? [];
  }

  /** The boards of the latest scan without waiting for one (empty before the first scan ends). */
  boardsNow(): BoardDevice[] {
    return this.watcher.current()?.devices ?? [];
  }

  /** Boards with a drive that can be written to (deploy targets). */
  async deployTargets(): Promise<BoardDevice[]> {
    return (await this.boards()).filter((d) => d.drive && !d.drive.problem && !d.drive.readOnly && !d.bootloader);
  }

  /** Whether the user chose the virtual Pico as the board to talk to (Select Serial Port… > Virtual Pico). */
  get prefersVirtual(): boolean {
    return this.virtualPreferred;
  }

  preferVirtual(value: boolean): void {
    this.virtualPreferred = value;
    this.changed.fire();
  }

  /** What is wrong or missing, from the latest scan (empty when all is well). */
  findings(): readonly Finding[] {
    return this.findingsValue;
  }

  /** Scans now (Refresh Devices) and resolves with the new snapshot. */
  async refresh(): Promise<DeviceSnapshot | undefined> {
    this.start();
    const snapshot = await this.watcher.refresh();
    if (snapshot) await this.afterScan(snapshot);
    return snapshot;
  }

  private async afterScan(snapshot: DeviceSnapshot): Promise<void> {
    try {
      // The virtual Pico's folder is always there: diagnose the real hardware only.
      const real = { ...snapshot, devices: snapshot.devices.filter((d) => !d.virtual) };
      this.findingsValue = diagnose(await gatherDiagnosisFacts(this.host, real));
    } catch (error) {
      this.log.warn(`Device diagnosis failed: ${error instanceof Error ? error.message : String(error)}`);
      this.findingsValue = [];
    }
    for (const note of snapshot.notes) this.log.debug(`devices: ${note}`);
    // For the views' welcome text (no "No Pico found" before the first scan) and the walkthrough's last step.
    const physical = snapshot.devices.some((d) => !d.virtual && !needsCircuitPython(d) && (d.console !== undefined || d.drive !== undefined));
    void vscode.commands.executeCommand('setContext', ContextKeys.devicesScanned, true);
    void vscode.commands.executeCommand('setContext', ContextKeys.physicalBoard, physical);
    this.changed.fire();
  }

  dispose(): void {
    this.subscription?.dispose();
    this.watcher.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
