// The Devices view: real boards (drive, port, firmware, board id), the virtual Pico (with start/stop), and, when
// something is missing or wrong, the diagnosis: what was found and what to try. A board that needs CircuitPython
// (MicroPython, BOOTSEL) says how to install it. Empty (no board, the virtual Pico stopped, nothing but "nothing
// found") it shows its welcome text instead (package.json viewsWelcome).
import * as vscode from 'vscode';
import type { Finding } from '../device/watch/diagnose';
import type { BoardDevice } from '../device/types';
import { Commands } from '../ids';
import { type TargetSpec, specOfDevice } from '../services/boardTargets';
import type { Services } from '../services/services';
import { needsCircuitPython } from '../device/circuitPythonInstall';
import { type DeviceLive, type DeviceRow, deviceRow, findingRow, onlyNothingFound, virtualPicoRow } from './viewModels/deviceRow';
import { formatKB, formatSize } from './viewModels/format';

/** A board (real or virtual). Its children are its details, one per row. Menu commands receive it (`target`,
 *  `device`: see commands/shared/chooseBoard.ts). */
export class DeviceItem extends vscode.TreeItem {
  readonly target: TargetSpec | undefined;

  constructor(readonly device: BoardDevice | undefined, row: DeviceRow, readonly details: readonly [string, string][], id: string) {
    super(row.label, vscode.TreeItemCollapsibleState.Collapsed);
    this.target = row.virtual ? { kind: 'virtual' } : device && specOfDevice(device);
    this.id = id;
    this.description = row.description;
    this.iconPath = new vscode.ThemeIcon(row.iconId, row.iconColorId ? new vscode.ThemeColor(row.iconColorId) : undefined);
    const tooltip = new vscode.MarkdownString(row.tooltipMarkdown);
    tooltip.isTrusted = false;
    this.tooltip = tooltip;
    this.contextValue = row.contextValue;
  }
}

