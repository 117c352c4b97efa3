// A deploy to the emulated Pico. The emulator has no USB mass storage, so nothing can write the drive while the
// board runs and auto-reload cannot be triggered (../shared/docs/real-firmware.md). What a deploy and the
// auto-reload after it do is reproduced step by step: the project's deploy code writes the drive folder, the
// CIRCUITPY image is rebuilt from it, the runtime is stopped (Ctrl-C, as the reload would stop it), the image is
// written into flash at 0x100000, and Ctrl-D soft-reboots the board so code.py starts on the new files.

import { nodeDeployFs } from '../device/deploy/deployFs';
import { executeDeploy, type DeployResult } from '../device/deploy/executeDeploy';
import { prepareDeploy, type DeployRequest } from '../device/deploy/prepareDeploy';
import { buildCircuitpyImage } from './fatImage';
import type { FirmwareBoard } from './firmwareBoard';

export type EmulatedDeployRequest = Omit<DeployRequest, 'drivePath'>;

/** Writes `request` into a drive folder with the project's deploy code (what `deploy --drive FOLDER` does). */
export async function deployToFolder(driveDir: string, request: EmulatedDeployRequest): Promise<DeployResult> {
  const plan = await prepareDeploy({ ...request, drivePath: driveDir }, nodeDeployFs());
  return executeDeploy(plan);
}

/** Simulated ms to wait for code.py to end after Ctrl-C. */
const STOP_TIMEOUT_MS = 10_000;

/** Ctrl-C until code.py has ended (the supervisor's "Code done running." / "Press any key", or a REPL prompt). */
async function stopRuntime(board: FirmwareBoard): Promise<void> {
  const { session, pico } = board;
  await new Promise<void>((resolve, reject) => {
    const watch = session.onItem((item) => {
      const kind = item.kind === 'board' ? item.message.kind : undefined;
      if (kind === 'press-any-key' || item.kind === 'prompt') finish();
    });
    const timer = pico.clock.setTimeout(() => {
      watch.dispose();
      reject(new Error(`The runtime did not stop after Ctrl-C within ${STOP_TIMEOUT_MS / 1000} s of simulated time.`));
    }, STOP_TIMEOUT_MS);
    const finish = () => {
      watch.dispose();
      pico.clock.clearTimeout(timer);
      resolve();
    };
    // Two: the first may only stop a generation.
    void session.interrupt().then(() => session.interrupt()).catch(reject);
  });
}

export async function emulateDeploy(board: FirmwareBoard, request: EmulatedDeployRequest): Promise<DeployResult> {
  const result = await deployToFolder(board.driveDir, request);
  const image = await buildCircuitpyImage(board.driveDir);
  await stopRuntime(board);
  await board.pico.writeImage(image);
  await board.session.softReload(10_000);
  return result;
}
