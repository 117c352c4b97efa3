// picoformer corpus stories|chat -o FILE [--seed S] [--size N]: writes procedural training text (src/corpus).
import { CorpusKinds, type CorpusKind, generateCorpus } from '../../corpus/generate';
import { parseParamCount } from '../../train/sizing';
import { intOption, parse, positionals, stringOption } from '../args';
import { type CliCommand, UsageError } from '../command';
import { thousands } from '../format';
import { writeOutput } from './shared';

export const corpusCommand: CliCommand = {
  name: 'corpus',
  summary: 'write a procedural training corpus: simple stories or short chats (deterministic from a seed)',
  usage: `Usage: picoformer corpus stories|chat -o FILE [--seed S] [--size N] [--force]

  stories        short children's stories from a small controlled vocabulary
  chat           short "user:" / "bot:" exchanges with a friendly bot named pico
  -o, --output   the text file to write (documents separated by blank lines, as \`picoformer train\` reads them)
  --seed S       the same seed gives the same text (default 1)
  --size N       characters, at least (default 500k; 200k, 1m, 2000 ...)
  --force        overwrite the output if it exists
`,
  async run(args, io) {
    const parsed = parse(args, { output: { type: 'string', short: 'o' }, seed: { type: 'string' }, size: { type: 'string' }, force: { type: 'boolean' } });
    const [kind] = positionals(parsed, 'kind');
    if (!(CorpusKinds as readonly string[]).includes(kind)) throw new UsageError(`the corpus kind must be one of ${CorpusKinds.join(', ')}, got "${kind}"`);
    const seed = intOption(parsed, 'seed', 1, 0, 0xffffffff);
    let size = 500_000;
    const sizeText = stringOption(parsed, 'size');
    if (sizeText !== undefined) {
      try {
        size = parseParamCount(sizeText);
      } catch {
        throw new UsageError(`--size must be a number of characters (such as 200k or 1m), got "${sizeText}"`);
      }
    }
    const text = generateCorpus(kind as CorpusKind, seed, size);
    const out = await writeOutput(parsed, new TextEncoder().encode(text));
    const documents = text.split('\n\n').length;
    io.out(`wrote ${out}: ${thousands(text.length)} characters, ${thousands(documents)} ${kind === 'chat' ? 'exchanges' : 'stories'} (seed ${seed})\n`);
    return 0;
  },
};
