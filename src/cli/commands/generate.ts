// picoformer generate <model> --prompt TEXT [...]: the TypeScript reference generating text, streamed.
import { randomInt } from 'node:crypto';
import { refillsPhrase } from '../../generation/refills';
import { generate } from '../../model/generate';
import { loadAnyModel } from '../../model/modelIo';
import { bigintOption, intOption, numberOption, parse, positionals, stringOption } from '../args';
import { type CliCommand, UsageError } from '../command';
import { short } from '../format';

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'generate text with the reference implementation (the same tokens the board produces)',
  usage: `Usage: picoformer generate <model> --prompt TEXT [--tokens N] [--seed S] [--temperature T] [--top-k K]
                           [--stop-at-context] [--json]

  <model>            a .safetensors model (or a legacy folder / config_<N>p.json)
  -p, --prompt TEXT  the text to continue (may be empty when the model has a BOS token)
  -n, --tokens N     new tokens at most (default 64)
  --seed S           random seed, any integer (default: a new one each run, printed so the run can be repeated)
  --temperature T    0 = greedy (default 0.8)
  --top-k K          sample among the K most likely tokens only; 0 = all (default 0)
  --stop-at-context  end when the context is full, instead of refilling it with its newest tokens and going on
  --json             print one JSON object at the end instead of streaming text

Text streams to stdout as tokens are chosen; notes and statistics go to stderr.
`,
  async run(args, io) {
    const parsed = parse(args, {
      prompt: { type: 'string', short: 'p' },
      tokens: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      'stop-at-context': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [path] = positionals(parsed, 'model');
    const prompt = stringOption(parsed, 'prompt');
    if (prompt === undefined) throw new UsageError('missing --prompt TEXT');
    const maxTokens = intOption(parsed, 'tokens', 64, 0, 1_000_000);
    const temperature = numberOption(parsed, 'temperature', 0.8, 0, 100);
    const topK = intOption(parsed, 'top-k', 0, 0, 65535);
    const seed = bigintOption(parsed, 'seed') ?? BigInt(randomInt(1, 2 ** 32));
    const json = parsed.values.json === true;
    const { model } = await loadAnyModel(path);
    const r = generate(model, prompt, {
      maxTokens,
      temperature,
      topK,
      seed,
      stopAtContext: parsed.values['stop-at-context'] === true,
      onToken: json ? undefined : (_id, text) => io.out(text),
    });
    const seedValue = Number.isSafeInteger(Number(seed)) ? Number(seed) : seed.toString();
    if (json) {
      io.out(
        `${JSON.stringify({
          prompt,
          seed: seedValue,
          temperature,
          top_k: topK,
          max_tokens: maxTokens,
          prompt_ids: r.promptIds,
          truncated: r.truncated,
          unknown: r.unknown,
          ids: r.ids,
          text: r.text,
          stop_reason: r.stopReason,
          refills: r.refills,
          milliseconds: Number(r.stats.milliseconds.toFixed(3)),
          decode_tokens_per_second: Number(r.stats.tokensPerSecond.toFixed(1)),
        })}\n`,
      );
      return 0;
    }
    io.out('\n');
    const notes: string[] = [];
    if (r.unknown > 0) notes.push(`${r.unknown} prompt character${r.unknown === 1 ? ' is' : 's are'} not in the vocabulary (became unk)`);
    if (r.truncated > 0) notes.push(`the prompt was cut by ${r.truncated} token${r.truncated === 1 ? '' : 's'} from the left to fit the context`);
    for (const n of notes) io.err(`note: ${n}\n`);
    io.err(
      `[${r.ids.length} tokens, stop: ${r.stopReason}${r.refills ? `, ${refillsPhrase(r.refills)}` : ''}, seed ${seedValue}, ${short(r.stats.tokensPerSecond)} tok/s decode]\n`,
    );
    return 0;
  },
};
