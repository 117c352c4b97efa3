// Truthful and actionable messages (issue 11), as a user sees them on the packaged extension in code-server: the
// gauge reports the board's heap right after a deploy, the virtual Pico says what it really runs, a model file that
// cannot be used leaves the Studio's model in place and says why, and a what-if value that is not valid says why
// next to its field while the figures say which choice they are for; a model that does not fit is not sent to a
// deploy that would be refused. Screenshots messages-*.png, logs messages-*.log.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveExtensionLog } from '../lib/logs.mjs';
import { step } from '../lib/step.mjs';

/** The virtual Pico's drive folder (the extension's global storage, shared by every window of this server). */
const driveOf = (server) => join(server.dir, 'user', 'User', 'globalStorage', 'picoformer.picoformer', 'virtual-pico', 'CIRCUITPY');

/** The gauge's status bar item (its id ends with picoformer.memoryGauge). */
async function gauge(wb, page) {
  return (await wb.statusBarItems(page)).find((item) => item.id.endsWith('picoformer.memoryGauge'));
}

/** The Picoformer sidebar with the virtual Pico running (the sample workspace starts it on open). */
async function sidebar(page, wb) {
  await wb.openViewContainer(page, 'Picoformer');
  await wb.setSidebarWidth(page, 480);
  await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'Virtual Pico' && /running/.test(r.description)), {
    what: 'the virtual Pico running',
    timeoutMs: 30_000,
  });
}

/** Opens the Studio with `name` chosen through its "Choose a model…" button; returns the webview frame. */
async function studioWith(page, wb, name) {
  await wb.runCommand(page, 'Picoformer: Open Studio');
  const frame = await wb.webviewFrame(page, '#gen-generate', { timeoutMs: 30_000 });
  await chooseInStudio(page, wb, frame, name);
  return frame;
}

async function chooseInStudio(page, wb, frame, name) {
  await frame.locator('.model-line vscode-button', { hasText: /Choose (a|another) model/ }).click();
  await wb.waitForQuickInput(page, /choose a model/);
  await wb.pickQuickItem(page, new RegExp(`^${name.replace(/[.]/g, '\\.')}(\\.safetensors)?\\b(?!-)`), { filter: name });
}

