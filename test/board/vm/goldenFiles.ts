// Golden vectors (test/golden/README.md) for the VM tests: scripts/golden.ts writes build/golden,
// test/board/fixtures/boardGolden.ts writes build/golden-board (npm run test:board generates both first).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repo } from './boardVm';

export interface GenerationCase {
  prompt: string;
  seed: number;
  temperature: number;
  top_k: number;
  max_tokens: number;
  prompt_ids: number[];
  ids: number[];
  text: string;
  stop_reason: string;
  /** Times the context was refilled (absent from vectors written before refills existed). */
  refills?: number;
  /** Absent: false. */
  stop_at_context?: boolean;
  margins: number[];
}

export interface Golden {
  name: string;
  model_file: string;
  parameter_count: number;
  config: Record<string, unknown>;
  generations: GenerationCase[];
  sequences: { name: string; tokens: number[]; positions: number[] }[];
}

const Dirs = [process.env.PICOFORMER_GOLDEN ?? join(Repo, 'build', 'golden'), process.env.PICOFORMER_BOARD_GOLDEN ?? join(Repo, 'build', 'golden-board')];

/** The golden JSON and model path of `name`; throws (with how to fix it) when the vectors were not generated. */
export function golden(name: string): { g: Golden; json: string; model: string } {
  for (const dir of Dirs) {
    const json = join(dir, `${name}.json`);
    if (existsSync(json)) {
      const g = JSON.parse(readFileSync(json, 'utf8')) as Golden;
      return { g, json, model: join(dir, g.model_file) };
    }
  }
  throw new Error(`golden model ${name} not found in ${Dirs.join(', ')}: run npm run test:board (it generates them)`);
}

/** How many generated ids must equal the reference's: up to and including the first choice whose margin is below
 *  10 * err / temperature (greedy: 10 * err); and whether the whole sequence and stop reason must match. */
export function comparableIds(c: GenerationCase, err: number): { n: number; whole: boolean } {
  const thr = (10 * err) / (c.temperature > 0 ? c.temperature : 1);
  const i = c.margins.findIndex((m) => m < thr);
  return i < 0 ? { n: c.ids.length, whole: true } : { n: i + 1, whole: false };
}
