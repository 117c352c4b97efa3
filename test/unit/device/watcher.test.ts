import { strict as assert } from 'node:assert';
import { DeviceWatcher, diffDevices, type DeviceChange } from '../../../src/device/watch/deviceWatcher';
import type { BoardDevice, DeviceSnapshot } from '../../../src/device/types';
import { createDeviceWatcher } from '../../../src/device/watch/createDeviceWatcher';
import { FakeClock, settle } from './fakeClock';
import { fakeHost, fixture } from './fakeHost';

function board(key: string, extra: Partial<BoardDevice> = {}): BoardDevice {
  return { key, label: key, virtual: false, firmware: 'circuitpython', ports: [], pairing: 'none', bootloader: false, ...extra };
}

function snapshotOf(devices: BoardDevice[]): DeviceSnapshot {
  return { devices, drives: [], bootloaderDrives: [], ports: [], portSource: 'serialport', notes: [] };
}

/** A world the test changes; counts scans and probes. */
class World {
  devices: BoardDevice[] = [];
  signature = 'a';
  scans = 0;
  probes = 0;
  scan = async () => {
    this.scans++;
    return snapshotOf(this.devices.map((d) => structuredClone(d)));
  };
  probe = async () => {
    this.probes++;
    return this.signature;
  };
}

function summary(change: DeviceChange): string[] {
  return change.events.map((e) => `${e.type} ${e.key}`);
}

