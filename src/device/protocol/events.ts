// The runtime's event lines, typed (docs/protocol.md, "Events").
//
// Wire format: a line that starts with the 4 characters "@pf " followed by exactly one JSON object with an "ev"
// string, e.g.  @pf {"ev":"token","id":17,"text":"a","index":0,"req":7}  (the board writes compact JSON)
// Field order and JSON whitespace are free; new fields may appear (they are kept, untyped). Every event a command
// causes carries its "req" (a generation's start, tokens, done and memory too), so tokens of an old generation can
// be told from a new one's. A line that does not start with "@pf " is never an event.
//
// parseEventLine never throws: bad JSON, a missing "ev" or a field of the wrong type gives a `garbage` result with
// the reason; a well-formed event with a name this version does not know gives `unknown`.

export const EVENT_PREFIX = '@pf ';

export type Req = number | string;

interface EventBase {
  req?: Req;
}

export interface RuntimeFields {
  runtime: string;
  version: string;
  protocol: number;
  impl: string;
  impl_version: string;
  machine: string;
  ulab: boolean;
  mem_free: number;
  mem_alloc: number;
  heap_limit: number | null;
  models_dir: string;
  host: boolean;
  /** sys.implementation._mpy (the bytecode the board imports: version | flags << 8), null when it has none;
   *  absent from older runtimes. */
  mpy?: number | null;
}

export interface ReadyEvent extends EventBase, RuntimeFields {
  ev: 'ready';
}

export type LoadMode = 'auto' | 'resident' | 'streamed';

export interface ModelEntry {
  file: string;
  size: number;
  loaded: boolean;
  name?: string;
  params?: number;
  dtype?: string;
  context_length?: number;
  vocab_size?: number;
  fits?: boolean;
  mode?: 'resident' | 'streamed' | null;
  estimate?: { resident: number; streamed: number };
  /** Present when the file cannot be used. */
  error?: { code: string; message: string };
}

export interface ModelsEvent extends EventBase {
  ev: 'models';
  dir: string;
  mem_available: number;
  models: ModelEntry[];
}

export interface LoadProgressEvent extends EventBase {
  ev: 'load';
  file: string;
  mode: string;
  done: number;
  total: number;
}

export interface LoadedEvent extends EventBase {
  ev: 'loaded';
  file: string;
  name: string;
  mode: string;
  params: number;
  dtype: string;
  ms: number;
  estimate: number;
  model_bytes: number;
  mem_free: number;
  mem_alloc: number;
  config: Record<string, unknown>;
  /** Set when the chosen mode ran out of memory and the load was retried in another (docs/protocol.md, "Loading"). */
  fallback?: { from: string; code: string } | null;
}

export interface UnloadedEvent extends EventBase {
  ev: 'unloaded';
  file: string;
  mem_free: number;
}

export interface MemoryEvent extends EventBase {
  ev: 'memory';
  free: number;
  alloc: number;
  peak: number;
  heap_limit: number | null;
  model_bytes: number;
}

export interface StartEvent extends EventBase {
  ev: 'start';
  prompt_tokens: number;
  truncated: number;
  unknown: number;
  seed: number;
  max_tokens: number;
  temperature: number;
  top_k: number;
}

export interface TokenEvent extends EventBase {
  ev: 'token';
  id: number;
  text: string;
  index: number;
}

export type DoneReason = 'max_tokens' | 'eos' | 'context' | 'stopped' | 'error';

export interface DoneEvent extends EventBase {
  ev: 'done';
  reason: DoneReason;
  tokens: number;
  prompt_tokens: number;
  ms: number;
  tok_per_s: number;
  /** From the first new token to the end (absent from older runtimes): the decode rate is (tokens - 1) * 1000 / it. */
  decode_ms?: number;
  /** Times the full context was refilled to go on past it (absent from runtimes before refills). */
  refills?: number;
}

export interface ErrorEvent extends EventBase {
  ev: 'error';
  code: string;
  message: string;
  recoverable: boolean;
  /** too_big: the estimated peak plus the board's margin, and the heap a load has (free + the loaded model). */
  needed?: number;
  available?: number;
}

export interface Settings {
  max_tokens: number;
  temperature: number;
  top_k: number;
  seed: number | null;
  mode: LoadMode;
  /** End a generation at a full context instead of refilling it (runtimes before refills have no such field). */
  stop_at_context?: boolean;
}

export interface InfoEvent extends EventBase, RuntimeFields {
  ev: 'info';
  model: {
    file: string;
    name: string;
    mode: string;
    params: number;
    dtype: string;
    context_length: number;
    vocab_size: number;
    model_bytes: number;
  } | null;
  settings: Settings;
  generating: boolean;
}

export interface SettingsEvent extends EventBase, Settings {
  ev: 'settings';
}

export interface HelpEvent extends EventBase {
  ev: 'help';
  text: string;
}

export type RuntimeEvent =
  | ReadyEvent
  | ModelsEvent
  | LoadProgressEvent
  | LoadedEvent
  | UnloadedEvent
  | MemoryEvent
  | StartEvent
  | TokenEvent
  | DoneEvent
  | ErrorEvent
  | InfoEvent
  | SettingsEvent
  | HelpEvent;

export type EventName = RuntimeEvent['ev'];

export type ParsedEventLine =
  | { kind: 'event'; event: RuntimeEvent }
  | { kind: 'unknown'; ev: string; data: Record<string, unknown> }
  | { kind: 'garbage'; reason: string };

// ----- field checks

type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
/** `?` suffix: optional. `|null`: may be null. */
type FieldSpec = `${FieldType}${'' | '|null'}${'' | '?'}`;

