// The console of a board that runs in this process (the virtual Pico, the emulated Pico) as a Transport. Opening it
// boots the machine if it is not running; the machine stopping looks like an unplug (onClose with willReconnect),
// and starting again like the board coming back.

import type { Clock } from './serial/clock';
import { Emitter } from './serial/emitter';
import type { CloseInfo, Disposable, OpenInfo, Transport, TransportSignals, TransportState } from './transport';
import type { Listener } from './serial/emitter';

/** What a machine offers its console transport. */
export interface ConsoleMachine {
  readonly running: boolean;
  start(): void | Promise<void>;
  /** Console input; resolves once the machine took every byte. */
  write(data: Uint8Array | string): Promise<void>;
  /** Console output, as a serial port would deliver it. */
  onBytes(listener: Listener<Uint8Array>): Disposable;
  onStart(listener: Listener<void>): Disposable;
  onStop(listener: Listener<{ message: string }>): Disposable;
}

export interface MachineTransportOptions {
  kind: Transport['kind'];
  id: string;
  /** For messages: "the virtual Pico". */
  name: string;
  /** Appended to the machine's stop message ("Start it again to reconnect."). */
  stoppedHint?: string;
  clock?: Clock;
}

export class MachineTransport implements Transport {
  readonly kind: Transport['kind'];
  readonly id: string;
  readonly clock?: Clock;
  private stateValue: TransportState = 'closed';
  private subscriptions: Disposable[] = [];
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly openEmitter = new Emitter<OpenInfo>();
  private readonly closeEmitter = new Emitter<CloseInfo>();
  readonly onData = this.dataEmitter.event;
  readonly onOpen = this.openEmitter.event;
  readonly onClose = this.closeEmitter.event;

  constructor(
    private readonly machine: ConsoleMachine,
    private readonly options: MachineTransportOptions,
  ) {
    this.kind = options.kind;
    this.id = options.id;
    if (options.clock) this.clock = options.clock;
  }

  get state(): TransportState {
    return this.stateValue;
  }

  async open(): Promise<void> {
    if (this.stateValue === 'open' || this.stateValue === 'opening') return;
    this.stateValue = 'opening';
    this.subscriptions = [
      this.machine.onBytes((bytes) => {
        if (this.stateValue === 'open') this.dataEmitter.fire(bytes);
      }),
      this.machine.onStop((info) => this.machineStopped(info.message)),
      this.machine.onStart(() => this.machineStarted()),
    ];
    try {
      // Open before booting, so the boot is seen (a real board's would be, with DTR up).
      this.stateValue = 'open';
      if (!this.machine.running) await this.machine.start();
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
    if (wasActive) this.closeEmitter.fire({ reason: 'requested', message: `Closed ${this.options.name} console.`, willReconnect: false });
  }

  write(data: Uint8Array | string): Promise<void> {
    if (this.stateValue !== 'open') return Promise.reject(new Error(`Cannot write to ${this.options.name}: its console is ${this.stateValue}.`));
    return this.machine.write(data);
  }

  /** A machine in this process has no modem lines; its console is always "connected". */
  async setSignals(_signals: TransportSignals): Promise<void> {}

  private machineStopped(message: string): void {
    if (this.stateValue !== 'open') return;
    this.stateValue = 'reconnecting';
    const hint = this.options.stoppedHint ? ` ${this.options.stoppedHint}` : '';
    this.closeEmitter.fire({ reason: 'disconnected', message: `${message}${hint}`, willReconnect: true });
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
