// Linux serial ports read straight from sysfs, without udevadm:
//   /sys/class/tty/ttyACM0/device -> .../usb1/1-1/1-1:1.0      (the CDC interface: bInterfaceNumber, interface)
//   .../usb1/1-1                                                (the USB device: idVendor, idProduct, serial, ...)
//   /dev/serial/by-id/usb-Raspberry_Pi_Pico_E66...-if00 -> ../../ttyACM0   (udev's name, serialport's pnpId)
// sysfs even names the interface ("CircuitPython CDC control" / "CircuitPython CDC2 control"), which udevadm
// output as serialport reads it does not.

import * as path from 'node:path';
import type { Host, PortInfo } from '../types';
import { decodeText } from '../drives/bootOut';
import { normalizeHexId } from './usbIds';

// The names serialport's Linux lister accepts.
const SerialTtyName = /^(?:tty(?:S|WCH|ACM|USB|AMA|MFD|O|XRUSB)\d+|rfcomm\d+)$/;
// The 8250 driver registers ttyS0..ttyS31 under its platform device whether or not a UART exists.
const PhantomUart = /\/platform\/serial8250(\/|$)/;

async function readAttr(host: Host, file: string): Promise<string | undefined> {
  try {
    const value = decodeText(await host.fs.readFile(file, 256)).trim();
    return value || undefined;
  } catch {
    return undefined;
  }
}

async function exists(host: Host, file: string): Promise<boolean> {
  try {
    await host.fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/** USB details of a tty, walking up from its device node to the interface and then the USB device. */
async function describeTty(host: Host, name: string): Promise<PortInfo | undefined> {
  let dir: string;
  try {
    dir = await host.fs.realpath(`/sys/class/tty/${name}/device`);
  } catch {
    return undefined; // virtual consoles and ptys have no device
  }
  if (PhantomUart.test(dir)) return undefined;
  const port: PortInfo = { path: `/dev/${name}`, source: 'sysfs' };
  for (let depth = 0; depth < 6 && dir.startsWith('/sys/') && dir !== '/sys'; depth++, dir = path.posix.dirname(dir)) {
    if (port.interfaceNumber === undefined && (await exists(host, `${dir}/bInterfaceNumber`))) {
      const number = parseInt((await readAttr(host, `${dir}/bInterfaceNumber`)) ?? '', 16);
      if (Number.isInteger(number)) port.interfaceNumber = number;
      const interfaceName = await readAttr(host, `${dir}/interface`);
      if (interfaceName) port.interfaceName = interfaceName;
    }
    const vendorId = normalizeHexId(await readAttr(host, `${dir}/idVendor`));
    if (vendorId) {
      port.vendorId = vendorId;
      const productId = normalizeHexId(await readAttr(host, `${dir}/idProduct`));
      if (productId) port.productId = productId;
      const serialNumber = await readAttr(host, `${dir}/serial`);
      if (serialNumber) port.serialNumber = serialNumber;
      const manufacturer = await readAttr(host, `${dir}/manufacturer`);
      if (manufacturer) port.manufacturer = manufacturer;
      const product = await readAttr(host, `${dir}/product`);
      if (product) port.product = product;
      port.usbDeviceHint = dir;
      break;
    }
  }
  return port;
}

/** /dev/serial/by-id names by device path ("/dev/ttyACM0" -> "usb-..._E66...-if00"). */
async function byIdNames(host: Host): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let entries: string[];
  try {
    entries = await host.fs.readdir('/dev/serial/by-id');
  } catch {
    return names; // no udev, or no USB serial devices at all
  }
  for (const entry of entries) {
    try {
      const target = await host.fs.readlink(`/dev/serial/by-id/${entry}`);
      names.set(path.posix.resolve('/dev/serial/by-id', target), entry);
    } catch {
      // not a link: ignore
    }
  }
  return names;
}

/** Every serial tty with a device behind it, described from sysfs. Never throws. */
export async function scanSysfsPorts(host: Host): Promise<PortInfo[]> {
  let names: string[];
  try {
    names = await host.fs.readdir('/sys/class/tty');
  } catch {
    return [];
  }
  const described = await Promise.all(names.filter((n) => SerialTtyName.test(n)).map((n) => describeTty(host, n)));
  const pnpIds = await byIdNames(host);
  const ports: PortInfo[] = [];
  for (const port of described) {
    if (!port) continue;
    const pnpId = pnpIds.get(port.path);
    if (pnpId) port.pnpId = pnpId;
    ports.push(port);
  }
  return ports.sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
}

export interface UsbDeviceInfo {
  vendorId: string;
  productId: string;
  product?: string;
  serialNumber?: string;
}

/** Every USB device the kernel sees (from /sys/bus/usb/devices), for "why nothing was found". Never throws. */
export async function scanSysfsUsbDevices(host: Host): Promise<UsbDeviceInfo[] | undefined> {
  let entries: string[];
  try {
    entries = await host.fs.readdir('/sys/bus/usb/devices');
  } catch {
    return undefined; // not Linux, or sysfs not mounted: unknown, not "none"
  }
  const devices: UsbDeviceInfo[] = [];
  for (const entry of entries.filter((e) => !e.includes(':'))) {
    const dir = `/sys/bus/usb/devices/${entry}`;
    const vendorId = normalizeHexId(await readAttr(host, `${dir}/idVendor`));
    const productId = normalizeHexId(await readAttr(host, `${dir}/idProduct`));
    if (!vendorId || !productId) continue;
    const device: UsbDeviceInfo = { vendorId, productId };
    const product = await readAttr(host, `${dir}/product`);
    if (product) device.product = product;
    const serialNumber = await readAttr(host, `${dir}/serial`);
    if (serialNumber) device.serialNumber = serialNumber;
    devices.push(device);
  }
  return devices;
}
