// `picoformer devices` as text and JSON: boards with their pairing, drives, ports, and what to try when something
// is missing. Pure: it formats a DeviceSnapshot and the diagnosis findings.
import type { Finding } from '../device/watch/diagnose';
import type { BoardDevice, ClassifiedPort, DeviceSnapshot, DriveInfo } from '../device/types';
import { size } from './sizeText';

/** Columns padded to their widest cell (the last column is not padded). */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

/** The diagnosis speaks of the extension's settings; on the command line the same thing is an option. */
export function cliHint(hint: string): string {
  return hint
    .replace(/[Ss]et picoformer\.serialPort to the port by hand/g, 'name the port with --port PATH')
    .replace(/[Ss]et picoformer\.serialPort/g, 'name the port with --port PATH')
    .replace(/add its USB VID:PID to picoformer\.extraUsbIds/g, 'pass its USB VID:PID with --usb-id VID:PID')
    .replace(/add "([0-9A-Fa-f]{4}:[0-9A-Fa-f]{4})" to picoformer\.extraUsbIds/g, 'pass --usb-id $1')
    .replace(/set picoformer\.drivePath to its folder/g, 'name its folder with --drive PATH')
    .replace(/Fix or clear the picoformer\.drivePath setting/g, 'Check the folder given with --drive')
    .replace(/reinstall the extension/g, 'reinstall Picoformer');
}

const PairingText: Record<BoardDevice['pairing'], string> = {
  'serial-number': 'drive and port matched by USB serial number = boot_out.txt UID',
  'only-one': 'drive and port matched as the only board and the only drive (the OS hides the serial number)',
  none: '',
};

function driveFacts(drive: DriveInfo): string[] {
  const boot = drive.boot;
  const facts: string[] = [];
  if (drive.label && drive.label !== 'CIRCUITPY') facts.push(`label ${drive.label}`);
  if (boot?.virtual) facts.push('virtual');
  if (boot?.recognised) facts.push([boot.firmware === 'micropython' ? 'MicroPython' : 'CircuitPython', boot.version].filter(Boolean).join(' '));
  else if (drive.boot) facts.push('boot_out.txt not understood');
  else facts.push('no boot_out.txt');
  if (boot?.boardName) facts.push(boot.boardId ? `${boot.boardName} (${boot.boardId})` : boot.boardName);
  if (boot?.uid) facts.push(`UID ${boot.uid}`);
  if (drive.freeBytes !== undefined) facts.push(drive.totalBytes !== undefined ? `${size(drive.freeBytes)} free of ${size(drive.totalBytes)}` : `${size(drive.freeBytes)} free`);
  if (drive.readOnly) facts.push('READ-ONLY');
  if (drive.problem) facts.push(`problem: ${drive.problem}`);
  return facts;
}

function usbId(port: ClassifiedPort): string {
  return port.vendorId && port.productId ? `${port.vendorId}:${port.productId}` : '-';
}

function portRole(port: ClassifiedPort): string {
  if (port.role !== 'board') return port.role;
  const guess = port.channelBasis === 'order' ? ', guessed' : '';
  return port.channel === 'unknown' ? 'board' : `board ${port.channel}${guess}`;
}

function portRow(port: ClassifiedPort): string[] {
  const what = port.identity?.board ?? port.product ?? port.manufacturer ?? '';
  return [port.path, usbId(port), portRole(port), port.serialNumber ? `serial ${port.serialNumber}` : '', what];
}

function boardLines(device: BoardDevice): string {
  const rows: string[][] = [];
  if (device.drive) rows.push(['drive', device.drive.path]);
  if (device.console) rows.push(['console', device.console.path]);
  if (device.data) rows.push(['data', device.data.path]);
  for (const port of device.ports.filter((p) => p !== device.console && p !== device.data)) rows.push(['port', port.path]);
  if (device.serialNumber) rows.push(['serial', device.serialNumber]);
  const pairing = PairingText[device.pairing];
  if (pairing) rows.push(['paired', pairing]);
  else if (!device.virtual && !device.bootloader && (device.drive ? device.ports.length === 0 : device.ports.length > 0)) {
    rows.push(['paired', device.drive ? 'no serial port found for this drive' : 'no drive found for this port']);
  }
  return `  ${device.label}${device.virtual ? ' [virtual]' : ''}\n${table(rows, '    ')}`;
}

function findingLines(findings: readonly Finding[]): string {
  const mark = { error: 'x', warning: '!', info: 'i' } as const;
  return findings.map((f) => `  ${mark[f.severity]} ${f.message}\n    try: ${cliHint(f.hint)}`).join('\n');
}

/** The human-readable report. */
export function formatDevices(snapshot: DeviceSnapshot, findings: readonly Finding[]): string {
  const parts: string[] = [];
  const { devices, drives, ports, bootloaderDrives } = snapshot;
  parts.push(devices.length ? `Boards (${devices.length}):\n${devices.map(boardLines).join('\n')}` : 'Boards: none found.');
  if (drives.length) parts.push(`Drives (${drives.length}):\n${table(drives.map((d) => [d.path, driveFacts(d).join(', ')]))}`);
  if (bootloaderDrives.length) {
    parts.push(`Bootloader drives (${bootloaderDrives.length}):\n${table(bootloaderDrives.map((d) => [d.path, d.label ?? '', (d.info ?? '').split(/\r?\n/)[0]]))}`);
  }
  const portSource = snapshot.portSource === 'none' ? ' (the port list failed)' : snapshot.portSource === 'sysfs' ? ' (read from /sys)' : '';
  parts.push(ports.length ? `Serial ports (${ports.length})${portSource}:\n${table(ports.map(portRow))}` : `Serial ports: none${portSource}.`);
  if (snapshot.notes.length) parts.push(`Notes:\n${snapshot.notes.map((n) => `  ${n}`).join('\n')}`);
  if (findings.length) parts.push(`${devices.length ? 'Problems' : 'Why nothing was found'}:\n${findingLines(findings)}`);
  return `${parts.join('\n\n')}\n`;
}

/** The JSON report: the snapshot as detection returns it (docs/devices.md) plus the findings, hints for the CLI. */
export function devicesJson(snapshot: DeviceSnapshot, findings: readonly Finding[]): string {
  return `${JSON.stringify({ ...snapshot, findings: findings.map((f) => ({ ...f, hint: cliHint(f.hint) })) })}\n`;
}
