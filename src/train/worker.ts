// The trainer's worker thread. workerData.role says which of two jobs this thread does:
// - 'trainer': runs a whole TrainJob (run.ts), posting TrainEvents; a { type: 'cancel' } message stops it after the
//   current step, keeping the best weights (checkpoint written, model exported).
// - 'shard': the second gradient thread of a trainer (engine.ts), answering ShardRequests.
import { parentPort, workerData } from 'node:worker_threads';
import { type ShardInit, type ShardRequest, serveShard } from './engine';
import type { TrainCommand, TrainEvent, TrainJob } from './protocol';
import { runTraining } from './run';
import { findWorkerScript } from './workerScript';

export interface TrainerInit {
  role: 'trainer';
  job: TrainJob;
}

const port = parentPort;
const init = workerData as TrainerInit | ShardInit | undefined;

if (port !== null && init?.role === 'shard') {
  serveShard(init, (reply) => port.postMessage(reply), (handler) => port.on('message', (r: ShardRequest) => handler(r)));
} else if (port !== null && init?.role === 'trainer') {
  let cancelled = false;
  port.on('message', (m: TrainCommand) => {
    if (m.type === 'cancel') cancelled = true;
  });
  const post = (e: TrainEvent): void => port.postMessage(e);
  runTraining(init.job, { emit: post, cancelled: () => cancelled, workerScript: findWorkerScript() }).then(
    (summary) => post({ type: 'done', summary }),
    (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
}
