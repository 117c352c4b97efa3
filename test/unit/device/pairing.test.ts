import { strict as assert } from 'node:assert';
import { parseBootOut } from '../../../src/device/drives/bootOut';
import { classifyPorts } from '../../../src/device/ports/classifyPorts';
import { listPorts } from '../../../src/device/ports/listPorts';
import { runsPicoformerRuntime } from '../../../src/device/compatibility';
import { pairDevices } from '../../../src/device/ports/pairDevices';
import { parseExtraUsbIds } from '../../../src/device/ports/usbIds';
import type { DriveInfo, PortInfo, RawPortInfo } from '../../../src/device/types';
import { scanDevices } from '../../../src/device/watch/scanDevices';
import { fakeHost, fixture, type FakeHostSpec } from './fakeHost';

function drive(p: string, bootFixture?: string): DriveInfo {
  return { path: p, label: 'CIRCUITPY', source: 'mount-table', ...(bootFixture ? { boot: parseBootOut(fixture(bootFixture)) } : {}) };
}

describe('device: USB ids', () => {
  it('parses extra VID:PID pairs in either case with or without 0x, and reports bad ones', () => {
    const { ids, notes } = parseExtraUsbIds(['1209:c0de', '0x239A:0x8999', 'nonsense', '239A:80F4:1', '12:34']);
    assert.deepEqual(ids.map((i) => `${i.vendorId}:${i.productId}`), ['1209:C0DE', '239A:8999']);
    assert.equal(notes.length, 3);
    assert.match(notes[0], /"nonsense"/);
  });
});

