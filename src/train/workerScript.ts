// Starting the trainer's worker threads in the three ways the code runs: bundled (dist/train-worker.js beside
// dist/extension.js or dist/cli.js), from the TypeScript sources under tsx (tests, scripts, bench), or a path in
// PICOFORMER_TRAIN_WORKER. Both roles (the training loop, and a gradient shard) use the same script.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

function candidates(): string[] {
  return [process.env.PICOFORMER_TRAIN_WORKER, join(__dirname, 'train-worker.js'), join(__dirname, 'worker.ts')].filter(
    (p): p is string => Boolean(p),
  );
}

/** The worker script, or undefined when this build has none (then training runs on the calling thread). */
export function findWorkerScript(): string | undefined {
  return candidates().find((p) => existsSync(p));
}

export function spawnTrainWorker(script: string, workerData: unknown): Worker {
  if (!script.endsWith('.ts')) return new Worker(script, { workerData });
  const tsx = createRequire(join(__dirname, 'index.js')).resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true, workerData });
}