export const tests = [
  {
    name: 'the gauge shows the board\'s heap with the model right after a deploy, before any generation',
    timeoutMs: 120_000,
    async run({ page, wb, shot, server }) {
      try {
        await sidebar(page, wb);
        // A board without this model, so the deploy changes what it loads.
        mkdirSync(driveOf(server), { recursive: true });
        for (const name of readdirSync(driveOf(server))) if (name !== 'boot_out.txt') rmSync(join(driveOf(server), name), { recursive: true, force: true });
        await step('deploy story-1k from the palette', async () => {
          await wb.runCommand(page, 'Picoformer: Deploy Model to Pico');
          await wb.waitForQuickInput(page, /Deploy Model to Pico/);
          await wb.pickQuickItem(page, /\bstory-1k\b/, { filter: 'story-1k' });
          await wb.waitForNotification(page, /Deployed story-1k\.safetensors to the virtual Pico and verified it/, { timeoutMs: 30_000 });
        });
        await step('the gauge: the model, its estimate, and the live free heap the board reported', async () => {
          const item = await wb.until(page, () => gauge(wb, page), (g) => /^story-1k \d+% · [\d.]+ KB left · live [\d.]+ KB free$/.test(g?.text ?? ''), {
            what: 'the gauge with the board\'s live heap (no generation was run)',
            timeoutMs: 30_000,
          });
          console.log(`    gauge after the deploy: ${item.text}`);
          await shot('messages-1-gauge-after-deploy');
        });
      } finally {
        saveExtensionLog(server, 'messages-gauge-after-deploy');
      }
    },
  },
  {
    name: 'the virtual Pico says it runs MicroPython in WebAssembly, and is not told to check cables',
    async run({ page, wb, shot, server }) {
      try {
        await sidebar(page, wb);
        await wb.expandTreeRow(page, 'Devices', 'Virtual Pico', { level: 1 });
        const rows = await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'MicroPython'), {
          what: 'the virtual Pico\'s firmware row',
          timeoutMs: 20_000,
        });
        const firmware = rows.find((r) => r.label === 'MicroPython');
        assert.equal(firmware.description, '1.27.0');
        assert.ok(!rows.some((r) => r.level === 2 && r.label === 'CircuitPython'), `no CircuitPython row for it: ${JSON.stringify(rows.map((r) => r.label))}`);
        const pico = rows.find((r) => r.label === 'Virtual Pico');
        assert.doesNotMatch(pico.ariaLabel, /cable|dialout|CircuitPython 9/i);
        await shot('messages-2-virtual-pico-identity');
      } finally {
        saveExtensionLog(server, 'messages-virtual-pico-identity');
      }
    },
  },
  {
    name: 'a model file that cannot be used keeps the Studio\'s model and says why; a valid choice clears the note',
    async run({ page, wb, shot, server, workspace }) {
      const broken = join(workspace, 'models', 'broken-8k.safetensors');
      try {
        writeFileSync(broken, 'this is not a model');
        await sidebar(page, wb);
        const frame = await studioWith(page, wb, 'story-1k');
        await wb.until(page, () => frame.locator('.model-name').innerText(), (name) => name === 'story-1k.safetensors', { what: 'story-1k in the Studio' });
        await chooseInStudio(page, wb, frame, 'broken-8k');
        const note = await wb.until(page, () => frame.locator('.model-error').innerText().catch(() => ''), (text) => text !== '', { what: 'the note about the broken file' });
        assert.match(note, /^broken-8k\.safetensors cannot be used: .+\. story-1k\.safetensors is still the Studio's model\.$/);
        assert.equal(await frame.locator('.model-name').innerText(), 'story-1k.safetensors', 'the current model stays');
        assert.ok(await frame.locator('.heap-bar').isVisible(), 'with its estimate');
        await frame.locator('.model-error').scrollIntoViewIfNeeded();
        await shot('messages-3-broken-model-refused');
        await chooseInStudio(page, wb, frame, 'story-8k');
        await wb.until(page, () => frame.locator('.model-name').innerText(), (name) => name === 'story-8k.safetensors', { what: 'story-8k in the Studio' });
        assert.equal(await frame.locator('.model-error').count(), 0, 'the stale note is gone');
      } finally {
        rmSync(broken, { force: true }); // the other tests count the workspace's models
        saveExtensionLog(server, 'messages-broken-model');
      }
    },
  },
  {
    name: 'a model that does not fit, not on the board: Generate says it cannot be deployed there and offers another model, not Deploy now',
    timeoutMs: 120_000,
    async run({ page, wb, shot, server }) {
      try {
        await sidebar(page, wb);
        const frame = await studioWith(page, wb, 'random-100k');
        await wb.until(page, () => frame.locator('.model-name').innerText(), (name) => name === 'random-100k.safetensors', { what: 'random-100k in the Studio' });
        const readError = () =>
          frame.evaluate(() => ({
            error: [...document.querySelectorAll('.generation-section .run-error .error')].map((e) => e.textContent).join(' '),
            buttons: [...document.querySelectorAll('.generation-section .run-error vscode-button')].map((b) => b.textContent.trim()),
          }));
        await frame.click('#gen-generate');
        // Before, it said "not on the virtual Pico yet: deploy it" with Deploy now, and the deploy was refused.
        const shown = await wb.until(page, readError, (r) => r.error !== '', { what: 'the run\'s error', timeoutMs: 30_000 });
        assert.match(shown.error, /random-100k\.safetensors is not on the virtual Pico, and it cannot be deployed there: it does not fit on Raspberry Pi Pico .*Choose a smaller model\./);
        assert.deepEqual(shown.buttons, ['Choose another model']);
        await frame.locator('.generation-section .run-error').scrollIntoViewIfNeeded();
        await shot('messages-5-does-not-fit-no-deploy');
        await frame.locator('.generation-section .run-error vscode-button', { hasText: 'Choose another model' }).click();
        await wb.waitForQuickInput(page, /choose a model/);
        await wb.pickQuickItem(page, /^story-1k\.safetensors/, { filter: 'story-1k' });
        await wb.until(page, () => frame.locator('.model-name').innerText(), (name) => name === 'story-1k.safetensors', { what: 'story-1k chosen from the error' });
      } finally {
        saveExtensionLog(server, 'messages-does-not-fit');
      }
    },
  },
  {
    name: 'what-if: an invalid value says why next to its field; the figures say which choice they are for',
    async run({ page, wb, shot, server }) {
      try {
        await sidebar(page, wb);
        const frame = await studioWith(page, wb, 'story-8k');
        await wb.until(page, () => frame.locator('.model-name').innerText(), (name) => name === 'story-8k.safetensors', { what: 'story-8k in the Studio' });
        const needs = await frame.locator('.needs').innerText();
        const kvCache = () => frame.locator('.legend li:has(.seg-kvCache) .figure').innerText();
        const kv = await kvCache();
        await frame.fill('#whatif-context input', '500');
        const hint = await wb.until(page, () => frame.locator('#whatif-context-hint').innerText(), (text) => text.startsWith('A whole number'), { what: 'the field saying why' });
        assert.equal(hint, "A whole number from 1 to 64 (the model's context)");
        assert.match(await frame.locator('.stale-note').innerText(), /^The figures below are for the last valid choice \(context 64\)/);
        assert.equal(await frame.locator('.needs').innerText(), needs, 'the figures stay those of the last valid choice');
        assert.equal(await kvCache(), kv);
        const board = await frame.locator('#whatif-board').evaluate((el) => {
          const text = el.shadowRoot?.querySelector('.select-face .text');
          return text ? { shown: text.textContent, cut: text.scrollWidth > text.clientWidth } : null;
        });
        assert.equal(board?.cut, false, `the board's name is cut off: ${board?.shown}`);
        await frame.locator('.whatif').scrollIntoViewIfNeeded();
        await shot('messages-4-whatif-invalid');
        await frame.fill('#whatif-context input', '32');
        await wb.until(page, () => frame.locator('.stale-note').isHidden(), (hidden) => hidden, { what: 'the note gone once the value is valid' });
        await wb.until(page, kvCache, (text) => text !== kv, { what: 'the figures following the valid value (a shorter KV cache)' });
      } finally {
        saveExtensionLog(server, 'messages-whatif');
      }
    },
  },
];
