// `npm test`: every check, in order, stopping at the first failure: typecheck, lint, unit tests, board-runtime
// tests, the production package, the development build, the virtual-Pico/serial/CLI tests, the official firmware on
// the emulated Pico, the e2e harness's setup
// (installs code-server etc. on first run), the Studio webview in Chromium (it needs that setup), and the e2e run
// (integration suite + UI tests).
// Usage: node scripts/test-all.mjs [--skip stage,stage]   e.g. --skip e2e-setup,webview,e2e for a quick local run
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countTests } from './countTests.mjs';

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
  // The official CircuitPython firmware on the emulated RP2040 (src/emu, docs/firmware.md): the runtime's every
  // path, the sample models, memory, console and deploy, two test files at a time on CI's two cores.
  { name: 'firmware', command: ['npm', 'run', '--silent', 'test:firmware'] },
  { name: 'e2e-setup', command: ['node', 'test/e2e/setup.mjs'] },
  // The Studio's front-end in Chromium: needs the e2e setup's playwright-core, so the unit stage skips it.
  {
    name: 'webview',
    command: ['npx', 'mocha', '--no-config', '--require', 'tsx/cjs', '--timeout', '60000', 'test/unit/panels/studioWebview.test.ts'],
    env: { PICOFORMER_REQUIRE_BROWSER: '1' },
  },
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

function run([command, ...args], env = {}) {
  return new Promise((done) => {
    // Output goes through as it comes, and is kept to count the tests each stage reports.
    let text = '';
    current = spawn(command, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    current.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    current.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      text += chunk;
    });
    current.on('error', (err) => done({ code: 1, why: err.message, text }));
    current.on('exit', (code, signal) => done({ code: code ?? 1, why: signal ? `killed by ${signal}` : `exit ${code}`, text }));
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
  const { code, why, text } = await run(stage.command, stage.env);
  const took = Date.now() - t0;
  const tests = countTests(text);
  if (code === 0) {
    results.push({ name: stage.name, status: 'passed', took, tests });
  } else {
    failed = true;
    results.push({ name: stage.name, status: `FAILED (${why})`, took, tests });
  }
}

console.log('\n=== summary');
const testsText = (t) => (t && t.passed + t.failed > 0 ? ` (${t.passed} tests passed${t.failed ? `, ${t.failed} failed` : ''})` : '');
for (const r of results) console.log(`  ${r.name.padEnd(10)} ${r.status}${r.took === undefined ? '' : ` in ${seconds(r.took)}`}${testsText(r.tests)}`);
console.log(`  total      ${seconds(Date.now() - started)}`);
const stagesPassed = results.filter((r) => r.status === 'passed').length;
const stagesFailed = results.filter((r) => r.status.startsWith('FAILED')).length;
const testsPassed = results.reduce((n, r) => n + (r.tests?.passed ?? 0), 0);
const testsFailed = results.reduce((n, r) => n + (r.tests?.failed ?? 0), 0);
console.log(`${testsPassed} passed, ${testsFailed} failed (tests); ${stagesPassed} stages passed, ${stagesFailed} failed`);
process.exit(stagesFailed > 0 ? 1 : 0);