describe('device: hot-plug watcher', () => {
  it('does nothing until someone subscribes, and stops when the last one leaves', async () => {
    const clock = new FakeClock();
    const world = new World();
    const watcher = new DeviceWatcher({ scan: world.scan, probe: world.probe, clock });
    await clock.advance(60_000);
    assert.equal(world.scans + world.probes, 0);
    const sub = watcher.subscribe(() => undefined);
    await settle();
    assert.equal(world.scans, 1);
    sub.dispose();
    assert.deepEqual(clock.pending(), []);
    const before = world.scans + world.probes;
    await clock.advance(60_000);
    assert.equal(world.scans + world.probes, before);
  });

  it('reports the first scan even when it is empty, then added / changed / removed with stable keys', async () => {
    const clock = new FakeClock();
    const world = new World();
    const watcher = new DeviceWatcher({ scan: world.scan, probe: world.probe, clock });
    const changes: DeviceChange[] = [];
    watcher.subscribe((c) => changes.push(c));
    await settle();
    assert.equal(changes.length, 1);
    assert.equal(changes[0].initial, true);
    assert.deepEqual(changes[0].events, []);

    world.devices = [board('usb:AAA'), board('usb:BBB')];
    world.signature = 'b';
    await clock.advance(1500);
    assert.deepEqual(summary(changes[1]), ['added usb:AAA', 'added usb:BBB']);
    assert.equal(changes[1].initial, false);

    world.devices = [board('usb:AAA', { label: 'renamed' }), board('usb:BBB')];
    world.signature = 'c';
    await clock.advance(1500);
    assert.deepEqual(summary(changes[2]), ['changed usb:AAA']);
    const changed = changes[2].events[0];
    assert.ok(changed.type === 'changed' && changed.previous.label === 'usb:AAA' && changed.device.label === 'renamed');

    world.devices = [board('usb:BBB')];
    world.signature = 'd';
    await clock.advance(1500);
    assert.deepEqual(summary(changes[3]), ['removed usb:AAA']);
    assert.equal(changes.length, 4);
  });

  it('skips full scans while the probe is unchanged, backs off to the maximum, snaps back on change', async () => {
    const clock = new FakeClock();
    const world = new World();
    const watcher = new DeviceWatcher({ scan: world.scan, probe: world.probe, clock, intervalMs: 1000, maxIntervalMs: 4000, backoff: 2, fullScanEveryMs: 60_000 });
    watcher.subscribe(() => undefined);
    await settle();
    assert.equal(world.scans, 1);
    assert.deepEqual(clock.pending(), [1000]);
    await clock.advance(1000);
    assert.deepEqual(clock.pending(), [2000]); // nothing changed: backing off
    await clock.advance(2000);
    assert.deepEqual(clock.pending(), [4000]);
    await clock.advance(4000);
    assert.deepEqual(clock.pending(), [4000]); // capped
    assert.equal(world.scans, 1);
    assert.equal(world.probes, 4);

    world.devices = [board('usb:AAA')];
    world.signature = 'plugged';
    await clock.advance(4000);
    assert.equal(world.scans, 2);
    assert.deepEqual(clock.pending(), [1000]);
  });

  it('still runs a full scan now and then when the probe never changes (and without a probe, every time)', async () => {
    const clock = new FakeClock();
    const world = new World();
    const watcher = new DeviceWatcher({ scan: world.scan, probe: world.probe, clock, intervalMs: 1000, maxIntervalMs: 1000, fullScanEveryMs: 5000 });
    watcher.subscribe(() => undefined);
    await clock.advance(10_000);
    assert.equal(world.scans, 3); // t=0, t=5000, t=10000

    const plain = new World();
    const noProbe = new DeviceWatcher({ scan: plain.scan, clock, intervalMs: 1000, maxIntervalMs: 1000 });
    noProbe.subscribe(() => undefined);
    await clock.advance(3000);
    assert.equal(plain.scans, 4);
  });

  it('lists several boards separately and replays known boards to a late subscriber', async () => {
    const clock = new FakeClock();
    const world = new World();
    world.devices = [board('usb:AAA'), board('usb:BBB'), board('virtual:/tmp/v', { virtual: true })];
    const watcher = new DeviceWatcher({ scan: world.scan, probe: world.probe, clock });
    const first: DeviceChange[] = [];
    const late: DeviceChange[] = [];
    watcher.subscribe((c) => first.push(c));
    await settle();
    watcher.subscribe((c) => late.push(c));
    await settle();
    assert.deepEqual(summary(first[0]), ['added usb:AAA', 'added usb:BBB', 'added virtual:/tmp/v']);
    assert.deepEqual(summary(late[0]), summary(first[0]));
    assert.equal(world.scans, 1); // the late subscriber did not cause a scan
  });

  it('refresh() scans at once and resolves with the snapshot; scan errors are reported, polling continues', async () => {
    const clock = new FakeClock();
    const world = new World();
    let fail = true;
    const errors: string[] = [];
    const watcher = new DeviceWatcher({
      scan: async () => {
        if (fail) throw new Error('boom');
        return world.scan();
      },
      clock,
      intervalMs: 1000,
      onError: (m) => errors.push(m),
    });
    watcher.subscribe(() => undefined);
    await settle();
    assert.deepEqual(errors, ['Device scan failed: boom']);
    assert.equal(clock.pending().length, 1);
    fail = false;
    world.devices = [board('usb:AAA')];
    const snapshot = await watcher.refresh();
    assert.deepEqual(snapshot?.devices.map((d) => d.key), ['usb:AAA']);
    assert.equal(watcher.current(), snapshot);
    assert.equal(clock.pending().length, 1); // exactly one timer, never a second loop
  });

  it('free space alone is not a change; a scan finishing after unsubscribe is dropped', async () => {
    const drive = { path: '/m/CIRCUITPY', source: 'mount-table' as const, freeBytes: 100 };
    const before = new Map([['usb:AAA', board('usb:AAA', { drive })]]);
    assert.deepEqual(diffDevices(before, [board('usb:AAA', { drive: { ...drive, freeBytes: 50 } })]), []);
    assert.equal(diffDevices(before, [board('usb:AAA', { drive: { ...drive, readOnly: true } })])[0].type, 'changed');

    const clock = new FakeClock();
    let release: () => void = () => undefined;
    const calls: DeviceChange[] = [];
    const watcher = new DeviceWatcher({
      scan: () => new Promise((resolve) => (release = () => resolve(snapshotOf([board('usb:AAA')])))),
      clock,
    });
    const sub = watcher.subscribe((c) => calls.push(c));
    await settle();
    sub.dispose();
    release();
    await settle();
    assert.deepEqual(calls, []);
    assert.deepEqual(clock.pending(), []);
  });
});

describe('device: the watcher wired to a host', () => {
  it('scans a recorded machine, and a settings change alone triggers a new scan', async () => {
    const host = fakeHost({
      platform: 'linux',
      env: { USER: 'ann' },
      files: { '/proc/self/mounts': '/dev/sdb1 /media/ann/CIRCUITPY vfat rw 0 0\n', '/media/ann/CIRCUITPY/boot_out.txt': fixture('boot_out-cp9.txt'), '/srv/pico/boot_out.txt': fixture('boot_out-pico2.txt') },
    });
    const clock = new FakeClock();
    let drivePath = '';
    const watcher = createDeviceWatcher({ host, lister: async () => [], clock, settings: () => ({ drivePath }) });
    const changes: DeviceChange[] = [];
    watcher.subscribe((c) => changes.push(c));
    await settle();
    assert.deepEqual(summary(changes[0]), ['added usb:E660583883724A32']);
    await clock.advance(1500);
    assert.equal(changes.length, 1);
    drivePath = '/srv/pico';
    await clock.advance(2250);
    assert.deepEqual(summary(changes[1]).sort(), ['added usb:0FB4E6C1C1E9A8D2', 'removed usb:E660583883724A32']);
    watcher.dispose();
  });
});
