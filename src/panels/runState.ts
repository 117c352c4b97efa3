// A run as the panel shows it, updated event by event. The host keeps one (to replay it into a reloaded webview)
// and the webview applies the same events to its copy, so both always agree. Imports only the protocol and
// generation/decodeRate.ts and refills.ts (which import nothing).
import { decodeRate } from '../generation/decodeRate';
import { refillsPhrase } from '../generation/refills';
import type { HeapPoint, RunEvent, RunParams, RunView, TargetView } from './protocol';

const StopReasonText: Readonly<Record<string, string>> = {
  max_tokens: 'max tokens reached',
  eos: 'end of text (EOS)',
  context: 'context full',
  stopped: 'stopped',
};

export function newRun(id: number, modelName: string, target: TargetView, params: RunParams, predictedPicoTokensPerSecond: number | null = null): RunView {
  return {
    id,
    modelName,
    target,
    params,
    decodeTokensPerSecond: null,
    firstTokenMs: null,
    predictedPicoTokensPerSecond,
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
      if (run.firstTokenMs === null) run.firstTokenMs = event.elapsedMs;
      else {
        // The chart plots the decode rate so far: its last point is the figure the status line gives.
        const rate = decodeRate(run.firstTokenMs, event.elapsedMs, run.tokens);
        run.rate.push({ elapsedMs: event.elapsedMs, tokensPerSecond: rate });
        run.decodeTokensPerSecond = rate;
      }
      break;
    }
    case 'memory': {
      const point: HeapPoint = { elapsedMs: event.elapsedMs, free: event.free, peak: event.peak, heapLimit: event.heapLimit, estimated: event.estimated };
      run.heap.push(point);
      break;
    }
    case 'done': {
      run.status = event.reason === 'stopped' ? 'stopped' : 'done';
      // The backend's figure (the board's own clock) is the run's: the chart's last point says the same.
      if (event.tokensPerSecond > 0) {
        run.decodeTokensPerSecond = event.tokensPerSecond;
        const last = run.rate[run.rate.length - 1];
        if (last) run.rate[run.rate.length - 1] = { ...last, tokensPerSecond: event.tokensPerSecond };
      }
      run.summary = doneSummary(event.reason, event.tokens, event.ms, run.decodeTokensPerSecond ?? 0, event.refills);
      break;
    }
    case 'error':
      run.status = 'error';
      run.error = { code: event.code, message: event.message };
      break;
  }
}

/** Rebuilds the token times of a replayed run, so later events continue its rate curve. */
export function tokenTimesOf(run: RunView): number[] {
  return run.firstTokenMs === null ? [] : [run.firstTokenMs, ...run.rate.map((p) => p.elapsedMs)];
}

/** "max tokens reached · context refilled 3 times · 200 tokens in 1.2 s · 53.3 tokens/s decode" (no rate before two
 *  tokens; no refills part when the text fit the context). */
export function doneSummary(reason: string, tokens: number, ms: number, decodeTokensPerSecond: number, refills?: number): string {
  const why = StopReasonText[reason] ?? reason;
  const time = ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
  const past = refills ? ` · ${refillsPhrase(refills)}` : '';
  const rate = decodeTokensPerSecond > 0 ? ` · ${decodeTokensPerSecond.toFixed(1)} tokens/s decode` : '';
  return `${why}${past} · ${tokens} token${tokens === 1 ? '' : 's'} in ${time}${rate}`;
}
