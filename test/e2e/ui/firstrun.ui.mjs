// The first ten minutes cannot get stuck (issue 11's blocker), on the packaged extension in code-server: on a
// freshly started, empty virtual Pico, Generate before any deploy answers at once with what is missing and a
// Deploy now button; Deploy, then Generate again gives tokens (before, every later Generate failed after ~25 s and
// only Stop + Start Virtual Pico recovered); Generate on Pico… from the palette offers Deploy now in place and ends
// in tokens; Stop ends a run that waits for a board that does not answer at once. Screenshots firstrun-*.png, logs
// firstrun-*.log.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveExtensionLog } from '../lib/logs.mjs';
import { step } from '../lib/step.mjs';

const Model = 'story-8k';
/** The virtual Pico's drive folder: in the extension's global storage, shared by every window of this server. */
const driveOf = (server) => join(server.dir, 'user', 'User', 'globalStorage', 'picoformer.picoformer', 'virtual-pico', 'CIRCUITPY');

/** A run's status line, its error (in place, with its buttons) and the generated text. */
function readRun(frame) {
  return frame.evaluate(() => ({
    status: document.querySelector('.run-status')?.textContent ?? '',
    error: [...document.querySelectorAll('.generation-section .run-error .error')].map((e) => e.textContent).join(' '),
    buttons: [...document.querySelectorAll('.generation-section .run-error vscode-button')].map((b) => b.textContent.trim()),
    generated: document.querySelector('.output .generated')?.textContent ?? '',
    stopDisabled: document.querySelector('#gen-stop')?.hasAttribute('disabled') ?? true,
  }));
}
const Done = /tokens\/s/;

/** Everything on the drive but boot_out.txt goes: the virtual Pico as it is before anything was deployed. */
function emptyDrive(drive) {
  mkdirSync(drive, { recursive: true });
  for (const name of readdirSync(drive)) if (name !== 'boot_out.txt') rmSync(join(drive, name), { recursive: true, force: true });
}

/** Stop Virtual Pico, empty its drive, Start Virtual Pico: a freshly started, empty board. */
async function freshEmptyVirtualPico(page, wb, server) {
  await wb.openViewContainer(page, 'Picoformer');
  await wb.setSidebarWidth(page, 480);
  await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'Virtual Pico'), { what: 'the virtual Pico in the Devices view', timeoutMs: 30_000 });
  await wb.runCommand(page, 'Picoformer: Stop Virtual Pico');
  // Stopped with no board plugged in, the Devices view shows its welcome text instead of the virtual Pico's row.
  await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => !rs.some((r) => r.label === 'Virtual Pico' && /running/.test(r.description)), { what: 'the virtual Pico stopped' });
  emptyDrive(driveOf(server));
  await wb.runCommand(page, 'Picoformer: Start Virtual Pico');
  await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'Virtual Pico' && /running/.test(r.description)), { what: 'the virtual Pico running', timeoutMs: 30_000 });
}

/** Opens the Studio with `name` chosen through its own "Choose a model…" button; returns the webview frame. */
async function studioWith(page, wb, name) {
  await wb.runCommand(page, 'Picoformer: Open Studio');
  const frame = await wb.webviewFrame(page, '#gen-generate', { timeoutMs: 30_000 });
  const chosen = async () => (await frame.locator('.model-line').innerText().catch(() => '')).includes(`${name}.safetensors`);
  if (!(await chosen())) {
    await frame.locator('.model-line vscode-button', { hasText: /Choose (a|another) model/ }).click();
    await wb.waitForQuickInput(page, /choose a model/);
    await wb.pickQuickItem(page, new RegExp(`^${name}\\.safetensors`), { filter: name });
    await wb.until(page, chosen, (yes) => yes, { what: `${name} chosen in the Studio` });
  }
  return frame;
}

/** Clicks Generate and waits for the run to end (done line or error); returns what it showed and how long it took. */
async function generateInStudio(page, wb, frame, { timeoutMs = 60_000 } = {}) {
  const before = (await readRun(frame)).status;
  const started = Date.now();
  await frame.click('#gen-generate');
  const run = await wb.until(page, () => readRun(frame), (r) => r.status !== before && !r.status.startsWith('Generating') && (Done.test(r.status) || r.error !== ''), {
    what: 'the run to end',
    timeoutMs,
  });
  return { ...run, seconds: (Date.now() - started) / 1000 };
}

