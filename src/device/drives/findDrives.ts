// Finds CIRCUITPY drives (and UF2 bootloader drives) on Linux, ChromeOS, macOS and Windows. A drive is a mount
// whose name is CIRCUITPY (udisks and macOS add a number for a second board: CIRCUITPY1, "CIRCUITPY 1"), or any
// removable/FAT mount holding a CircuitPython boot_out.txt (a renamed drive). Never throws: what goes wrong ends up
// in `notes` or in the drive's `problem`.

import * as path from 'node:path';
import type { BootInfo, BootloaderDrive, DriveInfo, DriveSource, Host } from '../types';
import { errorCode, errorMessage } from '../types';
import { BootOutMaxBytes, decodeText, parseBootOut } from './bootOut';
import { isReadOnlyMount, parseMountOutput, parseProcMounts, type MountEntry } from './mountTable';
import { PowerShellLogicalDiskArgs, WmicLogicalDiskArgs, parseWindowsVolumeJson, parseWmicCsv, type WindowsVolume } from './windowsVolumes';

export interface FindDrivesOptions {
  /** `picoformer.drivePath`: use this folder instead of detecting (it is still inspected). */
  drivePath?: string;
  /** Folders to list as drives too, e.g. a running virtual Pico's drive. */
  extraDrives?: readonly string[];
}

export interface DriveScan {
  drives: DriveInfo[];
  bootloaderDrives: BootloaderDrive[];
  notes: string[];
}

const CircuitPyLabel = /^CIRCUITPY(?:[ _-]?\d+)?$/i;
const BootloaderLabel = /^(?:RPI-RP2|RP2350)(?:[ _-]?\d+)?$/i;
const FatTypes = new Set(['vfat', 'msdos', 'fat', 'fat12', 'fat16', 'fat32', 'exfat']);
const LinuxRemovableRoots = ['/media/', '/run/media/', '/mnt/chromeos/removable/'];
const ExecTimeoutMs = 8000;

/** A place that may be a drive, before looking inside. */
interface Candidate {
  path: string;
  label?: string;
  source: DriveSource;
  readOnly?: boolean;
  /** Found by listing a folder rather than the mount table: an empty leftover folder is not a drive. */
  needsBootOut: boolean;
  totalBytes?: number;
  freeBytes?: number;
}

function pathApi(host: Host): typeof path.posix {
  return host.platform === 'win32' ? path.win32 : path.posix;
}

export function isCircuitPyLabel(name: string): boolean {
  return CircuitPyLabel.test(name.trim());
}

export function isBootloaderLabel(name: string): boolean {
  return BootloaderLabel.test(name.trim());
}

export async function findDrives(host: Host, options: FindDrivesOptions = {}): Promise<DriveScan> {
  const notes: string[] = [];
  const extras: Candidate[] = (options.extraDrives ?? []).map((p) => ({ path: p, source: 'extra', needsBootOut: false }));
  let candidates: Candidate[];
  if (options.drivePath && options.drivePath.trim()) {
    candidates = [{ path: options.drivePath.trim(), source: 'override', needsBootOut: false }];
  } else if (host.platform === 'win32') {
    candidates = await windowsCandidates(host, notes);
  } else if (host.platform === 'darwin') {
    candidates = await darwinCandidates(host, notes);
  } else {
    candidates = await linuxCandidates(host, notes);
  }
  candidates = dedupe([...candidates, ...extras], host);

  const drives: DriveInfo[] = [];
  const bootloaderDrives: BootloaderDrive[] = [];
  const inspected = await Promise.all(candidates.map((c) => inspect(host, c)));
  for (const result of inspected) {
    if (result?.kind === 'drive') drives.push(result.drive);
    if (result?.kind === 'bootloader') bootloaderDrives.push(result.drive);
  }
  drives.sort((a, b) => a.path.localeCompare(b.path));
  return { drives, bootloaderDrives, notes };
}

