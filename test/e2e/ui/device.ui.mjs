// Device basics and onboarding (issue 11), in the browser on the packaged extension: the side bar at its default
// width (zone words whole, no temporary path on the virtual Pico's rows), the status bar's connection item, the
// serial console on the virtual Pico (human mode, Ctrl-C, Ctrl-D, the extension's traffic and the hand-over), Reset
// Board, the context menus, the Board Files tree, the welcome views and the walkthrough. Screenshots: device-*.png.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveExtensionLog } from '../lib/logs.mjs';
import { ZoneWords, isModelRow, modelRowFacts, modelRowLabelPattern } from '../lib/modelRows.mjs';
import { step } from '../lib/step.mjs';

/** The virtual Pico's drive folder of this code-server (the extension's global storage). */
const virtualDrive = (server) => join(server.dir, 'user', 'User', 'globalStorage', 'picoformer.picoformer', 'virtual-pico', 'CIRCUITPY');

/** What the active terminal shows now (its rendered rows). */
async function terminalText(page) {
  const rows = page.locator('.terminal-wrapper.active .xterm-rows');
  if ((await rows.count()) === 0) return '';
  return (await rows.first().innerText()).replace(/\u00a0/g, ' ');
}

function waitForTerminal(page, wb, pattern, what, timeoutMs = 30_000) {
  return wb.until(page, () => terminalText(page), (text) => pattern.test(text), { what, timeoutMs });
}

/** Right-clicks the first row labelled `label` (a string, or a RegExp its label matches) in `view` and returns the
 *  menu's entries (the menu stays open). */
async function contextMenu(page, wb, view, label, { level } = {}) {
  const pane = await wb.viewPane(page, view);
  const pattern = label instanceof RegExp ? label : new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const rows = pane.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: pattern }) });
  const row = (level === undefined ? rows : rows.and(page.locator(`[aria-level="${level}"]`))).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ state: 'visible', timeout: 10_000 });
  return (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

/** Clicks a context menu entry; a click that lands while the menu is still settling is tried again. */
async function clickMenuItem(page, title) {
  const menu = page.locator('.context-view .monaco-menu');
  for (let attempt = 0; attempt < 3; attempt++) {
    const item = menu.locator('.action-item', { has: page.locator('.action-label', { hasText: title }) }).first();
    await item.hover();
    await item.click();
    if (await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false)) return;
  }
  throw new Error(`the context menu entry "${title}" does not take a click`);
}

/** Waits until the virtual Pico's runtime runs (the Devices view's State row). */
async function virtualPicoAttached(page, wb, timeoutMs = 45_000) {
  await wb.expandTreeRow(page, 'Devices', 'Virtual Pico', { level: 1 });
  await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'State' && r.description === 'running (attached)'), {
    what: 'the virtual Pico\'s state "running (attached)"',
    timeoutMs,
  });
}

/** The runtime on the virtual Pico (a fresh drive has none): Deploy Runtime to Pico, then its runtime running. */
async function withRuntime(page, wb) {
  await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'Virtual Pico' && /^virtual · running/.test(r.description)), { what: 'the virtual Pico running', timeoutMs: 30_000 });
  await wb.runCommand(page, 'Picoformer: Deploy Runtime to Pico');
  await wb.waitForNotification(page, /the runtime on the virtual Pico (updated|was already up to date)/, { timeoutMs: 30_000 });
  await virtualPicoAttached(page, wb);
}

/**
 * Where the zone word of each Models row ends, against where the row's text is clipped: for every row whose text
 * (label and description) holds a zone word, { text, zone, right, limit }. The word is measured as rendered (a Range
 * over its characters), the limit is the right edge of the box that clips the row's text (its overflow is hidden),
 * less the few pixels an ellipsis takes, or of the row or the view if either ends first.
 */
