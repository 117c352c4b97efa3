// Starting a training run from the extension or the CLI: in a worker thread (so the caller's event loop stays free)
// when the worker script is there, else on the calling thread. Events arrive through `onEvent`; `done` settles with
// the summary, or rejects with the run's error (the last event is always `done` or `error`).
import { runTraining } from './run';
import type { TrainEvent, TrainJob, TrainSummary } from './protocol';
import type { TrainerInit } from './worker';
import { findWorkerScript, spawnTrainWorker } from './workerScript';

export interface TrainingRun {
  /** Stops after the current step; the best weights so far are checkpointed and exported, `done` resolves. */
  cancel(): void;
  done: Promise<TrainSummary>;
  /** Whether the run is in its own thread. */
  inWorker: boolean;
}

export function startTraining(job: TrainJob, onEvent: (e: TrainEvent) => void, script = findWorkerScript()): TrainingRun {
  if (script === undefined) {
    let cancelled = false;
    const done = runTraining(job, { emit: onEvent, cancelled: () => cancelled }).then(
      (summary) => {
        onEvent({ type: 'done', summary });
        return summary;
      },
      (err: unknown) => {
        onEvent({ type: 'error', message: err instanceof Error ? err.message : String(err) });
        throw err;
      },
    );
    return { cancel: () => void (cancelled = true), done, inWorker: false };
  }
  const init: TrainerInit = { role: 'trainer', job };
  const worker = spawnTrainWorker(script, init);
  let finished = false;
  const done = new Promise<TrainSummary>((resolve, reject) => {
    const finish = (result: TrainSummary | Error): void => {
      if (finished) return;
      finished = true;
      void worker.terminate();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    worker.on('message', (e: TrainEvent) => {
      onEvent(e);
      if (e.type === 'done') finish(e.summary);
      else if (e.type === 'error') finish(new Error(e.message));
    });
    const crash = (message: string): void => {
      if (!finished) onEvent({ type: 'error', message });
      finish(new Error(message));
    };
    worker.on('error', (err) => crash(`the training thread failed: ${err.message}`));
    worker.on('exit', (code) => crash(`the training thread stopped unexpectedly (exit code ${code})`));
  });
  return { cancel: () => worker.postMessage({ type: 'cancel' }), done, inWorker: true };
}
