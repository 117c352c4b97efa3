// A run as the panel shows it, updated event by event. The host keeps one (to replay it into a reloaded webview)
// and the webview applies the same events to its copy, so both always agree. Imports only the protocol.
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
      const characters = (run.rate.at(-1)?.characters ?? 0) + [...event.text].length;
      const tokensPerSecond = recentRate(tokenTimes);
      // The same window of tokens as the tokens/s: the characters those tokens added (the first: its own).
      const from = run.rate.length - Math.min(RateWindow, run.rate.length);
      const windowTokens = run.rate.length - from;
      const windowChars = windowTokens === 0 ? characters : characters - run.rate[from].characters;
      const charactersPerSecond = tokensPerSecond * (windowChars / Math.max(1, windowTokens));
      run.rate.push({ elapsedMs: event.elapsedMs, tokensPerSecond, characters, charactersPerSecond });
      break;
    }
    case 'memory': {
      const point: HeapPoint = { elapsedMs: event.elapsedMs, free: event.free, peak: event.peak, heapLimit: event.heapLimit, estimated: event.estimated };
      run.heap.push(point);
      break;
    }
    case 'done':
      run.status = event.reason === 'stopped' ? 'stopped' : 'done';
      run.summary = doneSummary(event.reason, event.tokens, event.ms, event.tokensPerSecond, run.rate.at(-1)?.characters ?? 0);
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

/** "max tokens reached · 64 tokens in 7.9 s · 8.1 tokens/s · 2.60 characters per token, 21.1 characters/s". */
export function doneSummary(reason: string, tokens: number, ms: number, tokensPerSecond: number, characters: number): string {
  const why = StopReasonText[reason] ?? reason;
  const time = ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
  const perToken = tokens > 0 ? characters / tokens : 0;
  const chars = tokens > 0 && characters > 0 ? ` · ${perToken.toFixed(2)} characters per token, ${(tokensPerSecond * perToken).toFixed(1)} characters/s` : '';
  return `${why} · ${tokens} token${tokens === 1 ? '' : 's'} in ${time} · ${tokensPerSecond.toFixed(1)} tokens/s${chars}`;
}

/** The current rates of a running generation: "8.1 tokens/s, 21.3 characters/s", or '' before the first token. */
export function runRatesText(run: RunView): string {
  const last = run.rate.at(-1);
  return last === undefined ? '' : `${last.tokensPerSecond.toFixed(1)} tokens/s, ${last.charactersPerSecond.toFixed(1)} characters/s`;
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
