// Loss and gradient over a batch of windows, split into two shards whose gradients are summed in a fixed order
// (shard 0 + shard 1), whether the second shard runs on this thread or in a helper thread. So one seed gives the
// same weights bit for bit with one thread or two, and a checkpoint resumes identically on either.
import type { Worker } from 'node:worker_threads';
import type { ModelConfig } from '../model/config';
import { Network } from './network';
import { spawnTrainWorker } from './workerScript';

/** Messages between the engine and its helper thread. */
export type ShardRequest = { type: 'run'; offset: number; windows: number; len: number; grads: boolean; scale: number };
export type ShardReply = { type: 'ran'; loss: number } | { type: 'failed'; message: string };
export interface ShardInit {
  role: 'shard';
  config: ModelConfig;
  params: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  inputs: SharedArrayBuffer;
  targets: SharedArrayBuffer;
}

export class GradientEngine {
  readonly params: Float32Array; // shared with the helper
  /** Sum of both shards' gradients after run(..., grads = true). */
  readonly grads: Float64Array;
  readonly inputs: Int32Array; // (windows, len) filled by the caller
  readonly targets: Int32Array;
  private readonly g0: Float64Array;
  private readonly g1: Float64Array; // shared with the helper
  private readonly net: Network;
  private helper: Worker | undefined;
  private pending: { resolve: (loss: number) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  /** `maxWindows`: the most windows one run() gets. `script`: the worker script for a helper thread, if wanted. */
  constructor(readonly config: ModelConfig, maxWindows: number, script?: string) {
    this.net = new Network(config);
    const n = this.net.layout.total;
    const tokens = maxWindows * config.context_length;
    const shared = new SharedArrayBuffer(n * 4);
    const g1 = new SharedArrayBuffer(n * 8);
    const inputs = new SharedArrayBuffer(tokens * 4);
    const targets = new SharedArrayBuffer(tokens * 4);
    this.params = new Float32Array(shared);
    this.g1 = new Float64Array(g1);
    this.inputs = new Int32Array(inputs);
    this.targets = new Int32Array(targets);
    this.g0 = new Float64Array(n);
    this.grads = new Float64Array(n);
    if (script !== undefined) {
      const init: ShardInit = { role: 'shard', config, params: shared, grads: g1, inputs, targets };
      const helper = (this.helper = spawnTrainWorker(script, init));
      helper.on('message', (m: ShardReply) => this.settle(m.type === 'ran' ? m.loss : new Error(m.message)));
      helper.on('error', (e) => this.settle(new Error(`gradient thread failed: ${e.message}`)));
      helper.on('exit', (code) => this.settle(new Error(`gradient thread exited (code ${code})`)));
    }
  }

  get threads(): number {
    return this.helper === undefined ? 1 : 2;
  }

  /** Sum of the losses of `windows` windows of `len` tokens; with `grads`, this.grads = d(sum * scale)/d(params). */
  async run(windows: number, len: number, grads: boolean, scale: number): Promise<number> {
    const first = Math.ceil(windows / 2);
    const second = windows - first;
    if (grads) {
      this.g0.fill(0);
      this.g1.fill(0);
    }
    if (this.failure !== undefined) throw this.failure;
    let remote: Promise<number> | undefined;
    if (second > 0 && this.helper !== undefined) {
      remote = new Promise<number>((resolve, reject) => (this.pending = { resolve, reject }));
      const request: ShardRequest = { type: 'run', offset: first * len, windows: second, len, grads, scale };
      this.helper.postMessage(request);
    }
    const loss0 = this.net.run(this.params, this.inputs, this.targets, first, len, grads ? this.g0 : null, scale);
    let loss1 = 0;
    if (second > 0) {
      loss1 = remote !== undefined
        ? await remote
        : this.net.run(this.params, this.inputs.subarray(first * len), this.targets.subarray(first * len), second, len, grads ? this.g1 : null, scale);
    }
    if (grads) for (let i = 0; i < this.grads.length; i++) this.grads[i] = this.g0[i] + this.g1[i];
    return loss0 + loss1;
  }

  async close(): Promise<void> {
    const helper = this.helper;
    this.helper = undefined;
    if (helper !== undefined) {
      helper.removeAllListeners('exit');
      await helper.terminate();
    }
  }

  private settle(result: number | Error): void {
    if (result instanceof Error) this.failure ??= result;
    const p = this.pending;
    this.pending = undefined;
    if (p === undefined) return;
    if (typeof result === 'number') p.resolve(result);
    else p.reject(result);
  }
}

/** The helper thread's side: runs shard requests against the shared buffers. */
export function serveShard(init: ShardInit, post: (reply: ShardReply) => void, onRequest: (handler: (r: ShardRequest) => void) => void): void {
  const net = new Network(init.config);
  const params = new Float32Array(init.params);
  const grads = new Float64Array(init.grads);
  const inputs = new Int32Array(init.inputs);
  const targets = new Int32Array(init.targets);
  onRequest((r) => {
    try {
      const loss = net.run(params, inputs.subarray(r.offset), targets.subarray(r.offset), r.windows, r.len, r.grads ? grads : null, r.scale);
      post({ type: 'ran', loss });
    } catch (err) {
      post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  });
}
