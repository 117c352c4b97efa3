// The MicroPython VM side of npm run fuzz (scripts/fuzz.ts), in a worker thread: judges the files it is given in
// order and posts one verdict per file; the main thread replaces it when a file hangs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { VmBoard } from '../test/board/conformance/vmBoard';

const { dir, files } = workerData as { dir: string; files: string[] };

void (async () => {
  const board = await VmBoard.start();
  for (const file of files) parentPort?.postMessage(await board.judge(readFileSync(join(dir, file))));
})();
