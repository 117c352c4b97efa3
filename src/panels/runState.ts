// A run as the panel shows it, updated event by event. The host keeps one (to replay it into a reloaded webview)
// and the webview applies the same events to its copy, so both always agree. Imports only the protocol and
// generation/refills.ts (which imports nothing).
import { refillsPhrase } from '../generation/refills';
import type { HeapPoint, RunEvent, RunParams, RunView, TargetView } from './protocol';

/** Tokens/s is measured over the last few tokens, so the chart shows the current rate, not the average. */
const RateWindow = 8;

const StopReasonText: Readonly<Record<string, string>> = {
  max_tokens: 'max tokens reached',
  eos: 'end of text (EOS)',
  context: 'context full',
  stopped: 'stopped',
};

export function newRun(id: number, modelName: string, target: TargetView, params: RunParams): RunView {
  return {
    id,
    modelName,
    target,
    params,
    status: 'running',
    text: '',
    tokens: 0,
    promptTokens: null,
    truncated: 0,
    unknown: 0,
    rate: [],
    heap: [],
    summary: null,
    error: null,
  };
}

/** Applies one event to `run` (in place). Events after the run has ended are ignored. */
export function applyRunEvent(run: RunView, event: RunEvent, tokenTimes: number[] = []): void {
  if (run.status !== 'running') return;
  switch (event.type) {
    case 'start':
      run.promptTokens = event.promptTokens;
      run.truncated = event.truncated;
      run.unknown = event.unknown;
      run.params = { ...run.params, seed: event.seed };
      break;
    case 'token': {
      run.text += event.text;
      run.tokens++;
      tokenTimes.push(event.elapsedMs);
      run.rate.push({ elapsedMs: event.elapsedMs, tokensPerSecond: recentRate(tokenTimes) });
      break;
    }
    case 'memory': {
      const point: HeapPoint = { elapsedMs: event.elapsedMs, free: event.free, peak: event.peak, heapLimit: event.heapLimit, estimated: event.estimated };
      run.heap.push(point);
      break;
    }
    case 'done':
      run.status = event.reason === 'stopped' ? 'stopped' : 'done';
      run.summary = doneSummary(event.reason, event.tokens, event.ms, event.tokensPerSecond, event.refills);
      break;
    case 'error':
      run.status = 'error';
      run.error = { code: event.code, message: event.message };
      break;
  }
}

/** Rebuilds the token times of a replayed run, so later events continue its rate curve. */
export function tokenTimesOf(run: RunView): number[] {
  return run.rate.map((p) => p.elapsedMs);
}

/** "max tokens reached · context refilled 3 times · 200 tokens in 1.2 s · 160.3 tokens/s" (no refills: no part). */
export function doneSummary(reason: string, tokens: number, ms: number, tokensPerSecond: number, refills?: number): string {
  const why = StopReasonText[reason] ?? reason;
  const time = ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
  const past = refills ? ` · ${refillsPhrase(refills)}` : '';
  return `${why}${past} · ${tokens} token${tokens === 1 ? '' : 's'} in ${time} · ${tokensPerSecond.toFixed(1)} tokens/s`;
}

/** Tokens per second over the last RateWindow tokens (the first token: since the start). */
function recentRate(times: readonly number[]): number {
  const n = times.length;
  if (n === 0) return 0;
  const from = Math.max(0, n - 1 - RateWindow);
  const span = n - 1 - from === 0 ? times[n - 1] : times[n - 1] - times[from];
  const count = n - 1 - from === 0 ? 1 : n - 1 - from;
  return span > 0 ? (count * 1000) / span : 0;
}
