// Messages between the virtual Pico's host side (VirtualPico) and its worker thread. Console input does not travel
// as messages: it goes through the shared input ring (inputRing.ts), which a busy worker can still read.

/** What the worker is doing, as the supervisor of a real board would be. */
export type MachineState = 'booting' | 'running' | 'attached' | 'waiting' | 'repl' | 'stopped';

export interface WorkerInit {
  /** The host folder that plays the CIRCUITPY drive. */
  driveDir: string;
  input: SharedArrayBuffer;
  /** Live heap the program may hold, in bytes (the board profile's free heap after boot). */
  heapBudget: number;
  /** micropython.mjs of @micropython/micropython-webassembly-pyscript. */
  micropythonModule: string;
  /** First line of the REPL banner. */
  bannerLine: string;
  /** CircuitPython version shown in terminal titles. */
  version: string;
  /** Set when the host restarted the worker because Ctrl-C could not stop a loop: report that instead of booting. */
  resume?: 'interrupted';
}

export type WorkerMessage =
  | { type: 'output'; bytes: Uint8Array }
  | { type: 'state'; state: MachineState }
  | { type: 'heap'; used: number; budget: number; peak: number }
  | { type: 'log'; message: string }
  | { type: 'fatal'; message: string };