describe('device: classifying ports', () => {
  it('known boards, the bootloader, user ids, and others; console/data by interface name or number', () => {
    const ports: PortInfo[] = [
      { path: '/dev/ttyACM0', vendorId: '239A', productId: '80F4', interfaceName: 'CircuitPython CDC control', interfaceNumber: 0, source: 'sysfs' },
      { path: '/dev/ttyACM1', vendorId: '239A', productId: '80F4', interfaceNumber: 2, source: 'serialport' },
      { path: '/dev/ttyACM2', vendorId: '2E8A', productId: '0003', source: 'serialport' },
      { path: '/dev/ttyACM3', vendorId: '1209', productId: 'C0DE', source: 'serialport' },
      { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', source: 'serialport' },
    ];
    const classified = classifyPorts(ports, parseExtraUsbIds(['1209:C0DE']).ids);
    assert.deepEqual(classified.map((p) => [p.path, p.role, p.channel, p.channelBasis ?? null, p.identity?.origin ?? null]), [
      ['/dev/ttyACM0', 'board', 'console', 'interface-name', 'known'],
      ['/dev/ttyACM1', 'board', 'data', 'interface-number', 'known'],
      ['/dev/ttyACM2', 'bootloader', 'unknown', null, 'known'],
      ['/dev/ttyACM3', 'board', 'console', 'only-port', 'user'],
      ['/dev/ttyUSB0', 'other', 'unknown', null, null],
    ]);
  });

  it('macOS without interface numbers: the lower-numbered of a pair is the console (a guess, marked as such)', async () => {
    const raw = JSON.parse(fixture('ports-macos-serialport.json')) as RawPortInfo[];
    const listing = await listPorts(fakeHost({ platform: 'darwin' }), { lister: async () => raw });
    const classified = classifyPorts(listing.ports);
    assert.deepEqual(classified.map((p) => [p.path, p.channel, p.channelBasis ?? null]), [
      ['/dev/cu.Bluetooth-Incoming-Port', 'unknown', null],
      ['/dev/cu.usbmodem14101', 'console', 'order'],
      ['/dev/cu.usbmodem14103', 'data', 'order'],
      ['/dev/cu.usbmodem14201', 'console', 'only-port'],
    ]);
  });
});

describe('device: pairing ports with drives', () => {
  it('pairs by USB serial number = boot_out UID, case-insensitively; lists several boards separately', () => {
    const ports = classifyPorts([
      { path: '/dev/ttyACM0', vendorId: '239A', productId: '80F4', serialNumber: 'e660583883724a32', interfaceNumber: 0, source: 'serialport' },
      { path: '/dev/ttyACM1', vendorId: '239A', productId: '80F4', serialNumber: 'e660583883724a32', interfaceNumber: 2, source: 'serialport' },
      { path: '/dev/ttyACM2', vendorId: '2E8A', productId: '000B', serialNumber: '0FB4E6C1C1E9A8D2', interfaceNumber: 0, source: 'serialport' },
    ]);
    const devices = pairDevices([drive('/media/a/CIRCUITPY1', 'boot_out-pico2.txt'), drive('/media/a/CIRCUITPY', 'boot_out-cp9.txt')], [], ports);
    assert.deepEqual(devices.map((d) => [d.key, d.drive?.path, d.console?.path, d.data?.path ?? null, d.pairing]), [
      ['usb:E660583883724A32', '/media/a/CIRCUITPY', '/dev/ttyACM0', '/dev/ttyACM1', 'serial-number'],
      ['usb:0FB4E6C1C1E9A8D2', '/media/a/CIRCUITPY1', '/dev/ttyACM2', null, 'serial-number'],
    ]);
    assert.equal(devices[0].label, 'Raspberry Pi Pico · CircuitPython 9.2.8');
    assert.equal(devices[1].label, 'Raspberry Pi Pico 2 · CircuitPython 9.2.1');
  });

  it('pairs the only board with the only drive when the OS hides serial numbers (Windows)', async () => {
    const raw = JSON.parse(fixture('ports-windows-serialport.json')) as RawPortInfo[];
    const listing = await listPorts(fakeHost({ platform: 'win32' }), { lister: async () => raw });
    const devices = pairDevices([drive('E:\\', 'boot_out-cp9.txt')], [], classifyPorts(listing.ports));
    const pico = devices.find((d) => d.drive);
    assert.ok(pico);
    assert.equal(pico.key, 'usb:E660583883724A32'); // from the drive's UID: stable once the drive is seen
    assert.equal(pico.pairing, 'only-one');
    assert.deepEqual([pico.console?.path, pico.data?.path], ['COM5', 'COM6']);
    const micropython = devices.find((d) => d.firmware === 'micropython');
    assert.equal(micropython?.drive, undefined); // MicroPython has no CIRCUITPY drive: never paired by elimination
    assert.equal(devices.length, 2); // COM1 is not a board
  });

  it('does not pair two known but different ids, nor a virtual drive, by elimination', () => {
    const ports = classifyPorts([{ path: '/dev/ttyACM0', vendorId: '239A', productId: '80F4', serialNumber: 'AAAA', source: 'serialport' }]);
    const devices = pairDevices([drive('/media/a/CIRCUITPY', 'boot_out-cp9.txt')], [], ports);
    assert.deepEqual(devices.map((d) => [d.key, d.pairing]), [['usb:AAAA', 'none'], ['usb:E660583883724A32', 'none']]);
    const withVirtual = pairDevices([drive('/tmp/vpico', 'boot_out-virtual.txt')], [], classifyPorts([{ path: '/dev/ttyACM0', vendorId: '239A', productId: '80F4', source: 'serialport' }]));
    assert.deepEqual(withVirtual.map((d) => [d.key, d.virtual, d.pairing]), [
      ['port:/dev/ttyACM0', false, 'none'],
      ['virtual:/tmp/vpico', true, 'none'],
    ]);
    assert.equal(withVirtual[1].label, 'Picoformer Virtual Pico · CircuitPython 9.2.8 · virtual', 'an old virtual boot_out.txt');
    const current = pairDevices([drive('/tmp/vpico', 'boot_out-virtual-mp.txt')], [], []);
    assert.equal(current[0].label, 'Picoformer Virtual Pico · MicroPython 1.27.0 · virtual');
    assert.equal(runsPicoformerRuntime(current[0]), true, 'the virtual Pico runs the runtime, MicroPython or not');
  });

  it('lists bootloader drives as boards that need CircuitPython', () => {
    const [device] = pairDevices([], [{ path: '/media/a/RPI-RP2', label: 'RPI-RP2' }], []);
    assert.equal(device.bootloader, true);
    assert.equal(device.key, 'bootsel:/media/a/RPI-RP2');
    assert.match(device.label, /BOOTSEL.*install CircuitPython/);
  });
});

describe('device: a whole scan', () => {
  it('Linux machine with two Picos, a renamed drive, a bootloader drive and a bad setting', async () => {
    const recorded = JSON.parse(fixture('sysfs-pico.json')) as Pick<FakeHostSpec, 'files' | 'dirs' | 'links'>;
    const host = fakeHost({
      platform: 'linux',
      env: { USER: 'ann', PATH: '/usr/bin' },
      files: {
        ...recorded.files,
        '/usr/bin/udevadm': 'ELF',
        '/proc/self/mounts': fixture('linux-proc-mounts.txt'),
        '/media/ann/CIRCUITPY/boot_out.txt': fixture('boot_out-cp9.txt'),
        '/media/ann/CIRCUITPY1/boot_out.txt': fixture('boot_out-pico2.txt'),
        '/media/ann/MY PICO/boot_out.txt': fixture('boot_out-cp7.txt'),
        '/media/ann/RPI-RP2/INFO_UF2.TXT': 'UF2 Bootloader v3.0\n',
      },
      dirs: recorded.dirs,
      links: recorded.links,
    });
    const raw = JSON.parse(fixture('ports-linux-serialport.json')) as RawPortInfo[];
    const snapshot = await scanDevices(host, { lister: async () => raw, extraUsbIds: ['zz'] });
    assert.equal(snapshot.portSource, 'serialport');
    assert.deepEqual(snapshot.devices.map((d) => [d.key, d.drive?.path ?? null, d.console?.path ?? null, d.data?.path ?? null]), [
      ['drive:/media/ann/MY PICO', '/media/ann/MY PICO', null, null],
      ['usb:E660583883724A32', '/media/ann/CIRCUITPY', '/dev/ttyACM0', '/dev/ttyACM1'],
      ['usb:0FB4E6C1C1E9A8D2', '/media/ann/CIRCUITPY1', null, null],
      ['usb:E6614C311B7A8B2F', null, '/dev/ttyACM2', null],
      ['bootsel:/media/ann/RPI-RP2', null, null, null],
    ]);
    assert.equal(snapshot.ports.length, 5);
    assert.equal(snapshot.notes.length, 1);
    assert.match(snapshot.notes[0], /"zz"/);
  });
});
