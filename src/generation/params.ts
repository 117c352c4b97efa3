// Generation parameters: their limits (the same as the picoformer.generation.* settings), one checker used by the
// Studio's message guard (src/panels/protocol.ts, also bundled into the webview) and by every backend, and
// "seed 0 = a new seed each time". Imports nothing, so the webview bundle can include it.

/** One generation request. `seed` is used as given (resolve "0 = random" first with resolveSeed). */
export interface GenerationParams {
  prompt: string;
  maxTokens: number;
  /** <= 0: greedy. */
  temperature: number;
  /** 0: every token. */
  topK: number;
  seed: number;
  /** Stop when the context is full (reason `context`) instead of refilling it and going on. Default false. */
  stopAtContext?: boolean;
}

export const ParamLimits = {
  promptChars: 20_000,
  maxTokens: { min: 1, max: 4096 },
  temperature: { min: 0, max: 5 },
  topK: { min: 0, max: 65_535 },
} as const;

/** What is wrong with `params`, or undefined when they are usable. Accepts anything (messages are untrusted). */
export function checkGenerationParams(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return 'generation parameters must be an object';
  const p = params as Record<string, unknown>;
  if (typeof p.prompt !== 'string') return 'the prompt must be text';
  if (p.prompt.length > ParamLimits.promptChars) return `the prompt is longer than ${ParamLimits.promptChars} characters`;
  const { maxTokens, temperature, topK } = ParamLimits;
  if (!isIntegerIn(p.maxTokens, maxTokens.min, maxTokens.max)) return `max tokens must be a whole number in ${maxTokens.min}..${maxTokens.max}`;
  if (typeof p.temperature !== 'number' || !Number.isFinite(p.temperature) || p.temperature < temperature.min || p.temperature > temperature.max) {
    return `temperature must be a number in ${temperature.min}..${temperature.max}`;
  }
  if (!isIntegerIn(p.topK, topK.min, topK.max)) return `top-k must be a whole number in ${topK.min}..${topK.max} (0 = every token)`;
  if (typeof p.seed !== 'number' || !Number.isSafeInteger(p.seed)) return 'the seed must be a whole number';
  if (p.stopAtContext !== undefined && typeof p.stopAtContext !== 'boolean') return 'stop at context must be true or false';
  return undefined;
}

/** Keeps only the known fields (after checkGenerationParams said they are fine). */
export function pickGenerationParams(p: GenerationParams): GenerationParams {
  const picked: GenerationParams = { prompt: p.prompt, maxTokens: p.maxTokens, temperature: p.temperature, topK: p.topK, seed: p.seed };
  if (p.stopAtContext !== undefined) picked.stopAtContext = p.stopAtContext;
  return picked;
}

/** Seed 0 means "a new seed each time" (the setting's meaning): draws one in 1..2^31-1 so the run can be repeated. */
export function resolveSeed(seed: number, random: () => number = Math.random): number {
  if (seed !== 0) return seed;
  return 1 + Math.floor(random() * 0x7ffffffe);
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
