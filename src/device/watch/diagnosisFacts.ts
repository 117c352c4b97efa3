// Gathers what diagnose.ts reasons over: USB devices from /sys, and who may open each board's serial port.

import type { DeviceSnapshot, Host } from '../types';
import { decodeText } from '../drives/bootOut';
import { scanSysfsUsbDevices } from '../ports/sysfsPorts';
import type { DiagnosisFacts, PortAccess } from './diagnose';

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** /etc/group: "name:password:gid:member,member". */
export function parseEtcGroup(text: string): GroupEntry[] {
  const groups: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    const [name, , gid, members] = line.trim().split(':');
    const id = Number(gid);
    if (!name || name.startsWith('#') || !Number.isInteger(id)) continue;
    groups.push({ name, gid: id, members: (members ?? '').split(',').map((m) => m.trim()).filter(Boolean) });
  }
  return groups;
}

export async function gatherDiagnosisFacts(host: Host, snapshot: DeviceSnapshot): Promise<DiagnosisFacts> {
  const facts: DiagnosisFacts = { platform: host.platform, snapshot, portAccess: [] };
  if (host.platform === 'linux') {
    const usb = await scanSysfsUsbDevices(host);
    if (usb) facts.usbDevices = usb;
    facts.wsl = Boolean(host.env.WSL_DISTRO_NAME || host.env.WSL_INTEROP);
  }
  if (host.platform === 'win32') return facts; // COM ports have no Unix permissions

  const groups = await host.fs.readFile('/etc/group').then((b) => parseEtcGroup(decodeText(b)), () => []);
  const user = host.user();
  const boardPorts = snapshot.ports.filter((p) => p.role !== 'other');
  for (const port of boardPorts) {
    try {
      const stat = await host.fs.stat(port.path);
      const group = groups.find((g) => g.gid === stat.gid);
      const access: PortAccess = {
        path: port.path,
        allowed: await host.fs.canReadWrite(port.path),
        mode: stat.mode & 0o777,
        ownerUid: stat.uid,
        groupId: stat.gid,
        groupListsUser: Boolean(group && user.name && group.members.includes(user.name)),
      };
      if (group) access.groupName = group.name;
      facts.portAccess.push(access);
    } catch {
      // the port vanished between scan and diagnosis: the next scan tells
    }
  }
  return facts;
}