/** One line of what went wrong, and what to try as its child. */
export class FindingItem extends vscode.TreeItem {
  constructor(readonly finding: Finding, virtualRunning: boolean) {
    const row = findingRow(finding, virtualRunning);
    super(row.label, row.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    this.id = `finding:${finding.code}:${finding.message}:${row.label}`;
    this.iconPath = new vscode.ThemeIcon(row.iconId, row.iconColorId ? new vscode.ThemeColor(row.iconColorId) : undefined);
    this.tooltip = row.tooltip;
    this.contextValue = `finding.${finding.code}`;
  }
}

/** A row that runs a command when clicked ("Install CircuitPython…"). */
export class ActionItem extends vscode.TreeItem {
  constructor(label: string, icon: string, command: vscode.Command, tooltip: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon(icon);
    this.command = command;
    this.tooltip = tooltip;
    this.contextValue = 'action';
  }
}

/** A plain label: value row (board details, hints). */
export class DetailItem extends vscode.TreeItem {
  constructor(label: string, value: string, icon?: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.description = value;
    this.tooltip = `${label}: ${value}`;
    if (icon) this.iconPath = new vscode.ThemeIcon(icon);
    this.contextValue = 'detail';
  }
}

export type DevicesTreeItem = DeviceItem | FindingItem | DetailItem | ActionItem;

export class DevicesViewProvider implements vscode.TreeDataProvider<DevicesTreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly services: Services) {
    this.disposables.push(services.devices.onDidChange(() => this.refresh()), services.targets.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(item: DevicesTreeItem): vscode.TreeItem {
    return item;
  }

  async getChildren(item?: DevicesTreeItem): Promise<DevicesTreeItem[]> {
    if (item instanceof DeviceItem) {
      const details: DevicesTreeItem[] = item.details.map(([label, value]) => new DetailItem(label, value));
      if (item.device && needsCircuitPython(item.device)) details.unshift(installItem(item.device));
      return details;
    }
    if (item instanceof FindingItem) return [new DetailItem('What to try', item.finding.hint, 'lightbulb')];
    if (item) return [];
    const boards = await this.services.devices.boards();
    const real = boards.filter((d) => !d.virtual);
    const findings = this.services.devices.findings();
    const virtualRunning = this.services.virtualPico.machine !== undefined;
    // Nothing to show but "no board": the welcome text says that, with buttons.
    if (real.length === 0 && !virtualRunning && onlyNothingFound(findings)) return [];
    const rows: DevicesTreeItem[] = real.map((d) => new DeviceItem(d, deviceRow(d, this.live(d)), boardDetails(d), `device:${d.key}`));
    rows.push(this.virtualItem(boards.find((d) => d.virtual)));
    rows.push(...findings.map((f) => new FindingItem(f, virtualRunning)));
    return rows;
  }

  /** Connected: the board generation runs go to; its free heap as its runtime last reported it. */
  private live(device: BoardDevice): DeviceLive {
    const spec = this.services.targets.spec;
    if (spec?.kind !== 'serial' || spec.port !== device.console?.path) return { connected: false };
    const heap = this.services.targets.liveHeap;
    return { connected: true, ...(heap ? { freeHeap: heap.free } : {}) };
  }

  /** The virtual Pico (running, or stopped beside other rows), its details from the scanned drive when there is one. */
  private virtualItem(scanned: BoardDevice | undefined): DeviceItem {
    const vp = this.services.virtualPico;
    const machine = vp.machine;
    const heap = machine?.heap;
    const free = heap ? heap.budget - heap.used : undefined;
    const state = machine ? `running (${vp.state})` : 'stopped';
    const details: [string, string][] = [['State', state], ...(scanned ? boardDetails(scanned, true) : [['Drive folder', vp.ensureDrive()] as [string, string]])];
    if (machine) details.push(['Heap budget', formatKB(machine.heapBudget)]);
    if (free !== undefined) details.push(['Free heap', formatKB(free)]);
    const row = virtualPicoRow({
      running: machine !== undefined,
      ...(machine ? { state: vp.state, heapBudget: machine.heapBudget } : {}),
      ...(scanned ? { device: scanned } : {}),
      ...(free !== undefined ? { freeHeap: free } : {}),
      connected: this.services.targets.spec?.kind === 'virtual' && this.services.targets.connectionState === 'connected',
    });
    return new DeviceItem(scanned, row, details, 'device:virtual');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The detail rows of a board (the virtual Pico's: its drive folder, no console port: it has none to find). */
export function boardDetails(device: BoardDevice, virtual = false): [string, string][] {
  const boot = device.drive?.boot;
  const rows: [string, string][] = [];
  if (device.drive) {
    // The virtual Pico's folder sits on this computer's disk: its free space says nothing about a board.
    const free = device.drive.freeBytes !== undefined && !virtual ? ` (${formatSize(device.drive.freeBytes)} free)` : '';
    rows.push([virtual ? 'Drive folder' : 'Drive', `${device.drive.path}${free}${device.drive.readOnly ? ' read-only' : ''}`]);
  } else rows.push(['Drive', 'not mounted']);
  if (!virtual) rows.push(['Console port', device.console?.path ?? 'none found']);
  if (device.data) rows.push(['Data port', device.data.path]);
  if (boot?.version) rows.push([boot.firmware === 'micropython' ? 'MicroPython' : 'CircuitPython', boot.version]);
  if (boot?.boardId) rows.push(['Board id', boot.boardId]);
  if (device.board ?? boot?.boardName) rows.push(['Board', (device.board ?? boot?.boardName) as string]);
  if (device.serialNumber) rows.push(['Serial number', device.serialNumber]);
  return rows;
}

function installItem(device: BoardDevice): ActionItem {
  return new ActionItem('Install CircuitPython…', 'cloud-download', { command: Commands.installCircuitPython, title: 'Install CircuitPython…', arguments: [{ device }] }, 'How to install CircuitPython on this board: its download page and the drag-and-drop step.');
}
