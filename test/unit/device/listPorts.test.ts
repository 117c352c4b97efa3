import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { listPorts } from '../../../src/device/ports/listPorts';
import type { RawPortInfo } from '../../../src/device/types';
import { fakeHost, fixture, type FakeHostSpec } from './fakeHost';

function sysfsSpec(extra: Partial<FakeHostSpec> = {}): FakeHostSpec {
  const recorded = JSON.parse(fixture('sysfs-pico.json')) as Pick<FakeHostSpec, 'files' | 'dirs' | 'links'>;
  return { platform: 'linux', env: { PATH: '/usr/local/bin:/usr/bin:/bin' }, ...recorded, ...extra };
}
const udevadmOnPath = { '/usr/bin/udevadm': 'ELF' };
const spawnEnoent = () => Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT', errno: -2, syscall: 'spawn udevadm', path: 'udevadm' });

describe('device: listing serial ports', () => {
  it('never lets a missing udevadm reach the caller: falls back to /sys (lister rejects)', async () => {
    const host = fakeHost(sysfsSpec());
    const listing = await listPorts(host, { lister: () => Promise.reject(spawnEnoent()) });
    assert.equal(listing.source, 'sysfs');
    assert.deepEqual(listing.ports.map((p) => p.path), ['/dev/ttyACM0', '/dev/ttyACM1', '/dev/ttyACM2', '/dev/ttyS0']);
    assert.match(listing.notes.join('\n'), /udevadm/);
  });

  it('does not even call list() when udevadm is not on PATH (the spawn error could escape it)', async () => {
    const host = fakeHost(sysfsSpec());
    let called = false;
    const listing = await listPorts(host, {
      lister: () => {
        called = true;
        throw spawnEnoent(); // a lister that fails synchronously
      },
    });
    assert.equal(called, false);
    assert.equal(listing.source, 'sysfs');
    assert.equal(listing.ports.length, 4);
  });
});

