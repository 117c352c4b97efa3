// Picoformer: Train Tiny Model… as a user meets it (issue 6, "Done when"), in the browser on the packaged extension:
// the questions (corpus, size, steps, where to save), the progress notification, the live loss curve growing in the
// Studio while the trainer's worker runs, the result with its memory zone, the model in the Models view; then a
// second run stopped with the Studio's Cancel button, which keeps the best weights. Screenshots: train-*.png.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { saveExtensionLog } from '../lib/logs.mjs';
import { isModelRow } from '../lib/modelRows.mjs';
import { step } from '../lib/step.mjs';


/** The Studio's training section as a user sees it. */
function readTraining(frame) {
  return frame.evaluate(() => {
    const line = document.querySelector('.loss-chart polyline[data-series="train"]');
    return {
      name: document.querySelector('.training-name')?.textContent ?? '',
      status: document.querySelector('.training-status')?.textContent ?? '',
      plan: document.querySelector('.training-plan')?.textContent ?? '',
      stats: document.querySelector('.training-stats')?.textContent ?? '',
      result: document.querySelector('.training-result')?.textContent ?? '',
      zone: document.querySelector('.training-result .zone')?.className ?? '',
      error: document.querySelector('.training-error:not([hidden])')?.textContent ?? '',
      sample: document.querySelector('.training-sample:not([hidden])')?.textContent ?? '',
      points: line ? line.getAttribute('points').trim().split(/\s+/).length : 0,
      valDots: document.querySelectorAll('.loss-chart circle.chart-line-val').length,
      chartLabel: document.querySelector('.loss-chart')?.getAttribute('aria-label') ?? '',
      cancelDisabled: document.querySelector('#train-cancel')?.hasAttribute('disabled') ?? null,
      xRange: (document.querySelector('.loss-chart')?.getAttribute('data-x-range') ?? '').split(',').map(Number),
    };
  });
}

/** Answers the questions up to the save dialog: the sample chat corpus, a size row, the steps. */
async function askFor(page, wb, shot, { size, steps, prefix }) {
  await wb.runCommand(page, 'Picoformer: Train Tiny Model…');
  await wb.waitForQuickInput(page, /Train Tiny Model: what to train on/);
  if (prefix) await shot(`${prefix}-1-corpus`);
  await wb.pickQuickItem(page, /Sample chat/);
  await wb.waitForQuickInput(page, /Train Tiny Model: model size/);
  const sizes = await wb.quickPickLabels(page, { atLeast: 6 });
  assert.ok(sizes.some((l) => /^Largest that runs resident on Raspberry Pi Pico/.test(l)), `the size choices offer the largest resident model: ${JSON.stringify(sizes)}`);
  assert.ok(sizes.some((l) => /^Largest that runs streamed on/.test(l)), `and the largest streamed one: ${JSON.stringify(sizes)}`);
  assert.ok(sizes.some((l) => /Architecture and training settings….*as the sample models/.test(l)), `and the settings, at their defaults: ${JSON.stringify(sizes)}`);
  if (prefix) await shot(`${prefix}-2-size`);
  // A pointer resting on a row shows that row's tooltip, which once covered the row to click (CI): make it so.
  await page.locator(wb.Ui.paletteRows).filter({ hasText: /Largest that runs streamed on/ }).first().hover({ position: { x: 120, y: 30 } });
  await page.locator('.context-view .monaco-hover').first().waitFor({ state: 'visible', timeout: 3_000 }).catch(() => {});
  await wb.pickQuickItem(page, size);
  await wb.waitForQuickInput(page, /Train Tiny Model: steps/);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const message = page.locator('.quick-input-widget .quick-input-message');
  const prompt = await message.innerText();
  assert.match(prompt, /steps take about .* on a 2-core computer/, `the steps prompt gives a rough time: ${prompt}`);
  await input.fill(String(steps));
  // The time follows what is typed.
  const typed = `${steps.toLocaleString('en-US')} steps take about`;
  await wb.until(page, () => message.innerText(), (text) => text.includes(typed), { what: `the hint for ${steps} steps` });
  if (prefix) await shot(`${prefix}-3-steps`);
  await page.keyboard.press('Enter');
  await wb.waitForQuickInput(page, /Save the trained model as/);
  // The simple file dialog fills its path in two steps (the folder, then the name).
  return wb.until(page, () => input.inputValue(), (path) => path.endsWith('.safetensors'), { what: 'the suggested file name' });
}

