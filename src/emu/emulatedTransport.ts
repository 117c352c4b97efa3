// The emulated Pico's console as a Transport, with the board's simulated time as its clock (so a session's
// "5 s without an answer" means 5 s of the board's time, whatever the host's load). Opening it boots the board if
// it is not running; stopping the board looks like an unplug.

import type { CloseInfo, Disposable, OpenInfo, Transport, TransportSignals, TransportState } from '../device/transport';
import { Emitter } from '../device/serial/emitter';
import type { Clock } from '../device/serial/clock';
import type { EmulatedPico } from './emulatedPico';

export class EmulatedTransport implements Transport {
  readonly kind = 'emulated';
  readonly id = 'emulated:rp2040';
  readonly clock: Clock;
  private stateValue: TransportState = 'closed';
  private subscriptions: Disposable[] = [];
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly openEmitter = new Emitter<OpenInfo>();
  private readonly closeEmitter = new Emitter<CloseInfo>();
  readonly onData = this.dataEmitter.event;
  readonly onOpen = this.openEmitter.event;
  readonly onClose = this.closeEmitter.event;

  constructor(private readonly pico: EmulatedPico) {
    this.clock = pico.clock;
  }

  get state(): TransportState {
    return this.stateValue;
  }

  async open(): Promise<void> {
    if (this.stateValue === 'open' || this.stateValue === 'opening') return;
    this.subscriptions = [
      this.pico.onOutput((chunk) => {
        if (this.stateValue === 'open') this.dataEmitter.fire(chunk.bytes);
      }),
      this.pico.onStop((info) => this.boardStopped(info.message)),
      this.pico.onStart(() => this.boardStarted()),
    ];
    // Open before booting, so the whole boot is seen.
    this.stateValue = 'open';
    try {
      if (!this.pico.running) this.pico.start();
    } catch (error) {
      this.dispose();
      this.stateValue = 'closed';
      throw error;
    }
    this.openEmitter.fire({ reconnected: false });
  }

  async close(): Promise<void> {
    const wasActive = this.stateValue !== 'closed';
    this.dispose();
    this.stateValue = 'closed';
    if (wasActive) this.closeEmitter.fire({ reason: 'requested', message: 'Closed the emulated Pico console.', willReconnect: false });
  }

  write(data: Uint8Array | string): Promise<void> {
    if (this.stateValue !== 'open') return Promise.reject(new Error(`Cannot write to the emulated Pico: its console is ${this.stateValue}.`));
    return this.pico.write(data);
  }

  /** The emulated CDC link raises DTR itself when it enumerates. */
  async setSignals(_signals: TransportSignals): Promise<void> {}

  private boardStopped(message: string): void {
    if (this.stateValue !== 'open') return;
    this.stateValue = 'reconnecting';
    this.closeEmitter.fire({ reason: 'disconnected', message, willReconnect: true });
  }

  private boardStarted(): void {
    if (this.stateValue !== 'reconnecting') return;
    this.stateValue = 'open';
    this.openEmitter.fire({ reconnected: true });
  }

  private dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
  }
}
