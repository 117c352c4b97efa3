// `npm test`: every check, in order, stopping at the first failure: typecheck, lint, unit tests, board-runtime
// tests (when scripts/test-board.mjs exists), the production package, the development build, the e2e harness's
// the virtual-Pico/serial/CLI tests, the setup (installs code-server etc. on first run) and the e2e run (integration suite + UI tests).
// Usage: node scripts/test-all.mjs [--skip stage,stage]   e.g. --skip e2e-setup,e2e for a quick local run
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Tests that read the project's shared folder (old-format models) find it here; CI puts shared/ beside the clone.
process.env.PICOFORMER_SHARED ??= resolve(root, '..', 'shared');

const Stages = [
  { name: 'typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', command: ['npm', 'run', '--silent', 'lint'] },
  { name: 'unit', command: ['npx', 'mocha'] },
  {
    name: 'board',
    command: ['npm', 'run', '--silent', 'test:board'],
    skipUnless: () => existsSync(join(root, 'scripts/test-board.mjs')) || 'no scripts/test-board.mjs yet',
  },
  { name: 'package', command: ['node', 'scripts/package.mjs'] },
  // After the production package: a development build (with source maps) for the integration suite.
  { name: 'build', command: ['node', 'scripts/build.mjs'] },
  // The virtual Pico, the serial session over a socat pty pair, and the CLI end to end (uses the dev build).
  { name: 'sim', command: ['npm', 'run', '--silent', 'test:sim'] },
  { name: 'e2e-setup', command: ['node', 'test/e2e/setup.mjs'] },
  { name: 'e2e', command: ['node', 'test/e2e/run.mjs'] },
];

const { values: opts } = parseArgs({ options: { skip: { type: 'string', default: '' } } });
const skipped = new Set(opts.skip.split(',').filter(Boolean));
for (const name of skipped) {
  if (!Stages.some((s) => s.name === name)) {
    console.error(`unknown stage "${name}"; stages: ${Stages.map((s) => s.name).join(', ')}`);
    process.exit(2);
  }
}

let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // The child has the same signal from the terminal; give it a moment to clean up, then leave.
    current?.kill(signal);
    setTimeout(() => process.exit(130), 5000).unref();
  });
}

function run([command, ...args]) {
  return new Promise((done) => {
    current = spawn(command, args, { cwd: root, stdio: 'inherit', env: process.env });
    current.on('error', (err) => done({ code: 1, why: err.message }));
    current.on('exit', (code, signal) => done({ code: code ?? 1, why: signal ? `killed by ${signal}` : `exit ${code}` }));
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const results = [];
const started = Date.now();
let failed = false;
for (const stage of Stages) {
  if (failed) {
    results.push({ name: stage.name, status: 'not run' });
    continue;
  }
  const reason = skipped.has(stage.name) ? 'skipped (--skip)' : stage.skipUnless?.();
  if (typeof reason === 'string') {
    results.push({ name: stage.name, status: `skipped: ${reason}` });
    continue;
  }
  console.log(`\n=== ${stage.name}: ${stage.command.join(' ')}`);
  const t0 = Date.now();
  const { code, why } = await run(stage.command);
  const took = Date.now() - t0;
  if (code === 0) {
    results.push({ name: stage.name, status: 'passed', took });
  } else {
    failed = true;
    results.push({ name: stage.name, status: `FAILED (${why})`, took });
  }
}

console.log('\n=== summary');
for (const r of results) console.log(`  ${r.name.padEnd(10)} ${r.status}${r.took === undefined ? '' : ` in ${seconds(r.took)}`}`);
console.log(`  total      ${seconds(Date.now() - started)}`);
const passedCount = results.filter((r) => r.status === 'passed').length;
const failedCount = results.filter((r) => r.status.startsWith('FAILED')).length;
console.log(`${passedCount} passed, ${failedCount} failed`);
process.exit(failedCount > 0 ? 1 : 0);
