// The real front-end in a real browser: the webview bundle (built here from src/webview), the page from
// studioHtml() with its CSP enforced, and a real StudioSession + ReferenceBackend on this side of postMessage.
// Needs Debian's Chromium and the e2e harness's playwright-core (test/e2e, `node test/e2e/setup.mjs`); skipped
// without them in `npx mocha`, and run (required) by npm test's `webview` stage after the e2e setup.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import type { GenerationBackend, GenerationEvent } from '../../../src/generation/backend';
import { EventChannel, channelRun } from '../../../src/generation/eventChannel';
import { ReferenceBackend } from '../../../src/generation/referenceBackend';
import { makeConfig } from '../../../src/model/config';
import { generate } from '../../../src/model/generate';
import { readModelHeader, writeModel } from '../../../src/model/modelFile';
import { randomModel } from '../../../src/model/random';
import { createNonce } from '../../../src/panels/nonce';
import { studioHtml } from '../../../src/panels/studioHtml';
import { StudioSession, type StudioSessionDeps } from '../../../src/panels/studioSession';
import { defaultSettings } from '../../../src/train/settings';

const repo = resolve(__dirname, '../../..');
const chromiumPath = '/usr/bin/chromium';
const playwrightPath = join(repo, 'test/e2e/node_modules/playwright-core/index.mjs');

// Stand-in for VS Code's webview API, run before the page's own script (so outside its CSP).
const fakeVsCodeApi = `
  window.__sent = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__sent.push(m); window.__toHost(m); },
    getState: () => JSON.parse(sessionStorage.getItem('state') ?? 'null') ?? undefined,
    setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
  });
  document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
`;

/** A session whose surroundings do nothing, but for `deps`. */
function quietSession(deps: Partial<StudioSessionDeps> & Pick<StudioSessionDeps, 'backend'>): StudioSession {
  return new StudioSession({
    log: { info: () => undefined, warn: () => undefined },
    writeClipboard: async () => undefined,
    saveText: async () => undefined,
    pickModel: async () => undefined,
    deployModel: async () => undefined,
    trainModel: async () => undefined,
    fixRun: async () => false,
    ...deps,
  });
}

