// The RP2040 itself (rp2040js), booted from the bootrom with CircuitPython's UF2 and a CIRCUITPY image in flash,
// its console on an emulated USB CDC link. Runs in the emulated Pico's worker thread, in slices: the caller runs a
// slice, takes the console output (each USB packet with its simulated time), and feeds input in between.
//
// The USB OUT deferral (../shared/docs/real-firmware.md): rp2040js completes a read of the CDC OUT endpoint at once,
// with zero bytes, when the host has nothing to send; the firmware then spends its time in USB interrupts and Python
// runs 2.2-2.7x slower than on a board. A real host leaves the transfer pending until it has data, so the read is
// held here until input arrives. Timings are only valid with it.

import { ConsoleLogger, LogLevel, Simulator, USBCDC } from 'rp2040js';
import { CIRCUITPY_OFFSET } from './firmware';
import type { BoardTime, OutputChunk, WorkerInit } from './messages';

/** The core clock: 125 MHz, 8 ns a cycle. */
const CYCLE_NS = 8;
/** Instructions (or idle jumps) between two top-ups of the CDC input FIFO within a slice. */
const FEED_EVERY = 20_000;
/** The CDC FIFO rp2040js gives the host side. */
const CDC_FIFO = 512;

interface QueuedInput {
  id: number;
  bytes: Uint8Array;
  at: number;
}

export class Rp2040Machine {
  private readonly sim = new Simulator();
  private readonly cdc: USBCDC;
  private readonly readEndpoint: (endpoint: number, size: number) => void;
  private heldRead: [number, number] | undefined;
  private readonly input: QueuedInput[] = [];
  private output: OutputChunk[] = [];
  private connectedAt: BoardTime | undefined;
  /** Ids of inputs whose every byte went into the FIFO since the last takeTaken(). */
  private taken: number[] = [];

  constructor(init: WorkerInit) {
    const mcu = this.sim.rp2040;
    mcu.loadBootrom(init.bootrom);
    mcu.logger = new ConsoleLogger(LogLevel.Error);
    for (const block of init.blocks) mcu.flash.set(block.data, block.offset);
    mcu.flash.set(init.image, CIRCUITPY_OFFSET);
    this.cdc = new USBCDC(mcu.usbCtrl);
    this.cdc.onDeviceConnected = () => (this.connectedAt = this.time);
    this.cdc.onSerialData = (bytes) => this.output.push({ bytes: new Uint8Array(bytes), ...this.time });
    const usb = mcu.usbCtrl;
    const original = usb.onEndpointRead;
    if (!original) throw new Error('rp2040js: the USB CDC did not install its endpoint reader');
    this.readEndpoint = original;
    // outEndpoint is private in rp2040js's types; it is the CDC's bulk OUT endpoint, known once enumerated.
    const cdc = this.cdc as unknown as { outEndpoint: number };
    usb.onEndpointRead = (endpoint, size) => {
      if (endpoint === cdc.outEndpoint && this.cdc.txFIFO.itemCount === 0) {
        this.heldRead = [endpoint, size];
        return;
      }
      original(endpoint, size);
    };
    mcu.core.PC = 0x1000_0000;
  }

  get time(): BoardTime {
    return { simNs: this.sim.clock.nanos, cycles: this.sim.rp2040.core.cycles };
  }

  /** The time the console connected, once it has. */
  get connected(): BoardTime | undefined {
    return this.connectedAt;
  }

  /** Console input; it enters the CDC FIFO as room frees up. */
  queueInput(id: number, bytes: Uint8Array): void {
    this.input.push({ id, bytes, at: 0 });
    this.feed();
  }

  writeFlash(offset: number, bytes: Uint8Array): void {
    const flash = this.sim.rp2040.flash;
    if (offset < 0 || offset + bytes.length > flash.length) throw new RangeError(`flash write of ${bytes.length} bytes at ${offset} is outside the ${flash.length}-byte flash`);
    flash.set(bytes, offset);
  }

  readFlash(offset: number, length: number): Uint8Array {
    return this.sim.rp2040.flash.slice(offset, offset + length);
  }

  /** Runs `steps` instructions (an idle core jumps to its next timer event, counted as the cycles it skips). */
  run(steps: number): void {
    const { clock, rp2040 } = this.sim;
    const core = rp2040.core;
    for (let done = 0; done < steps; ) {
      const until = Math.min(steps, done + FEED_EVERY);
      while (done < until) {
        if (core.waiting) {
          const skip = clock.nanosToNextAlarm;
          clock.tick(skip);
          done += 1 + skip / CYCLE_NS;
        } else {
          clock.tick(core.executeInstruction() * CYCLE_NS);
          done++;
        }
      }
      this.feed();
    }
  }

  /** Console output since the last call. */
  takeOutput(): OutputChunk[] {
    const chunks = this.output;
    this.output = [];
    return chunks;
  }

  /** Inputs fully handed to the board since the last call. */
  takeTaken(): number[] {
    const ids = this.taken;
    this.taken = [];
    return ids;
  }

  private feed(): void {
    const fifo = this.cdc.txFIFO;
    while (this.input.length && fifo.itemCount < CDC_FIFO) {
      const head = this.input[0];
      while (head.at < head.bytes.length && fifo.itemCount < CDC_FIFO) this.cdc.sendSerialByte(head.bytes[head.at++]);
      if (head.at < head.bytes.length) break;
      this.input.shift();
      this.taken.push(head.id);
    }
    if (this.heldRead && fifo.itemCount > 0) {
      const [endpoint, size] = this.heldRead;
      this.heldRead = undefined;
      this.readEndpoint(endpoint, size);
    }
  }
}