describe('device: listing serial ports (normalising and merging)', () => {
  it('Linux with udevadm: serialport entries gain interface names from /sys', async () => {
    const host = fakeHost(sysfsSpec({ files: { ...sysfsSpec().files, ...udevadmOnPath } }));
    const raw = JSON.parse(fixture('ports-linux-serialport.json')) as RawPortInfo[];
    const listing = await listPorts(host, { lister: async () => raw });
    assert.equal(listing.source, 'serialport');
    assert.deepEqual(listing.notes, []);
    const acm1 = listing.ports.find((p) => p.path === '/dev/ttyACM1');
    assert.ok(acm1);
    assert.equal(acm1.vendorId, '239A');
    assert.equal(acm1.productId, '80F4');
    assert.equal(acm1.interfaceNumber, 2);
    assert.equal(acm1.interfaceName, 'CircuitPython CDC2 control');
    const ftdi = listing.ports.find((p) => p.path === '/dev/ttyUSB0');
    assert.equal(ftdi?.interfaceNumber, 0); // from "-if00-port0"
  });

  it('Linux: a list() that hangs or fails falls back to /sys with a note', async () => {
    const host = fakeHost(sysfsSpec({ files: { ...sysfsSpec().files, ...udevadmOnPath } }));
    const hung = await listPorts(host, { lister: () => new Promise(() => undefined), timeoutMs: 30 });
    assert.equal(hung.source, 'sysfs');
    assert.match(hung.notes[0], /no answer after 30 ms/);
    const failed = await listPorts(host, { lister: () => Promise.reject(new Error('Error listing ports udevadm exited with error code: 1')) });
    assert.equal(failed.source, 'sysfs');
    assert.equal(failed.ports.length, 4);
  });

  it('Linux: a failing udevadm makes list() resolve empty; /sys supplies the ports it missed', async () => {
    const host = fakeHost(sysfsSpec({ files: { ...sysfsSpec().files, ...udevadmOnPath } }));
    const empty = await listPorts(host, { lister: async () => [] });
    assert.equal(empty.source, 'sysfs');
    assert.deepEqual(empty.ports.map((p) => p.path), ['/dev/ttyACM0', '/dev/ttyACM1', '/dev/ttyACM2', '/dev/ttyS0']);
    assert.match(empty.notes[0], /udevadm reported no serial ports/);
    const partial = await listPorts(host, { lister: async () => [{ path: '/dev/ttyACM2', vendorId: '239a', productId: '8120' }] });
    assert.equal(partial.source, 'serialport');
    assert.deepEqual(partial.ports.map((p) => p.path), ['/dev/ttyACM2', '/dev/ttyACM0', '/dev/ttyACM1', '/dev/ttyS0']);
  });

  it('/sys fallback reads ids, serials, interface numbers and names, by-id names; skips phantom UARTs', async () => {
    const listing = await listPorts(fakeHost(sysfsSpec()), { lister: async () => [] });
    const [acm0, acm1, acm2, ttyS0] = listing.ports;
    assert.deepEqual(acm0, {
      path: '/dev/ttyACM0',
      source: 'sysfs',
      vendorId: '239A',
      productId: '80F4',
      serialNumber: 'E660583883724A32',
      manufacturer: 'Raspberry Pi',
      product: 'Pico',
      interfaceNumber: 0,
      interfaceName: 'CircuitPython CDC control',
      usbDeviceHint: '/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1',
      pnpId: 'usb-Raspberry_Pi_Pico_E660583883724A32-if00',
    });
    assert.equal(acm1.interfaceNumber, 2);
    assert.equal(acm2.productId, '8120');
    assert.equal(acm2.interfaceName, undefined);
    assert.deepEqual(ttyS0, { path: '/dev/ttyS0', source: 'sysfs' });
  });

  it('macOS: lower-case and short ids are normalised; locationId groups a device', async () => {
    const raw = JSON.parse(fixture('ports-macos-serialport.json')) as RawPortInfo[];
    const listing = await listPorts(fakeHost({ platform: 'darwin' }), { lister: async () => raw });
    const micropython = listing.ports[3];
    assert.equal(micropython.vendorId, '2E8A');
    assert.equal(micropython.productId, '0005');
    assert.equal(listing.ports[1].usbDeviceHint, 'location:14100000');
    assert.equal(listing.ports[1].interfaceNumber, undefined);
  });

  it('Windows: interface numbers from MI_xx; instance ids are not taken for serial numbers', async () => {
    const raw = JSON.parse(fixture('ports-windows-serialport.json')) as RawPortInfo[];
    const listing = await listPorts(fakeHost({ platform: 'win32' }), { lister: async () => raw });
    const [com1, com5, com6, com7] = listing.ports;
    assert.equal(com1.vendorId, undefined);
    assert.equal(com5.serialNumber, undefined);
    assert.equal(com5.usbDeviceHint, '6&2F3B6C8&0');
    assert.equal(com6.usbDeviceHint, '6&2F3B6C8&0');
    assert.equal(com5.interfaceNumber, 0);
    assert.equal(com6.interfaceNumber, 2);
    assert.equal(com7.serialNumber, 'E6614C311B7A8B2F');
    assert.equal(com7.interfaceNumber, undefined);
  });

  it('outside Linux a failing list() gives an empty listing with the reason, not an exception', async () => {
    const listing = await listPorts(fakeHost({ platform: 'win32' }), {
      lister: () => Promise.reject(new Error('No native build was found for platform=win32')),
    });
    assert.equal(listing.source, 'none');
    assert.match(listing.notes[0], /No native build/);
  });

  it('adds the manual port from settings when it exists and is not listed, says so when it does not exist', async () => {
    const host = fakeHost({ platform: 'darwin', stats: { '/dev/ttys004': { mode: 0o20620 } } });
    const listing = await listPorts(host, { lister: async () => [], serialPort: '/dev/ttys004' });
    assert.deepEqual(listing.ports, [{ path: '/dev/ttys004', source: 'manual' }]);
    const missing = await listPorts(host, { lister: async () => [], serialPort: '/dev/ttys999' });
    assert.deepEqual(missing.ports, []);
    assert.match(missing.notes[0], /does not exist/);
    const windows = await listPorts(fakeHost({ platform: 'win32' }), { lister: async () => [{ path: 'COM5' }], serialPort: 'com5' });
    assert.equal(windows.ports.length, 1);
    assert.equal(windows.ports[0].source, 'manual');
  });
});

describe('device: listing serial ports in a real process without udevadm', function () {
  this.timeout(30000);
  const runChild = (pathDirs: string[]) => {
    const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'scripts', 'listPortsInChild.ts')], {
      env: { ...process.env, PATH: pathDirs.join(path.delimiter) },
      encoding: 'utf8',
      cwd: path.join(__dirname, '..', '..', '..'),
    });
    return result;
  };

  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  it('udevadm missing from PATH: exits normally, ports read from /sys', () => {
    const result = runChild([mkdtempSync(path.join(tmpdir(), 'pf-nopath-'))]);
    assert.equal(result.status, 0, result.stderr);
    const listing = JSON.parse(result.stdout) as { source: string; notes: string[] };
    assert.equal(listing.source, 'sysfs');
    assert.match(listing.notes[0], /udevadm is not installed/);
  });

  it('a udevadm that fails: serialport resolves with nothing, /sys still supplies the ports', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pf-udevadm-'));
    writeFileSync(path.join(dir, 'udevadm'), '#!/bin/sh\necho "udevadm: broken" >&2\nexit 3\n');
    chmodSync(path.join(dir, 'udevadm'), 0o755);
    const result = runChild([dir, '/bin', '/usr/bin']);
    assert.equal(result.status, 0, result.stderr);
    const listing = JSON.parse(result.stdout) as { source: string; notes: string[] };
    // The real serialport ran the failing udevadm; whatever /sys holds on this machine, the process survived and
    // answered (with /sys ports when there are any).
    assert.ok(['serialport', 'sysfs'].includes(listing.source));
    if (listing.source === 'sysfs') assert.match(listing.notes[0], /udevadm reported no serial ports/);
  });
});
