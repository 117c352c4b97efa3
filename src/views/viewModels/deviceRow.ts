// A row of the Devices tree: a board (real or virtual) with its drive, port, firmware, board id and, while
// connected, its live free heap; and the rows that say what detection found wrong. The virtual Pico's row never
// shows its drive folder (a temporary path) nor USB advice.
import { circuitPythonPage, needsCircuitPython } from '../../device/circuitPythonInstall';
import { runsPicoformerRuntime } from '../../device/compatibility';
import type { BoardDevice } from '../../device/types';
import type { Finding } from '../../device/watch/diagnose';
import { formatKB } from './format';
import { escapeMarkdown, markdownTable } from './markdown';

export interface DeviceRow {
  label: string;
  /** "virtual · CircuitPython 9.2.8 · /dev/ttyACM0 · 48.3 KB free" */
  description: string;
  iconId: string;
  iconColorId: string | undefined;
  tooltipMarkdown: string;
  /**
   * For menus: the kind ("device", "device.bootloader", "device.micropython", "virtualPico.running",
   * "virtualPico.stopped"), then flags: ".console" (a console to open and reset), ".drive" (a writable drive),
   * ".connected" (a session is open). package.json matches them with regular expressions.
   */
  contextValue: string;
  virtual: boolean;
}

export interface DeviceLive {
  /** A session is open on its console. */
  connected: boolean;
  /** Last free heap the runtime reported, in bytes. */
  freeHeap?: number;
}

export function deviceRow(device: BoardDevice, live: DeviceLive = { connected: false }): DeviceRow {
  const boot = device.drive?.boot;
  const version = boot?.version;
  const firmware = firmwareText(device, version);
  const port = device.console?.path;
  const parts: string[] = [];
  if (device.virtual) parts.push('virtual');
  parts.push(firmware);
  if (port) parts.push(port);
  else if (device.drive) parts.push(device.drive.path);
  if (live.freeHeap !== undefined) parts.push(`${formatKB(live.freeHeap)} free`);
  const rows: [string, string][] = [
    ['Kind', device.virtual ? 'Virtual Pico (simulated on this computer)' : 'Board'],
    ['Firmware', firmware],
    ['Drive', device.drive ? device.drive.path + (device.drive.readOnly ? ' (read-only)' : '') : 'not mounted'],
    ['Console port', port ?? 'none found'],
  ];
  if (device.data) rows.push(['Data port', device.data.path]);
  if (boot?.boardId) rows.push(['Board id', boot.boardId]);
  if (device.board ?? boot?.boardName) rows.push(['Board', (device.board ?? boot?.boardName) as string]);
  if (device.serialNumber) rows.push(['Serial number', device.serialNumber]);
  if (live.freeHeap !== undefined) rows.push(['Free heap', formatKB(live.freeHeap)]);
  rows.push(['Connection', live.connected ? 'connected' : 'not connected']);
  const advice = adviceFor(device);
  const tooltip = [`**${escapeMarkdown(device.label)}**`, markdownTable(['', ''], rows)];
  if (advice) tooltip.push(escapeMarkdown(advice));
  if (needsCircuitPython(device)) tooltip.push(`[Download CircuitPython for this board](${circuitPythonPage(device.board)}) and copy the .uf2 onto its RPI-RP2 drive (BOOTSEL).`);
  const kind = device.bootloader ? 'device.bootloader' : device.firmware === 'micropython' ? 'device.micropython' : device.virtual ? 'device.virtual' : 'device';
  const contextValue = kind + deviceFlags(device, live.connected);
  return {
    label: device.label,
    description: parts.join(' · '),
    iconId: device.bootloader || advice ? 'warning' : device.virtual ? 'vm' : 'circuit-board',
    iconColorId: device.bootloader || advice ? 'list.warningForeground' : live.connected ? 'charts.green' : undefined,
    tooltipMarkdown: tooltip.join('\n\n'),
    contextValue,
    virtual: device.virtual,
  };
}

function firmwareText(device: BoardDevice, version: string | undefined): string {
  if (device.bootloader) return 'BOOTSEL (UF2 bootloader)';
  switch (device.firmware) {
    case 'circuitpython':
      return version ? `CircuitPython ${version}` : 'CircuitPython';
    case 'micropython':
      return version ? `MicroPython ${version}` : 'MicroPython';
    default:
      return version ? `firmware ${version}` : 'unknown firmware';
  }
}

