// Parsers for the mount tables of Linux (/proc/self/mounts, `mount`) and macOS (`mount`).

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

/** Undoes the kernel's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash) and `\x20`. */
export function unescapeMountPath(text: string): string {
  return text
    .replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** /proc/self/mounts (fstab format): "device mountpoint fstype options freq passno", space-separated, escaped. */
export function parseProcMounts(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[0].startsWith('#')) continue;
    entries.push({
      device: unescapeMountPath(fields[0]),
      mountPoint: unescapeMountPath(fields[1]),
      fsType: fields[2],
      options: fields[3].split(','),
    });
  }
  return entries;
}

// util-linux:  /dev/sdb1 on /media/ann/CIRCUITPY type vfat (rw,nosuid,nodev,relatime,uid=1000)
const LinuxMountLine = /^(.+?) on (.+) type (\S+) \(([^)]*)\)\s*$/;
// macOS:       /dev/disk4s1 on /Volumes/CIRCUITPY (msdos, local, nodev, nosuid, noowners)
const DarwinMountLine = /^(.+?) on (.+) \(([^,)]+)(?:,\s*([^)]*))?\)\s*$/;

/** Output of `mount` on Linux or macOS. Mount points may contain raw spaces there, so the line is matched whole. */
export function parseMountOutput(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const linux = LinuxMountLine.exec(line);
    if (linux) {
      entries.push({
        device: unescapeMountPath(linux[1]),
        mountPoint: unescapeMountPath(linux[2]),
        fsType: linux[3],
        options: linux[4].split(',').map((o) => o.trim()).filter(Boolean),
      });
      continue;
    }
    const darwin = DarwinMountLine.exec(line);
    if (darwin) {
      entries.push({
        device: darwin[1],
        mountPoint: darwin[2],
        fsType: darwin[3].trim(),
        options: (darwin[4] ?? '').split(',').map((o) => o.trim()).filter(Boolean),
      });
    }
  }
  return entries;
}

/** True when the options say read-only ("ro" on Linux, "read-only" on macOS). */
export function isReadOnlyMount(entry: MountEntry): boolean {
  return entry.options.includes('ro') || entry.options.includes('read-only');
}
