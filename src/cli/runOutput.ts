// What `picoformer run` prints while a generation streams: token texts (or one JSON event per line) on stdout,
// prompt notes and the closing statistics or the failure on stderr. Returns the exit code.
import type { GenerationEvent, GenerationRun } from '../generation/backend';
import { refillsPhrase } from '../generation/refills';
import type { CliIo } from './command';
import { plural } from '../views/viewModels/format';
import { short } from './format';

export function jsonLine(event: object): string {
  return `${JSON.stringify(event)}\n`;
}

export interface StreamOptions {
  json: boolean;
  /** Where it ran, for the statistics: "/dev/ttyACM0", "the virtual Pico". */
  label: string;
  /** It ran on the virtual Pico: its speed is this computer's, not a Pico's, and the statistics say so. */
  virtual?: boolean;
  seed: number;
  /** The user pressed Ctrl-C: a run cut off by it ends with 130, not as a failure. */
  interrupted: () => boolean;
}

export async function streamGeneration(run: GenerationRun, io: CliIo, options: StreamOptions): Promise<number> {
  let end: GenerationEvent | undefined;
  let memory: Extract<GenerationEvent, { type: 'memory' }> | undefined;
  let tokens = 0;
  for await (const event of run) {
    if (options.json) io.out(jsonLine(event));
    if (event.type === 'token') {
      tokens++;
      if (!options.json) io.out(event.text);
    } else if (event.type === 'start') {
      if (event.unknown > 0) io.err(`note: ${event.unknown === 1 ? '1 prompt character is' : `${event.unknown} prompt characters are`} not in the vocabulary (became unk)\n`);
      if (event.truncated > 0) io.err(`note: the prompt was cut by ${plural(event.truncated, 'token')} from the left to fit the context\n`);
    } else if (event.type === 'memory') memory = event;
    else end = event;
  }
  if (!options.json && tokens > 0) io.out('\n');

  if (end?.type === 'done') {
    const heap = memory ? `, heap peak ${Math.round(memory.peak / 1024)} of ${Math.round(memory.heapLimit / 1024)} KB` : '';
    const refills = end.refills ? `, ${refillsPhrase(end.refills)}` : '';
    io.err(`[${plural(end.tokens, 'token')}, stop: ${end.reason}${refills}, seed ${options.seed}, ${short(end.tokensPerSecond)} tok/s decode on ${options.label}${options.virtual ? " (this computer's speed, not a Pico's)" : ''}${heap}]\n`);
    return end.reason === 'stopped' ? 130 : 0;
  }
  if (options.interrupted()) {
    io.err(`picoformer run: stopped after ${plural(tokens, 'token')}.\n`);
    return 130;
  }
  if (end?.type === 'error') {
    const when = end.code === 'disconnected' ? `the board went away mid-generation, after ${plural(tokens, 'token')}: ` : '';
    io.err(`picoformer run: ${when}${end.message} [${end.code}]\n`);
    return 1;
  }
  io.err('picoformer run: the generation ended without a result.\n');
  return 1;
}
