// Parsers for Windows volume listings. None of these sources opens a "no disk" dialog for an empty card reader
// (they read volume metadata, and Node's own fs calls run with critical-error popups disabled).
//   PowerShell: Get-CimInstance Win32_LogicalDisk | Select-Object ... | ConvertTo-Json   (DeviceID "E:", VolumeName)
//   PowerShell: Get-Volume | Select-Object ... | ConvertTo-Json                            (DriveLetter "E", FileSystemLabel)
//   wmic logicaldisk get DeviceID,DriveType,FileSystem,FreeSpace,Size,VolumeName /format:csv   (removed in Windows 11 24H2)

export type WindowsDriveType = 'removable' | 'fixed' | 'network' | 'cdrom' | 'ram' | 'unknown';

export interface WindowsVolume {
  /** Drive root, "E:\\". */
  root: string;
  label?: string;
  driveType: WindowsDriveType;
  fileSystem?: string;
  totalBytes?: number;
  freeBytes?: number;
}

/** The arguments that list logical disks as JSON through PowerShell (no profile, no prompts). */
export const PowerShellLogicalDiskArgs = [
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  'Get-CimInstance -ClassName Win32_LogicalDisk | Select-Object DeviceID,VolumeName,DriveType,FileSystem,Size,FreeSpace | ConvertTo-Json -Compress',
] as const;

export const WmicLogicalDiskArgs = [
  'logicaldisk',
  'get',
  'DeviceID,DriveType,FileSystem,FreeSpace,Size,VolumeName',
  '/format:csv',
] as const;

// Win32_LogicalDisk.DriveType and MSFT_Volume.DriveType share these numbers for the cases that matter here.
const DriveTypeByNumber: Record<number, WindowsDriveType> = { 2: 'removable', 3: 'fixed', 4: 'network', 5: 'cdrom', 6: 'ram' };
const DriveTypeByName: Record<string, WindowsDriveType> = {
  removable: 'removable',
  fixed: 'fixed',
  network: 'network',
  remote: 'network',
  cdrom: 'cdrom',
  'cd-rom': 'cdrom',
  ram: 'ram',
  ramdisk: 'ram',
};

function driveType(value: unknown): WindowsDriveType {
  if (typeof value === 'number') return DriveTypeByNumber[value] ?? 'unknown';
  if (typeof value === 'string') {
    const asNumber = Number(value);
    if (value.trim() !== '' && Number.isInteger(asNumber)) return DriveTypeByNumber[asNumber] ?? 'unknown';
    return DriveTypeByName[value.trim().toLowerCase()] ?? 'unknown';
  }
  return 'unknown';
}

function byteCount(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** "E:", "E", "E:\\" or a char code (Windows PowerShell 5.1 may serialise a [char] as a number) to "E:\\". */
function driveRoot(value: unknown): string | undefined {
  const letter =
    typeof value === 'number' && value >= 65 && value <= 122
      ? String.fromCharCode(value)
      : typeof value === 'string'
        ? value.trim().slice(0, 1)
        : '';
  return /^[A-Za-z]$/.test(letter) ? `${letter.toUpperCase()}:\\` : undefined;
}

/** ConvertTo-Json output of Win32_LogicalDisk or Get-Volume objects (one object or an array). Throws on bad JSON. */
export function parseWindowsVolumeJson(json: string): WindowsVolume[] {
  const trimmed = json.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return [];
  const parsed: unknown = JSON.parse(trimmed);
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const volumes: WindowsVolume[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const root = driveRoot(o.DeviceID ?? o.DriveLetter);
    if (!root) continue; // volumes without a letter cannot be written through a path
    const volume: WindowsVolume = { root, driveType: driveType(o.DriveType) };
    const label = text(o.VolumeName ?? o.FileSystemLabel);
    if (label) volume.label = label;
    const fileSystem = text(o.FileSystem);
    if (fileSystem) volume.fileSystem = fileSystem;
    const total = byteCount(o.Size);
    if (total !== undefined) volume.totalBytes = total;
    const free = byteCount(o.FreeSpace ?? o.SizeRemaining);
    if (free !== undefined) volume.freeBytes = free;
    volumes.push(volume);
  }
  return volumes;
}

/** `wmic ... /format:csv` output: a header row then one row per disk (lines end in "\r\r\n"). */
export function parseWmicCsv(csv: string): WindowsVolume[] {
  const lines = csv.split(/[\r\n]+/).filter((line) => line.trim());
  const headerAt = lines.findIndex((line) => /(^|,)DeviceID(,|$)/i.test(line));
  if (headerAt < 0) return [];
  const header = lines[headerAt].split(',').map((h) => h.trim().toLowerCase());
  const volumes: WindowsVolume[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    const cells = line.split(',');
    // A label may contain commas: the extra cells belong to the last column.
    if (cells.length > header.length) cells.splice(header.length - 1, Infinity, cells.slice(header.length - 1).join(','));
    const row: Record<string, string> = {};
    header.forEach((name, i) => (row[name] = (cells[i] ?? '').trim()));
    const root = driveRoot(row.deviceid);
    if (!root) continue;
    const volume: WindowsVolume = { root, driveType: driveType(row.drivetype) };
    if (row.volumename) volume.label = row.volumename;
    if (row.filesystem) volume.fileSystem = row.filesystem;
    const total = byteCount(row.size);
    if (total !== undefined) volume.totalBytes = total;
    const free = byteCount(row.freespace);
    if (free !== undefined) volume.freeBytes = free;
    volumes.push(volume);
  }
  return volumes;
}
