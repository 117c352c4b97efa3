// A push-to-pull queue: a backend pushes events as they happen, the consumer iterates them with `for await`.
// Events are buffered until read, so a slow consumer never loses one.
import type { GenerationEvent, GenerationRun } from './backend';

export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffered: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private closed = false;
  private iterated = false;

  /** Queues an event; ignored after close(). */
  push(event: T): void {
    if (this.closed) return;
    const wake = this.waiting;
    if (wake) {
      this.waiting = undefined;
      wake({ value: event, done: false });
    } else {
      this.buffered.push(event);
    }
  }

  /** Ends the stream once the buffered events are read. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const wake = this.waiting;
    this.waiting = undefined;
    wake?.({ value: undefined, done: true });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterated) throw new Error('a generation run can be iterated only once');
    this.iterated = true;
    return {
      next: () => {
        const event = this.buffered.shift();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

/** A GenerationRun over a channel: the backend pushes into `channel`, `onStop` is called once on stop(). */
export function channelRun(channel: EventChannel<GenerationEvent>, onStop: () => void): GenerationRun {
  let stopped = false;
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      onStop();
    },
    [Symbol.asyncIterator]: () => channel[Symbol.asyncIterator](),
  };
}
