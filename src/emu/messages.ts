// Messages between the emulated Pico's host side (EmulatedPico) and the worker thread that runs the RP2040.
// Times are the board's: simulated nanoseconds since reset (deterministic, from cycle counts) and core cycles.

import type { FlashBlock } from './firmware';

export interface BoardTime {
  /** Simulated nanoseconds since reset. */
  simNs: number;
  /** Core cycles executed since reset (125 MHz). */
  cycles: number;
}

export interface WorkerInit {
  bootrom: Uint32Array;
  /** The firmware's flash writes (UF2 payload). */
  blocks: FlashBlock[];
  /** The CIRCUITPY image, written at CIRCUITPY_OFFSET. */
  image: Uint8Array;
}

export type HostMessage =
  /** Console input (the host's USB OUT data); answered by `taken` once every byte is in the CDC FIFO. */
  | { type: 'input'; id: number; bytes: Uint8Array }
  /** Writes bytes into flash at an offset (a deploy's new CIRCUITPY image); answered by `flashed`. */
  | { type: 'flash'; id: number; offset: number; bytes: Uint8Array }
  /** Reads flash back; answered by `flash-data`. */
  | { type: 'read-flash'; id: number; offset: number; length: number };

export interface OutputChunk extends BoardTime {
  bytes: Uint8Array;
}

export type WorkerMessage =
  /** USB CDC enumerated: the console is connected (DTR up). */
  | ({ type: 'connected' } & BoardTime)
  /** Console output, in the order and with the times the board sent it. */
  | ({ type: 'output'; chunks: OutputChunk[] } & BoardTime)
  /** The board's time moved on (sent between outputs so waits in simulated time can expire). */
  | ({ type: 'time' } & BoardTime)
  | ({ type: 'taken'; id: number } & BoardTime)
  | ({ type: 'flashed'; id: number } & BoardTime)
  | { type: 'flash-data'; id: number; bytes: Uint8Array }
  | { type: 'fatal'; message: string };
