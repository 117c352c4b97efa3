// The extension's own log (its LogOutputChannel, "Picoformer") from a running code-server, kept in the artifacts:
// what the extension did and why it failed, next to the screenshots.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir } from './paths.mjs';

function findFiles(dir, name, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) findFiles(path, name, found);
    else if (entry.name === name) found.push(path);
  }
  return found;
}

/**
 * Copies the most recently written "Picoformer.log" of `server` (one per extension host: the current window's) to
 * test/e2e/artifacts/<name>.log; returns that path, or undefined when the extension has logged nothing yet.
 */
export function saveExtensionLog(server, name) {
  const logs = findFiles(join(server.dir, 'user', 'logs'), 'Picoformer.log').sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
  const newest = logs.at(-1);
  if (!newest) return undefined;
  mkdirSync(artifactsDir, { recursive: true });
  const to = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.log`);
  copyFileSync(newest, to);
  return to;
}
