// Entry point of the virtual Pico's worker thread: runs the machine until the host terminates the thread.

import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit, WorkerMessage } from './messages';
import { Machine } from './vm/machine';

const port = parentPort;
if (!port) throw new Error('The virtual Pico worker must run in a worker thread.');
const post = (message: WorkerMessage) => port.postMessage(message);
new Machine(workerData as WorkerInit, post).run().catch((err: unknown) => {
  post({ type: 'fatal', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
});