export const tests = [
  {
    name: 'Generate before any deploy answers at once with Deploy now; Deploy, then Generate gives tokens (Studio and palette)',
    timeoutMs: 180_000,
    async run({ page, wb, shot, server }) {
      try {
        await step('a freshly started, empty virtual Pico', () => freshEmptyVirtualPico(page, wb, server));
        const frame = await step('the Studio with the model chosen', () => studioWith(page, wb, Model));
        await step('Generate before deploying: what is missing, at once, with the fix as a button', async () => {
          const run = await generateInStudio(page, wb, frame, { timeoutMs: 10_000 });
          console.log(`    answered in ${run.seconds.toFixed(1)} s: ${run.error}`);
          assert.match(run.error, /^Generation failed: The virtual Pico has no Picoformer runtime yet\b/);
          assert.doesNotMatch(run.error, /\(no_runtime\)|\/tmp\/|globalStorage/, 'no internal code and no temp path');
          assert.deepEqual(run.buttons, ['Deploy now']);
          await frame.locator('.run-error').scrollIntoViewIfNeeded();
          await shot('firstrun-1-generate-before-deploy');
        });
        await step('Deploy Model to Pico from the palette', async () => {
          await wb.runCommand(page, 'Picoformer: Deploy Model to Pico');
          await wb.waitForQuickInput(page, /Deploy Model to Pico/);
          await wb.pickQuickItem(page, new RegExp(`\\b${Model}\\.safetensors\\b`), { filter: Model });
          await wb.waitForNotification(page, new RegExp(`Deployed ${Model}\\.safetensors to the virtual Pico and verified it`), { timeoutMs: 30_000 });
          await shot('firstrun-2-deployed');
        });
        await step('Generate again in the Studio: tokens, and the old error is gone', async () => {
          const run = await generateInStudio(page, wb, frame);
          assert.equal(run.error, '', `the run failed: ${run.error}`);
          assert.match(run.status, Done);
          assert.ok(run.generated.length > 0, 'no text was generated');
          assert.deepEqual(run.buttons, []);
          await frame.locator('.run-status').scrollIntoViewIfNeeded();
          await shot('firstrun-3-tokens-after-deploy');
        });
        await step('Generate on Pico… from the palette: tokens too', async () => {
          await wb.runCommand(page, 'Picoformer: Generate on Pico…');
          await wb.waitForQuickInput(page, /Generate on Pico/);
          await wb.pickQuickItem(page, new RegExp(`\\b${Model}\\.safetensors\\b`), { filter: Model });
          await wb.waitForQuickInput(page, `Generate with ${Model}`);
          await page.locator('.quick-input-widget .quick-input-box input').fill('Once upon a time');
          const before = (await readRun(frame)).status;
          await page.keyboard.press('Enter');
          const run = await wb.until(page, () => readRun(frame), (r) => r.status !== before && (Done.test(r.status) || r.error !== ''), { what: 'the palette run to end', timeoutMs: 60_000 });
          assert.equal(run.error, '', `the run failed: ${run.error}`);
        });
      } finally {
        saveExtensionLog(server, 'firstrun-generate-deploy-generate');
      }
    },
  },
  {
    name: "Deploy now in the Studio's error deploys and generates; the palette's Generate offers Deploy now in place",
    timeoutMs: 180_000,
    async run({ page, wb, shot, server }) {
      try {
        await step('a freshly started, empty virtual Pico', () => freshEmptyVirtualPico(page, wb, server));
        const frame = await step('the Studio with the model chosen', () => studioWith(page, wb, Model));
        await step("the error's Deploy now: deployed, then the run is tried again and gives tokens", async () => {
          const failed = await generateInStudio(page, wb, frame, { timeoutMs: 10_000 });
          assert.deepEqual(failed.buttons, ['Deploy now'], failed.error);
          await frame.locator('.run-error vscode-button', { hasText: 'Deploy now' }).click();
          const run = await wb.until(page, () => readRun(frame), (r) => Done.test(r.status) || (r.error !== '' && r.error !== failed.error), { what: 'the run tried again after the deploy', timeoutMs: 60_000 });
          assert.equal(run.error, '', `the run failed: ${run.error}`);
          await frame.locator('.run-status').scrollIntoViewIfNeeded();
          await shot('firstrun-4-deploy-now-then-tokens');
        });
        await step('another model, not on the board yet: Deploy now, then tokens from it', async () => {
          // The runtime lists the board's files as it saw them at its start (the virtual Pico copies its drive at boot):
          // the run must wait for the restart the deploy causes, not call the model missing.
          const other = 'story-1k';
          const chosen = await studioWith(page, wb, other);
          const failed = await generateInStudio(page, wb, chosen, { timeoutMs: 10_000 });
          assert.match(failed.error, new RegExp(`^Generation failed: ${other}\\.safetensors is not on the virtual Pico yet`));
          await chosen.locator('.run-error vscode-button', { hasText: 'Deploy now' }).click();
          const run = await wb.until(page, () => readRun(chosen), (r) => Done.test(r.status) || (r.error !== '' && r.error !== failed.error), { what: `a run of ${other} after its deploy`, timeoutMs: 60_000 });
          assert.equal(run.error, '', `the run failed: ${run.error}`);
          assert.match(run.status, new RegExp(`${other}\\.safetensors on the virtual Pico`));
        });
        await step('the palette on an empty board: Deploy now in a dialog, then the prompt, then tokens', async () => {
          emptyDrive(driveOf(server));
          await wb.runCommand(page, 'Picoformer: Generate on Pico…');
          await wb.waitForQuickInput(page, /Generate on Pico/);
          await wb.pickQuickItem(page, new RegExp(`\\b${Model}\\.safetensors\\b`), { filter: Model });
          const dialog = page.locator('.monaco-dialog-box');
          await dialog.waitFor({ state: 'visible', timeout: 15_000 });
          assert.match(await dialog.innerText(), new RegExp(`${Model}\\.safetensors is not on the virtual Pico yet\\. Deploy it now\\?`));
          await shot('firstrun-5-palette-offers-deploy-now');
          await dialog.locator('.monaco-button', { hasText: 'Deploy now' }).click();
          await wb.waitForQuickInput(page, `Generate with ${Model}`, { timeoutMs: 30_000 });
          const before = (await readRun(frame)).status;
          await page.keyboard.press('Enter');
          const run = await wb.until(page, () => readRun(frame), (r) => r.status !== before && (Done.test(r.status) || r.error !== ''), { what: 'the palette run to end', timeoutMs: 60_000 });
          assert.equal(run.error, '', `the run failed: ${run.error}`);
        });
      } finally {
        saveExtensionLog(server, 'firstrun-deploy-now');
      }
    },
  },
  {
    name: 'Stop ends a run that waits for a board that does not answer, at once',
    timeoutMs: 120_000,
    async run({ page, wb, shot, server }) {
      const drive = driveOf(server);
      try {
        await step('a freshly started, empty virtual Pico', () => freshEmptyVirtualPico(page, wb, server));
        await step('deploy the model, then make code.py slow to start the runtime', async () => {
          await wb.runCommand(page, 'Picoformer: Deploy Model to Pico');
          await wb.waitForQuickInput(page, /Deploy Model to Pico/);
          await wb.pickQuickItem(page, new RegExp(`\\b${Model}\\.safetensors\\b`), { filter: Model });
          await wb.waitForNotification(page, /verified it/, { timeoutMs: 30_000 });
          // A board busy for a minute before its runtime starts (a long boot): the runtime is there, it does not answer.
          writeFileSync(join(drive, 'code.py'), 'import time\nprint("starting slowly")\nfor _ in range(600):\n    time.sleep(0.1)\nfrom picoformer.app import main\nmain()\n');
          await page.waitForTimeout(2_000); // the virtual Pico reloads 750 ms after the change
        });
        const frame = await step('the Studio with the model chosen', () => studioWith(page, wb, Model));
        await step('Generate, then Stop while it connects: the run ends at once, as stopped', async () => {
          const before = (await readRun(frame)).status;
          await frame.click('#gen-generate');
          await wb.until(page, () => readRun(frame), (r) => r.status !== before && r.status.startsWith('Generating') && !r.stopDisabled, { what: 'the run waiting for the board' });
          await page.waitForTimeout(3_000); // well into the wait for an answer
          await shot('firstrun-6-waiting-for-the-board');
          const stoppedAt = Date.now();
          await frame.click('#gen-stop');
          const run = await wb.until(page, () => readRun(frame), (r) => !r.status.startsWith('Generating'), { what: 'the run to end after Stop', timeoutMs: 5_000 });
          console.log(`    stopped after ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s: ${run.status}`);
          assert.match(run.status, /^stopped · 0 tokens/);
          assert.equal(run.error, '');
          await shot('firstrun-7-stopped-while-connecting');
        });
      } finally {
        emptyDrive(drive); // leave no slow code.py for the tests after this one
        saveExtensionLog(server, 'firstrun-stop-while-connecting');
      }
    },
  },
];