export const tests = [
  {
    name: 'Train Tiny Model…: questions, progress, a live loss curve in the Studio, the model in the Models view with its zone',
    timeoutMs: 240_000,
    async run({ page, wb, shot, server, workspace }) {
      try {
        await wb.openViewContainer(page, 'Picoformer');
        await wb.setSidebarWidth(page, 420);
        await step('the size question leads to the architecture and training settings', async () => {
          await wb.runCommand(page, 'Picoformer: Train Tiny Model…');
          await wb.waitForQuickInput(page, /Train Tiny Model: what to train on/);
          await wb.pickQuickItem(page, /Sample chat/);
          await wb.waitForQuickInput(page, /Train Tiny Model: model size/);
          await wb.pickQuickItem(page, /Architecture and training settings…/);
          const setting = page.locator('.settings-editor .setting-item-contents', { hasText: /Context Length/ }).first();
          await setting.waitFor({ state: 'visible', timeout: 15_000 });
          assert.match(await setting.innerText(), /Tokens of context of the models Train Tiny Model… makes/);
          await shot('train-0-settings');
          // Settings open as a modal editor here: Escape clears its search, then closes it.
          for (let i = 0; i < 4 && (await page.locator('.settings-editor').isVisible()); i++) {
            await page.keyboard.press('Escape');
            await page.waitForTimeout(300);
          }
          await page.locator('.settings-editor').waitFor({ state: 'hidden', timeout: 5_000 });
        });
        const path = await step('the questions', () => askFor(page, wb, shot, { size: /^1k parameters/, steps: 5000, prefix: 'train' }));
        const output = join(workspace, 'models', 'chat-1k.safetensors');
        await step('the save dialog suggests models/<family>-<size>.safetensors', async () => {
          assert.ok(path.endsWith('models/chat-1k.safetensors'), `suggested ${path}`);
          await shot('train-4-save');
          await page.keyboard.press('Enter');
        });
        const frame = await step('the Studio opens on the run', () => wb.webviewFrame(page, '.training-section .training-status', { text: /Training|Preparing/, timeoutMs: 30_000 }));
        await step('the notification shows progress', async () => {
          const note = await wb.waitForNotification(page, /chat-1k: step [\d,]+\/5,000 · loss [\d.]+/, { timeoutMs: 30_000 });
          console.log(`    progress: ${note}`);
        });
        await step('the loss curve grows while it trains', async () => {
          const first = await wb.until(page, () => readTraining(frame), (t) => t.points >= 2 && /^Training/.test(t.status), { what: 'a curve of two points while training', timeoutMs: 60_000 });
          assert.equal(first.name, 'chat-1k');
          assert.match(first.plan, /^[\d,]+ parameters · dim \d+ · \d+ layers? · \d+ heads? · hidden \d+ · context 32$/);
          assert.equal(first.cancelDisabled, false, 'Cancel is offered while training');
          await frame.locator('.loss-chart').scrollIntoViewIfNeeded();
          await shot('train-5-curve-growing');
          const later = await wb.until(page, () => readTraining(frame), (t) => t.points > first.points || !/^Training/.test(t.status), { what: 'more points on the curve', timeoutMs: 60_000 });
          console.log(`    curve: ${first.points} then ${later.points} points (${first.stats})`);
          assert.ok(later.points > first.points, `the curve did not grow while training: ${first.points} -> ${later.points} (${later.status})`);
        });
        const done = await step('the result, with its zone', async () => {
          const t = await wb.until(page, () => readTraining(frame), (r) => /^(Finished|Failed)/.test(r.status), { what: 'the run to finish', timeoutMs: 150_000 });
          assert.equal(t.error, '', `training failed: ${t.error}`);
          assert.match(t.status, /^Finished/);
          assert.match(t.result, /^val loss [\d.]+ \(best, step [\d,]+\) · int8 logit error [\d.e-]+ · 5,000 steps in [\d.]+ s · [\d,]+ tokens\/s Safe on Raspberry Pi Pico/);
          assert.match(t.zone, /\bzone-safe\b/);
          assert.ok(t.valDots >= 10, `validation dots on the curve: ${t.valDots}`);
          const loss = /val loss ([\d.]+)/.exec(t.result);
          assert.ok(Number(loss[1]) < Math.log(36), `validation loss ${loss[1]} is no better than chance`);
          assert.equal(t.cancelDisabled, true);
          const sampled = await wb.until(page, () => readTraining(frame), (r) => r.sample !== '', { what: 'a sample of what the model generates' });
          assert.match(sampled.sample, /^Sample \(empty prompt, seed 2024\): ./);
          console.log(`    ${sampled.sample.slice(0, 120)}`);
          await frame.locator('.training-sample').scrollIntoViewIfNeeded();
          await shot('train-6-finished');
          return t;
        });
        await step('the notification says what was trained and where it fits', async () => {
          const note = await wb.waitForNotification(page, /Trained models\/chat-1k\.safetensors \(chat-1k, [\d,]+ parameters, validation loss [\d.]+\): Safe on Raspberry Pi Pico/, { timeoutMs: 15_000 });
          console.log(`    ${note}; ${done.chartLabel}`);
          assert.ok(existsSync(output), `${output} was not written`);
        });
        await step('the Models view lists it with its zone; the Studio selected it', async () => {
          const rows = await wb.until(page, () => wb.treeItems(page, 'Models'), (rs) => rs.some((r) => r.level === 1 && isModelRow(r, 'chat-1k')), { what: 'chat-1k in the Models view', timeoutMs: 20_000 });
          const row = rows.find((r) => r.level === 1 && isModelRow(r, 'chat-1k'));
          assert.equal(row.label, 'Safe · chat-1k');
          assert.match(row.description, /^[\d,]+ params · [\d.]+ KB · peak [\d.]+ KB$/);
          assert.equal(row.icon, 'pass');
          assert.equal(row.iconColor, await wb.themeColor(page, 'charts.green'));
          await wb.until(page, () => frame.evaluate(() => document.querySelector('.model-name')?.textContent ?? ''), (name) => name.includes('chat-1k'), { what: 'the Studio showing chat-1k' });
          await shot('train-7-models-view');
        });
      } finally {
        saveExtensionLog(server, 'train-run');
      }
    },
  },
  {
    name: 'Cancel training in the Studio stops the run and keeps the best weights as a model; Continue a run… resumes it',
    timeoutMs: 180_000,
    async run({ page, wb, shot, server, workspace }) {
      try {
        await wb.openViewContainer(page, 'Picoformer');
        await wb.setSidebarWidth(page, 420);
        const suggested = await step('the questions', () => askFor(page, wb, shot, { size: /^8k parameters/, steps: 6000 }));
        const output = join(workspace, 'models', 'chat-8k-cancelled.safetensors');
        await step('save under another name', async () => {
          const input = page.locator('.quick-input-widget .quick-input-box input');
          // The sample workspace has a chat-8k.safetensors: the suggestion never takes an existing model's name.
          assert.ok(suggested.endsWith('models/chat-8k-2.safetensors'), `suggested ${suggested}`);
          await input.fill(suggested.replace(/chat-8k-2\.safetensors$/, 'chat-8k-cancelled.safetensors'));
          await page.keyboard.press('Enter');
        });
        const frame = await step('the run starts', () => wb.webviewFrame(page, '.training-section .training-name', { text: /chat-8k/, timeoutMs: 30_000 }));
        await step('cancel after the first validation', async () => {
          await wb.until(page, () => readTraining(frame), (t) => t.valDots >= 1, { what: 'the first validation loss', timeoutMs: 90_000 });
          await frame.locator('#train-cancel').click();
          const t = await wb.until(page, () => readTraining(frame), (r) => /^(Stopped|Finished|Failed)/.test(r.status), { what: 'the run to stop', timeoutMs: 60_000 });
          assert.match(t.status, /^Stopped early: the best weights so far were saved/);
          assert.match(t.result, /^val loss [\d.]+ \(best, step [\d,]+\) · .* · [\d,]+ steps in/);
          assert.doesNotMatch(t.result, / 6,000 steps in/);
          // The loss chart's x axis ends at the steps done, not at the 6,000 planned.
          const done = Number(/^step ([\d,]+) of 6,000/.exec(t.stats)?.[1].replace(/,/g, ''));
          assert.ok(done > 0 && done < 6000, `the stats say where it stopped: ${t.stats}`);
          assert.deepEqual(t.xRange, [0, done], `the x axis spans the steps done: ${t.xRange}`);
          await frame.locator('.training-result').scrollIntoViewIfNeeded();
          await shot('train-8-cancelled');
        });
        await step('the stopped run is saved and listed', async () => {
          await wb.waitForNotification(page, /Stopped after [\d,]+ of 6,000 steps and saved the best weights: \S*chat-8k-cancelled\.safetensors \(chat-8k, /, { timeoutMs: 15_000 });
          assert.ok(existsSync(output), `${output} was not written`);
          // The sample workspace has a chat-8k.safetensors already: this file is labelled by its own name.
          const rows = await wb.until(page, () => wb.treeItems(page, 'Models'), (rs) => rs.some((r) => r.level === 1 && isModelRow(r, 'chat-8k-cancelled')), {
            what: 'the stopped model in the Models view (chat-8k-cancelled)',
            timeoutMs: 20_000,
          });
          const row = rows.find((r) => r.level === 1 && isModelRow(r, 'chat-8k-cancelled'));
          // an 8k model: within 5% of 8,000 parameters (with the auto subword vocabulary it is 7,980)
          assert.match(row.label, /^(Safe|Test on the board) · chat-8k-cancelled$/);
          assert.match(row.description, /^chat-8k · (7,[6-9]|8,[0-3])\d\d params · [\d.]+ KB · peak [\d.]+ KB$/);
        });
        await step('continue the stopped run from its checkpoint', async () => {
          await wb.closeNotifications(page, /Stopped after/);
          await wb.runCommand(page, 'Picoformer: Train Tiny Model…');
          await wb.waitForQuickInput(page, /Train Tiny Model: what to train on/);
          await wb.pickQuickItem(page, /Continue a run/);
          await wb.waitForQuickInput(page, /continue which run/);
          const picked = await wb.pickQuickItem(page, /chat-8k-cancelled\.ckpt/);
          const at = /step ([\d,]+) of 6,000/.exec(picked);
          assert.ok(at, `the checkpoint row says where the run stopped: ${picked}`);
          const stopped = Number(at[1].replace(/,/g, ''));
          await wb.waitForQuickInput(page, /continue to which step/);
          const input = page.locator('.quick-input-widget .quick-input-box input');
          assert.equal(await input.inputValue(), '6000', 'a run stopped early continues to its own total by default');
          await input.fill(String(stopped + 100));
          await shot('train-9-continue');
          await page.keyboard.press('Enter');
          const t = await wb.until(page, () => readTraining(frame), (r) => /^Finished/.test(r.status) && r.result.includes(`${(stopped + 100).toLocaleString('en-US')} steps in`), { what: 'the continued run to finish', timeoutMs: 90_000 });
          assert.match(t.stats, new RegExp(`^step ${(stopped + 100).toLocaleString('en-US')} of ${(stopped + 100).toLocaleString('en-US')}`));
          assert.ok(t.points > 2, 'the curve keeps the first part');
          await frame.locator('.training-result').scrollIntoViewIfNeeded();
          await shot('train-10-continued');
        });
      } finally {
        saveExtensionLog(server, 'train-cancel');
      }
    },
  },
];
