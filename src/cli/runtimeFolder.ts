// Where the board runtime (code.py + lib/) is: board/ beside dist/ in the bundle and the packaged extension,
// or at the repository root when running from the sources. PICOFORMER_RUNTIME overrides both.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function runtimeFolder(start: string = __dirname, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.PICOFORMER_RUNTIME;
  if (override) {
    if (!existsSync(join(override, 'code.py'))) throw new Error(`PICOFORMER_RUNTIME=${override} has no code.py.`);
    return override;
  }
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'board', 'code.py'))) return join(dir, 'board');
    if (dirname(dir) === dir) break;
  }
  throw new Error(`The board runtime (board/code.py) was not found above ${start}; reinstall Picoformer or set PICOFORMER_RUNTIME.`);
}
