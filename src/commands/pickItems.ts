// What the pick lists show (models, board profiles, serial ports, deploy targets), as plain data. Pure (no vscode):
// the commands turn these into QuickPickItems, and unit tests check them directly.
import type { BoardDevice, ClassifiedPort } from '../device/types';
import { type BoardId, type BoardProfile, BoardIds, boardProfile } from '../memory/boards';
import type { Zone } from '../memory/zones';
import type { ModelEntry } from '../services/modelEntry';
import { type Quantization, deployDtype } from '../services/settings';
import { formatKB, formatSize } from '../views/viewModels/format';
import { modelRow } from '../views/viewModels/modelRow';
import { zoneStyle } from '../views/viewModels/zoneStyle';

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  picked?: boolean;
  value: T;
}

/** A model with its size and zone as deploying would make it (unreadable files are left out: they cannot be used). */
export function modelPickItems(
  entries: readonly ModelEntry[],
  board: BoardProfile,
  quantization: Quantization,
  location: (path: string) => string,
): PickItem<string>[] {
  const items: PickItem<string>[] = [];
  for (const entry of entries) {
    if (!entry.ok) continue;
    const dtype = deployDtype(entry.summary.weights, quantization);
    const row = modelRow({ location: location(entry.path), header: entry.header, legacy: entry.legacy }, board, { dtype });
    // The file's name first (two files of one model must be told apart), the model's own name in the description.
    items.push({
      label: `$(${row.iconId}) ${entry.fileLabel}`,
      description: `${entry.summary.name} · ${location(entry.path)}${entry.legacy ? ' (legacy)' : ''}`,
      detail: `${row.description}${dtype !== entry.summary.weights ? ` (as ${dtypeName(dtype)})` : ''}`,
      value: entry.path,
    });
  }
  return items;
}

export function dtypeName(dtype: string): string {
  return dtype === 'I8' ? 'int8' : dtype === 'F16' ? 'float16' : dtype === 'F32' ? 'float32' : dtype;
}

/** Every board profile, the current one marked; custom shows the heap it would use. */
export function boardProfileItems(current: BoardId, customHeapKB: number): PickItem<BoardId>[] {
  return BoardIds.map((id) => {
    const profile = boardProfile(id, id === 'custom' ? customHeapKB : undefined);
    return {
      label: `${id === current ? '$(check) ' : ''}${profile.label}`,
      description: id === 'custom' ? `${customHeapKB} KB heap (you choose)` : `${formatKB(profile.heapBytes)} heap budget · ${formatSize(profile.driveBytes)} drive`,
      detail: profile.heapSource,
      picked: id === current,
      value: id,
    };
  });
}

export type PortChoice = { kind: 'auto' } | { kind: 'port'; path: string } | { kind: 'manual' } | { kind: 'virtual' };

/** Detected ports (boards first), then "detect automatically", "enter a path" and the virtual Pico. */
export function serialPortItems(ports: readonly ClassifiedPort[], current: string): PickItem<PortChoice>[] {
  const rank = (p: ClassifiedPort) => (p.role === 'board' ? (p.channel === 'console' ? 0 : 1) : p.role === 'bootloader' ? 2 : 3);
  const sorted = [...ports].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  const items: PickItem<PortChoice>[] = sorted.map((p) => ({
    label: `${p.path === current ? '$(check) ' : ''}${p.path}`,
    description: portDescription(p),
    detail: [p.manufacturer, p.product, p.serialNumber && `serial ${p.serialNumber}`].filter(Boolean).join(' · ') || undefined,
    value: { kind: 'port', path: p.path },
  }));
  items.push(
    { label: `${current === '' ? '$(check) ' : ''}Detect automatically`, description: 'clear picoformer.serialPort', value: { kind: 'auto' } },
    { label: 'Enter a port path…', description: 'for example /dev/ttyACM0, COM5 or a pty', value: { kind: 'manual' } },
    { label: 'Virtual Pico', description: 'simulated on this computer', value: { kind: 'virtual' } },
  );
  return items;
}

function portDescription(p: ClassifiedPort): string {
  if (p.role === 'bootloader') return 'board in BOOTSEL mode (no console)';
  if (p.role === 'other') return p.vendorId ? `USB ${p.vendorId}:${p.productId ?? '?'}` : 'serial port';
  const what = p.identity?.board ?? 'board';
  const channel = p.channel === 'console' ? 'console' : p.channel === 'data' ? 'data channel' : 'port';
  return `${what} · ${channel}`;
}

/** Boards whose drive can take a deploy, real ones first. */
export function deployTargetItems(devices: readonly BoardDevice[]): PickItem<BoardDevice>[] {
  return [...devices]
    .filter((d) => d.drive)
    .sort((a, b) => Number(a.virtual) - Number(b.virtual))
    .map((d) => {
      const drive = d.drive as NonNullable<BoardDevice['drive']>;
      const free = drive.freeBytes === undefined ? '' : ` · ${formatSize(drive.freeBytes)} free`;
      return {
        label: `$(${d.virtual ? 'vm' : 'circuit-board'}) ${d.virtual ? 'Virtual Pico' : d.label}`,
        description: `${drive.path}${free}`,
        detail: d.console ? `console ${d.console.path}` : d.virtual ? 'virtual: simulated on this computer' : undefined,
        value: d,
      };
    });
}

/** The text of a zone for messages: "Danger" etc. */
export function zoneLabel(zone: Zone): string {
  return zoneStyle(zone).label;
}
