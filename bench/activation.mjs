// How long the extension takes to activate in a real VS Code (code-server), as "Developer: Show Running Extensions"
// reports it (code loading + the activate() call). Side by side in one run: the extension as built (serialport
// loaded when a port is first used) and the same bundle with serialport imported at load (what the serial
// transport did before), each started several times in alternation, each start with a fresh code-server home, the
// sample workspace and Chromium. Prints min / median / max of each and the ratio of the medians.
// Usage: node bench/activation.mjs [--runs N] [--markdown]   (needs the UI harness: npm run test:e2e once)
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { launchBrowser, newPage } from '../test/e2e/lib/browser.mjs';
import { copyWorkspace, installVsix, startCodeServer } from '../test/e2e/lib/codeServer.mjs';
import { codeServerEntry, repoRoot, sampleWorkspace, vsixPath } from '../test/e2e/lib/paths.mjs';
import * as wb from '../test/e2e/lib/workbench.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 5;
const markdown = args.includes('--markdown');

/** The extension bundle as the package builds it; `eager` adds a top-level import of serialport before it. */
async function buildBundle(outfile, eager) {
  const entry = eager
    ? { stdin: { contents: "import { SerialPort } from 'serialport';\n(globalThis as { __pfEager?: unknown }).__pfEager = SerialPort;\nexport * from './src/extension';", resolveDir: repoRoot, loader: 'ts', sourcefile: 'eager.ts' } }
    : { entryPoints: [join(repoRoot, 'src/extension.ts')] };
  await esbuild.build({ ...entry, absWorkingDir: repoRoot, bundle: true, minify: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], outfile, logLevel: 'warning' });
}

/** One start: code-server with `extensionsDir`, the sample workspace in Chromium; the activation time in ms. */
async function measure(browser, extensionsDir, workspace) {
  const server = await startCodeServer({ folder: workspace, extensionsDir, label: 'bench' });
  const page = await newPage(browser);
  try {
    await wb.openWorkbench(page, `${server.url}?folder=${encodeURIComponent(workspace)}`);
    // Activated: its status bar items are there.
    await wb.until(page, () => wb.statusBarItems(page), (items) => items.some((i) => i.id.endsWith('picoformer.connection')), { what: 'the extension activated', timeoutMs: 60_000 });
    await wb.runCommand(page, 'Developer: Show Running Extensions');
    const text = await wb.until(
      page,
      () => page.locator('.runtime-extensions-editor .monaco-list-row', { has: page.locator('.name', { hasText: /^Picoformer$/ }) }).first().locator('.activation-time').innerText(),
      (t) => /\d+ms/.test(t),
      { what: "Picoformer's activation time", timeoutMs: 30_000 },
    );
    return { ms: Number(/(\d+)ms/.exec(text)[1]), startup: /Startup/.test(text) };
  } finally {
    await page.context().close().catch(() => {});
    await server.stop();
  }
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
  return { min: sorted[0], median, max: sorted.at(-1) };
}

async function main() {
  if (!existsSync(codeServerEntry)) throw new Error('code-server is not installed: run `npm run test:e2e` (or `node test/e2e/setup.mjs`) once.');
  const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const vsix = vsixPath(version);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first.`);
  const tmp = mkdtempSync(join(tmpdir(), 'picoformer-bench-activation-'));
  let browser;
  try {
    const variants = { lazy: join(tmp, 'ext-lazy'), eager: join(tmp, 'ext-eager') };
    await installVsix(vsix, variants.lazy);
    cpSync(variants.lazy, variants.eager, { recursive: true });
    const folder = `picoformer.picoformer-${version}`;
    await buildBundle(join(variants.lazy, folder, 'dist', 'extension.js'), false);
    await buildBundle(join(variants.eager, folder, 'dist', 'extension.js'), true);
    const workspace = copyWorkspace(sampleWorkspace, tmp);
    browser = await launchBrowser();
    const results = { lazy: [], eager: [] };
    for (let i = 0; i < runs; i++) {
      for (const name of i % 2 ? ['eager', 'lazy'] : ['lazy', 'eager']) {
        const r = await measure(browser, variants[name], workspace);
        results[name].push(r.ms);
        console.error(`  run ${i + 1} ${name}: ${r.ms} ms${r.startup ? ' (startup activation)' : ''}`);
      }
    }
    const lazy = stats(results.lazy);
    const eager = stats(results.eager);
    const ratio = (lazy.median / eager.median).toFixed(2);
    if (markdown) {
      console.log('| bundle | runs | min ms | median ms | max ms |\n| --- | --- | --- | --- | --- |');
      console.log(`| as built (serialport on first use) | ${runs} | ${lazy.min} | ${lazy.median} | ${lazy.max} |`);
      console.log(`| serialport imported at load | ${runs} | ${eager.min} | ${eager.median} | ${eager.max} |`);
      console.log(`\nMedian ratio, as built / serialport at load: x${ratio}`);
    } else {
      console.log(`activation (code loading + activate), ${runs} starts each, alternating:`);
      console.log(`  as built (serialport on first use): min ${lazy.min} / median ${lazy.median} / max ${lazy.max} ms`);
      console.log(`  serialport imported at load:        min ${eager.min} / median ${eager.median} / max ${eager.max} ms`);
      console.log(`  median ratio as built / at load: x${ratio}`);
    }
  } finally {
    await browser?.close().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  process.exit(1);
});
