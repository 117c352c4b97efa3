// picoformer devices: the report's text and JSON on recorded-style snapshots (built with the real classify/pair
// code), the exit code, the options it passes to detection, and the pickers deploy and run use.
import assert from 'node:assert/strict';
import { devicesCommand } from '../../../src/cli/commands/devices';
import type { DeviceProbe, ScanRequest } from '../../../src/cli/detect';
import { DetectionError, pickConsole, pickDrive } from '../../../src/cli/detect';
import { cliHint, formatDevices, table } from '../../../src/cli/deviceText';
import { parseBootOut } from '../../../src/device/drives/bootOut';
import { classifyPorts } from '../../../src/device/ports/classifyPorts';
import { pairDevices } from '../../../src/device/ports/pairDevices';
import type { BootloaderDrive, DeviceSnapshot, DriveInfo, PortInfo } from '../../../src/device/types';
import type { Finding } from '../../../src/device/watch/diagnose';

const PicoBoot = 'Adafruit CircuitPython 9.2.8 on 2025-05-28; Raspberry Pi Pico with rp2040\r\nBoard ID:raspberry_pi_pico\r\nUID:E660583883724A32\r\n';
const VirtualBoot = 'Adafruit CircuitPython 9.2.8 on 2026-11-28; Picoformer Virtual Pico with rp2040-wasm\r\nBoard ID:picoformer_virtual_pico\r\nUID:0123456789ABCDEF\r\n';

function picoDrive(path = '/media/ann/CIRCUITPY', boot = PicoBoot): DriveInfo {
  return { path, label: 'CIRCUITPY', source: 'mount-table', boot: parseBootOut(boot), totalBytes: 1_048_576, freeBytes: 831_488, blockSize: 512 };
}

function picoPorts(serial = 'E660583883724A32', base = 0): PortInfo[] {
  const common = { vendorId: '239A', productId: '80F4', serialNumber: serial, manufacturer: 'Raspberry Pi', product: 'Pico', source: 'serialport' as const, usbDeviceHint: `1-1.${base}` };
  return [
    { ...common, path: `/dev/ttyACM${base}`, interfaceNumber: 0, interfaceName: 'CircuitPython CDC control' },
    { ...common, path: `/dev/ttyACM${base + 1}`, interfaceNumber: 2, interfaceName: 'CircuitPython CDC2 control' },
  ];
}

function snapshot(drives: DriveInfo[], ports: PortInfo[], bootloaderDrives: BootloaderDrive[] = [], notes: string[] = []): DeviceSnapshot {
  const classified = classifyPorts(ports);
  return { devices: pairDevices(drives, bootloaderDrives, classified), drives, bootloaderDrives, ports: classified, portSource: 'serialport', notes };
}

const serialPortS0: PortInfo = { path: '/dev/ttyS0', source: 'serialport' };

const nothingFound: Finding = {
  code: 'nothing-found',
  severity: 'error',
  message: 'No Pico found: no CIRCUITPY drive and no CircuitPython serial port.',
  hint: 'Use a data cable. Set picoformer.serialPort to the port by hand.',
};

function fakeProbe(snap: DeviceSnapshot, findings: Finding[] = []): { probe: DeviceProbe; requests: ScanRequest[] } {
  const requests: ScanRequest[] = [];
  return {
    requests,
    probe: {
      scan: async (request) => {
        requests.push(request);
        return snap;
      },
      findings: async () => findings,
    },
  };
}

async function runDevices(snap: DeviceSnapshot, args: string[], findings: Finding[] = [], virtualDrive?: string) {
  const fake = fakeProbe(snap, findings);
  let out = '';
  let err = '';
  const code = await devicesCommand({ probe: () => fake.probe, virtualDrive: () => virtualDrive }).run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err, requests: fake.requests };
}

