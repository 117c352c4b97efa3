// picoformer devices [--json]: the boards, CIRCUITPY drives and serial ports this computer sees, how they pair up,
// and when something is missing, why and what to try. One scan, through src/device (no watcher).
import { existsSync } from 'node:fs';
import { parse, positionals, stringOption } from '../args';
import type { CliCommand } from '../command';
import { type DeviceProbe, nodeDeviceProbe } from '../detect';
import { devicesJson, formatDevices } from '../deviceText';
import { defaultVirtualDrive } from '../virtualDrive';

export interface DevicesDeps {
  probe(): DeviceProbe;
  /** The CLI's virtual Pico drive, listed (as virtual) when it exists. */
  virtualDrive(): string | undefined;
}

const defaults: DevicesDeps = {
  probe: nodeDeviceProbe,
  virtualDrive: () => {
    const dir = defaultVirtualDrive();
    return existsSync(dir) ? dir : undefined;
  },
};

export function devicesCommand(deps: DevicesDeps = defaults): CliCommand {
  return {
    name: 'devices',
    summary: 'list connected boards (CIRCUITPY drives, serial ports, how they pair) and say why when none is found',
    usage: `Usage: picoformer devices [--json] [--drive PATH] [--port PATH] [--usb-id VID:PID]...

  --json             print one JSON object: devices, drives, bootloaderDrives, ports, portSource, notes, findings
  --drive PATH       inspect this folder as a drive too (a renamed or unusual mount)
  --port PATH        list this serial port as a console even if detection does not recognise it
  --usb-id VID:PID   treat this USB id (hex, e.g. 239A:80F4) as a CircuitPython board; may be repeated

The virtual Pico's drive (picoformer sim) is listed too, marked virtual, once it exists.
Exit code 0 when a usable board is found (not virtual, not in its bootloader), 1 when none is.
`,
    async run(args, io) {
      const parsed = parse(args, {
        json: { type: 'boolean' },
        drive: { type: 'string' },
        port: { type: 'string' },
        'usb-id': { type: 'string', multiple: true },
      });
      positionals(parsed);
      const usbIds = parsed.values['usb-id'] as unknown as string[] | undefined;
      const drive = stringOption(parsed, 'drive');
      const extraDrives = [...new Set([drive, deps.virtualDrive()].filter((d): d is string => Boolean(d)))];
      const probe = deps.probe();
      const snapshot = await probe.scan({ extraDrives, serialPort: stringOption(parsed, 'port'), extraUsbIds: usbIds });
      const findings = await probe.findings(snapshot);
      io.out(parsed.values.json ? devicesJson(snapshot, findings) : formatDevices(snapshot, findings));
      return snapshot.devices.some((d) => !d.virtual && !d.bootloader) ? 0 : 1;
    },
  };
}

export const devicesCommandDefault = devicesCommand();
