// The virtual Pico's console as a Transport. Opening it boots the machine if it is not running; stopping the machine
// looks like an unplug (onClose with willReconnect), and starting it again like the board coming back.

import type { CloseInfo, Disposable, OpenInfo, Transport, TransportSignals, TransportState } from '../device/transport';
import { Emitter } from '../device/serial/emitter';
import type { VirtualPico } from './virtualPico';

export class VirtualPicoTransport implements Transport {
  readonly kind = 'virtual';
  readonly id: string;
  private stateValue: TransportState = 'closed';
  private subscriptions: Disposable[] = [];
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly openEmitter = new Emitter<OpenInfo>();
  private readonly closeEmitter = new Emitter<CloseInfo>();
  readonly onData = this.dataEmitter.event;
  readonly onOpen = this.openEmitter.event;
  readonly onClose = this.closeEmitter.event;

  constructor(private readonly pico: VirtualPico) {
    this.id = `virtual:${pico.driveDir}`;
  }

  get state(): TransportState {
    return this.stateValue;
  }

  async open(): Promise<void> {
    if (this.stateValue === 'open' || this.stateValue === 'opening') return;
    this.stateValue = 'opening';
    this.subscriptions = [
      this.pico.onOutput((bytes) => {
        if (this.stateValue === 'open') this.dataEmitter.fire(bytes);
      }),
      this.pico.onStop((info) => this.machineStopped(info.message)),
      this.pico.onStart(() => this.machineStarted()),
    ];
    try {
      // Open before booting, so the boot banner is seen (a real board's would be, with DTR up).
      this.stateValue = 'open';
      if (!this.pico.running) await this.pico.start();
    } catch (err) {
      this.dispose();
      this.stateValue = 'closed';
      throw err;
    }
    this.openEmitter.fire({ reconnected: false });
  }

  async close(): Promise<void> {
    const wasActive = this.stateValue !== 'closed';
    this.dispose();
    this.stateValue = 'closed';
    if (wasActive) this.closeEmitter.fire({ reason: 'requested', message: 'Closed the virtual Pico console.', willReconnect: false });
  }

  write(data: Uint8Array | string): Promise<void> {
    if (this.stateValue !== 'open') return Promise.reject(new Error(`Cannot write to the virtual Pico: its console is ${this.stateValue}.`));
    return this.pico.write(data);
  }

  /** The virtual Pico has no modem lines; its console is always "connected". */
  async setSignals(_signals: TransportSignals): Promise<void> {}

  private machineStopped(message: string): void {
    if (this.stateValue !== 'open') return;
    this.stateValue = 'reconnecting';
    this.closeEmitter.fire({ reason: 'disconnected', message: `${message} Start it again to reconnect.`, willReconnect: true });
  }

  private machineStarted(): void {
    if (this.stateValue !== 'reconnecting') return;
    this.stateValue = 'open';
    this.openEmitter.fire({ reconnected: true });
  }

  private dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
  }
}
