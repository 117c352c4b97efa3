// Decides what each serial port is: a board's console or data channel, a board in its bootloader, or something
// else. CircuitPython numbers its USB interfaces console first (CDC interfaces 0-1), data channel second (2-3).

import type { ClassifiedPort, PortInfo, UsbIdentity } from '../types';
import { identifyUsb } from './usbIds';

/** Ports of one USB device share this key: the serial number, else the OS's device hint, else the path. */
export function usbGroupKey(port: PortInfo): string {
  if (port.serialNumber) return `serial:${port.serialNumber.toUpperCase()}`;
  if (port.usbDeviceHint) return `hint:${port.usbDeviceHint}`;
  return `path:${port.path}`;
}

function channelFromInterface(port: PortInfo): Pick<ClassifiedPort, 'channel' | 'channelBasis'> | undefined {
  if (port.interfaceName) {
    if (/CDC2/i.test(port.interfaceName)) return { channel: 'data', channelBasis: 'interface-name' };
    if (/CDC/i.test(port.interfaceName)) return { channel: 'console', channelBasis: 'interface-name' };
  }
  if (port.interfaceNumber === 0) return { channel: 'console', channelBasis: 'interface-number' };
  if (port.interfaceNumber === 2) return { channel: 'data', channelBasis: 'interface-number' };
  return undefined;
}

export function classifyPorts(ports: readonly PortInfo[], extraIds: readonly UsbIdentity[] = []): ClassifiedPort[] {
  const classified: ClassifiedPort[] = ports.map((port) => {
    const identity = identifyUsb(port.vendorId, port.productId, extraIds);
    const role: ClassifiedPort['role'] =
      identity?.firmware === 'bootloader' ? 'bootloader' : identity || port.source === 'manual' ? 'board' : 'other';
    const result: ClassifiedPort = { ...port, role, channel: 'unknown' };
    if (identity) result.identity = identity;
    if (role === 'board') Object.assign(result, port.source === 'manual' ? { channel: 'console', channelBasis: 'manual' } : channelFromInterface(port));
    return result;
  });

  // Without interface information (macOS), a lone port is the console; of two, the lower-numbered one (a guess).
  const groups = new Map<string, ClassifiedPort[]>();
  for (const port of classified.filter((p) => p.role === 'board')) {
    const key = usbGroupKey(port);
    groups.set(key, [...(groups.get(key) ?? []), port]);
  }
  for (const group of groups.values()) {
    const undecided = group.filter((p) => p.channel === 'unknown');
    if (undecided.length === 0) continue;
    if (group.length === 1) Object.assign(group[0], { channel: 'console', channelBasis: 'only-port' });
    else if (undecided.length === group.length && group.length === 2) {
      const [first, second] = [...group].sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
      Object.assign(first, { channel: 'console', channelBasis: 'order' });
      Object.assign(second, { channel: 'data', channelBasis: 'order' });
    }
  }
  return classified;
}