function dedupe(candidates: Candidate[], host: Host): Candidate[] {
  const p = pathApi(host);
  const seen = new Map<string, Candidate>();
  for (const c of candidates) {
    const key = p.normalize(c.path).replace(/[\\/]+$/, '').toLowerCase();
    const before = seen.get(key);
    // The mount table knows more (read-only flag) than a folder listing: keep the first, fill gaps from later ones.
    if (!before) seen.set(key, c);
    else {
      before.needsBootOut = before.needsBootOut && c.needsBootOut;
      if (c.source === 'override' || c.source === 'extra') before.source = c.source;
    }
  }
  return [...seen.values()];
}

// ---- Linux and ChromeOS ----------------------------------------------------------------------------------------

async function linuxCandidates(host: Host, notes: string[]): Promise<Candidate[]> {
  const mounts = await readLinuxMounts(host, notes);
  const candidates: Candidate[] = [];
  for (const m of mounts) {
    const name = path.posix.basename(m.mountPoint);
    const removable = LinuxRemovableRoots.some((root) => m.mountPoint.startsWith(root));
    if (isCircuitPyLabel(name) || isBootloaderLabel(name) || removable || FatTypes.has(m.fsType.toLowerCase())) {
      candidates.push({ path: m.mountPoint, label: name, source: 'mount-table', readOnly: isReadOnlyMount(m), needsBootOut: false });
    }
  }
  // udisks mounts under /media/$USER (Debian, Ubuntu) or /run/media/$USER (Fedora, Arch); ChromeOS shares USB
  // drives with Linux under /mnt/chromeos/removable/<label> inside one shared mount, so list those folders too.
  const user = host.env.USER ?? host.env.LOGNAME ?? host.user().name;
  const folders = ['/mnt/chromeos/removable', '/media'];
  if (user) folders.push(`/media/${user}`, `/run/media/${user}`);
  for (const folder of folders) {
    for (const name of await listFolder(host, folder)) {
      candidates.push({ path: path.posix.join(folder, name), label: name, source: 'folder-scan', needsBootOut: true });
    }
  }
  return candidates;
}

async function readLinuxMounts(host: Host, notes: string[]): Promise<MountEntry[]> {
  try {
    return parseProcMounts(decodeText(await host.fs.readFile('/proc/self/mounts')));
  } catch (procError) {
    try {
      return parseMountOutput(await host.exec('mount', [], { timeoutMs: ExecTimeoutMs }));
    } catch (mountError) {
      notes.push(`Could not read the mount table (/proc/self/mounts: ${errorMessage(procError)}; mount: ${errorMessage(mountError)}); only folders were scanned.`);
      return [];
    }
  }
}

// ---- macOS ------------------------------------------------------------------------------------------------------

async function darwinCandidates(host: Host, notes: string[]): Promise<Candidate[]> {
  try {
    const mounts = parseMountOutput(await host.exec('/sbin/mount', [], { timeoutMs: ExecTimeoutMs }));
    return mounts
      .filter((m) => m.mountPoint.startsWith('/Volumes/') || FatTypes.has(m.fsType.toLowerCase()))
      .map((m) => ({
        path: m.mountPoint,
        label: path.posix.basename(m.mountPoint),
        source: 'mount-table' as const,
        readOnly: isReadOnlyMount(m),
        needsBootOut: false,
      }));
  } catch (error) {
    notes.push(`mount failed (${errorMessage(error)}); listed /Volumes instead.`);
    const names = await listFolder(host, '/Volumes');
    return names.map((name) => ({ path: `/Volumes/${name}`, label: name, source: 'folder-scan' as const, needsBootOut: false }));
  }
}

// ---- Windows ----------------------------------------------------------------------------------------------------

async function windowsCandidates(host: Host, notes: string[]): Promise<Candidate[]> {
  const volumes = await listWindowsVolumes(host, notes);
  if (volumes) {
    return volumes
      .filter((v) => (v.label && (isCircuitPyLabel(v.label) || isBootloaderLabel(v.label))) || v.driveType === 'removable' || v.driveType === 'unknown')
      .map((v) => ({
        path: v.root,
        label: v.label,
        source: 'volume-list' as const,
        needsBootOut: !(v.label && (isCircuitPyLabel(v.label) || isBootloaderLabel(v.label))),
        totalBytes: v.totalBytes,
        freeBytes: v.freeBytes,
      }));
  }
  // Last resort: look for boot_out.txt on every letter from D: (no labels, so only CircuitPython drives are found).
  const candidates: Candidate[] = [];
  for (let code = 'D'.charCodeAt(0); code <= 'Z'.charCodeAt(0); code++) {
    candidates.push({ path: `${String.fromCharCode(code)}:\\`, source: 'folder-scan', needsBootOut: true });
  }
  return candidates;
}

