// Entry point of the emulated Pico's worker thread: runs the RP2040 in slices until the host terminates the thread,
// posting console output with its simulated times and taking input and flash writes between slices.

import { parentPort, workerData } from 'node:worker_threads';
import { Rp2040Machine } from './machine';
import type { HostMessage, WorkerInit, WorkerMessage } from './messages';

/** Instructions per slice: about 10-60 ms of host time, so input and flash writes wait at most that long. */
const SLICE = 400_000;

const port = parentPort;
if (!port) throw new Error('The emulated Pico worker must run in a worker thread.');
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const machine = new Rp2040Machine(workerData as WorkerInit);
  let connectedSent = false;
  port.on('message', (message: HostMessage) => {
    try {
      if (message.type === 'input') machine.queueInput(message.id, message.bytes);
      else if (message.type === 'flash') {
        machine.writeFlash(message.offset, message.bytes);
        post({ type: 'flashed', id: message.id, ...machine.time });
      } else if (message.type === 'read-flash') {
        const bytes = machine.readFlash(message.offset, message.length);
        post({ type: 'flash-data', id: message.id, bytes }, [bytes.buffer as ArrayBuffer]);
      }
    } catch (error) {
      post({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  const slice = () => {
    try {
      machine.run(SLICE);
      const connected = machine.connected;
      if (connected && !connectedSent) {
        connectedSent = true;
        post({ type: 'connected', ...connected });
      }
      for (const id of machine.takeTaken()) post({ type: 'taken', id, ...machine.time });
      const chunks = machine.takeOutput();
      if (chunks.length) post({ type: 'output', chunks, ...machine.time });
      else post({ type: 'time', ...machine.time });
      setImmediate(slice);
    } catch (error) {
      post({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  };
  slice();
} catch (error) {
  post({ type: 'fatal', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
