// Runs the UI tests (test/e2e/ui/*.ui.mjs) against the packaged extension: installs the .vsix into a fresh
// extensions folder, opens a copy of the sample workspace in code-server and drives the workbench with Chromium.
//
// A UI test file exports `tests`: an array of { name, timeoutMs?, run(t) }, where `t` is
//   { page, server, workspace, wb, shot(name), extensionDir }
// `wb` is lib/workbench.mjs (palette, commands, views, tree rows, notifications, webview frames); `shot` saves
// test/e2e/artifacts/<name>.png. Each test gets a fresh browser context on an already opened workbench, and a
// failing test leaves a FAILED-<name>.png screenshot.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, newPage } from './lib/browser.mjs';
import { onExit } from './lib/processes.mjs';
import { copyWorkspace, installVsix, startCodeServer } from './lib/codeServer.mjs';
import { artifactsDir, e2eDir, node24Bin, repoRoot, sampleWorkspace, sharedDir, vsixPath } from './lib/paths.mjs';
import * as wb from './lib/workbench.mjs';

const uiDir = join(e2eDir, 'ui');

async function loadTests(grep) {
  const files = readdirSync(uiDir).filter((f) => f.endsWith('.ui.mjs')).sort();
  const tests = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(uiDir, file)).href);
    if (!Array.isArray(mod.tests)) throw new Error(`test/e2e/ui/${file} must export a \`tests\` array`);
    for (const test of mod.tests) {
      const name = `${file.replace(/\.ui\.mjs$/, '')}: ${test.name}`;
      if (!grep || name.includes(grep)) tests.push({ ...test, name });
    }
  }
  return tests;
}

/** The installed extension's folder, e.g. <ext>/picoformer.picoformer-0.1.0. */
function installedFolder(extensionsDir, publisher, name, version) {
  const folder = join(extensionsDir, `${publisher}.${name}-${version}`);
  if (!existsSync(join(folder, 'package.json'))) {
    const found = readdirSync(extensionsDir).join(', ') || '(nothing)';
    throw new Error(`the .vsix did not install to ${folder}; the extensions folder holds: ${found}`);
  }
  return folder;
}

/**
 * serialport's native binding must load from the installed extension the way the bundle loads it (node-gyp-build
 * looking in <extension>/prebuilds), under Node 24 like code-server's extension host.
 */
function checkNativeBinding(folder) {
  const loader = join(repoRoot, 'node_modules', 'node-gyp-build');
  const script = `const b = require(${JSON.stringify(loader)})(${JSON.stringify(folder)}); if (typeof b.open !== 'function') throw new Error('no open() in the binding');`;
  const result = spawnSync(node24Bin, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`serialport's binding does not load from the installed extension:\n${result.stderr}`);
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs the UI tests; resolves to { passed, failed, seconds }. */
export async function runUiTests({ grep, log = console.log } = {}) {
  const started = Date.now();
  const { publisher, name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const vsix = vsixPath(version);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  const tests = await loadTests(grep);
  if (tests.length === 0) throw new Error(`no UI tests${grep ? ` match "${grep}"` : ''} in test/e2e/ui/*.ui.mjs`);
  mkdirSync(artifactsDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'picoformer-ui-'));
  const forgetTmp = onExit(() => rmSync(tmp, { recursive: true, force: true }));
  let server;
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    const extensionsDir = join(tmp, 'extensions');
    mkdirSync(extensionsDir);
    await installVsix(vsix, extensionsDir);
    const extensionDir = installedFolder(extensionsDir, publisher, name, version);
    checkNativeBinding(extensionDir);
    log(`  installed ${name}-${version}.vsix; serialport's binding loads from it`);
    const workspace = copyWorkspace(sampleWorkspace, tmp);
    server = await startCodeServer({
      folder: workspace,
      extensionsDir,
      logFile: join(artifactsDir, 'ui-code-server.log'),
      env: { PICOFORMER_SHARED: sharedDir },
      label: 'ui',
    });
    browser = await launchBrowser();
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}`;
    for (const test of tests) {
      const testStarted = Date.now();
      const page = await newPage(browser);
      const shot = (shotName) => wb.screenshot(page, shotName);
      try {
        await withTimeout(
          (async () => {
            await wb.openWorkbench(page, url);
            await test.run({ page, server, workspace, wb, shot, extensionDir });
          })(),
          test.timeoutMs ?? 90_000,
          test.name,
        );
        passed++;
        log(`  ✔ ${test.name} (${((Date.now() - testStarted) / 1000).toFixed(1)} s)`);
      } catch (err) {
        failed++;
        const file = await wb.screenshot(page, `FAILED-${test.name}`).catch(() => '(no screenshot)');
        log(`  ✘ ${test.name}\n    ${String(err?.stack ?? err).split('\n').join('\n    ')}\n    screenshot: ${file}`);
      } finally {
        await page.context().close().catch(() => {});
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
    forgetTmp();
  }
  return { passed, failed, seconds: (Date.now() - started) / 1000 };
}