describe('Studio webview in Chromium', function () {
  this.timeout(60_000);
  let dir = '';
  let server: Server | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any;
  let origin = '';

  before(async function () {
    if (!existsSync(chromiumPath) || !existsSync(playwrightPath)) {
      // npm test's `webview` stage runs this file after the e2e setup and requires the browser: it must not skip there.
      if (process.env.PICOFORMER_REQUIRE_BROWSER) throw new Error(`the browser harness is missing (${chromiumPath}, ${playwrightPath}): run node test/e2e/setup.mjs`);
      this.skip(); // no browser harness on this machine (see test/e2e/setup.mjs)
    }
    dir = mkdtempSync(join(tmpdir(), 'studio-webview-'));
    await esbuild.build({ entryPoints: [join(repo, 'src/webview/studio.ts')], bundle: true, platform: 'browser', format: 'iife', target: 'es2022', outfile: join(dir, 'studio.js'), logLevel: 'error' });
    const { chromium } = await import(pathToFileURL(playwrightPath).href);
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    server = createServer((req, res) => {
      const files: Record<string, [string, string]> = {
        '/studio.js': [join(dir, 'studio.js'), 'text/javascript'],
        '/studio.css': [join(repo, 'media/studio.css'), 'text/css'],
      };
      const file = files[req.url ?? ''];
      if (req.url === '/') {
        res.setHeader('content-type', 'text/html');
        res.end(studioHtml({ cspSource: origin, nonce: createNonce(), scriptUri: `${origin}/studio.js`, styleUri: `${origin}/studio.css` }));
      } else if (req.url === '/favicon.ico') {
        res.statusCode = 204; // the browser asks; a webview never does
        res.end();
      } else if (file) {
        res.setHeader('content-type', file[1]);
        res.end(readFileSync(file[0]));
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  /** The Studio page talking to `session`; `problems` collects console errors (CSP violations included). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function openStudio(session: StudioSession, viewport?: { width: number; height: number }): Promise<{ page: any; problems: string[] }> {
    const page = await browser.newPage(viewport ? { viewport } : {});
    const problems: string[] = [];
    page.on('console', (m: { type(): string; text(): string }) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e: Error) => problems.push(e.message));
    await page.exposeFunction('__toHost', (m: unknown) => session.handle(m));
    await page.addInitScript({ content: fakeVsCodeApi });
    session.attach((m) => void page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`));
    await page.goto(origin + '/');
    await page.waitForSelector('.heap-bar');
    return { page, problems };
  }

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the estimate, streams generate()\'s tokens, and restores everything after a reload, with no CSP violation', async () => {
    const model = randomModel(makeConfig({ vocab_size: 40, dim: 8, hidden_dim: 16, n_layers: 2, n_heads: 2, context_length: 48, family: 'story' }), 5);
    const deployed: string[] = [];
    let trainRequests = 0;
    const reference = new ReferenceBackend({ load: async () => model, memoryFigures: () => session.estimatedHeap() });
    const session: StudioSession = quietSession({
      backend: () => reference,
      deployModel: async (path) => void deployed.push(path),
      trainModel: async () => void trainRequests++,
    });
    const header = readModelHeader(writeModel(model));
    session.setModel({ ref: { name: 'story-test', path: '/m.safetensors' }, location: 'models/m.safetensors', legacy: false, header });
    session.setDefaults({ maxTokens: 20, temperature: 0.7, topK: 0, seed: 123 });

    const { page, problems } = await openStudio(session);
    // Keyboard: Tab reaches every control, in reading order (model, what-if, then generation).
    const visited: string[] = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const id = (await page.evaluate('document.activeElement?.id ?? ""')) as string;
      if (id && !visited.includes(id)) visited.push(id);
    }
    const order = ['deploy-model', 'whatif-board', 'whatif-context', 'gen-prompt', 'gen-generate'];
    for (const id of order) assert.ok(visited.includes(id), `Tab never reaches #${id}; it reached ${visited.join(', ')}`);
    assert.deepEqual(visited.filter((id) => order.includes(id)), order, 'the Tab order follows the page');
    await page.locator('#deploy-model').click();
    for (let i = 0; i < 50 && deployed.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(deployed, ['/m.safetensors'], 'the Deploy button asks the host to deploy the selected model');
    const state = session.currentState;
    assert.equal(await page.textContent('.headroom'), state.memory?.headroomText);
    assert.equal(await page.textContent('.zone'), state.memory?.zoneLabel);
    assert.equal(await page.locator('.heap-bar .segment').count(), state.memory?.segments.length);
    assert.equal(await page.locator('#gen-seed input').inputValue(), '123', 'defaults from the host');

    // What-if: a shorter context answers at once with a smaller KV cache.
    const kvBefore = await page.textContent('.legend li:has(.seg-kvCache) .figure');
    await page.locator('#whatif-context input').fill('8');
    // Waits use locators: a string predicate polled by waitForFunction is eval'd in the page, which its CSP forbids.
    await page.locator('.legend li:has(.seg-kvCache) .figure').filter({ hasNotText: kvBefore ?? '' }).waitFor();
    // The KV cache control: the model's own cache (float32) at first; int8 answers with a smaller KV part still.
    assert.equal(session.currentState.whatIf?.kvCache, 'float32');
    assert.equal(await page.locator('#whatif-kv').count(), 1);
    const kvFloat = await page.textContent('.legend li:has(.seg-kvCache) .figure');
    await page.locator('#whatif-kv').click();
    await page.locator('#whatif-kv').getByText('int8 (a quarter of float32)', { exact: true }).last().click();
    await page.locator('.legend li:has(.seg-kvCache) .figure').filter({ hasNotText: kvFloat ?? '' }).waitFor();
    assert.equal(session.currentState.whatIf?.kvCache, 'int8');

    await page.locator('#gen-prompt textarea').fill('the cat');
    await page.locator('#gen-prompt textarea').press('Control+Enter');
    await page.locator('.run-status', { hasText: 'tokens/s' }).waitFor();
    const expected = generate(model, 'the cat', { maxTokens: 20, temperature: 0.7, topK: 0, seed: 123 }).text;
    assert.equal(await page.textContent('.output .generated'), expected);
    assert.equal(await page.getAttribute('.output', 'role'), 'log');

    // Reload (as when the panel is hidden and shown again): the form comes from getState, the run from the host.
    await page.reload();
    await page.waitForSelector('.heap-bar');
    await page.locator('.output .generated').filter({ hasText: expected }).waitFor();
    assert.equal(await page.textContent('.output .generated'), expected);
    assert.equal(await page.locator('#gen-prompt textarea').inputValue(), 'the cat');
    const sent = (await page.evaluate('window.__sent')) as { type: string }[];
    assert.equal(sent[sent.length - 1]?.type, 'ready', 'ready is the page\'s last word after loading');

    // Training: the plan, the live loss curve (train line, validation dots), Cancel, the result with its zone.
    let cancels = 0;
    const feed = session.trackTraining('corpus/stories.txt', 'models/story-1k.safetensors', () => cancels++);
    await page.locator('.training-status', { hasText: 'Preparing' }).waitFor();
    feed.event({ type: 'prepared', info: { name: 'story-1k', parameterCount: 1016, config: model.config, vocab: [], coverage: 1, unknownTokens: 0, missingChars: [], documents: 9, trainTokens: 900, valTokens: 90, settings: defaultSettings(30), threads: 1 } });
    for (const [step, val] of [[10, 3.1], [20, null], [30, 2.4]] as const) {
      feed.event({ type: 'progress', point: { step, totalSteps: 30, trainLoss: 3.5 - step / 20, valLoss: val, lr: 1e-3, tokensPerSecond: 5000, elapsedMs: step * 10, gradNorm: 1 } });
    }
    await page.locator('.training-stats', { hasText: 'step 30 of 30' }).waitFor();
    assert.equal(await page.textContent('.training-name'), 'story-1k');
    assert.match((await page.textContent('.training-plan')) ?? '', /^1,016 parameters · dim 8 · 2 layers/);
    assert.equal(await page.locator('.loss-chart polyline[data-series="train"]').getAttribute('points').then((p: string) => p.split(' ').length), 3);
    assert.equal(await page.locator('.loss-chart circle.chart-line-val').count(), 2, 'a dot per validation loss');
    assert.match((await page.locator('.loss-chart').getAttribute('aria-label')) ?? '', /^Loss \(nats per token\): train 2\.000 · validation 2\.400$/);
    await page.locator('#train-cancel').click();
    for (let i = 0; i < 50 && cancels === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(cancels, 1, 'Cancel reaches the run');
    feed.event({ type: 'done', summary: { reason: 'cancelled', steps: 30, totalSteps: 30, bestStep: 30, bestValLoss: 2.4, elapsedMs: 300, tokensPerSecond: 5000, name: 'story-1k', parameterCount: 1016, output: { path: '/m/story-1k.safetensors', dtype: 'I8', bytes: 3000 }, checkpoint: '/m/story-1k.ckpt', quantError: { maxAbs: 0.2, meanAbs: 0.01, maxAbsReference: 5, top1Agreement: 1, positions: 10 }, fit: { board: 'pico-cp9', mode: 'resident', zone: 'safe', requiredBytes: 70_000 } } });
    await page.locator('.training-result .zone.zone-safe').waitFor();
    assert.match((await page.textContent('.training-status')) ?? '', /Stopped early/);
    assert.equal(await page.locator('#train-cancel').getAttribute('disabled'), '');
    await page.reload();
    await page.locator('.training-result .zone.zone-safe').waitFor();
    assert.equal(await page.locator('.loss-chart polyline[data-series="validation"]').count(), 1, 'the curve comes back with the state');
    await page.locator('#train-new').click();
    for (let i = 0; i < 50 && trainRequests === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(trainRequests, 1, 'Train Tiny Model… in the panel asks the host to start the command');
    assert.deepEqual(problems, []);
    session.dispose();
  });

  it('says what is wrong in place: a what-if value and why, a failed run with its fix as a button, speeds with what they measure', async () => {
    const model = randomModel(makeConfig({ vocab_size: 40, dim: 8, hidden_dim: 16, n_layers: 2, n_heads: 2, context_length: 48, family: 'story' }), 5);
    // A board the test scripts: a run fails, then one streams three tokens 100 ms apart.
    let channel = new EventChannel<GenerationEvent>();
    const virtualPico: GenerationBackend = {
      target: { kind: 'virtual', label: 'Virtual Pico (simulated)' },
      start: () => {
        channel = new EventChannel<GenerationEvent>();
        return channelRun(channel, () => undefined);
      },
    };
    const fixes: string[] = [];
    const session = quietSession({ backend: () => virtualPico, fixRun: async (action) => (fixes.push(action), false), predictPicoSpeed: () => 3.2 });
    session.setModel({ ref: { name: 'mytiny-1k.safetensors', path: '/m.safetensors' }, location: 'models/mytiny-1k.safetensors', legacy: false, header: readModelHeader(writeModel(model)) });
    const { page, problems } = await openStudio(session, { width: 720, height: 900 }); // a narrow panel

    // The model is named by its file.
    assert.equal(await page.textContent('.model-name'), 'mytiny-1k.safetensors');
    assert.match((await page.textContent('.model-detail')) ?? '', /^model story-[\d.]+k · /);

    // The board's name is not cut off in its dropdown, at a narrow panel's width.
    type Box = { textContent: string | null; scrollWidth: number; clientWidth: number };
    const cut = await page.locator('#whatif-board').evaluate((el: { shadowRoot: { querySelector(s: string): Box | null } | null }) => {
      const text = el.shadowRoot?.querySelector('.select-face .text');
      return text ? { shown: text.textContent, cut: text.scrollWidth > text.clientWidth } : null;
    });
    assert.ok(cut, 'the dropdown shows a name');
    assert.equal(cut.cut, false, `the board's name is cut off: ${cut.shown}`);

    // What-if: an invalid value says why next to its field, and the figures say they are for the last valid value.
    const figures = await page.textContent('.needs');
    await page.locator('#whatif-context input').fill('0');
    await page.locator('#whatif-context-hint.error', { hasText: 'A whole number from 1 to 48' }).waitFor();
    assert.match((await page.textContent('.stale-note')) ?? '', /^The figures below are for the last valid choice \(context 48\)/);
    assert.equal(await page.textContent('.needs'), figures, 'the figures stay those of context 48');
    await page.locator('#whatif-context input').fill('8');
    await page.locator('#whatif-context-hint', { hasText: 'of 48' }).waitFor();
    assert.equal(await page.locator('.stale-note').isHidden(), true);
    assert.doesNotMatch((await page.textContent('.zone-meaning')) ?? '', /does not fit.*does not fit/i);

    // A failed run: what happened, in words, and the fix as a button that reaches the host.
    await page.locator('#gen-generate').click();
    await page.locator('.run-status', { hasText: 'Generating' }).waitFor();
    channel.push({ type: 'error', code: 'not_deployed', message: 'mytiny-1k.safetensors is not on the virtual Pico yet: deploy it to generate there.' });
    channel.close();
    await page.locator('.run-error .error').waitFor();
    assert.equal(await page.textContent('.run-error .error'), 'Generation failed: mytiny-1k.safetensors is not on the virtual Pico yet: deploy it to generate there.');
    await page.locator('.run-error vscode-button', { hasText: 'Deploy now' }).click();
    for (let i = 0; i < 50 && fixes.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(fixes, ['deployModel']);

    // Speeds: the status line and the chart's header give one figure, the decode rate, and say where it was measured.
    await page.locator('#gen-generate').click();
    await page.locator('.run-status', { hasText: 'Generating' }).waitFor();
    assert.equal(await page.locator('.run-error').isHidden(), true, 'the old error is gone once a new run starts');
    channel.push({ type: 'start', promptTokens: 5, truncated: 0, unknown: 0, seed: 1 });
    for (const [i, ms] of [[0, 400], [1, 500], [2, 600]]) channel.push({ type: 'token', id: i, text: 'ab'[i % 2], index: i, elapsedMs: ms });
    channel.push({ type: 'done', reason: 'max_tokens', tokens: 3, promptTokens: 5, ms: 620, tokensPerSecond: 10 });
    channel.close();
    await page.locator('.run-status', { hasText: 'tokens/s' }).waitFor();
    const status = (await page.textContent('.run-status')) ?? '';
    assert.match(status, /^max tokens reached · 3 tokens in 620 ms · 10\.0 tokens\/s decode \(this computer's speed\) · about 3\.2 tokens\/s predicted on a Pico · mytiny-1k\.safetensors on the virtual Pico/);
    assert.equal(await page.locator('.generation-section .chart').first().getAttribute('aria-label'), 'Decode tokens/s: 10.0');
    assert.match((await page.textContent('.rate-caption')) ?? '', /prompt is excluded.*The virtual Pico runs at this computer's speed, not a Pico's\. On a real Pico: about 3\.2 tokens\/s \(predicted\)/);
    assert.deepEqual(problems, []);
    session.dispose();
  });
});
