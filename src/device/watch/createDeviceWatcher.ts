// The watcher wired to the real machine: full scans through scanDevices, change probes through probeSignature,
// ports through serialport. Settings are read on every scan, so changing them needs no restart.

import { nodeHost } from '../drives/nodeHost';
import { serialportList } from '../ports/serialportLister';
import type { Host, PortLister } from '../types';
import { DeviceWatcher, type WatcherOptions } from './deviceWatcher';
import { probeSignature } from './probeSignature';
import { scanDevices, type ScanOptions } from './scanDevices';

/** What the settings say, asked afresh before each scan. */
export type ScanSettings = Omit<ScanOptions, 'lister'>;

export interface CreateWatcherOptions extends Omit<WatcherOptions, 'scan' | 'probe'> {
  settings: () => ScanSettings;
  host?: Host;
  lister?: PortLister;
}

export function createDeviceWatcher(options: CreateWatcherOptions): DeviceWatcher {
  const host = options.host ?? nodeHost();
  const lister = options.lister ?? serialportList;
  const { settings, ...watcherOptions } = options;
  return new DeviceWatcher({
    ...watcherOptions,
    scan: () => scanDevices(host, { ...settings(), lister }),
    probe: () => {
      const current = settings();
      // A changed setting must trigger a scan as surely as a plugged-in board.
      return probeSignature(host, lister, current.extraDrives ?? []).then((s) => `${s}\n${JSON.stringify(current)}`);
    },
  });
}