async function listWindowsVolumes(host: Host, notes: string[]): Promise<WindowsVolume[] | undefined> {
  const problems: string[] = [];
  try {
    return parseWindowsVolumeJson(await host.exec('powershell.exe', PowerShellLogicalDiskArgs, { timeoutMs: ExecTimeoutMs }));
  } catch (error) {
    problems.push(`PowerShell: ${errorMessage(error)}`);
  }
  try {
    return parseWmicCsv(await host.exec('wmic', WmicLogicalDiskArgs, { timeoutMs: ExecTimeoutMs }));
  } catch (error) {
    problems.push(`wmic: ${errorMessage(error)}`);
  }
  notes.push(`Could not list volumes (${problems.join('; ')}); looked for boot_out.txt on drive letters instead.`);
  return undefined;
}

// ---- Looking inside a candidate ---------------------------------------------------------------------------------

async function listFolder(host: Host, folder: string): Promise<string[]> {
  try {
    return await host.fs.readdir(folder);
  } catch {
    return []; // absent on this distribution: nothing to list
  }
}

async function readBootOut(host: Host, file: string): Promise<BootInfo | undefined> {
  try {
    return parseBootOut(decodeText(await host.fs.readFile(file, BootOutMaxBytes)));
  } catch {
    return undefined;
  }
}

type Inspected = { kind: 'drive'; drive: DriveInfo } | { kind: 'bootloader'; drive: BootloaderDrive } | undefined;

async function inspect(host: Host, c: Candidate): Promise<Inspected> {
  const p = pathApi(host);
  const label = c.label ?? undefined;
  if (label && isBootloaderLabel(label)) {
    const info = await host.fs
      .readFile(p.join(c.path, 'INFO_UF2.TXT'), 1024)
      .then((bytes) => decodeText(bytes).trim().split(/\r?\n/).slice(0, 3).join('\n'))
      .catch(() => undefined);
    if (info === undefined && c.needsBootOut) return undefined;
    return { kind: 'bootloader', drive: { path: c.path, label, ...(info ? { info } : {}) } };
  }

  const boot = await readBootOut(host, p.join(c.path, 'boot_out.txt'));
  const named = label !== undefined && isCircuitPyLabel(label);
  const usable = boot !== undefined && (boot.recognised || named);
  if (c.source === 'override' || c.source === 'extra') {
    return { kind: 'drive', drive: await describe(host, c, boot) };
  }
  if (c.needsBootOut ? !usable : !(named || usable)) return undefined;
  return { kind: 'drive', drive: await describe(host, c, boot) };
}

async function describe(host: Host, c: Candidate, boot: BootInfo | undefined): Promise<DriveInfo> {
  const drive: DriveInfo = { path: c.path, source: c.source };
  if (c.label) drive.label = c.label;
  if (boot) drive.boot = boot;
  if (c.readOnly) drive.readOnly = true;
  try {
    const s = await host.fs.statfs(c.path);
    drive.totalBytes = s.blocks * s.bsize;
    drive.freeBytes = s.bavail * s.bsize;
    drive.blockSize = s.bsize;
  } catch (error) {
    if (c.totalBytes !== undefined) drive.totalBytes = c.totalBytes;
    if (c.freeBytes !== undefined) drive.freeBytes = c.freeBytes;
    if (c.source === 'override' || c.source === 'extra') drive.problem = await overrideProblem(host, c.path, error);
  }
  return drive;
}

async function overrideProblem(host: Host, folder: string, statfsError: unknown): Promise<string> {
  try {
    const s = await host.fs.stat(folder);
    if (!s.isDirectory) return `${folder} is not a folder.`;
    return `Could not read the free space of ${folder}: ${errorMessage(statfsError)}`;
  } catch (error) {
    return errorCode(error) === 'ENOENT' ? `The drive folder ${folder} does not exist (is the board plugged in and mounted?).` : `Cannot use ${folder}: ${errorMessage(error)}`;
  }
}
