// `npm start`: builds the extension (and keeps rebuilding on change), then opens it in development mode on the
// sample workspace: in desktop VS Code when `code` is on PATH, otherwise in code-server on 127.0.0.1 (installed by
// the e2e harness on first use), printing the URL to open. Ctrl-C stops everything it started.
// Usage: node scripts/start.mjs [--browser] [--port N] [--folder DIR]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCodeServer } from '../test/e2e/lib/codeServer.mjs';
import { killGroup, spawnGroup, stopAll } from '../test/e2e/lib/processes.mjs';
import { ensureHarness, SetupError } from '../test/e2e/setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    browser: { type: 'boolean' },
    port: { type: 'string' },
    folder: { type: 'string', default: join(root, 'samples', 'workspace') },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  console.log('Usage: npm start [-- --browser] [--port N] [--folder DIR]');
  process.exit(0);
}
const folder = resolve(opts.folder);
process.env.PICOFORMER_SHARED ??= resolve(root, '..', 'shared');

function fail(message) {
  console.error(`[start] ${message}`);
  process.exit(1);
}

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));
}

/**
 * The hook for the virtual Pico: once `scripts/virtual-pico.mjs` exists, it is started here (in its own process
 * group, stopped with everything else) and its output is shown with a `[virtual pico]` prefix. It should print
 * where it can be reached (its serial port and drive folder) and keep running until killed.
 */
function startVirtualPico() {
  const script = join(root, 'scripts', 'virtual-pico.mjs');
  if (!existsSync(script)) return null;
  const child = spawnGroup(process.execPath, [script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  const show = (data) => process.stdout.write(String(data).replace(/^(?=.)/gm, '[virtual pico] '));
  child.stdout.on('data', show);
  child.stderr.on('data', show);
  return child;
}

/** The first build runs in the foreground (errors stop us); then esbuild watches and rebuilds on change. */
function build() {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('the build failed');
  return spawnGroup(process.execPath, ['scripts/build.mjs', '--watch'], { cwd: root, stdio: 'inherit' });
}

async function startDesktop() {
  console.log(`[start] opening desktop VS Code with the extension from ${root}`);
  // --wait keeps us running while the window is open, so Ctrl-C here also stops the watcher and the virtual Pico.
  const code = spawn('code', ['--new-window', '--wait', `--extensionDevelopmentPath=${root}`, folder], { stdio: 'inherit' });
  await new Promise((done) => code.on('exit', done));
}

async function startBrowser() {
  try {
    ensureHarness({ quiet: true });
  } catch (err) {
    fail(err instanceof SetupError ? err.message : String(err?.stack ?? err));
  }
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) fail(`--port must be a TCP port number, not "${opts.port}"`);
  // The smoke-test driver flag makes the workbench honour the URL's `payload`, which loads the extension in
  // development mode (an "Extension Development Host" window) straight from this repository.
  const server = await startCodeServer({ folder, smokeTestDriver: true, port, label: 'start', env: { PICOFORMER_SHARED: process.env.PICOFORMER_SHARED } });
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${root}`]];
  const url = `${server.url}?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`\n[start] code-server is serving Picoformer in development mode. Open:\n\n    ${url}\n`);
  console.log(`[start] its log: ${server.logFile}. Sources are rebuilt on change: reload the window to pick them up.`);
  console.log('[start] Ctrl-C to stop.');
  await new Promise(() => {}); // until Ctrl-C (the signal handlers in processes.mjs stop every process group)
}

const watcher = build();
startVirtualPico();
if (!opts.browser && onPath('code')) {
  await startDesktop();
  await killGroup(watcher);
  await stopAll();
} else {
  if (!opts.browser) console.log('[start] `code` is not on PATH: using code-server in the browser instead');
  await startBrowser();
}