describe('picoformer devices', () => {
  it('lists a paired Pico: drive facts, console and data ports, and how they were paired', async () => {
    const r = await runDevices(snapshot([picoDrive()], [...picoPorts(), serialPortS0]), []);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Boards \(1\):\n {2}Raspberry Pi Pico · CircuitPython 9\.2\.8\n/);
    assert.match(r.out, /\n {4}drive {4}\/media\/ann\/CIRCUITPY\n {4}console {2}\/dev\/ttyACM0\n {4}data {5}\/dev\/ttyACM1\n {4}serial {3}E660583883724A32\n/);
    assert.match(r.out, /paired +drive and port matched by USB serial number = boot_out\.txt UID/);
    assert.match(r.out, /Drives \(1\):\n {2}\/media\/ann\/CIRCUITPY {2}CircuitPython 9\.2\.8, Raspberry Pi Pico \(raspberry_pi_pico\), UID E660583883724A32, 812\.0 KB free of 1\.0 MB\n/);
    assert.match(r.out, /Serial ports \(3\):\n {2}\/dev\/ttyACM0 {2}239A:80F4 {2}board console {2}serial E660583883724A32 {2}Raspberry Pi Pico\n/);
    assert.match(r.out, /\/dev\/ttyS0 {4}- {10}other/);
    assert.doesNotMatch(r.out, /Why nothing was found|Problems/);
  });

  it('marks the virtual Pico and does not count it as a board for the exit code', async () => {
    const r = await runDevices(snapshot([picoDrive('/home/ann/.cache/picoformer/virtual-pico/CIRCUITPY', VirtualBoot)], []), [], [], '/home/ann/.cache/picoformer/virtual-pico/CIRCUITPY');
    assert.equal(r.code, 1);
    assert.match(r.out, /Picoformer Virtual Pico · CircuitPython 9\.2\.8 · virtual \[virtual\]/);
    assert.match(r.out, /virtual, CircuitPython 9\.2\.8, Picoformer Virtual Pico \(picoformer_virtual_pico\)/);
    assert.deepEqual(r.requests[0].extraDrives, ['/home/ann/.cache/picoformer/virtual-pico/CIRCUITPY']);
  });

  it('when nothing is found, prints the diagnosis with command-line hints and exits 1', async () => {
    const r = await runDevices(snapshot([], [serialPortS0]), [], [nothingFound]);
    assert.equal(r.code, 1);
    assert.match(r.out, /^Boards: none found\.\n/);
    assert.match(r.out, /Why nothing was found:\n {2}x No Pico found: no CIRCUITPY drive and no CircuitPython serial port\.\n {4}try: Use a data cable\. name the port with --port PATH\.\n$/);
  });

  it('shows a board that lost its drive, a bootloader drive and scan notes', async () => {
    const bootsel: BootloaderDrive = { path: '/media/ann/RPI-RP2', label: 'RPI-RP2', info: 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2' };
    const r = await runDevices(snapshot([], picoPorts(), [bootsel], ['udevadm not found: read /sys instead']), []);
    assert.equal(r.code, 0);
    assert.match(r.out, /paired +no drive found for this port/);
    assert.match(r.out, /Bootloader drives \(1\):\n {2}\/media\/ann\/RPI-RP2 {2}RPI-RP2 {2}UF2 Bootloader v3\.0\n/);
    assert.match(r.out, /Notes:\n {2}udevadm not found: read \/sys instead\n/);
  });

  it('--json gives the snapshot and the findings, and the options reach detection', async () => {
    const r = await runDevices(snapshot([picoDrive()], picoPorts()), ['--json', '--drive', '/mnt/odd', '--port', '/dev/ttyUSB9', '--usb-id', '1209:0001', '--usb-id', '2E8A:1000'], [nothingFound]);
    const parsed = JSON.parse(r.out) as DeviceSnapshot & { findings: Finding[] };
    assert.equal(parsed.devices.length, 1);
    assert.equal(parsed.devices[0].key, 'usb:E660583883724A32');
    assert.equal(parsed.devices[0].pairing, 'serial-number');
    assert.equal(parsed.drives[0].boot?.version, '9.2.8');
    assert.equal(parsed.ports.length, 2);
    assert.equal(parsed.findings[0].hint, 'Use a data cable. name the port with --port PATH.');
    assert.deepEqual(r.requests[0], { extraDrives: ['/mnt/odd'], serialPort: '/dev/ttyUSB9', extraUsbIds: ['1209:0001', '2E8A:1000'] });
  });

  it('refuses positional arguments and unknown options', async () => {
    await assert.rejects(runDevices(snapshot([], []), ['extra']), /unexpected argument "extra"/);
    await assert.rejects(runDevices(snapshot([], []), ['--frob']), /Unknown option '--frob'/);
  });
});

