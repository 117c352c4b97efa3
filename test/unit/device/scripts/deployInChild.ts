// Run in child processes by deployLock.test.ts: one deploy of a model (and the runtime) to a drive folder through
// the library the extension and the CLI use (prepareDeploy, executeDeploy), optionally with slow writes (DEPLOY_DELAY_MS per 1 KB chunk) so
// another process can start while this one is staging. Prints one JSON line: the result or the error's code.
// Usage: node --require tsx/cjs deployInChild.ts DRIVE RUNTIME_DIR MODEL
import { type DeployFs, nodeDeployFs } from '../../../../src/device/deploy/deployFs';
import { DeployError } from '../../../../src/device/deploy/deployErrors';
import { executeDeploy } from '../../../../src/device/deploy/executeDeploy';
import { prepareDeploy } from '../../../../src/device/deploy/prepareDeploy';

const [drive, runtimeDir, model] = process.argv.slice(2);
const delay = Number(process.env.DEPLOY_DELAY_MS ?? 0);

function slowFs(): DeployFs {
  const base = nodeDeployFs();
  return {
    ...base,
    create: async (p) => {
      const handle = await base.create(p);
      return { ...handle, write: async (...args) => (await new Promise((r) => setTimeout(r, delay)), handle.write(...args)) };
    },
  };
}

async function main(): Promise<void> {
  const fs = delay > 0 ? slowFs() : nodeDeployFs();
  let waited = false;
  const plan = await prepareDeploy({ drivePath: drive, runtimeDir, models: [{ path: model }] }, fs);
  const options = { fs, chunkSize: 1024, onWait: () => (waited = true) };
  const result = await executeDeploy(plan, options);
  process.stdout.write(`${JSON.stringify({ ok: true, waited, written: result.written.length, staleRemoved: result.staleRemoved })}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ ok: false, code: error instanceof DeployError ? error.code : 'crash', message: String(error) })}\n`);
});
