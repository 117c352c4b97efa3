// A minimal typed event emitter: listeners are called in order, and a throwing listener cannot break the others
// (a serial stream must keep flowing even when one consumer has a bug).

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

export class Emitter<T> {
  private listeners: Listener<T>[] = [];

  /** Subscribe; dispose the result to unsubscribe. */
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        console.error('[picoformer] event listener failed:', err);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.length;
  }

  clear(): void {
    this.listeners = [];
  }
}
