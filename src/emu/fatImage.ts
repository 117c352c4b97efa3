// The CIRCUITPY drive as the emulated Pico's flash holds it: a 1 MiB FAT12 image (512-byte sectors, label
// CIRCUITPY) with a folder's files, made with Debian's dosfstools (mkfs.vfat) and mtools (mcopy). Those tools are
// the reference FAT writers and handle long names; writing FAT12 with long-name entries by hand here would be a
// second, less tested implementation of them. .ci/run installs both.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CIRCUITPY_SIZE, FirmwareError } from './firmware';

const run = promisify(execFile);
/** A fixed volume id: the same folder gives the same boot sector. */
const VOLUME_ID = '50494346';

/** A tool of dosfstools/mtools: on the PATH, or in the sbin folders a non-root PATH may lack. */
function tool(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin'])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new FirmwareError(`Building the emulated Pico's CIRCUITPY image needs ${name} (Debian: apt-get install -y mtools dosfstools).`);
}

/** Returns the image of a CIRCUITPY drive holding the files and folders of `folder`. */
export async function buildCircuitpyImage(folder: string): Promise<Uint8Array> {
  if (!existsSync(folder)) throw new FirmwareError(`The drive folder ${folder} does not exist.`);
  const work = mkdtempSync(join(tmpdir(), 'picoformer-fat-'));
  const image = join(work, 'circuitpy.img');
  const env = { ...process.env, MTOOLS_SKIP_CHECK: '1', MTOOLSRC: '/dev/null' };
  try {
    await run(tool('mkfs.vfat'), ['-C', '-F', '12', '-S', '512', '-n', 'CIRCUITPY', '-i', VOLUME_ID, image, String(CIRCUITPY_SIZE / 1024)], { env });
    const entries = readdirSync(folder).sort().map((name) => join(folder, name));
    if (entries.length) {
      await run(tool('mcopy'), ['-i', image, '-s', '-Q', ...entries, '::/'], { env }).catch((error: { stderr?: string; message: string }) => {
        const why = (error.stderr ?? error.message).trim().split('\n').pop();
        throw new FirmwareError(`Copying ${folder} into the 1 MiB CIRCUITPY image failed (${why}); is it more than the drive holds?`);
      });
    }
    const bytes = new Uint8Array(readFileSync(image));
    if (bytes.length !== CIRCUITPY_SIZE) throw new FirmwareError(`mkfs.vfat made a ${bytes.length}-byte image instead of ${CIRCUITPY_SIZE}.`);
    return bytes;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The files of an image, as `mdir` lists them (tests, diagnostics): paths below the root, folders ending in "/". */
export async function listImage(bytes: Uint8Array): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'picoformer-fat-'));
  const image = join(work, 'circuitpy.img');
  try {
    writeFileSync(image, bytes);
    const { stdout } = await run(tool('mdir'), ['-i', image, '-/', '-b', '::/'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1', MTOOLSRC: '/dev/null' } });
    return stdout.split('\n').filter(Boolean).map((line) => line.replace(/^::\//, '')).sort();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
