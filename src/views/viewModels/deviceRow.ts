// A row of the Devices tree: a board (real or virtual) with its drive, port, CircuitPython version, board id and,
// while connected, its live free heap.
import { runsPicoformerRuntime } from '../../device/compatibility';
import type { BoardDevice } from '../../device/types';
import { formatKB } from './format';
import { escapeMarkdown, markdownTable } from './markdown';

export interface DeviceRow {
  label: string;
  /** "virtual · CircuitPython 9.2.8 · /dev/ttyACM0 · 48.3 KB free" */
  description: string;
  iconId: string;
  iconColorId: string | undefined;
  tooltipMarkdown: string;
  /** "device", "device.virtual", "device.bootloader", with ".connected" while a session is open. */
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
  let contextValue = device.bootloader ? 'device.bootloader' : device.virtual ? 'device.virtual' : 'device';
  if (live.connected) contextValue += '.connected';
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

/** What the user has to do before Picoformer can use this board, if anything. */
function adviceFor(device: BoardDevice): string | undefined {
  if (device.virtual) return undefined; // nothing to plug in or install: it runs the runtime (device/compatibility.ts)
  if (device.bootloader) return 'In BOOTSEL mode: copy a CircuitPython .uf2 onto its drive to install CircuitPython.';
  if (!runsPicoformerRuntime(device)) return 'Runs MicroPython: Picoformer needs CircuitPython 9 on the board.';
  if (!device.drive) return 'No CIRCUITPY drive is mounted for this board: mount it to deploy models.';
  if (!device.console) return 'No serial console found: check the cable (data, not charge-only) and the dialout group on Linux.';
  return undefined;
}
