// Host -> runtime command lines (docs/protocol.md, "Commands"): "@pf " + one JSON object with a "cmd" string + CRLF.
// Arguments are checked here, so a bad value is refused with a clear message before anything is sent. Everything
// outside ASCII is sent as \uXXXX: on the board, sys.stdin.read(n) counts characters while the byte count it is
// given counts bytes, so raw UTF-8 could leave a read waiting for characters that never come.

import type { LoadMode, Req } from './events';

export const COMMAND_PREFIX = '@pf ';
/** The runtime refuses longer input lines (error line_too_long). */
export const MAX_COMMAND_LINE = 4096;

export interface GenerateArgs {
  prompt?: string;
  max_tokens?: number;
  temperature?: number;
  top_k?: number;
  /** null: a fresh random seed. */
  seed?: number | null;
  /** End at a full context instead of refilling it and going on (the runtime's default: false). */
  stop_at_context?: boolean;
}

export type SettingsArgs = GenerateArgs & { mode?: LoadMode };

export type RuntimeCommand =
  | { cmd: 'hello' }
  | { cmd: 'bye' }
  | { cmd: 'list' }
  | { cmd: 'load'; name: string; mode?: LoadMode }
  | { cmd: 'unload' }
  | ({ cmd: 'generate' } & GenerateArgs)
  | { cmd: 'stop' }
  | ({ cmd: 'set' } & Omit<SettingsArgs, 'prompt'>)
  | { cmd: 'info' }
  | { cmd: 'mem' }
  | { cmd: 'help' };

export type CommandName = RuntimeCommand['cmd'];

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

const LOAD_MODES: readonly string[] = ['auto', 'resident', 'streamed'];

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CommandError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)}).`);
  }
}

function checkArgs(command: RuntimeCommand): void {
  switch (command.cmd) {
    case 'load':
      if (typeof command.name !== 'string' || !command.name.trim()) throw new CommandError('load needs a model name.');
      if (command.mode !== undefined && !LOAD_MODES.includes(command.mode)) {
        throw new CommandError(`mode must be one of ${LOAD_MODES.join(', ')} (got ${JSON.stringify(command.mode)}).`);
      }
      break;
    case 'generate':
    case 'set': {
      const args = command as SettingsArgs;
      if ('prompt' in args && args.prompt !== undefined && typeof args.prompt !== 'string') {
        throw new CommandError('prompt must be a string.');
      }
      checkInteger('max_tokens', args.max_tokens, 0, 65535);
      checkInteger('top_k', args.top_k, 0, 65535);
      if (args.temperature !== undefined) {
        const t = args.temperature;
        if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 100) {
          throw new CommandError(`temperature must be a number from 0 to 100 (got ${JSON.stringify(t)}).`);
        }
      }
      if (args.seed !== undefined && args.seed !== null && (typeof args.seed !== 'number' || !Number.isSafeInteger(args.seed))) {
        throw new CommandError(`seed must be an integer or null (got ${JSON.stringify(args.seed)}).`);
      }
      if (args.mode !== undefined && !LOAD_MODES.includes(args.mode)) {
        throw new CommandError(`mode must be one of ${LOAD_MODES.join(', ')} (got ${JSON.stringify(args.mode)}).`);
      }
      if (args.stop_at_context !== undefined && typeof args.stop_at_context !== 'boolean') {
        throw new CommandError(`stop_at_context must be true or false (got ${JSON.stringify(args.stop_at_context)}).`);
      }
      break;
    }
  }
}

/** JSON with every non-ASCII character escaped. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The line to send (with CRLF). Throws CommandError for bad arguments or a line the runtime would refuse. */
export function encodeCommand(command: RuntimeCommand, req?: Req): string {
  checkArgs(command);
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command)) if (value !== undefined) body[key] = value;
  if (req !== undefined) body.req = req;
  const line = COMMAND_PREFIX + asciiJson(body);
  if (line.length > MAX_COMMAND_LINE) {
    throw new CommandError(`The ${command.cmd} command is ${line.length} characters long; the runtime accepts at most ${MAX_COMMAND_LINE} (shorten the prompt).`);
  }
  return `${line}\r\n`;
}