describe('device text helpers', () => {
  it('table pads every column but the last', () => {
    assert.equal(table([['a', 'bbb', 'c'], ['dddd', 'e', '']]), '  a     bbb  c\n  dddd  e');
  });

  it('cliHint turns the extension settings into options', () => {
    assert.equal(cliHint('add "239A:1234" to picoformer.extraUsbIds.'), 'pass --usb-id 239A:1234.');
    assert.equal(cliHint('or set picoformer.drivePath to its folder.'), 'or name its folder with --drive PATH.');
    assert.equal(cliHint('Fix or clear the picoformer.drivePath setting.'), 'Check the folder given with --drive.');
    assert.equal(cliHint('add its USB VID:PID to picoformer.extraUsbIds, or set picoformer.serialPort.'), 'pass its USB VID:PID with --usb-id VID:PID, or name the port with --port PATH.');
  });

  it('a read-only drive and a drive with a problem say so', () => {
    const drive: DriveInfo = { ...picoDrive(), readOnly: true };
    const broken: DriveInfo = { path: '/nope', source: 'override', problem: 'The folder /nope does not exist.' };
    const text = formatDevices({ devices: [], drives: [drive, broken], bootloaderDrives: [], ports: [], portSource: 'none', notes: [] }, []);
    assert.match(text, /812\.0 KB free of 1\.0 MB, READ-ONLY\n/);
    assert.match(text, /\/nope {17}no boot_out\.txt, problem: The folder \/nope does not exist\.\n/);
    assert.match(text, /Serial ports: none \(the port list failed\)\./);
  });
});

describe('choosing the board', () => {
  it('pickDrive takes the only real drive, ignoring virtual ones', () => {
    const snap = snapshot([picoDrive(), picoDrive('/tmp/v', VirtualBoot)], picoPorts());
    assert.equal(pickDrive(snap, []).path, '/media/ann/CIRCUITPY');
  });

  it('pickDrive lists several drives, or explains an empty scan', () => {
    const two = snapshot([picoDrive('/media/ann/CIRCUITPY'), picoDrive('/media/ann/CIRCUITPY1', PicoBoot.replace('E660583883724A32', 'E6605838837200FF'))], []);
    assert.throws(() => pickDrive(two, []), (e: Error) => e instanceof DetectionError && /2 CIRCUITPY drives found; choose one with --drive PATH:\n {2}\/media\/ann\/CIRCUITPY \(Raspberry Pi Pico, UID E660583883724A32\)\n {2}\/media\/ann\/CIRCUITPY1/.test(e.message));
    assert.throws(() => pickDrive(snapshot([], []), [nothingFound]), /no CIRCUITPY drive found \(name one with --drive PATH, or use --virtual\)\.\n {2}No Pico found.*\n {4}try: Use a data cable\. name the port with --port PATH\./);
  });

  it('pickConsole takes the console of the only CircuitPython board, or lists them', () => {
    assert.equal(pickConsole(snapshot([picoDrive()], picoPorts()), []), '/dev/ttyACM0');
    const two = snapshot([], [...picoPorts('AAAA', 0), ...picoPorts('BBBB', 2)]);
    assert.throws(() => pickConsole(two, []), /2 boards found; choose one with --port PATH:\n {2}\/dev\/ttyACM0 {2}Raspberry Pi Pico · CircuitPython\n {2}\/dev\/ttyACM2/);
    assert.throws(() => pickConsole(snapshot([picoDrive()], []), []), /no board with a serial console found/);
  });
});
