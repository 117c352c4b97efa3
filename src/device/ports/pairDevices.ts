// Groups ports into boards and pairs each board with its drive: CircuitPython's USB serial number is the chip's
// unique id, which boot_out.txt prints as "UID:". Where the OS hides the serial number (Windows composite
// devices) a single board and a single drive are paired as the only candidates.

import type { BoardDevice, BootloaderDrive, ClassifiedPort, DriveInfo, Firmware } from '../types';
import { usbGroupKey } from './classifyPorts';

interface PortGroup {
  ports: ClassifiedPort[];
  serialNumber?: string;
  drive?: DriveInfo;
  pairing: BoardDevice['pairing'];
}

function normalizeId(id: string | undefined): string | undefined {
  const hex = id?.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex ? hex : undefined;
}

function canPairByElimination(group: PortGroup): boolean {
  const first = group.ports[0];
  return first.role === 'board' && first.identity?.firmware !== 'micropython';
}

export function pairDevices(drives: readonly DriveInfo[], bootloaderDrives: readonly BootloaderDrive[], ports: readonly ClassifiedPort[]): BoardDevice[] {
  const groups = new Map<string, PortGroup>();
  for (const port of ports.filter((p) => p.role !== 'other')) {
    const key = usbGroupKey(port);
    const group = groups.get(key) ?? { ports: [], pairing: 'none', ...(port.serialNumber ? { serialNumber: port.serialNumber.toUpperCase() } : {}) };
    group.ports.push(port);
    groups.set(key, group);
  }

  const unpairedDrives: DriveInfo[] = [];
  for (const drive of drives) {
    const uid = normalizeId(drive.boot?.uid);
    const match = uid ? [...groups.values()].find((g) => !g.drive && normalizeId(g.serialNumber) === uid) : undefined;
    if (match) {
      match.drive = drive;
      match.pairing = 'serial-number';
    } else unpairedDrives.push(drive);
  }

  const realDrives = unpairedDrives.filter((d) => !d.boot?.virtual);
  const lonelyGroups = [...groups.values()].filter((g) => !g.drive && canPairByElimination(g));
  if (realDrives.length === 1 && lonelyGroups.length === 1) {
    const [drive] = realDrives;
    const [group] = lonelyGroups;
    // Two known but different ids are two different boards, never one.
    const driveUid = normalizeId(drive.boot?.uid);
    if (!(driveUid && group.serialNumber && normalizeId(group.serialNumber) !== driveUid)) {
      group.drive = drive;
      group.pairing = 'only-one';
      unpairedDrives.splice(unpairedDrives.indexOf(drive), 1);
    }
  }

  const devices = [
    ...[...groups.values()].map(deviceFromGroup),
    ...unpairedDrives.map((drive) => deviceFromGroup({ ports: [], drive, pairing: 'none' })),
    ...bootloaderDrives.map(deviceFromBootloaderDrive),
  ];
  return devices.sort((a, b) => Number(a.virtual) - Number(b.virtual) || a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
}

function deviceFromGroup(group: PortGroup): BoardDevice {
  const { drive, ports } = group;
  const boot = drive?.boot?.recognised ? drive.boot : undefined;
  const identity = ports.find((p) => p.identity)?.identity;
  const virtual = drive?.boot?.virtual ?? false;
  const bootloader = ports.length > 0 && ports.every((p) => p.role === 'bootloader');
  const firmware: Firmware = boot?.firmware ?? identity?.firmware ?? (drive ? 'circuitpython' : 'unknown');
  const board = boot?.boardName ?? identity?.board ?? ports.find((p) => p.product)?.product;
  const serialNumber = group.serialNumber ?? normalizeId(drive?.boot?.uid);

  const consolePort = ports.find((p) => p.channel === 'console') ?? (ports.length === 1 && ports[0].channel === 'unknown' ? ports[0] : undefined);
  const dataPort = ports.find((p) => p.channel === 'data');
  const device: BoardDevice = {
    key: deviceKey(serialNumber, virtual, drive, ports),
    label: describe(board, firmware, boot?.version, virtual, drive, ports),
    virtual,
    firmware,
    ports,
    pairing: group.pairing,
    bootloader,
  };
  if (board) device.board = board;
  if (serialNumber) device.serialNumber = serialNumber;
  if (drive) device.drive = drive;
  if (consolePort) device.console = consolePort;
  if (dataPort) device.data = dataPort;
  return device;
}

function deviceKey(serialNumber: string | undefined, virtual: boolean, drive: DriveInfo | undefined, ports: ClassifiedPort[]): string {
  if (virtual && drive) return `virtual:${drive.path}`;
  if (serialNumber) return `usb:${serialNumber}`;
  if (drive) return `drive:${drive.path}`;
  const first = [...ports].sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }))[0];
  return `port:${first?.path ?? 'unknown'}`;
}

const FirmwareNames: Record<Firmware, string> = { circuitpython: 'CircuitPython', micropython: 'MicroPython', bootloader: 'bootloader', unknown: '' };

function describe(board: string | undefined, firmware: Firmware, version: string | undefined, virtual: boolean, drive: DriveInfo | undefined, ports: ClassifiedPort[]): string {
  const name = board ?? (drive ? `${drive.label ?? 'CIRCUITPY'} drive` : ports.length ? `Serial port ${ports[0].path}` : 'Board');
  const software = [FirmwareNames[firmware], version].filter(Boolean).join(' ');
  return [name, software, virtual ? 'virtual' : ''].filter(Boolean).join(' · ');
}

function deviceFromBootloaderDrive(drive: BootloaderDrive): BoardDevice {
  const board = /RP2350/i.test(drive.label ?? drive.info ?? '') ? 'RP2350 board in BOOTSEL' : 'RP2040 board in BOOTSEL';
  return {
    key: `bootsel:${drive.path}`,
    label: `${board} (${drive.label ?? drive.path}): install CircuitPython`,
    virtual: false,
    firmware: 'bootloader',
    board,
    ports: [],
    pairing: 'none',
    bootloader: true,
  };
}
