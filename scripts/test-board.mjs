// npm run test:board — the board runtime's tests (test/board/README.md):
//   1. golden vectors: scripts/golden.ts -> build/golden, test/board/fixtures/boardGolden.ts -> build/golden-board;
//      the conformance corpus: test/board/conformance/writeCorpus.ts -> build/conformance (300 seeded files)
//   2. CPython: python3 -m unittest over test/board/python (pure path and the ulab stand-in)
//   3. MicroPython (WebAssembly): mocha over test/board/**/*.test.ts
// Options: --no-golden (reuse build/golden* and build/conformance), --python (only 2), --vm (only 3). PYTHON overrides the interpreter.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const only = args.has('--python') ? 'python' : args.has('--vm') ? 'vm' : null;
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(label, cmd, cmdArgs) {
  process.stdout.write(`\n== ${label}: ${cmd} ${cmdArgs.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { cwd: repo, stdio: 'inherit' });
  if (r.error) process.stderr.write(`${label}: ${r.error.message}\n`);
  const ok = r.status === 0;
  process.stdout.write(`== ${label}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return ok;
}

let ok = true;
if (!args.has('--no-golden')) {
  if (existsSync(join(repo, 'scripts', 'golden.ts'))) ok = run('golden vectors', npx, ['tsx', 'scripts/golden.ts', 'build/golden']) && ok;
  else process.stdout.write('scripts/golden.ts does not exist yet: tests that need build/golden are skipped\n');
  ok = run('board golden vectors', npx, ['tsx', 'test/board/fixtures/boardGolden.ts', 'build/golden-board']) && ok;
  ok = run('conformance corpus', npx, ['tsx', 'test/board/conformance/writeCorpus.ts', 'build/conformance']) && ok;
}
if (only !== 'vm') {
  ok = run('CPython', process.env.PYTHON ?? 'python3', ['-m', 'unittest', 'discover', '-s', 'test/board/python', '-p', 'test_*.py']) && ok;
}
if (only !== 'python') {
  ok = run('MicroPython VM', npx, ['mocha', '--config', 'test/board/mocharc.json', 'test/board/**/*.test.ts']) && ok;
}
process.exitCode = ok ? 0 : 1;
