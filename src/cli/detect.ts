// Device detection for the CLI: one scan (no watcher), the diagnosis when something is missing, and the choice of
// "the" drive or console when the user named none. The pickers are pure, so their messages are unit-tested.
import { nodeHost } from '../device/drives/nodeHost';
import { serialportList } from '../device/ports/serialportLister';
import { type Finding, diagnose } from '../device/watch/diagnose';
import { gatherDiagnosisFacts } from '../device/watch/diagnosisFacts';
import { scanDevices } from '../device/watch/scanDevices';
import type { DeviceSnapshot, DriveInfo } from '../device/types';
import { cliHint } from './deviceText';

export interface ScanRequest {
  /** Folders to inspect as drives too (a virtual Pico's). */
  extraDrives?: string[];
  /** A port to list even when detection does not find it. */
  serialPort?: string;
  extraUsbIds?: string[];
}

/** What the device commands need of the machine; tests pass fakes. */
export interface DeviceProbe {
  scan(request: ScanRequest): Promise<DeviceSnapshot>;
  findings(snapshot: DeviceSnapshot): Promise<Finding[]>;
}

export function nodeDeviceProbe(): DeviceProbe {
  const host = nodeHost();
  return {
    scan: (request) => scanDevices(host, { ...request, lister: serialportList }),
    findings: async (snapshot) => diagnose(await gatherDiagnosisFacts(host, snapshot)),
  };
}

/** Thrown when no single board can be chosen: the message lists the candidates or says what to try. */
export class DetectionError extends Error {
  override name = 'DetectionError';
}

function advice(findings: readonly Finding[]): string {
  return findings.map((f) => `\n  ${f.message}\n    try: ${cliHint(f.hint)}`).join('');
}

/** The one real CIRCUITPY drive to deploy to (virtual drives are named with --drive or --virtual). */
export function pickDrive(snapshot: DeviceSnapshot, findings: readonly Finding[]): DriveInfo {
  const drives = snapshot.drives.filter((d) => !d.boot?.virtual && !d.problem);
  if (drives.length === 1) return drives[0];
  if (drives.length === 0) {
    throw new DetectionError(`no CIRCUITPY drive found (name one with --drive PATH, or use --virtual).${advice(findings)}`);
  }
  const list = drives.map((d) => `\n  ${d.path}${d.boot?.boardName ? ` (${d.boot.boardName}${d.boot.uid ? `, UID ${d.boot.uid}` : ''})` : ''}`).join('');
  throw new DetectionError(`${drives.length} CIRCUITPY drives found; choose one with --drive PATH:${list}`);
}

/** The console port of the one CircuitPython board (real, not in its bootloader). */
export function pickConsole(snapshot: DeviceSnapshot, findings: readonly Finding[]): string {
  const boards = snapshot.devices.filter((d) => !d.virtual && !d.bootloader && d.firmware !== 'micropython' && d.console);
  if (boards.length === 1) return boards[0].console!.path;
  if (boards.length === 0) {
    throw new DetectionError(`no board with a serial console found (name one with --port PATH, or use --virtual).${advice(findings)}`);
  }
  const list = boards.map((d) => `\n  ${d.console!.path}  ${d.label}${d.drive ? `, drive ${d.drive.path}` : ''}`).join('');
  throw new DetectionError(`${boards.length} boards found; choose one with --port PATH:${list}`);
}
