// Lists serial ports through serialport's list(), guarded so it can never take the process down, normalised
// (upper-case hex ids, interface numbers from pnpId, Windows instance ids told apart from serial numbers).
//
// On Linux, serialport's list() spawns `udevadm info -e`. Where udevadm is missing (containers, minimal
// installs) that spawn fails with ENOENT; depending on the Node/Electron version and timing that error has been
// seen both as a rejection and as an unhandled 'error' event that kills the process. So on Linux we look for
// udevadm on PATH first and never spawn it when it is absent, and any failure, hang or throw of list() falls back
// to reading /sys ourselves (sysfsPorts.ts).

import * as path from 'node:path';
import type { Host, PortInfo, PortLister, RawPortInfo } from '../types';
import { errorMessage } from '../types';
import { normalizeHexId } from './usbIds';
import { scanSysfsPorts } from './sysfsPorts';

export interface ListPortsOptions {
  /** serialport's `SerialPort.list` (see serialportLister.ts); injectable for tests. */
  lister: PortLister;
  /** `picoformer.serialPort`: a port to list even when list() does not show it (a pty, an odd driver). */
  serialPort?: string;
  /** list() gets this long before /sys is read instead (Linux) or the listing fails. */
  timeoutMs?: number;
}

export interface PortListing {
  ports: PortInfo[];
  source: 'serialport' | 'sysfs' | 'none';
  notes: string[];
}

const DefaultTimeoutMs = 5000;

/** Interface number from a pnpId: Linux by-id "...-if02" or "...-if00-port0", Windows "...&MI_02\\...". */
export function interfaceFromPnpId(pnpId: string | undefined): number | undefined {
  if (!pnpId) return undefined;
  const m = /-if([0-9a-f]{2})(?:-port\d+)?$/i.exec(pnpId) ?? /[&\\]MI_([0-9a-f]{2})(?:[&\\]|$)/i.exec(pnpId);
  return m ? parseInt(m[1], 16) : undefined;
}

/**
 * serialport on Windows takes the serial number from the last part of the pnpId. For one interface of a
 * composite device (a CircuitPython board is one) that part is a Windows instance id ("6&2F3B6C8&0&0000"), not
 * the USB serial number; the part before its last "&" is shared by the device's interfaces.
 */
function splitWindowsInstanceId(serial: string): string | undefined {
  return serial.includes('&') ? serial.replace(/&[0-9A-F]{4}$/i, '') : undefined;
}

export function normalizeRawPort(raw: RawPortInfo): PortInfo {
  const port: PortInfo = { path: raw.path, source: 'serialport' };
  const vendorId = normalizeHexId(raw.vendorId);
  if (vendorId) port.vendorId = vendorId;
  const productId = normalizeHexId(raw.productId);
  if (productId) port.productId = productId;
  if (raw.serialNumber) {
    const instance = splitWindowsInstanceId(raw.serialNumber);
    if (instance) port.usbDeviceHint = instance;
    else port.serialNumber = raw.serialNumber;
  }
  if (raw.manufacturer) port.manufacturer = raw.manufacturer;
  if (raw.product) port.product = raw.product;
  if (raw.pnpId) port.pnpId = raw.pnpId;
  if (raw.locationId) {
    port.locationId = raw.locationId;
    port.usbDeviceHint ??= `location:${raw.locationId}`; // macOS: one location per USB device
  }
  const interfaceNumber = interfaceFromPnpId(raw.pnpId);
  if (interfaceNumber !== undefined) port.interfaceNumber = interfaceNumber;
  return port;
}

/** Whether a program is on PATH (what spawn would find), checked without spawning anything. */
export async function isOnPath(host: Host, program: string): Promise<boolean> {
  const dirs = (host.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    try {
      const s = await host.fs.stat(path.posix.join(dir, program));
      if (s.isFile) return true;
    } catch {
      // not here
    }
  }
  return false;
}

function withTimeout<T>(start: () => Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer after ${ms} ms`)), ms);
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(start());
    } catch (error) {
      pending = Promise.reject(error); // a lister that throws instead of rejecting
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Adds what /sys knows (interface name and number, USB device) to serialport's entries of the same path. */
function mergeSysfs(ports: PortInfo[], sysfs: PortInfo[]): void {
  const byPath = new Map(sysfs.map((p) => [p.path, p]));
  for (const port of ports) {
    const extra = byPath.get(port.path);
    if (!extra) continue;
    if (extra.interfaceName) port.interfaceName = extra.interfaceName;
    if (extra.interfaceNumber !== undefined) port.interfaceNumber = extra.interfaceNumber;
    if (extra.usbDeviceHint) port.usbDeviceHint = extra.usbDeviceHint;
    port.product ??= extra.product;
    if (port.product === undefined) delete port.product;
  }
}

async function listWithSerialport(host: Host, options: ListPortsOptions, notes: string[]): Promise<PortListing> {
  const linux = host.platform === 'linux';
  if (linux && !(await isOnPath(host, 'udevadm'))) {
    notes.push('udevadm is not installed, so serial ports were read from /sys instead.');
    return { ports: await scanSysfsPorts(host), source: 'sysfs', notes };
  }
  try {
    const raw = await withTimeout(options.lister, options.timeoutMs ?? DefaultTimeoutMs);
    const ports = raw.filter((r) => r && typeof r.path === 'string' && r.path).map(normalizeRawPort);
    if (!linux) return { ports, source: 'serialport', notes };
    // A udevadm that exits with an error makes list() resolve with nothing rather than reject (its output ends
    // before its exit code arrives), so /sys also supplies the ports udevadm did not report.
    const sysfs = await scanSysfsPorts(host);
    mergeSysfs(ports, sysfs);
    const unreported = sysfs.filter((s) => !ports.some((p) => p.path === s.path));
    if (unreported.length > 0 && ports.length === 0) {
      notes.push('udevadm reported no serial ports, so they were read from /sys instead.');
      return { ports: unreported, source: 'sysfs', notes };
    }
    return { ports: [...ports, ...unreported], source: 'serialport', notes };
  } catch (error) {
    if (linux) {
      notes.push(`Listing ports through udevadm failed (${errorMessage(error)}), so they were read from /sys instead.`);
      return { ports: await scanSysfsPorts(host), source: 'sysfs', notes };
    }
    notes.push(`Could not list serial ports: ${errorMessage(error)}`);
    return { ports: [], source: 'none', notes };
  }
}

/** Every serial port, plus the manual one from settings. Never throws. */
export async function listPorts(host: Host, options: ListPortsOptions): Promise<PortListing> {
  const listing = await listWithSerialport(host, options, []);
  const manual = options.serialPort?.trim();
  if (manual) {
    const listed = listing.ports.find((p) => p.path === manual || p.path.toLowerCase() === manual.toLowerCase());
    if (listed) listed.source = 'manual';
    else if (host.platform === 'win32' || (await pathExists(host, manual))) listing.ports.push({ path: manual, source: 'manual' });
    else listing.notes.push(`The serial port set in picoformer.serialPort (${manual}) does not exist.`);
  }
  return listing;
}

async function pathExists(host: Host, file: string): Promise<boolean> {
  try {
    await host.fs.stat(file);
    return true;
  } catch {
    return false;
  }
}
