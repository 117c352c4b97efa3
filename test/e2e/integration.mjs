// Runs the integration suite (test/integration, bundled to out/test/suite/index.js) inside code-server's real
// extension host, through the workbench's smoke-test driver: the `payload` URL parameter names the extension under
// development and the tests; the workbench runs them and calls window.codeAutomationExit(0 | 1) at the end.
// Mocha's output arrives as browser console messages, printf style.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { onExit } from './lib/processes.mjs';
import { copyWorkspace, startCodeServer } from './lib/codeServer.mjs';
import { artifactsDir, repoRoot, sampleWorkspace, sharedDir } from './lib/paths.mjs';

const SuiteBundle = join(repoRoot, 'out', 'test', 'suite', 'index.js');

/** Console noise from the workbench itself that says nothing about the tests. */
const Noise = [
  /^\[(Extension Host|LocalProcess)\]/, /Unrecognized feature/, /Failed to load resource/, /Ignoring fetching additional builtin/,
  /Updating additional builtin/, /AccountPolicyGate/, /AgentHost/, /connection token/, /Creating a socket/, /reconnection-grace-time/,
  /web worker extension host/, /allow-scripts and allow-same-origin/, /Service Worker/,
];

/**
 * The text of a console message. The workbench forwards the extension host's console as
 * `("%c INFO", "<css>", format, ...args)`: drop the level styling and apply the extension's own printf format.
 */
async function consoleText(message) {
  try {
    let values = await Promise.all(message.args().map((arg) => arg.jsonValue()));
    let level = '';
    if (typeof values[0] === 'string' && values[0].startsWith('%c') && values.length >= 2) {
      level = values[0].slice(2).trim();
      values = values.slice(2);
    }
    if (values.length > 0 && typeof values[0] === 'string') {
      const text = format(...values);
      return level && level !== 'INFO' ? `[${level}] ${text}` : text;
    }
  } catch {
    // the page navigated away while reading the arguments
  }
  return message.text();
}

/**
 * Runs the suite; resolves to { passed, output, seconds }. Output lines are echoed as they arrive unless `quiet`.
 * `timeoutMs` bounds the whole run (start, tests, shutdown).
 */
export async function runIntegrationSuite({ timeoutMs = 480_000, quiet = false } = {}) {
  if (!existsSync(SuiteBundle)) throw new Error(`${SuiteBundle} is missing: run \`npm run build\` first`);
  const started = Date.now();
  mkdirSync(artifactsDir, { recursive: true });
  const logFile = join(artifactsDir, 'integration-code-server.log');
  // The workspace is a copy in a temporary folder, so tests may write into it.
  let server;
  let tmp;
  let forgetTmp = () => {};
  let browser;
  const output = [];
  const everything = [];
  try {
    tmp = mkdtempSync(join(tmpdir(), 'picoformer-ws-'));
    forgetTmp = onExit(() => rmSync(tmp, { recursive: true, force: true }));
    const folder = copyWorkspace(sampleWorkspace, tmp);
    server = await startCodeServer({ folder, smokeTestDriver: true, logFile, label: 'integration' });
    const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(SuiteBundle.replace(/\.js$/, ''))],
      ['extensionEnvironment', JSON.stringify({ PICOFORMER_SHARED: sharedDir, PICOFORMER_E2E: '1' })],
    ];
    browser = await launchBrowser();
    const page = await newPage(browser);
    let finish;
    const exited = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
    page.on('console', async (message) => {
      const text = await consoleText(message);
      everything.push(text);
      if (Noise.some((pattern) => pattern.test(text))) return;
      output.push(text);
      if (!quiet) console.log(`  ${text}`);
    });
    page.on('pageerror', (err) => output.push(`[page error] ${err.message}`));
    const url = `${server.url}?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const remaining = Math.max(10_000, timeoutMs - (Date.now() - started));
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), remaining))]);
    if (code === 'timeout') {
      await page.screenshot({ path: join(artifactsDir, 'integration-timeout.png') }).catch(() => {});
      throw new Error(`the integration suite did not finish within ${timeoutMs / 1000} s (screenshot: test/e2e/artifacts/integration-timeout.png, server log: ${logFile})`);
    }
    const passed = code === 0 && output.some((line) => /\d+ passing/.test(line));
    if (code === 0 && !passed) output.push('[e2e] the workbench reported success but no mocha summary arrived: did the suite run at all?');
    return { passed, output, seconds: (Date.now() - started) / 1000 };
  } finally {
    writeFileSync(join(artifactsDir, 'integration-console.log'), `${everything.join('\n')}\n`);
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    forgetTmp();
  }
}
