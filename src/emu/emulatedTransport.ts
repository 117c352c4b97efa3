// The emulated Pico's console as a Transport (MachineTransport), with the board's simulated time as its clock, so a
// session's "5 s without an answer" means 5 s of the board's time, whatever the host's load. Opening it boots the
// board if it is not running; stopping the board looks like an unplug.

import { MachineTransport } from '../device/machineTransport';
import type { EmulatedPico } from './emulatedPico';

export class EmulatedTransport extends MachineTransport {
  constructor(pico: EmulatedPico) {
    super(
      {
        get running() {
          return pico.running;
        },
        start: () => pico.start(),
        write: (data) => pico.write(data),
        onBytes: pico.onBytes,
        onStart: pico.onStart,
        onStop: pico.onStop,
      },
      { kind: 'emulated', id: 'emulated:rp2040', name: 'the emulated Pico', clock: pico.clock },
    );
  }
}
