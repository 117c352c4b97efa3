import { strict as assert } from 'node:assert';
import { parseBootOut } from '../../../src/device/drives/bootOut';
import { classifyPorts } from '../../../src/device/ports/classifyPorts';
import { pairDevices } from '../../../src/device/ports/pairDevices';
import type { DeviceSnapshot, DriveInfo, PortInfo } from '../../../src/device/types';
import { diagnose, type DiagnosisFacts } from '../../../src/device/watch/diagnose';
import { gatherDiagnosisFacts, parseEtcGroup } from '../../../src/device/watch/diagnosisFacts';
import { probeSignature } from '../../../src/device/watch/probeSignature';
import { fakeHost, fixture, type FakeHostSpec } from './fakeHost';

function snapshot(drives: DriveInfo[], portList: PortInfo[], extra: Partial<DeviceSnapshot> = {}): DeviceSnapshot {
  const ports = classifyPorts(portList);
  return { devices: pairDevices(drives, extra.bootloaderDrives ?? [], ports), drives, bootloaderDrives: [], ports, portSource: 'serialport', notes: [], ...extra };
}

function facts(s: DeviceSnapshot, extra: Partial<DiagnosisFacts> = {}): DiagnosisFacts {
  return { platform: 'linux', snapshot: s, portAccess: [], ...extra };
}

const picoPort: PortInfo = { path: '/dev/ttyACM0', vendorId: '239A', productId: '80F4', serialNumber: 'E660583883724A32', interfaceNumber: 0, source: 'serialport' };
const picoDrive: DriveInfo = { path: '/media/ann/CIRCUITPY', source: 'mount-table', boot: parseBootOut(fixture('boot_out-cp9.txt')) };

