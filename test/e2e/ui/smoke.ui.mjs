// The UI smoke test: the packaged extension is in the palette, its activity-bar icon opens the Models and Devices
// views, and a command whose feature has not landed says so.
import * as assert from 'node:assert/strict';

export const tests = [
  {
    name: 'the palette lists "Picoformer: Deploy Model to Pico"',
    async run({ page, wb, shot }) {
      const labels = await wb.openPalette(page, 'Picoformer: Deploy');
      assert.ok(labels.includes('Picoformer: Deploy Model to Pico'), `palette rows: ${JSON.stringify(labels)}`);
      await page.waitForTimeout(300); // let the palette finish fading in for the screenshot
      await shot('palette');
      await wb.closePalette(page);
    },
  },
  {
    name: 'the activity-bar icon opens the Models and Devices views',
    async run({ page, wb, shot }) {
      await wb.openViewContainer(page, 'Picoformer');
      const rows = await wb.treeRows(page, 'Models', { atLeast: 2 });
      for (const model of ['chat-10k.safetensors', 'story-1k.safetensors']) {
        assert.ok(rows.includes(model), `Models view rows: ${JSON.stringify(rows)}`);
      }
      const welcome = await wb.viewWelcomeText(page, 'Devices');
      assert.match(welcome, /No Pico found/);
      await shot('views');
    },
  },
  {
    name: 'Deploy Model to Pico says it is not available yet',
    async run({ page, wb, shot }) {
      await wb.runCommand(page, 'Picoformer: Deploy Model to Pico');
      const text = await wb.waitForNotification(page, /not available yet/);
      assert.match(text, /Deploy Model to Pico/);
      await page.waitForTimeout(400);
      await shot('deploy-not-available');
    },
  },
];
