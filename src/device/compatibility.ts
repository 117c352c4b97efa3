// Whether a board can run the Picoformer runtime, for every check that keys on its firmware. The runtime needs
// CircuitPython 9 on a real board; the virtual Pico runs MicroPython (in WebAssembly) and presents CircuitPython's
// drive and console, and it runs the runtime: it says what it is and still counts as able. Pure.
import type { BoardDevice } from './types';

export function runsPicoformerRuntime(device: Pick<BoardDevice, 'firmware' | 'virtual' | 'bootloader'>): boolean {
  if (device.virtual) return true;
  return !device.bootloader && device.firmware !== 'micropython' && device.firmware !== 'bootloader';
}
