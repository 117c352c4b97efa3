// The virtual Pico's console as a Transport (MachineTransport). Opening it boots the machine if it is not running;
// stopping the machine looks like an unplug (onClose with willReconnect), and starting it again like the board
// coming back.

import { MachineTransport } from '../device/machineTransport';
import type { VirtualPico } from './virtualPico';

export class VirtualPicoTransport extends MachineTransport {
  constructor(pico: VirtualPico) {
    super(
      {
        get running() {
          return pico.running;
        },
        start: () => pico.start(),
        write: (data) => pico.write(data),
        onBytes: pico.onOutput,
        onStart: pico.onStart,
        onStop: pico.onStop,
      },
      { kind: 'virtual', id: `virtual:${pico.driveDir}`, name: 'the virtual Pico', stoppedHint: 'Start it again to reconnect.' },
    );
  }
}
