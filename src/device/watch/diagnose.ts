// "Why was no board found, and what should I try?" Pure: it reasons over facts gathered by diagnosisFacts.ts
// (the scan, the USB devices the kernel sees, who may open which port), so every case is testable.

import type { DeviceSnapshot } from '../types';
import type { UsbDeviceInfo } from '../ports/sysfsPorts';
import { KnownUsbIds } from '../ports/usbIds';
import { installHint } from '../circuitPythonInstall';

export interface PortAccess {
  path: string;
  /** This process may open it for reading and writing. */
  allowed: boolean;
  /** st_mode, uid and gid of the device node. */
  mode: number;
  ownerUid: number;
  groupId: number;
  /** The group's name from /etc/group ("dialout", "uucp"). */
  groupName?: string;
  /** /etc/group lists the user in that group (then only a new login is missing). */
  groupListsUser: boolean;
}

export interface DiagnosisFacts {
  platform: NodeJS.Platform;
  snapshot: DeviceSnapshot;
  /** Every USB device the kernel sees (Linux); undefined where that is unknown. */
  usbDevices?: UsbDeviceInfo[];
  portAccess: PortAccess[];
  /** Running under Windows Subsystem for Linux. */
  wsl?: boolean;
}

export type FindingCode =
  | 'nothing-found'
  | 'no-usb-device'
  | 'usb-device-without-port'
  | 'unknown-usb-id'
  | 'bootloader'
  | 'micropython'
  | 'port-permission'
  | 'drive-not-mounted'
  | 'no-console'
  | 'drive-read-only'
  | 'drive-path'
  | 'port-list-failed'
  | 'udevadm-missing';

export interface Finding {
  code: FindingCode;
  severity: 'error' | 'warning' | 'info';
  /** What is wrong, in one sentence. */
  message: string;
  /** What to try. */
  hint: string;
}

const PicoVendors = new Set(['239A', '2E8A', '1209']);
const CableHint =
  'Use a data cable: many USB cables only charge. Try another cable and USB port (avoid unpowered hubs). A Pico running CircuitPython shows a CIRCUITPY drive.';

function modeString(mode: number): string {
  const bits = 'rwxrwxrwx';
  let text = '';
  for (let i = 0; i < 9; i++) text += mode & (1 << (8 - i)) ? bits[i] : '-';
  return text;
}

function permissionFinding(access: PortAccess): Finding {
  const group = access.groupName ?? `gid ${access.groupId}`;
  const message = `This user cannot open ${access.path} (${modeString(access.mode)}, group ${group}).`;
  if (access.groupListsUser) {
    return { code: 'port-permission', severity: 'error', message, hint: `You are already in the ${group} group, but this session started before that: log out and back in (or restart), then try again.` };
  }
  const command = access.groupName ? `sudo usermod -aG ${access.groupName} $USER` : `add yourself to the group that owns ${access.path}`;
  return { code: 'port-permission', severity: 'error', message, hint: `Run \`${command}\`, then log out and back in (a new group only applies to new sessions).` };
}

