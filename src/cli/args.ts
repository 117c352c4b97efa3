// Argument parsing on node:util parseArgs, with messages that say which option was wrong and why.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** parseArgs in strict mode; its errors become UsageErrors. `-h/--help` is always accepted. */
export function parse(args: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(args, options),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('. To specify')[0] : String(err));
  }
}

/** Exactly `count` positionals, named for the message. */
export function positionals(parsed: Parsed, ...names: string[]): string[] {
  if (parsed.positionals.length < names.length) throw new UsageError(`missing <${names[parsed.positionals.length]}>`);
  if (parsed.positionals.length > names.length) throw new UsageError(`unexpected argument "${parsed.positionals[names.length]}"`);
  return parsed.positionals;
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function intOption(parsed: Parsed, name: string, fallback: number, min: number, max: number): number {
  const text = stringOption(parsed, name);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  const v = Number(text);
  if (v < min || v > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}

export function numberOption(parsed: Parsed, name: string, fallback: number, min: number, max: number): number {
  const text = stringOption(parsed, name);
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got "${text}"`);
  if (v < min || v > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${v}`);
  return v;
}

/** Any integer (negative, or beyond 64 bits) as a bigint. */
export function bigintOption(parsed: Parsed, name: string): bigint | undefined {
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--${name} must be a whole number, got "${text}"`);
  return BigInt(text.trim());
}

/** `--seed -5` reads as an option followed by a value, not as an unknown option `-5`: joined into `--seed=-5`. */
function joinNegativeValues(args: string[], options: Options): string[] {
  const takesValue = new Set<string>();
  for (const [name, o] of Object.entries(options)) {
    if (o.type !== 'string') continue;
    takesValue.add(`--${name}`);
    if (o.short !== undefined) takesValue.add(`-${o.short}`);
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (takesValue.has(args[i]) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${args[i].startsWith('--') ? args[i] : `--${shortToLong(args[i], options)}`}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}

function shortToLong(flag: string, options: Options): string {
  return Object.entries(options).find(([, o]) => `-${o.short}` === flag)?.[0] ?? flag.slice(1);
}