async function zoneWordExtents(page, wb) {
  const pane = await wb.viewPane(page, 'Models');
  const measured = await pane.locator('.pane-body .monaco-list-row').evaluateAll((els, zones) =>
    els.map((el) => {
      const box = el.querySelector('.monaco-icon-label-container');
      if (!box) return null;
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const found = zones.map((zone) => ({ zone, at: text.indexOf(zone) })).filter((z) => z.at >= 0).sort((a, b) => a.at - b.at)[0];
        if (!found) continue;
        const range = document.createRange();
        range.setStart(node, found.at);
        range.setEnd(node, found.at + found.zone.length);
        const word = range.getBoundingClientRect();
        const clip = Math.min(box.getBoundingClientRect().right, el.getBoundingClientRect().right, el.closest('.pane-body').getBoundingClientRect().right);
        return { text: box.textContent, zone: found.zone, right: Math.round(word.right), limit: Math.round(clip) - 12 };
      }
      return null;
    }),
  ZoneWords);
  return measured.filter(Boolean);
}

/** Folds the side-bar view `name` if it is open; returns what opens it again. */
async function foldView(page, wb, name) {
  const header = (await wb.viewPane(page, name)).locator(wb.Ui.paneHeader);
  await header.click();
  await wb.until(page, () => header.getAttribute('aria-expanded'), (expanded) => expanded === 'false', { what: `the ${name} view folded` });
  return () => wb.viewPane(page, name);
}

/** The connection item's status bar entry. */
async function connectionItem(page, wb) {
  return (await wb.statusBarItems(page)).find((item) => item.id.endsWith('picoformer.connection'));
}