export function diagnose(facts: DiagnosisFacts): Finding[] {
  const { snapshot } = facts;
  const findings: Finding[] = [];

  if (snapshot.portSource === 'none') {
    const reason = snapshot.notes.find((n) => /serial ports/i.test(n)) ?? 'the port listing failed';
    findings.push({ code: 'port-list-failed', severity: 'error', message: reason, hint: 'Set picoformer.serialPort to the port by hand, or reinstall the extension if its serial binding does not load.' });
  } else if (snapshot.portSource === 'sysfs' && snapshot.notes.some((n) => /udevadm/.test(n))) {
    findings.push({ code: 'udevadm-missing', severity: 'info', message: 'udevadm is missing or failed, so serial ports were read from /sys directly.', hint: 'Nothing to do if your board is listed; installing udev (for example `sudo apt install udev`) restores the usual listing.' });
  }

  for (const drive of snapshot.drives) {
    if (drive.problem) findings.push({ code: 'drive-path', severity: 'error', message: drive.problem, hint: 'Fix or clear the picoformer.drivePath setting.' });
    if (drive.readOnly) {
      findings.push({
        code: 'drive-read-only',
        severity: 'warning',
        message: `${drive.path} is mounted read-only, so nothing can be deployed to it.`,
        hint: 'The FAT file system may need repair: eject the drive, run a check (Linux: `sudo fsck.vfat -a /dev/sdX1`; Windows: chkdsk), and plug the board in again. A boot.py that remounts storage for the board also makes it read-only for the computer.',
      });
    }
  }

  for (const access of facts.portAccess) if (!access.allowed) findings.push(permissionFinding(access));

  for (const device of snapshot.devices) {
    if (device.bootloader) {
      findings.push({
        code: 'bootloader',
        severity: 'warning',
        message: `${device.board ?? 'A board'} is in its UF2 bootloader (BOOTSEL was held while plugging in), so it has no console and no CIRCUITPY drive.`,
        hint: `Install CircuitPython: ${installHint(device.board, true)}`,
      });
    } else if (device.firmware === 'micropython') {
      findings.push({
        code: 'micropython',
        severity: 'warning',
        message: `${device.console?.path ?? device.label} is a Pico running MicroPython; Picoformer needs CircuitPython.`,
        hint: `Install CircuitPython: ${installHint(device.board, false)}`,
      });
    } else if (!device.virtual && !device.drive && device.ports.length > 0) {
      findings.push({
        code: 'drive-not-mounted',
        severity: 'warning',
        message: `${device.label} is connected (${device.ports.map((p) => p.path).join(', ')}) but its CIRCUITPY drive was not found.`,
        hint: 'Open the drive in your file manager to mount it (Linux: `udisksctl mount -b /dev/sdX1`), or set picoformer.drivePath to its folder. A boot.py that calls storage.disable_usb_drive() hides it on purpose.',
      });
    } else if (!device.virtual && device.drive && device.ports.length === 0 && snapshot.portSource !== 'none') {
      findings.push({
        code: 'no-console',
        severity: 'warning',
        message: `${device.drive.path} is a CircuitPython drive, but no serial console was found for it.`,
        hint: 'If this board is not a Raspberry Pi Pico, add its USB VID:PID to picoformer.extraUsbIds, or set picoformer.serialPort. A boot.py that calls usb_cdc.disable() turns the console off.',
      });
    }
  }

  if (snapshot.devices.length === 0) findings.push(...nothingFound(facts));
  return findings;
}

function nothingFound(facts: DiagnosisFacts): Finding[] {
  const wslHint = facts.wsl ? ' Under WSL, USB devices must first be attached to Linux with usbipd-win (`usbipd attach --wsl`).' : '';
  if (facts.usbDevices === undefined) {
    return [{ code: 'nothing-found', severity: 'error', message: 'No Pico found: no CIRCUITPY drive and no CircuitPython serial port.', hint: `${CableHint} If the board shows an RPI-RP2 drive, install CircuitPython first.${wslHint}` }];
  }
  const picoLike = facts.usbDevices.filter((d) => PicoVendors.has(d.vendorId));
  if (picoLike.length === 0) {
    return [{ code: 'no-usb-device', severity: 'error', message: 'No Raspberry Pi or Adafruit USB device is connected: the computer does not see the board at all.', hint: `${CableHint}${wslHint}` }];
  }
  return picoLike.map((d) => {
    const known = KnownUsbIds.find((k) => k.vendorId === d.vendorId && k.productId === d.productId);
    const name = `${d.product ?? known?.board ?? 'USB device'} (${d.vendorId}:${d.productId})`;
    if (known?.firmware === 'bootloader') {
      const drive = known.productId === '000F' ? 'RP2350' : 'RPI-RP2';
      return {
        code: 'bootloader' as const,
        severity: 'warning' as const,
        message: `${name} is in BOOTSEL (its UF2 bootloader), but its ${drive} drive is not mounted.`,
        hint: `Open the ${drive} drive in your file manager to mount it, then install CircuitPython: ${installHint(known.board, true)}`,
      };
    }
    return known
      ? {
          code: 'usb-device-without-port' as const,
          severity: 'error' as const,
          message: `${name} is connected, but neither its serial port nor its drive appeared.`,
          hint: 'The cdc_acm kernel driver may be missing (containers, some minimal systems), or the drive is not mounted yet: wait a few seconds, mount it, or replug the board.',
        }
      : {
          code: 'unknown-usb-id' as const,
          severity: 'warning' as const,
          message: `${name} is connected but is not a board Picoformer knows.`,
          hint: `If it runs CircuitPython, add "${d.vendorId}:${d.productId}" to picoformer.extraUsbIds.`,
        };
  });
}
