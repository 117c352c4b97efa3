// The UI smoke test: the packaged extension is in the palette, its activity-bar icon opens the Models and Devices
// views (a row for each sample model), and Deploy Model to Pico runs (it asks which model to deploy).
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The sample workspace's models, by name (file name without `.safetensors`). */
function sampleModels(workspace) {
  const names = readdirSync(join(workspace, 'models'))
    .filter((f) => f.endsWith('.safetensors'))
    .map((f) => f.slice(0, -'.safetensors'.length));
  assert.ok(names.length > 0, 'the sample workspace has no models/*.safetensors');
  return names;
}

/** A row stands for `model` when it is labelled with the model's name or its file name (after its zone word in the Models view). */
const showsModel = (labels, model) => labels.some((l) => l === model || l === `${model}.safetensors` || l.endsWith(` · ${model}`) || l.includes(` ${model},`) || l.includes(` ${model}.safetensors,`));

export const tests = [
  {
    name: 'the palette lists "Picoformer: Deploy Model to Pico"',
    async run({ page, wb, shot }) {
      const title = 'Picoformer: Deploy Model to Pico';
      const labels = await wb.openPalette(page, 'Picoformer: Deploy', { expect: title });
      assert.ok(labels.includes(title), `palette rows: ${JSON.stringify(labels)}`);
      await page.waitForTimeout(300); // let the palette finish fading in for the screenshot
      await shot('palette');
      await wb.closePalette(page);
      // Once (CI) the palette reopened inert and took no keystrokes; openPalette must get past that state.
      await page.locator('.quick-input-widget').evaluate((el) => { el.inert = true; });
      const again = await wb.openPalette(page, 'Picoformer: Deploy', { expect: title, timeoutMs: 15_000 });
      assert.ok(again.includes(title), `palette rows after reopening: ${JSON.stringify(again)}`);
      await wb.closePalette(page);
    },
  },
  {
    name: 'the activity-bar icon opens the Models view (a row per sample model) and the Devices view',
    async run({ page, wb, shot, workspace }) {
      const models = sampleModels(workspace);
      await wb.openViewContainer(page, 'Picoformer');
      const rows = await wb.treeRows(page, 'Models', { atLeast: models.length });
      for (const model of models) assert.ok(showsModel(rows, model), `no row for ${model}; Models view rows: ${JSON.stringify(rows)}`);
      const devices = await wb.treeRows(page, 'Devices', { atLeast: 1, timeoutMs: 10_000 });
      const welcome = devices.length === 0 ? await wb.viewWelcomeText(page, 'Devices') : '';
      assert.ok(devices.length > 0 || welcome.length > 0, 'the Devices view shows neither rows nor its welcome text');
      await shot('views');
    },
  },
  {
    name: 'Deploy Model to Pico asks which sample model to deploy',
    async run({ page, wb, shot, workspace }) {
      const models = sampleModels(workspace);
      await wb.runCommand(page, 'Picoformer: Deploy Model to Pico');
      const picks = await wb.quickPickLabels(page, { atLeast: models.length });
      for (const model of models) assert.ok(showsModel(picks, model), `no pick for ${model}; picks: ${JSON.stringify(picks)}`);
      await page.waitForTimeout(300);
      await shot('deploy-pick-model');
      await wb.closePalette(page);
    },
  },
  {
    name: 'the Explorer\'s context menu offers the model commands on a .safetensors file',
    async run({ page, wb, shot }) {
      await wb.openViewContainer(page, 'Explorer');
      const folder = page.locator('.explorer-folders-view .monaco-list-row[aria-label="models"]').first();
      await folder.waitFor({ state: 'visible', timeout: 15_000 });
      if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
      const file = page.locator('.explorer-folders-view .monaco-list-row[aria-label="story-8k.safetensors"]').first();
      await file.waitFor({ state: 'visible', timeout: 10_000 });
      await file.click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.waitFor({ state: 'visible', timeout: 10_000 });
      const items = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim());
      for (const title of ['Deploy Model to Pico', 'Estimate Memory', 'Open Studio', 'Quantize Model…']) {
        assert.ok(items.includes(title), `the context menu has no "${title}": ${JSON.stringify(items)}`);
      }
      assert.ok(!items.includes('Train Tiny Model…'), 'Train is offered on text files, not on models');
      await shot('explorer-context-menu');
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden', timeout: 5_000 });
      await wb.openViewContainer(page, 'Picoformer');
    },
  },
];
