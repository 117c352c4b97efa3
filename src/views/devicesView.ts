// The Devices view: real boards (drive, port, CircuitPython version, board id), the virtual Pico (always listed,
// with start/stop), and, when something is missing or wrong, the diagnosis: what was found and what to try.
import * as vscode from 'vscode';
import type { Finding } from '../device/watch/diagnose';
import type { BoardDevice } from '../device/types';
import type { Services } from '../services/services';
import { type DeviceLive, type DeviceRow, deviceRow } from './viewModels/deviceRow';
import { formatKB, formatSize } from './viewModels/format';

/** A board (real or virtual). Its children are its details, one per row. */
export class DeviceItem extends vscode.TreeItem {
  constructor(readonly device: BoardDevice | undefined, row: DeviceRow, readonly details: readonly [string, string][], id: string) {
    super(row.label, vscode.TreeItemCollapsibleState.Collapsed);
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
  constructor(readonly finding: Finding) {
    super(finding.message, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `finding:${finding.code}:${finding.message}`;
    const icon = finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info';
    const color = finding.severity === 'error' ? 'list.errorForeground' : finding.severity === 'warning' ? 'list.warningForeground' : undefined;
    this.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    this.tooltip = `${finding.message}\n\nWhat to try: ${finding.hint}`;
    this.contextValue = `finding.${finding.code}`;
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

export type DevicesTreeItem = DeviceItem | FindingItem | DetailItem;

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
    if (item instanceof DeviceItem) return item.details.map(([label, value]) => new DetailItem(label, value));
    if (item instanceof FindingItem) return [new DetailItem('What to try', item.finding.hint, 'lightbulb')];
    if (item) return [];
    const boards = await this.services.devices.boards();
    const rows: DevicesTreeItem[] = boards.filter((d) => !d.virtual).map((d) => new DeviceItem(d, deviceRow(d, this.live(d)), boardDetails(d), `device:${d.key}`));
    rows.push(this.virtualItem(boards.find((d) => d.virtual)));
    rows.push(...this.services.devices.findings().map((f) => new FindingItem(f)));
    return rows;
  }

  /** Connected: the board generation runs go to; its free heap as its runtime last reported it. */
  private live(device: BoardDevice): DeviceLive {
    const spec = this.services.targets.spec;
    if (spec?.kind !== 'serial' || spec.port !== device.console?.path) return { connected: false };
    const heap = this.services.targets.liveHeap;
    return { connected: true, ...(heap ? { freeHeap: heap.free } : {}) };
  }

  /** The virtual Pico: always listed (running or not), its details from the scanned drive when there is one. */
  private virtualItem(scanned: BoardDevice | undefined): DeviceItem {
    const vp = this.services.virtualPico;
    const machine = vp.machine;
    const heap = machine?.heap;
    const free = heap ? heap.budget - heap.used : undefined;
    const state = machine ? `running (${vp.state})` : 'stopped';
    const details: [string, string][] = [['State', state], ...(scanned ? boardDetails(scanned) : [['Drive', vp.ensureDrive()] as [string, string]])];
    if (machine) details.push(['Heap budget', formatKB(machine.heapBudget)]);
    if (free !== undefined) details.push(['Free heap', formatKB(free)]);
    const tooltip = scanned ? deviceRow(scanned, { connected: machine !== undefined, ...(free !== undefined ? { freeHeap: free } : {}) }).tooltipMarkdown : '**Virtual Pico**';
    const row: DeviceRow = {
      label: 'Virtual Pico',
      description: machine ? `virtual · running${free !== undefined ? ` · ${formatKB(free)} free` : ''}` : 'virtual · stopped',
      iconId: 'vm',
      iconColorId: machine ? 'charts.green' : undefined,
      tooltipMarkdown: tooltip,
      contextValue: machine ? 'virtualPico.running' : 'virtualPico.stopped',
      virtual: true,
    };
    return new DeviceItem(scanned, row, details, 'device:virtual');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The detail rows of a board. */
export function boardDetails(device: BoardDevice): [string, string][] {
  const boot = device.drive?.boot;
  const rows: [string, string][] = [];
  if (device.drive) {
    const free = device.drive.freeBytes !== undefined ? ` (${formatSize(device.drive.freeBytes)} free)` : '';
    rows.push(['Drive', `${device.drive.path}${free}${device.drive.readOnly ? ' read-only' : ''}`]);
  } else rows.push(['Drive', 'not mounted']);
  rows.push(['Console port', device.console?.path ?? 'none found']);
  if (device.data) rows.push(['Data port', device.data.path]);
  if (boot?.version) rows.push([boot.firmware === 'micropython' ? 'MicroPython' : 'CircuitPython', boot.version]);
  if (boot?.boardId) rows.push(['Board id', boot.boardId]);
  if (device.board ?? boot?.boardName) rows.push(['Board', (device.board ?? boot?.boardName) as string]);
  if (device.serialNumber) rows.push(['Serial number', device.serialNumber]);
  return rows;
}
