import { strict as assert } from 'node:assert';
import { findDrives } from '../../../src/device/drives/findDrives';
import { fakeHost, fixture } from './fakeHost';

const picoFs = { bsize: 512, blocks: 2024, bavail: 1978 };
const uf2Info = 'UF2 Bootloader v3.0\r\nModel: Raspberry Pi RP2\r\nBoard-ID: RPI-RP2\r\n';

describe('device: finding CIRCUITPY drives', () => {
  it('Linux: named drives, a renamed drive with an escaped space, a bootloader drive; skips others', async () => {
    const host = fakeHost({
      platform: 'linux',
      env: { USER: 'ann' },
      files: {
        '/proc/self/mounts': fixture('linux-proc-mounts.txt'),
        '/media/ann/CIRCUITPY/boot_out.txt': fixture('boot_out-cp9.txt'),
        '/media/ann/CIRCUITPY1/boot_out.txt': fixture('boot_out-pico2.txt'),
        '/media/ann/MY PICO/boot_out.txt': fixture('boot_out-cp7.txt'),
        '/media/ann/RPI-RP2/INFO_UF2.TXT': uf2Info,
        '/media/ann/USB STICK/photo.jpg': 'x',
        '/boot/efi/EFI/boot.efi': 'x',
      },
      dirs: ['/media/ann/CIRCUITPY2'], // a leftover empty folder from an earlier mount
      statfs: { '/media/ann/CIRCUITPY': picoFs, '/media/ann/MY PICO': picoFs },
    });
    const scan = await findDrives(host);
    assert.deepEqual(scan.drives.map((d) => [d.path, d.source, d.boot?.uid ?? null]), [
      ['/media/ann/CIRCUITPY', 'mount-table', 'E660583883724A32'],
      ['/media/ann/CIRCUITPY1', 'mount-table', '0FB4E6C1C1E9A8D2'],
      ['/media/ann/MY PICO', 'mount-table', null],
    ]);
    const first = scan.drives[0];
    assert.equal(first.totalBytes, 2024 * 512);
    assert.equal(first.freeBytes, 1978 * 512);
    assert.equal(first.blockSize, 512);
    assert.equal(scan.drives[2].readOnly, true);
    assert.equal(scan.drives[2].boot?.version, '7.3.3');
    assert.deepEqual(scan.bootloaderDrives, [{ path: '/media/ann/RPI-RP2', label: 'RPI-RP2', info: 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2' }]);
    assert.deepEqual(scan.notes, []);
  });

  it('Linux without /proc: falls back to `mount` output (Fedora-style /run/media)', async () => {
    const host = fakeHost({
      platform: 'linux',
      env: { USER: 'bo' },
      exec: { mount: fixture('linux-mount-output.txt') },
      files: { '/run/media/bo/Pico Work/boot_out.txt': fixture('boot_out-cp9.txt') },
      dirs: ['/run/media/bo/CIRCUITPY'],
    });
    const scan = await findDrives(host);
    assert.deepEqual(scan.drives.map((d) => [d.path, d.label, d.boot?.recognised ?? null]), [
      ['/run/media/bo/CIRCUITPY', 'CIRCUITPY', null], // a freshly erased drive: no boot_out.txt yet
      ['/run/media/bo/Pico Work', 'Pico Work', true],
    ]);
    assert.deepEqual(host.execCalls, ['mount']);
  });

  it('ChromeOS: drives shared into Linux under /mnt/chromeos/removable', async () => {
    const host = fakeHost({
      platform: 'linux',
      env: { USER: 'cy' },
      files: {
        '/proc/self/mounts': 'tmpfs / tmpfs rw 0 0\nLinuxFiles /mnt/chromeos 9p rw 0 0\n',
        '/mnt/chromeos/removable/CIRCUITPY/boot_out.txt': fixture('boot_out-cp9.txt'),
        '/mnt/chromeos/removable/SD Card/notes.txt': 'x',
      },
    });
    const scan = await findDrives(host);
    assert.deepEqual(scan.drives.map((d) => [d.path, d.source]), [['/mnt/chromeos/removable/CIRCUITPY', 'folder-scan']]);
  });

  it('Linux: reports when no mount table can be read, still scanning folders', async () => {
    const host = fakeHost({ platform: 'linux', env: { USER: 'ann' }, exec: { mount: new Error('mount: not permitted') } });
    const scan = await findDrives(host);
    assert.deepEqual(scan.drives, []);
    assert.equal(scan.notes.length, 1);
    assert.match(scan.notes[0], /mount table/);
  });

  it('macOS: /Volumes from `mount`, a second board as "CIRCUITPY 1", RP2350 bootloader', async () => {
    const host = fakeHost({
      platform: 'darwin',
      exec: { '/sbin/mount': fixture('macos-mount-output.txt') },
      files: {
        '/Volumes/CIRCUITPY/boot_out.txt': fixture('boot_out-cp9.txt'),
        '/Volumes/CIRCUITPY 1/boot_out.txt': fixture('boot_out-cp9-beta-picow.txt'),
        '/Volumes/Backup Disk/big.bin': 'x',
        '/Volumes/RP2350/INFO_UF2.TXT': 'UF2 Bootloader v1.0\nModel: Raspberry Pi RP2350\n',
      },
    });
    const scan = await findDrives(host);
    assert.deepEqual(scan.drives.map((d) => d.path), ['/Volumes/CIRCUITPY', '/Volumes/CIRCUITPY 1']);
    assert.equal(scan.drives[1].boot?.boardName, 'Raspberry Pi Pico W');
    assert.deepEqual(scan.bootloaderDrives.map((d) => d.label), ['RP2350']);
  });

  it('macOS: lists /Volumes when `mount` fails', async () => {
    const host = fakeHost({
      platform: 'darwin',
      exec: { '/sbin/mount': new Error('spawn EACCES') },
      files: { '/Volumes/CIRCUITPY/boot_out.txt': fixture('boot_out-cp9.txt'), '/Volumes/Macintosh HD/x': 'x' },
    });
    const scan = await findDrives(host);
    assert.deepEqual(scan.drives.map((d) => [d.path, d.source]), [['/Volumes/CIRCUITPY', 'folder-scan']]);
    assert.match(scan.notes[0], /listed \/Volumes/);
  });

  it('Windows: volume labels from PowerShell, a renamed removable drive, space from the listing', async () => {
    const host = fakeHost({
      platform: 'win32',
      exec: { 'powershell.exe': fixture('windows-logicaldisk.json') },
      files: {
        'E:\\boot_out.txt': fixture('boot_out-cp9.txt'),
        'G:\\boot_out.txt': fixture('boot_out-pico2.txt'),
        'H:\\INFO_UF2.TXT': uf2Info,
        'Z:\\boot_out.txt': fixture('boot_out-cp9.txt'), // a network share is never looked at
      },
      statfs: { 'E:\\': picoFs },
    });
    const scan = await findDrives(host);
    assert.deepEqual(scan.drives.map((d) => [d.path, d.label, d.freeBytes]), [
      ['E:\\', 'CIRCUITPY', 1978 * 512],
      ['G:\\', 'PICOFORMER', 900096], // statfs failed: numbers from the volume list
    ]);
    assert.deepEqual(scan.bootloaderDrives.map((d) => d.path), ['H:\\']);
    assert.deepEqual(host.execCalls.map((c) => c.split(' ')[0]), ['powershell.exe']);
  });

  it('Windows: falls back to wmic, then to probing drive letters for boot_out.txt', async () => {
    const wmicHost = fakeHost({
      platform: 'win32',
      exec: { 'powershell.exe': new Error('powershell is blocked'), wmic: fixture('windows-wmic.csv') },
      files: { 'E:\\boot_out.txt': fixture('boot_out-cp9.txt') },
    });
    const wmicScan = await findDrives(wmicHost);
    assert.deepEqual(wmicScan.drives.map((d) => d.path), ['E:\\']);
    assert.deepEqual(wmicScan.notes, []);

    const bareHost = fakeHost({ platform: 'win32', files: { 'K:\\boot_out.txt': fixture('boot_out-cp9.txt'), 'L:\\readme.txt': 'x' } });
    const bareScan = await findDrives(bareHost);
    assert.deepEqual(bareScan.drives.map((d) => [d.path, d.source]), [['K:\\', 'folder-scan']]);
    assert.match(bareScan.notes[0], /PowerShell: .*wmic: /);
  });

  it('uses the drive-path override instead of detecting, and says when it is missing', async () => {
    const host = fakeHost({
      platform: 'linux',
      files: { '/proc/self/mounts': fixture('linux-proc-mounts.txt'), '/srv/pico/boot_out.txt': fixture('boot_out-cp9.txt') },
      statfs: { '/srv/pico': picoFs },
    });
    const scan = await findDrives(host, { drivePath: '/srv/pico' });
    assert.deepEqual(scan.drives.map((d) => [d.path, d.source, d.problem]), [['/srv/pico', 'override', undefined]]);
    const missing = await findDrives(host, { drivePath: '/srv/nothing' });
    assert.equal(missing.drives.length, 1);
    assert.match(missing.drives[0].problem ?? '', /does not exist/);
  });

  it('adds extra folders (a virtual Pico drive) and marks them virtual through boot_out.txt', async () => {
    const host = fakeHost({
      platform: 'linux',
      files: { '/proc/self/mounts': '', '/tmp/vpico/boot_out.txt': fixture('boot_out-virtual.txt') },
      statfs: { '/tmp/vpico': picoFs },
    });
    const scan = await findDrives(host, { extraDrives: ['/tmp/vpico'] });
    assert.equal(scan.drives.length, 1);
    assert.equal(scan.drives[0].source, 'extra');
    assert.equal(scan.drives[0].boot?.virtual, true);
  });
});
