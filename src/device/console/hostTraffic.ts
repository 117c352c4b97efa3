// The extension's host-mode traffic as a person at the serial console reads it: each event line the runtime sends
// and each command line the extension writes, as one short line of text (docs/devices.md, "The serial console").
// A generation's tokens are their text, so the generated text reads as it does in human mode. Pure.
import { COMMAND_PREFIX } from '../protocol/commands';
import { type ParsedEventLine, type RuntimeEvent } from '../protocol/events';

/** How a piece of host traffic is shown: a line of its own (`line`), or text that continues the current line. */
export type TrafficText = { kind: 'line'; text: string; tone: 'board' | 'host' | 'error' } | { kind: 'inline'; text: string };

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** A parsed event line, or undefined when there is nothing worth showing (intermediate load progress). */
export function describeEventLine(parsed: ParsedEventLine): TrafficText | undefined {
  if (parsed.kind === 'garbage') return { kind: 'line', tone: 'error', text: `malformed event line (${parsed.reason})` };
  if (parsed.kind === 'unknown') return { kind: 'line', tone: 'board', text: `${parsed.ev} ${truncate(JSON.stringify(parsed.data), 120)}` };
  return describeEvent(parsed.event);
}

export function describeEvent(event: RuntimeEvent): TrafficText | undefined {
  const line = (text: string): TrafficText => ({ kind: 'line', tone: 'board', text });
  switch (event.ev) {
    case 'ready':
      return line(`ready: ${event.runtime} ${event.version} on ${event.impl} ${event.impl_version}, ${kb(event.mem_free)} free${event.host ? ' (host mode)' : ''}`);
    case 'models': {
      const names = event.models.map((m) => `${m.file}${m.loaded ? ' (loaded)' : m.error ? ` (${m.error.code})` : m.fits === false ? ' (does not fit)' : ''}`);
      return line(`models: ${names.join(', ') || 'none'}; ${kb(event.mem_available)} available`);
    }
    case 'load':
      return event.done === 0 ? line(`loading ${event.file} (${event.mode})…`) : undefined;
    case 'loaded':
      return line(`loaded ${event.file} (${event.mode}, ${kb(event.model_bytes)}, ${event.ms} ms), ${kb(event.mem_free)} free`);
    case 'unloaded':
      return line(`unloaded ${event.file}, ${kb(event.mem_free)} free`);
    case 'memory':
      return line(`heap: ${kb(event.free)} free, ${kb(event.alloc)} used, peak ${kb(event.peak)}`);
    case 'start':
      return line(`generating (${event.prompt_tokens} prompt tokens, seed ${event.seed}):`);
    case 'token':
      return { kind: 'inline', text: event.text };
    case 'done':
      return line(`[${event.tokens} tokens, ${event.tok_per_s} tok/s, ${event.reason}]`);
    case 'error':
      return { kind: 'line', tone: 'error', text: `error ${event.code}: ${event.message}` };
    case 'info':
      return line(`info: ${event.model ? `${event.model.file} loaded (${event.model.mode})` : 'no model loaded'}${event.generating ? ', generating' : ''}, ${kb(event.mem_free)} free`);
    case 'settings':
      return line(`settings: ${event.max_tokens} tokens, temperature ${event.temperature}, top-k ${event.top_k}, seed ${event.seed ?? 'random'}, mode ${event.mode}`);
    case 'help':
      return line('help');
  }
}

/** A command line the extension wrote ("@pf {...}"), as "generate "Once upon" (64 tokens)". */
export function describeCommandLine(line: string): TrafficText {
  let command: Record<string, unknown> = {};
  try {
    command = JSON.parse(line.startsWith(COMMAND_PREFIX) ? line.slice(COMMAND_PREFIX.length) : line) as Record<string, unknown>;
  } catch {
    return { kind: 'line', tone: 'host', text: truncate(line, 120) };
  }
  const name = typeof command.cmd === 'string' ? command.cmd : '?';
  const details: string[] = [];
  if (name === 'generate') {
    details.push(JSON.stringify(truncate(String(command.prompt ?? ''), 60)));
    if (typeof command.max_tokens === 'number') details.push(`${command.max_tokens} tokens`);
    if (command.seed !== undefined && command.seed !== null) details.push(`seed ${String(command.seed)}`);
  } else if (name === 'load') {
    details.push(String(command.name ?? ''));
    if (typeof command.mode === 'string') details.push(command.mode);
  }
  return { kind: 'line', tone: 'host', text: [name, ...details].join(' ') };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