export const tests = [
  {
    name: 'the side bar at its default width: zone words whole, no temporary path on the virtual Pico, the connection item',
    timeoutMs: 120_000,
    async run({ page, wb, shot }) {
      await wb.openViewContainer(page, 'Picoformer');
      const width = Math.round((await page.locator(wb.Ui.sidebar).boundingBox()).width);
      await step('every model row with its zone', () =>
        wb.until(page, () => wb.treeItems(page, 'Models'), (rs) => rs.filter((r) => r.level === 1 && modelRowFacts(r)).length >= 8, {
          what: 'the sample models, each with its zone first',
          timeoutMs: 30_000,
        }),
      );
      await step('no zone word is cut off', async () => {
        const zoned = await zoneWordExtents(page, wb);
        assert.ok(zoned.length >= 8, `zone words found in ${zoned.length} rows`);
        const cut = zoned.filter((m) => m.right > m.limit);
        assert.deepEqual(cut, [], `zone words cut off in a ${width} px side bar`);
        console.log(`    ${zoned.length} zone words whole in a ${width} px side bar`);
      });
      await step('the virtual Pico rows show no temporary path', async () => {
        const devices = await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'Virtual Pico' && /^virtual · running/.test(r.description)), {
          what: 'the virtual Pico running (it starts on open here)',
          timeoutMs: 30_000,
        });
        const models = await wb.until(page, () => wb.treeItems(page, 'Models'), (rs) => rs.some((r) => r.level === 1 && r.label === 'Virtual Pico'), { what: 'its models node' });
        for (const row of [...devices, ...models].filter((r) => r.label === 'Virtual Pico')) {
          assert.doesNotMatch(row.description, /\/|\\|tmp|globalStorage/, `a path on the virtual Pico's row: ${row.description}`);
        }
        const toasts = await wb.notificationTexts(page);
        assert.ok(!toasts.some((t) => /virtual Pico/i.test(t)), `a toast for the virtual Pico started on open, as expected: ${JSON.stringify(toasts)}`);
        const quiet = devices.find((r) => r.label === 'No physical board');
        if (quiet) assert.equal(quiet.icon, 'info', 'no physical board is said quietly, not as an error');
        assert.ok(!devices.some((r) => r.label.startsWith('No Pico found') || r.icon === 'error'), `a red row while the virtual Pico runs: ${JSON.stringify(devices)}`);
      });
      await step('the connection item says which board and whether it is connected; a click picks a board', async () => {
        const item = await wb.until(page, () => connectionItem(page, wb), (i) => /Virtual Pico: (running|connected)/.test(i?.text ?? ''), { what: 'the connection item' });
        assert.match(item.ariaLabel, /Picoformer board: Virtual Pico, (running|connected)/);
        await shot('device-1-sidebar-default-width');
        await page.locator(`[id="${item.id}"]`).click();
        await wb.waitForQuickInput(page, /Select Serial Port/);
        const picks = await wb.quickPickLabels(page, { atLeast: 3 });
        assert.ok(picks.some((p) => /Virtual Pico/.test(p)) && picks.some((p) => /Enter a port path/.test(p)), JSON.stringify(picks));
        await shot('device-2-connection-pick');
        await wb.closePalette(page);
      });
    },
  },
  {
    name: 'a 40-character file name keeps its zone word whole at the default width, in the workspace and as the board\'s default',
    timeoutMs: 120_000,
    async run({ page, wb, shot, server, workspace }) {
      // A long zone word ("Does not fit", random-100k: no sample is in the test zone since the estimator's refit)
      // behind a 47-character name; on the board, "default" too.
      const longName = 'random-100k-finetuned-on-bedtime-stories-v2-fin';
      const boardName = 'story-8k-finetuned-on-bedtime-stories-v2-final';
      const workspaceFile = join(workspace, 'models', `${longName}.safetensors`);
      const drive = virtualDrive(server);
      const boardFile = join(drive, 'models', `${boardName}.safetensors`);
      const settingsFile = join(drive, 'picoformer.json');
      const settingsBefore = existsSync(settingsFile) ? readFileSync(settingsFile) : null;
      const folded = [];
      try {
        await wb.openViewContainer(page, 'Picoformer');
        const width = Math.round((await page.locator(wb.Ui.sidebar).boundingBox()).width);
        await wb.until(page, () => wb.treeItems(page, 'Models'), (rs) => rs.some((r) => r.level === 1 && r.label === 'Virtual Pico'), { what: 'the virtual Pico\'s models node', timeoutMs: 30_000 });
        // The other views folded, the Models view shows every row at once (a list renders only the rows in sight).
        for (const view of ['Devices', 'Board Files']) folded.push(await foldView(page, wb, view));
        copyFileSync(join(workspace, 'models', 'random-100k.safetensors'), workspaceFile);
        mkdirSync(join(drive, 'models'), { recursive: true });
        copyFileSync(join(workspace, 'models', 'story-8k.safetensors'), boardFile);
        writeFileSync(settingsFile, `${JSON.stringify({ model: `/models/${boardName}.safetensors` })}\n`);
        const rows = await step('both long names listed', () =>
          wb.until(page, () => wb.treeItems(page, 'Models'), (rs) => rs.some((r) => r.level === 1 && isModelRow(r, longName)) && rs.some((r) => r.level === 2 && isModelRow(r, boardName) && modelRowFacts(r).isDefault), {
            what: `${longName} in the workspace and ${boardName} as the board's default`,
            timeoutMs: 30_000,
          }),
        );
        await shot('device-1b-long-file-names');
        await step('their zone words whole', async () => {
          const zoned = await zoneWordExtents(page, wb);
          const long = zoned.filter((m) => m.text.includes(longName) || m.text.includes(boardName));
          assert.equal(long.length, 2, `the zone word of each long-named row: ${JSON.stringify(rows.filter((r) => r.label.includes('finetuned')))}`);
          const cut = zoned.filter((m) => m.right > m.limit);
          assert.deepEqual(cut, [], `zone words cut off in a ${width} px side bar`);
          console.log(`    ${zoned.length} zone words whole in a ${width} px side bar, ${long.map((m) => `"${m.zone}" ends at ${m.right} of ${m.limit} px`).join(', ')}`);
        });
        await step('the keyboard: the tree\'s Find matches the name inside the label, Enter selects the row, the gauge follows', async () => {
          // Type-ahead (typing straight into the tree) matches a label's start, now the zone word; Find matches anywhere.
          const pane = await wb.viewPane(page, 'Models');
          // The widget's field is filled whole (keystrokes typed one by one were lost once when the view refreshed).
          const find = pane.locator('.monaco-tree-type-filter input, .monaco-findInput input').first();
          await wb.until(
            page,
            async () => {
              if (!(await find.isVisible())) {
                await pane.locator('.pane-body .monaco-list-row[data-index="0"]').click();
                await page.keyboard.press('Control+Alt+f');
                await find.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => {});
              }
              await find.fill('random-100k-fine', { timeout: 2_000 }).catch(() => {});
              return pane.locator('.pane-body .monaco-list-row.focused .label-name').allInnerTexts();
            },
            (names) => names.length === 1 && names[0].endsWith(longName),
            { what: `the ${longName} row found`, intervalMs: 500 },
          );
          await shot('device-1c-find-by-name');
          await page.keyboard.press('Escape');
          await page.keyboard.press('Enter');
          const selected = await wb.until(page, () => pane.locator('.pane-body .monaco-list-row[aria-selected="true"] .label-name').allInnerTexts(), (names) => names.length === 1 && names[0].endsWith(longName), {
            what: `the ${longName} row selected`,
          });
          const items = await wb.until(page, () => wb.statusBarItems(page), (all) => all.some((i) => i.id.endsWith('picoformer.memoryGauge') && i.ariaLabel.includes(`${longName}.safetensors`)), { what: 'the gauge on the selected model (the bar shortens a long name; its accessible label has it whole)' });
          console.log(`    found and selected "${selected[0]}"; the gauge reads "${items.find((i) => i.id.endsWith('picoformer.memoryGauge')).text}"`);
        });
      } finally {
        for (const unfold of folded) await unfold();
        rmSync(workspaceFile, { force: true });
        rmSync(boardFile, { force: true });
        if (settingsBefore) writeFileSync(settingsFile, settingsBefore);
        else rmSync(settingsFile, { force: true });
      }
    },
  },
  {
    name: 'the serial console on the virtual Pico: its context menu, human mode, Ctrl-C (one line), Ctrl-D, Reset Board',
    timeoutMs: 150_000,
    async run({ page, wb, shot, server }) {
      try {
        await wb.openViewContainer(page, 'Picoformer');
        await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'Virtual Pico' && /^virtual · running/.test(r.description)), { what: 'the virtual Pico running', timeoutMs: 30_000 });
        await step('the device row\'s context menu: the runtime, then the console', async () => {
          const items = await contextMenu(page, wb, 'Devices', 'Virtual Pico', { level: 1 });
          for (const title of ['Open Serial Console', 'Reset Board (Soft Reload)', 'Deploy Runtime to Pico', 'Open Drive']) {
            assert.ok(items.includes(title), `the Virtual Pico row's menu has no "${title}": ${JSON.stringify(items)}`);
          }
          await shot('device-3-device-menu');
          await clickMenuItem(page, 'Deploy Runtime to Pico');
          const note = await wb.waitForNotification(page, /the runtime on the virtual Pico (updated|was already up to date)/, { timeoutMs: 30_000 });
          assert.doesNotMatch(note, /globalStorage|\/tmp\//, 'the notification names the board, not its folder');
          await virtualPicoAttached(page, wb);
          await contextMenu(page, wb, 'Devices', 'Virtual Pico', { level: 1 });
          await clickMenuItem(page, 'Open Serial Console');
        });
        await step('the console opens, connected', async () => {
          await waitForTerminal(page, wb, /Picoformer serial console: Virtual Pico/, 'the console\'s banner');
          await waitForTerminal(page, wb, /Connected to Virtual Pico/, 'the console connected');
        });
        await step('human mode: /help', async () => {
          await page.locator('.terminal-wrapper.active .xterm-screen').click();
          await page.keyboard.type('/help');
          await page.keyboard.press('Enter');
          await waitForTerminal(page, wb, /\/load NAME/, 'the help text');
          await shot('device-4-console-help');
        });
        await step('Ctrl-C while idle: one line, no traceback, the REPL offered', async () => {
          await page.keyboard.press('Control+c');
          const text = await waitForTerminal(page, wb, /Press any key to enter the REPL/, 'the REPL offered');
          assert.match(text, /Picoformer stopped; Ctrl-D restarts it/);
          assert.doesNotMatch(text, /Traceback|KeyboardInterrupt/);
          await shot('device-5-console-ctrl-c');
        });
        await step('Ctrl-D restarts the runtime', async () => {
          await page.keyboard.press('Control+d');
          await waitForTerminal(page, wb, /soft reboot[\s\S]*← ready: picoformer/, 'the runtime starting again');
        });
        await step('Reset Board from the palette: a soft reload the console shows', async () => {
          await page.waitForTimeout(1_000); // the runtime's start-up (list, default model) ends
          await wb.runCommand(page, 'Terminal: Clear');
          await wb.until(page, () => terminalText(page), (t) => !/soft reboot/.test(t), { what: 'the terminal cleared' });
          await wb.runCommand(page, 'Picoformer: Reset Board (Soft Reload)');
          await waitForTerminal(page, wb, /soft reboot[\s\S]*← ready: picoformer/, 'the reset\'s soft reboot', 30_000);
          await wb.until(page, () => wb.statusBarTexts(page), (texts) => texts.some((t) => /Virtual Pico reset/.test(t)), { what: 'the reset\'s status bar message', timeoutMs: 10_000 }).catch(() => {});
          await shot('device-6-console-reset');
        });
      } finally {
        await saveExtensionLog(server, 'device-console');
      }
    },
  },
  {
    name: 'the console shows the extension\'s traffic; typing hands the board back; Load on Board says hello again',
    timeoutMs: 150_000,
    async run({ page, wb, shot, server, workspace }) {
      try {
        await step('a model on the virtual Pico', async () => {
          const models = join(virtualDrive(server), 'models');
          mkdirSync(models, { recursive: true });
          if (!existsSync(join(models, 'story-1k.safetensors'))) copyFileSync(join(workspace, 'models', 'story-1k.safetensors'), join(models, 'story-1k.safetensors'));
        });
        await wb.openViewContainer(page, 'Picoformer');
        await withRuntime(page, wb);
        await wb.runCommand(page, 'Picoformer: Open Serial Console');
        await waitForTerminal(page, wb, /Connected to Virtual Pico/, 'the console connected');
        await step('the board model\'s context menu: Load on Board', async () => {
          await wb.expandTreeRow(page, 'Models', 'Virtual Pico', { level: 1 });
          const items = await contextMenu(page, wb, 'Models', modelRowLabelPattern('story-1k'), { level: 2 });
          for (const title of ['Load on Board', 'Generate on Pico…', 'Delete from Board']) {
            assert.ok(items.includes(title), `the board model's menu has no "${title}": ${JSON.stringify(items)}`);
          }
          await shot('device-7-board-model-menu');
          await clickMenuItem(page, 'Load on Board');
        });
        await step('the console shows that traffic readably', async () => {
          const text = await waitForTerminal(page, wb, /← loaded story-1k\.safetensors/, 'the load in the console');
          assert.match(text, /→ hello/);
          assert.match(text, /→ load story-1k\.safetensors/);
          assert.doesNotMatch(text, /@pf \{/, 'no raw protocol line');
          await shot('device-8-console-host-traffic');
        });
        await step('typing hands the board back (bye)', async () => {
          await page.locator('.terminal-wrapper.active .xterm-screen').click();
          await page.keyboard.type('/mem');
          await page.keyboard.press('Enter');
          const text = await waitForTerminal(page, wb, /Human mode[\s\S]*free/, 'human mode and the heap');
          assert.match(text, /The board is yours/);
          assert.match(text, /→ bye/);
          assert.match(text, /^\/mem\s*$/m, 'what was typed is echoed whole (the first key waits for the runtime to be in human mode)');
        });
        await step('the extension says hello again when it next needs the board', async () => {
          await wb.expandTreeRow(page, 'Models', 'Virtual Pico', { level: 1 });
          await contextMenu(page, wb, 'Models', modelRowLabelPattern('story-1k'), { level: 2 });
          await clickMenuItem(page, 'Load on Board');
          await waitForTerminal(page, wb, /The board is yours[\s\S]*→ hello[\s\S]*→ load story-1k\.safetensors[\s\S]*← loaded/, 'a second hello and load after the hand-over');
          await shot('device-9-console-hello-again');
        });
      } finally {
        await saveExtensionLog(server, 'device-handover');
      }
    },
  },
  {
    name: 'Board Files: the drive\'s files with sizes and free space; open a file; delete one after a confirmation',
    timeoutMs: 120_000,
    async run({ page, wb, shot, server }) {
      const scratch = join(virtualDrive(server), 'scratch.txt');
      await wb.openViewContainer(page, 'Picoformer');
      await withRuntime(page, wb);
      writeFileSync(scratch, 'made by the UI test\n');
      const rows = await step('the tree', () =>
        wb.until(page, () => wb.treeItems(page, 'Board Files'), (rs) => rs.some((r) => r.level === 1 && r.label === 'Virtual Pico') && rs.some((r) => r.label === 'code.py'), {
          what: 'the virtual Pico\'s drive with code.py',
          timeoutMs: 30_000,
        }),
      );
      const drive = rows.find((r) => r.level === 1 && r.label === 'Virtual Pico');
      assert.match(drive.description, /^[\d.]+ (B|KB|MB) in use$/, 'the virtual drive says what its files take (its folder\'s free space is this computer\'s)');
      assert.match(rows.find((r) => r.label === 'code.py').description, /^\d+ B$/);
      assert.ok(rows.some((r) => r.label === 'lib' && r.expanded === false), 'folders are listed, collapsed');
      await step('click a file: it opens', async () => {
        const pane = await wb.viewPane(page, 'Board Files');
        await pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^code\.py$/ }) }).first().click();
        await page.locator('.tabs-container .tab', { hasText: 'code.py' }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await shot('device-10-board-files');
      });
      await step('delete: asked first, then gone', async () => {
        await wb.runCommand(page, 'Picoformer: Refresh Devices');
        await wb.until(page, () => wb.treeItems(page, 'Board Files'), (rs) => rs.some((r) => r.label === 'scratch.txt'), { what: 'scratch.txt listed' });
        const items = await contextMenu(page, wb, 'Board Files', 'scratch.txt');
        assert.ok(items.includes('Delete from Board…'), JSON.stringify(items));
        await clickMenuItem(page, 'Delete from Board…');
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.waitFor({ state: 'visible', timeout: 10_000 });
        assert.match(await dialog.innerText(), /Delete \/scratch\.txt from the board\?/);
        await shot('device-11-delete-confirm');
        await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).click();
        await wb.until(page, () => wb.treeItems(page, 'Board Files'), (rs) => !rs.some((r) => r.label === 'scratch.txt'), { what: 'scratch.txt gone from the tree' });
        assert.equal(existsSync(scratch), false, 'the file is deleted from the drive');
      }).finally(() => saveExtensionLog(server, 'device-board-files'));
    },
  },
  {
    name: 'a workspace without models: welcome views say so (after looking), and the walkthrough starts the virtual Pico',
    timeoutMs: 120_000,
    async run({ page, wb, shot, server }) {
      const empty = mkdtempSync(join(tmpdir(), 'picoformer-empty-'));
      try {
        await wb.openWorkbench(page, `${server.url}?folder=${encodeURIComponent(empty)}`);
        await wb.openViewContainer(page, 'Picoformer');
        await step('Models: "no models" with its buttons, once it has looked', async () => {
          const text = await wb.until(page, () => wb.viewWelcomeText(page, 'Models'), (t) => /No models in this workspace yet/.test(t), { what: 'the Models welcome', timeoutMs: 30_000 });
          assert.match(text, /Train Tiny Model…/);
          assert.match(text, /Get Started/);
        });
        await step('Devices: "No Pico found" with what to do', async () => {
          const text = await wb.until(page, () => wb.viewWelcomeText(page, 'Devices'), (t) => /No Pico found/.test(t), { what: 'the Devices welcome', timeoutMs: 30_000 });
          assert.match(text, /Start Virtual Pico/);
          assert.match(text, /Install CircuitPython on a Pico…/);
          await shot('device-12-welcome-views');
        });
        await step('Get Started opens the walkthrough', async () => {
          await wb.runCommand(page, 'Picoformer: Get Started');
          const container = page.locator('.gettingStartedContainer, .getting-started-container').first();
          await container.waitFor({ state: 'visible', timeout: 20_000 });
          await wb.until(page, () => container.innerText(), (t) => /Get started with Picoformer/.test(t) && /Start the virtual Pico/.test(t), { what: 'the walkthrough and its first step' });
          const text = await container.innerText();
          for (const title of ['Start the virtual Pico', 'Deploy a sample model', 'Generate text', 'Train on your own text', 'Connect a real Pico']) {
            assert.ok(text.includes(title), `the walkthrough has no step "${title}"`);
          }
          // The selected step's media: its Markdown page (media/walkthrough/), rendered in a webview.
          await wb.webviewFrame(page, 'h1', { text: /A Pico on this computer/, timeoutMs: 20_000 });
          await shot('device-13-walkthrough');
        });
        await step('its first step starts the virtual Pico and is checked', async () => {
          // The first step is open already (the walkthrough opens on it): its button, once.
          const stepButton = page.locator('.getting-started-step', { hasText: 'Start the virtual Pico' }).first();
          const start = stepButton.locator('.monaco-button', { hasText: 'Start Virtual Pico' }).first();
          await start.waitFor({ state: 'visible', timeout: 10_000 });
          await start.click();
          await wb.until(page, () => stepButton.evaluate((el) => el.classList.contains('complete') || el.querySelector('.codicon-getting-started-step-checked') !== null), (done) => done, {
            what: 'the first step checked',
            timeoutMs: 30_000,
          });
          // Its progress toast lasts until the virtual Pico has booted (the command then says so in the status bar),
          // then goes (VS Code shows a progress toast for at least 800 ms); nothing else is said.
          await wb.until(page, () => wb.statusBarTexts(page), (texts) => texts.some((t) => /the virtual Pico is running/.test(t)), { what: 'the start finished', timeoutMs: 30_000 });
          await wb.until(page, () => wb.notificationTexts(page), (texts) => !texts.some((t) => /Starting the virtual Pico/.test(t)), { what: 'the start toast gone', timeoutMs: 10_000 });
          const booted = await wb.until(page, () => connectionItem(page, wb), (i) => /Virtual Pico: (running|connected)/.test(i?.text ?? ''), { what: 'the connection item on the virtual Pico' });
          assert.ok(booted);
          assert.ok(!(await wb.notificationTexts(page)).some((t) => /virtual Pico/i.test(t)), 'no toast once it runs as expected');
          await wb.openViewContainer(page, 'Picoformer');
          await wb.until(page, () => wb.treeItems(page, 'Devices'), (rs) => rs.some((r) => r.label === 'Virtual Pico' && /^virtual · running/.test(r.description)), { what: 'the virtual Pico running', timeoutMs: 30_000 });
          assert.equal(await wb.viewWelcomeText(page, 'Devices'), '', 'the Devices welcome gives way to the rows');
          await shot('device-14-walkthrough-started');
        });
        await wb.runCommand(page, 'Picoformer: Stop Virtual Pico');
      } finally {
        await saveExtensionLog(server, 'device-walkthrough');
        rmSync(empty, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'the sample workspace never claims it has no models while it is still looking',
    timeoutMs: 90_000,
    async run({ page, wb }) {
      // A fresh window: watch the Models view from the first moment until the models are listed.
      await wb.openViewContainer(page, 'Picoformer');
      const seen = new Set();
      await wb.until(
        page,
        async () => {
          const welcome = await wb.viewWelcomeText(page, 'Models').catch(() => '');
          if (welcome) seen.add(welcome.split('\n')[0]);
          return (await wb.treeItems(page, 'Models')).filter((r) => r.level === 1).length;
        },
        (n) => n >= 8,
        { what: 'the sample models listed', timeoutMs: 60_000, intervalMs: 50 },
      );
      console.log(`    welcome texts seen before the list: ${JSON.stringify([...seen])}`);
      assert.ok(![...seen].some((t) => /No models in this workspace/.test(t)), `said "no models" while looking: ${JSON.stringify([...seen])}`);
    },
  },
];
