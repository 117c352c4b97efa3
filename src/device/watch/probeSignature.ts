// A cheap fingerprint of what a board appearing or leaving changes, so the watcher can skip full scans (which
// spawn PowerShell on Windows and udevadm on Linux) while nothing happens.
//   Linux:   the mount table, the names in /sys/class/tty and /dev/serial/by-id (no process spawned)
//   macOS:   the names in /Volumes and the port list (serialport lists through IOKit, in process)
//   Windows: the port list; a board's drive and serial port arrive together, and the periodic full scan catches
//            a drive that comes or goes alone.

import type { Host, PortLister } from '../types';
import { decodeText } from '../drives/bootOut';

async function names(host: Host, folder: string): Promise<string> {
  try {
    return (await host.fs.readdir(folder)).sort().join('|');
  } catch {
    return '-';
  }
}

async function portPaths(lister: PortLister): Promise<string> {
  try {
    return (await lister()).map((p) => `${p.path}:${p.vendorId ?? ''}:${p.productId ?? ''}:${p.serialNumber ?? ''}`).sort().join('|');
  } catch {
    return '-';
  }
}

export async function probeSignature(host: Host, lister: PortLister, extraFolders: readonly string[] = []): Promise<string> {
  const parts: string[] = [];
  if (host.platform === 'linux') {
    parts.push(await host.fs.readFile('/proc/self/mounts').then(decodeText, () => '-'));
    parts.push(await names(host, '/sys/class/tty'), await names(host, '/dev/serial/by-id'));
    parts.push(await names(host, '/mnt/chromeos/removable'));
  } else if (host.platform === 'darwin') {
    parts.push(await names(host, '/Volumes'), await portPaths(lister));
  } else {
    parts.push(await portPaths(lister));
  }
  // Folders named in settings (a virtual Pico's drive) come and go without any mount.
  for (const folder of extraFolders) parts.push(await names(host, folder));
  return parts.join('\n');
}
