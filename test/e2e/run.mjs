// The end-to-end harness: (a) the integration suite inside code-server's real extension host, (b) the UI tests
// against the packaged .vsix. Installs its own dependencies on first use (setup.mjs).
// Usage: node test/e2e/run.mjs [--integration | --ui] [--grep TEXT]
// Needs `npm run build` (for the suite) and `npm run package` (for the .vsix); `npm run test:e2e` does both.
// Exits 0 when everything passed, 1 otherwise; all processes it started are stopped on every exit, Ctrl-C included.
import { parseArgs } from 'node:util';
import { runIntegrationSuite } from './integration.mjs';
import { stopAll } from './lib/processes.mjs';
import { ensureHarness, SetupError } from './setup.mjs';
import { runUiTests } from './ui.mjs';

const { values: opts } = parseArgs({
  options: { integration: { type: 'boolean' }, ui: { type: 'boolean' }, grep: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (opts.help) {
  console.log('Usage: node test/e2e/run.mjs [--integration | --ui] [--grep TEXT]');
  process.exit(0);
}
const runBoth = !opts.integration && !opts.ui;

// A hard upper bound for the whole run, whatever hangs.
const limitSeconds = Number(process.env.PICOFORMER_E2E_TIMEOUT_S ?? 900);
setTimeout(() => {
  console.error(`[e2e] gave up after ${limitSeconds} s (PICOFORMER_E2E_TIMEOUT_S); stopping everything`);
  process.exit(1);
}, limitSeconds * 1000).unref();

async function main() {
  ensureHarness({ quiet: true });
  const summary = [];
  let ok = true;
  if (runBoth || opts.integration) {
    console.log('[e2e] integration suite in code-server\'s extension host');
    const result = await runIntegrationSuite();
    ok &&= result.passed;
    summary.push(`integration ${result.passed ? 'passed' : 'FAILED'} (${result.seconds.toFixed(0)} s)`);
    if (!result.passed) console.log('[e2e] integration console: test/e2e/artifacts/integration-console.log');
  }
  if (runBoth || opts.ui) {
    console.log('[e2e] UI tests on the packaged extension');
    const result = await runUiTests({ grep: opts.grep });
    ok &&= result.failed === 0;
    summary.push(`UI ${result.passed} passed, ${result.failed} failed (${result.seconds.toFixed(0)} s)`);
  }
  console.log(`[e2e] ${summary.join('; ')}; screenshots and logs in test/e2e/artifacts/`);
  return ok;
}

main().then(
  async (ok) => {
    await stopAll();
    process.exit(ok ? 0 : 1);
  },
  async (err) => {
    console.error(`[e2e] ${err instanceof SetupError ? err.message : err?.stack ?? err}`);
    await stopAll();
    process.exit(1);
  },
);