const RUNTIME: Record<keyof RuntimeFields, FieldSpec> = {
  runtime: 'string',
  version: 'string',
  protocol: 'integer',
  impl: 'string?',
  impl_version: 'string?',
  machine: 'string?',
  ulab: 'boolean?',
  mem_free: 'number?',
  mem_alloc: 'number?',
  heap_limit: 'number|null?',
  models_dir: 'string?',
  host: 'boolean?',
  mpy: 'integer|null?',
};

const SETTINGS: Record<keyof Settings, FieldSpec> = {
  max_tokens: 'integer',
  temperature: 'number',
  top_k: 'integer',
  seed: 'integer|null',
  mode: 'string',
  stop_at_context: 'boolean?',
};

/** Required fields are the ones a host needs to act; the rest are type-checked when present. */
const SCHEMAS: Record<EventName, Record<string, FieldSpec>> = {
  ready: RUNTIME,
  models: { dir: 'string?', mem_available: 'number?', models: 'array' },
  load: { file: 'string', mode: 'string?', done: 'number', total: 'number' },
  loaded: {
    file: 'string',
    name: 'string?',
    mode: 'string?',
    params: 'integer?',
    dtype: 'string?',
    ms: 'number?',
    estimate: 'number?',
    model_bytes: 'number?',
    mem_free: 'number?',
    mem_alloc: 'number?',
    config: 'object?',
    fallback: 'object|null?',
  },
  unloaded: { file: 'string|null?', mem_free: 'number?' },
  memory: { free: 'number', alloc: 'number', peak: 'number?', heap_limit: 'number|null?', model_bytes: 'number?' },
  start: {
    prompt_tokens: 'integer?',
    truncated: 'integer?',
    unknown: 'integer?',
    seed: 'integer?',
    max_tokens: 'integer?',
    temperature: 'number?',
    top_k: 'integer?',
  },
  token: { id: 'integer', text: 'string', index: 'integer?' },
  done: { reason: 'string', tokens: 'integer', prompt_tokens: 'integer?', ms: 'number?', tok_per_s: 'number?', decode_ms: 'number?', refills: 'integer?' },
  error: { code: 'string', message: 'string', recoverable: 'boolean?', needed: 'number?', available: 'number?' },
  info: { ...RUNTIME, model: 'object|null?', settings: 'object?', generating: 'boolean?' },
  settings: SETTINGS,
  help: { text: 'string' },
};

const DONE_REASONS: readonly string[] = ['max_tokens', 'eos', 'context', 'stopped', 'error'];

function typeOk(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
  }
}

/** The first problem with `data`'s fields, or undefined. */
function checkFields(data: Record<string, unknown>, schema: Record<string, FieldSpec>): string | undefined {
  for (const [name, spec] of Object.entries(schema)) {
    const optional = spec.endsWith('?');
    const nullable = spec.includes('|null');
    const type = spec.replace('?', '').replace('|null', '') as FieldType;
    const value = data[name];
    if (value === undefined) {
      if (!optional) return `missing "${name}"`;
      continue;
    }
    if (value === null && nullable) continue;
    if (!typeOk(value, type)) return `"${name}" should be ${nullable ? `${type} or null` : `${type}`}, got ${JSON.stringify(value)}`;
  }
  if (data.req !== undefined && typeof data.req !== 'string' && !(typeof data.req === 'number' && Number.isFinite(data.req))) {
    return '"req" should be a number or a string';
  }
  return undefined;
}

function checkModelEntries(models: unknown[]): string | undefined {
  for (const [i, entry] of models.entries()) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return `models[${i}] is not an object`;
    const problem = checkFields(entry as Record<string, unknown>, {
      file: 'string',
      size: 'number?',
      loaded: 'boolean?',
      name: 'string?',
      params: 'integer?',
      dtype: 'string?',
      context_length: 'integer?',
      vocab_size: 'integer?',
      fits: 'boolean?',
      mode: 'string|null?',
      estimate: 'object?',
      error: 'object?',
    });
    if (problem) return `models[${i}]: ${problem}`;
  }
  return undefined;
}

/** Parses one line (escape sequences already stripped, no line end). Returns undefined when it is not an event line. */
export function parseEventLine(line: string): ParsedEventLine | undefined {
  if (!line.startsWith(EVENT_PREFIX)) return undefined;
  const json = line.slice(EVENT_PREFIX.length).trim();
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    return { kind: 'garbage', reason: `not valid JSON (${(err as Error).message})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { kind: 'garbage', reason: 'not a JSON object' };
  const record = data as Record<string, unknown>;
  if (typeof record.ev !== 'string') {
    return { kind: 'garbage', reason: typeof record.cmd === 'string' ? 'a host command echoed back' : 'no "ev" string' };
  }
  const ev = record.ev;
  if (!Object.prototype.hasOwnProperty.call(SCHEMAS, ev)) return { kind: 'unknown', ev, data: record };
  const problem = checkFields(record, SCHEMAS[ev as EventName]);
  if (problem) return { kind: 'garbage', reason: `${ev} event: ${problem}` };
  if (ev === 'done' && !DONE_REASONS.includes(record.reason as string)) {
    return { kind: 'garbage', reason: `done event: unknown reason ${JSON.stringify(record.reason)}` };
  }
  if (ev === 'models') {
    const entries = checkModelEntries(record.models as unknown[]);
    if (entries) return { kind: 'garbage', reason: `models event: ${entries}` };
  }
  return { kind: 'event', event: record as unknown as RuntimeEvent };
}
