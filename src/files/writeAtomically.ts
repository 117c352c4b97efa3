// Writing a file whole or not at all: models, checkpoints and corpora are read back later (a truncated corpus would
// be reused as it is, a truncated model listed as corrupt). The data goes to a temporary name in the same folder, is
// flushed, then renamed over the target; on any failure the temporary file is removed and the target is untouched.
// Ten lines of our own rather than write-file-atomic: the extension bundles its dependencies, and this needs none of
// that package's ownership or queueing logic.
import { open, rename, rm } from 'node:fs/promises';

export async function writeFileAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(data);
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