/** ".console", ".drive", ".connected": what the row's menu can offer. */
function deviceFlags(device: BoardDevice, connected: boolean): string {
  const usable = !needsCircuitPython(device);
  const console = usable && (device.virtual || device.console !== undefined);
  const drive = usable && device.drive !== undefined && !device.drive.problem && !device.drive.readOnly;
  return `${console ? '.console' : ''}${drive ? '.drive' : ''}${connected ? '.connected' : ''}`;
}

/** What the user has to do before Picoformer can use this board, if anything. */
function adviceFor(device: BoardDevice): string | undefined {
  if (device.virtual) return undefined; // nothing to plug in or install: it runs the runtime (device/compatibility.ts)
  if (device.bootloader) return 'In BOOTSEL mode: copy a CircuitPython .uf2 onto its drive to install CircuitPython.';
  if (!runsPicoformerRuntime(device)) return 'Runs MicroPython: Picoformer needs CircuitPython 9 on the board.';
  if (!device.drive) return 'No CIRCUITPY drive is mounted for this board: mount it to deploy models.';
  if (!device.console) return 'No serial console found: check the cable (data, not charge-only) and the dialout group on Linux.';
  return undefined;
}

export interface VirtualPicoInput {
  running: boolean;
  /** The machine's state word ("attached", "repl"), while running. */
  state?: string;
  /** What it runs, as its drive's boot_out.txt says (the scanned device), if scanned. */
  device?: BoardDevice;
  heapBudget?: number;
  freeHeap?: number;
  /** A session is open on its console. */
  connected: boolean;
}

/** The virtual Pico's row: always listed; no drive folder and no USB advice (nothing to plug in). */
export function virtualPicoRow(input: VirtualPicoInput): DeviceRow {
  const firmware = input.device ? firmwareText(input.device, input.device.drive?.boot?.version) : undefined;
  const rows: [string, string][] = [['Kind', 'simulated on this computer (a folder is its CIRCUITPY drive)']];
  if (firmware) rows.push(['Firmware', firmware]);
  rows.push(['State', input.running ? `running${input.state ? ` (${input.state})` : ''}` : 'stopped']);
  if (input.heapBudget !== undefined) rows.push(['Heap budget', formatKB(input.heapBudget)]);
  if (input.freeHeap !== undefined) rows.push(['Free heap', formatKB(input.freeHeap)]);
  rows.push(['Connection', input.connected ? 'connected' : 'not connected']);
  const hint = input.running ? 'Right-click for its console, a reset or the runtime.' : 'Start it to try everything without a board.';
  return {
    label: 'Virtual Pico',
    description: input.running ? `virtual · running${input.freeHeap !== undefined ? ` · ${formatKB(input.freeHeap)} free` : ''}` : 'virtual · stopped',
    iconId: 'vm',
    iconColorId: input.running ? 'charts.green' : undefined,
    tooltipMarkdown: ['**Virtual Pico**', markdownTable(['', ''], rows), hint].join('\n\n'),
    contextValue: `virtualPico.${input.running ? 'running' : 'stopped'}.console.drive${input.connected ? '.connected' : ''}`,
    virtual: true,
  };
}

export interface FindingRow {
  label: string;
  iconId: string;
  iconColorId: string | undefined;
  /** Show the hint (its child row) at once. */
  expanded: boolean;
  tooltip: string;
}

/** "Nothing found" while the virtual Pico runs is not an error: there is simply no physical board. */
const QuietWithVirtual = new Set<Finding['code']>(['nothing-found', 'no-usb-device']);

export function findingRow(finding: Finding, virtualRunning: boolean): FindingRow {
  if (virtualRunning && QuietWithVirtual.has(finding.code)) {
    return { label: 'No physical board', iconId: 'info', iconColorId: undefined, expanded: false, tooltip: `${finding.message}\n\nTo connect a Pico: ${finding.hint}` };
  }
  const color = finding.severity === 'error' ? 'list.errorForeground' : finding.severity === 'warning' ? 'list.warningForeground' : undefined;
  return {
    label: finding.message,
    iconId: finding.severity,
    iconColorId: color,
    expanded: true,
    tooltip: `${finding.message}\n\nWhat to try: ${finding.hint}`,
  };
}

/** Findings that only say no board is plugged in: with nothing else to show, the view's welcome text says it. */
export function onlyNothingFound(findings: readonly Finding[]): boolean {
  return findings.every((f) => QuietWithVirtual.has(f.code) || f.severity === 'info');
}
