// Shared device types: what detection finds (drives, serial ports, boards) and the narrow view of the operating
// system that detection goes through, so every OS path can be unit-tested on recorded fixtures.

/** What runs on a board, as far as its USB identity or boot_out.txt tells. */
export type Firmware = 'circuitpython' | 'micropython' | 'bootloader' | 'unknown';

/** boot_out.txt, parsed. Every field but `virtual` and `raw` is optional: old firmware and garbage omit them. */
export interface BootInfo {
  firmware: Firmware;
  /** e.g. "9.2.8" or "9.0.0-alpha.2-9-gabcdef". */
  version?: string;
  /** As written, usually "2025-05-28". */
  buildDate?: string;
  /** e.g. "Raspberry Pi Pico". */
  boardName?: string;
  /** e.g. "rp2040". */
  chip?: string;
  /** e.g. "raspberry_pi_pico". */
  boardId?: string;
  /** The board's unique id in upper-case hex; it equals the USB serial number on CircuitPython. */
  uid?: string;
  /** The board name says "virtual": the virtual Pico's drive. */
  virtual: boolean;
  /** The first line was understood. False for garbage (the other fields are then absent). */
  recognised: boolean;
  /** The text as read (at most a few KB). */
  raw: string;
}

/** How a drive was found. */
export type DriveSource = 'mount-table' | 'volume-list' | 'folder-scan' | 'override' | 'extra';

/** A CIRCUITPY (or renamed CircuitPython) drive. */
export interface DriveInfo {
  /** Mount point or drive root ("/media/ann/CIRCUITPY", "E:\\"). */
  path: string;
  /** Volume label when known ("CIRCUITPY"). */
  label?: string;
  source: DriveSource;
  /** Parsed boot_out.txt; absent when the drive has none (a freshly erased drive). */
  boot?: BootInfo;
  /** Mounted read-only, according to the mount table. */
  readOnly?: boolean;
  totalBytes?: number;
  freeBytes?: number;
  /** Allocation unit (cluster) in bytes, for space accounting. */
  blockSize?: number;
  /** Set when the drive was named (override) but cannot be used; detection never throws. */
  problem?: string;
}

/** A UF2 bootloader drive (RPI-RP2 / RP2350): a board in BOOTSEL mode. */
export interface BootloaderDrive {
  path: string;
  label?: string;
  /** First lines of INFO_UF2.TXT when readable. */
  info?: string;
}

/** A serial port as listed (serialport's list(), /sys, or typed in by the user). Ids are upper-case hex. */
export interface PortInfo {
  path: string;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  pnpId?: string;
  locationId?: string;
  /** USB interface number of this port's CDC interface, when the OS tells it. */
  interfaceNumber?: number;
  /** USB interface string ("CircuitPython CDC control"), Linux /sys only. */
  interfaceName?: string;
  /** Ports of one composite USB device share this (Windows instance-id prefix, Linux USB device path). */
  usbDeviceHint?: string;
  source: 'serialport' | 'sysfs' | 'manual';
}

/** What a VID:PID pair says about the device behind it. */
export interface UsbIdentity {
  vendorId: string;
  productId: string;
  board: string;
  firmware: Firmware;
  /** Built-in table or the user's `picoformer.extraUsbIds`. */
  origin: 'known' | 'user';
}

export type PortChannel = 'console' | 'data' | 'unknown';

/** A port with what Picoformer makes of it. */
export interface ClassifiedPort extends PortInfo {
  /** board: a CircuitPython/MicroPython console or data port; bootloader: a board in BOOTSEL; other: anything else. */
  role: 'board' | 'bootloader' | 'other';
  identity?: UsbIdentity;
  channel: PortChannel;
  /** Why the channel was chosen: interface name or number, the only port, or port order (a guess). */
  channelBasis?: 'interface-name' | 'interface-number' | 'only-port' | 'order' | 'manual';
}

/** One board (real or virtual): its drive and ports, paired. */
export interface BoardDevice {
  /**
   * Stable across scans while the board stays plugged in: "usb:<serial>" (the USB serial number / boot_out UID),
   * "virtual:<drive path>", "drive:<path>", "port:<path>".
   */
  key: string;
  /** Human-readable, e.g. "Raspberry Pi Pico · CircuitPython 9.2.8". */
  label: string;
  virtual: boolean;
  firmware: Firmware;
  board?: string;
  serialNumber?: string;
  drive?: DriveInfo;
  console?: ClassifiedPort;
  data?: ClassifiedPort;
  ports: ClassifiedPort[];
  /** How the drive and ports were matched: USB serial = boot_out UID, the only candidates, or not at all. */
  pairing: 'serial-number' | 'only-one' | 'none';
  /** In the UF2 bootloader: needs CircuitPython installed, there is no console. */
  bootloader: boolean;
}

/** Everything one detection pass found. */
export interface DeviceSnapshot {
  devices: BoardDevice[];
  drives: DriveInfo[];
  bootloaderDrives: BootloaderDrive[];
  /** Every serial port, boards or not (for manual selection). */
  ports: ClassifiedPort[];
  /** Where the port list came from; 'none' when listing failed entirely. */
  portSource: 'serialport' | 'sysfs' | 'none';
  /** Non-fatal notes ("udevadm not found: read /sys instead", "bad USB id in settings: ..."). */
  notes: string[];
}

// ---- The operating system, as detection sees it -------------------------------------------------------------

export interface HostStat {
  isFile: boolean;
  isDirectory: boolean;
  size: number;
  /** Permission bits and file type, as fs.Stats.mode. */
  mode: number;
  uid: number;
  gid: number;
}

export interface HostStatFs {
  /** Block size in bytes. */
  bsize: number;
  blocks: number;
  /** Blocks available to an unprivileged user. */
  bavail: number;
}

/** Read-only file system access; every call may reject with a Node-style error (`code` = "ENOENT", ...). */
export interface HostFs {
  /** Reads at most `maxBytes` (default: the whole file). */
  readFile(path: string, maxBytes?: number): Promise<Uint8Array>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<HostStat>;
  statfs(path: string): Promise<HostStatFs>;
  realpath(path: string): Promise<string>;
  readlink(path: string): Promise<string>;
  /** Whether this process may open the file for reading and writing (ACLs included). */
  canReadWrite(path: string): Promise<boolean>;
}

/** Runs a program without a shell and resolves with its stdout; rejects on failure, non-zero exit or timeout. */
export type HostExec = (file: string, args: readonly string[], options?: { timeoutMs?: number }) => Promise<string>;

export interface HostUser {
  name?: string;
  uid?: number;
  /** Group ids of this process (what permission checks use; a new group needs a fresh login). */
  gids: number[];
}

export interface Host {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  fs: HostFs;
  exec: HostExec;
  user(): HostUser;
}

/** A port list as serialport's `SerialPort.list()` returns it. */
export interface RawPortInfo {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  pnpId?: string;
  locationId?: string;
  vendorId?: string;
  productId?: string;
  product?: string;
}

export type PortLister = () => Promise<RawPortInfo[]>;

/** The code of a Node-style error ("ENOENT"), or undefined. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
