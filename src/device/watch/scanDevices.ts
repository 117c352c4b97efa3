// One detection pass: drives and serial ports (in parallel), classified and paired into boards.

import { findDrives, type FindDrivesOptions } from '../drives/findDrives';
import { classifyPorts } from '../ports/classifyPorts';
import { listPorts } from '../ports/listPorts';
import { pairDevices } from '../ports/pairDevices';
import { parseExtraUsbIds } from '../ports/usbIds';
import type { DeviceSnapshot, Host, PortLister } from '../types';

export interface ScanOptions extends FindDrivesOptions {
  /** serialport's list (serialportLister.ts) or a stand-in. */
  lister: PortLister;
  /** `picoformer.serialPort`. */
  serialPort?: string;
  /** `picoformer.extraUsbIds`, "VID:PID" strings. */
  extraUsbIds?: readonly string[];
  portListTimeoutMs?: number;
}

/** Never throws: every problem ends up in `notes` or on the drive concerned. */
export async function scanDevices(host: Host, options: ScanOptions): Promise<DeviceSnapshot> {
  const extra = parseExtraUsbIds(options.extraUsbIds);
  const [driveScan, portListing] = await Promise.all([
    findDrives(host, options),
    listPorts(host, { lister: options.lister, serialPort: options.serialPort, timeoutMs: options.portListTimeoutMs }),
  ]);
  const ports = classifyPorts(portListing.ports, extra.ids);
  return {
    devices: pairDevices(driveScan.drives, driveScan.bootloaderDrives, ports),
    drives: driveScan.drives,
    bootloaderDrives: driveScan.bootloaderDrives,
    ports,
    portSource: portListing.source,
    notes: [...extra.notes, ...driveScan.notes, ...portListing.notes],
  };
}