describe('device: why nothing was found', () => {
  it('no Pico-like USB device at all: the cable', () => {
    const findings = diagnose(facts(snapshot([], []), { usbDevices: [{ vendorId: '046D', productId: 'C52B', product: 'Receiver' }] }));
    assert.deepEqual(findings.map((f) => f.code), ['no-usb-device']);
    assert.match(findings[0].hint, /charge/);
  });

  it('unknown platform facts: a generic "nothing found" with the cable and BOOTSEL hints; WSL gets usbipd', () => {
    const [plain] = diagnose(facts(snapshot([], []), { platform: 'darwin' }));
    assert.equal(plain.code, 'nothing-found');
    assert.match(plain.hint, /RPI-RP2/);
    const [wsl] = diagnose(facts(snapshot([], []), { usbDevices: [], wsl: true }));
    assert.match(wsl.hint, /usbipd/);
  });

  it('a known Pico on USB without port or drive; an unknown Adafruit id gets the extraUsbIds hint', () => {
    const findings = diagnose(facts(snapshot([], []), { usbDevices: [{ vendorId: '239A', productId: '80F4', product: 'Pico' }, { vendorId: '239A', productId: '8107' }] }));
    assert.deepEqual(findings.map((f) => f.code), ['usb-device-without-port', 'unknown-usb-id']);
    assert.match(findings[0].hint, /cdc_acm/);
    assert.match(findings[1].hint, /"239A:8107"/);
  });

  it('a board in BOOTSEL and a board running MicroPython', () => {
    const s = snapshot([], [{ path: '/dev/ttyACM3', vendorId: '2E8A', productId: '0005', source: 'serialport' }], { bootloaderDrives: [{ path: '/media/ann/RPI-RP2', label: 'RPI-RP2' }] });
    const findings = diagnose(facts(s));
    assert.deepEqual(findings.map((f) => f.code).sort(), ['bootloader', 'micropython']);
    // Each says how to install CircuitPython: the board's download page and the drag-and-drop step.
    for (const f of findings) {
      assert.match(f.hint, /https:\/\/circuitpython\.org\/board\/raspberry_pi_pico\//, f.code);
      assert.match(f.hint, /Drag the \.uf2 onto the RPI-RP2 drive/, f.code);
    }
    assert.match(findings.find((f) => f.code === 'micropython')?.hint ?? '', /BOOTSEL/);
  });

  it('a board in BOOTSEL whose RPI-RP2 drive is not mounted is named as such, not as a missing port', () => {
    const findings = diagnose(facts(snapshot([], []), { usbDevices: [{ vendorId: '2E8A', productId: '0003', product: 'RP2 Boot' }] }));
    assert.deepEqual(findings.map((f) => [f.code, f.severity]), [['bootloader', 'warning']]);
    assert.match(findings[0].message, /BOOTSEL/);
    assert.match(findings[0].hint, /mount/);
    assert.match(findings[0].hint, /circuitpython\.org\/board\/raspberry_pi_pico\//);
  });

  it('port found but drive not mounted; drive found but no console', () => {
    const noDrive = diagnose(facts(snapshot([], [picoPort])));
    assert.deepEqual(noDrive.map((f) => f.code), ['drive-not-mounted']);
    assert.match(noDrive[0].message, /\/dev\/ttyACM0/);
    const noPort = diagnose(facts(snapshot([picoDrive], [])));
    assert.deepEqual(noPort.map((f) => f.code), ['no-console']);
    assert.deepEqual(diagnose(facts(snapshot([picoDrive], [picoPort]))), []);
  });

  it('read-only drive, a bad drive-path override, a failed port listing, a missing udevadm', () => {
    const s = snapshot([{ ...picoDrive, readOnly: true }, { path: '/srv/x', source: 'override', problem: 'The drive folder /srv/x does not exist.' }], [], {
      portSource: 'none',
      notes: ['Could not list serial ports: No native build was found'],
    });
    const codes = diagnose(facts(s)).map((f) => f.code);
    assert.deepEqual(codes, ['port-list-failed', 'drive-read-only', 'drive-path']);
    const sysfs = snapshot([picoDrive], [picoPort], { portSource: 'sysfs', notes: ['udevadm is not installed, so serial ports were read from /sys instead.'] });
    assert.deepEqual(diagnose(facts(sysfs)).map((f) => [f.code, f.severity]), [['udevadm-missing', 'info']]);
  });
});

describe('device: serial port permissions (Linux dialout)', () => {
  const base: FakeHostSpec = {
    platform: 'linux',
    env: { USER: 'ann' },
    files: { '/etc/group': 'root:x:0:\ndialout:x:20:bob\nann:x:1000:\n' },
    stats: { '/dev/ttyACM0': { mode: 0o20660, uid: 0, gid: 20 } },
    user: { name: 'ann', uid: 1000, gids: [1000] },
  };

  it('not in dialout: says which group and gives the usermod command', async () => {
    const host = fakeHost({ ...base, denied: ['/dev/ttyACM0'] });
    const gathered = await gatherDiagnosisFacts(host, snapshot([picoDrive], [picoPort]));
    assert.deepEqual(gathered.portAccess, [{ path: '/dev/ttyACM0', allowed: false, mode: 0o660, ownerUid: 0, groupId: 20, groupName: 'dialout', groupListsUser: false }]);
    const [finding] = diagnose(gathered);
    assert.equal(finding.code, 'port-permission');
    assert.match(finding.message, /cannot open \/dev\/ttyACM0 \(rw-rw----, group dialout\)/);
    assert.match(finding.hint, /sudo usermod -aG dialout \$USER/);
  });

  it('added to dialout but not logged in again: says to log out and back in', async () => {
    const host = fakeHost({ ...base, files: { '/etc/group': 'dialout:x:20:bob,ann\n' }, denied: ['/dev/ttyACM0'] });
    const [finding] = diagnose(await gatherDiagnosisFacts(host, snapshot([picoDrive], [picoPort])));
    assert.match(finding.hint, /already in the dialout group.*log out/);
  });

  it('allowed: no finding; Windows: no permission check at all', async () => {
    const host = fakeHost(base);
    assert.deepEqual(diagnose(await gatherDiagnosisFacts(host, snapshot([picoDrive], [picoPort]))), []);
    const windows = await gatherDiagnosisFacts(fakeHost({ platform: 'win32' }), snapshot([], [{ ...picoPort, path: 'COM5' }]));
    assert.deepEqual(windows.portAccess, []);
  });

  it('reads USB devices from /sys on Linux', async () => {
    const recorded = JSON.parse(fixture('sysfs-pico.json')) as FakeHostSpec;
    const host = fakeHost({ platform: 'linux', files: recorded.files, dirs: recorded.dirs, links: recorded.links });
    const gathered = await gatherDiagnosisFacts(host, snapshot([], []));
    assert.deepEqual(gathered.usbDevices?.map((d) => `${d.vendorId}:${d.productId}`), ['239A:80F4', '239A:8120', '1D6B:0002']);
  });

  it('parses /etc/group, skipping junk', () => {
    assert.deepEqual(parseEtcGroup('uucp:x:14:ann, bob\n#c\nbad\n'), [{ name: 'uucp', gid: 14, members: ['ann', 'bob'] }]);
  });
});

describe('device: the cheap change probe', () => {
  it('Linux: changes when a tty or a mount appears, without calling the port lister', async () => {
    let listed = 0;
    const lister = async () => {
      listed++;
      return [];
    };
    const spec: FakeHostSpec = { platform: 'linux', files: { '/proc/self/mounts': 'a / ext4 rw 0 0\n' }, dirs: ['/sys/class/tty/ttyS0'] };
    const before = await probeSignature(fakeHost(spec), lister);
    assert.equal(before, await probeSignature(fakeHost(spec), lister));
    const tty = await probeSignature(fakeHost({ ...spec, dirs: ['/sys/class/tty/ttyS0', '/sys/class/tty/ttyACM0'] }), lister);
    assert.notEqual(tty, before);
    const mount = await probeSignature(fakeHost({ ...spec, files: { '/proc/self/mounts': 'a / ext4 rw 0 0\n/dev/sdb1 /media/a/CIRCUITPY vfat rw 0 0\n' } }), lister);
    assert.notEqual(mount, before);
    assert.equal(listed, 0);
  });

  it('Windows and macOS: the port list (and /Volumes) make the signature', async () => {
    let ports = [{ path: 'COM5', vendorId: '239A', productId: '80F4' }];
    const lister = async () => ports;
    const host = fakeHost({ platform: 'win32' });
    const one = await probeSignature(host, lister);
    ports = [];
    assert.notEqual(await probeSignature(host, lister), one);
    const mac = await probeSignature(fakeHost({ platform: 'darwin', dirs: ['/Volumes/CIRCUITPY'] }), lister);
    assert.notEqual(mac, await probeSignature(fakeHost({ platform: 'darwin', dirs: ['/Volumes/Macintosh HD'] }), lister));
  });
});
