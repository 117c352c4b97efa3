// The CLI's virtual Pico drive: a folder under the user's cache (so deployed models survive between runs), made
// to look like a fresh board on first use: boot_out.txt, and the Picoformer runtime when it has no program.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { nodeDeployFs } from '../device/deploy/deployFs';
import { executeDeploy } from '../device/deploy/executeDeploy';
import { prepareDeploy } from '../device/deploy/prepareDeploy';
import { writeBootOut } from '../sim/bootOut';
import { runtimeFolder } from './runtimeFolder';

/** <cache>/picoformer/virtual-pico/CIRCUITPY, <cache> as each OS names it. */
export function defaultVirtualDrive(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  const cache =
    platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Caches')
        : (env.XDG_CACHE_HOME || join(home, '.cache'));
  return join(cache, 'picoformer', 'virtual-pico', 'CIRCUITPY');
}

/** What CircuitPython runs at start, in its order. */
const Programs = ['code.txt', 'code.py', 'main.txt', 'main.py'];

export interface PreparedDrive {
  dir: string;
  /** The runtime was copied in because the folder had no program. */
  installedRuntime: boolean;
}

/**
 * Makes `dir` ready to boot: created when `create` (the default drive), boot_out.txt written, the runtime installed
 * (through the deploy, so it is staged and verified) when the folder has no program yet.
 */
export async function prepareVirtualDrive(dir: string, options: { create: boolean; runtimeDir?: string }): Promise<PreparedDrive> {
  if (!existsSync(dir)) {
    if (!options.create) throw new Error(`The drive folder ${dir} does not exist (create it, or leave out --drive to use the default one).`);
    mkdirSync(dir, { recursive: true });
  }
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder.`);
  writeBootOut(dir);
  if (Programs.some((name) => existsSync(join(dir, name)))) return { dir, installedRuntime: false };
  const plan = await prepareDeploy({ drivePath: dir, runtimeDir: options.runtimeDir ?? runtimeFolder() }, nodeDeployFs());
  await executeDeploy(plan);
  return { dir, installedRuntime: true };
}
