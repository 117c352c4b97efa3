// Small helpers that drive the VS Code workbench in a Playwright page: open it, use the command palette, read
// views, tree rows and notifications, take screenshots, and reach a webview's inner frame.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir } from './paths.mjs';

export const Ui = {
  workbench: '.monaco-workbench',
  paletteInput: '.quick-input-widget .quick-input-box input',
  paletteRows: '.quick-input-widget .quick-input-list .monaco-list-row',
  paletteRowLabel: '.quick-input-widget .quick-input-list .monaco-list-row .label-name',
  notification: '.notifications-toasts .notification-list-item',
  notificationMessage: '.notification-list-item-message',
  paneHeader: '.pane-header',
  sidebar: '#workbench\\.parts\\.sidebar',
};

/** Opens the workbench at `url` and waits until it is ready for input (the extension host has started). */
export async function openWorkbench(page, url, { timeoutMs = 60_000 } = {}) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.waitForSelector(Ui.workbench, { timeout: timeoutMs });
  // The status bar fills in once the workbench has restored; the explorer shows the folder once it is open.
  await page.waitForSelector('.statusbar-item', { timeout: timeoutMs });
  await page.waitForTimeout(500);
}

/**
 * Opens the command palette (F1) with `text` typed after the `>` prefix; returns the visible row labels.
 * With `expect` (a row label), it reopens the palette until that row is listed or `timeoutMs` passes: right after
 * the workbench opens, extension commands may not be known yet and the palette does not refresh by itself.
 * The palette is left open.
 */
export async function openPalette(page, text = '', { expect, timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator(Ui.paletteInput);
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    if (!(await becomesUsable(input))) {
      // The quick input sets `inert` while its close animation runs; once (CI) it stayed inert when reopened at
      // that moment, and every keystroke went nowhere for 30 s. Close it, let the animation finish, open it again.
      if (Date.now() > deadline) throw new Error('the command palette opens but stays inert (it takes no input)');
      await closePalette(page);
      await page.waitForTimeout(500);
      continue;
    }
    await input.fill(`>${text}`, { timeout: 10_000 });
    await page.waitForTimeout(300);
    const labels = await paletteLabels(page);
    if (expect === undefined || labels.includes(expect) || Date.now() > deadline) return labels;
    await closePalette(page);
    await page.waitForTimeout(1000);
  }
}

/** Whether `input` is outside any `inert` subtree within `timeoutMs` (it takes keystrokes). */
async function becomesUsable(input, timeoutMs = 2_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inert = await input.evaluate((el) => el.closest('[inert]') !== null).catch(() => true);
    if (!inert) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The labels of the rows the palette shows now (the commands' titles). */
export async function paletteLabels(page) {
  const rows = page.locator(Ui.paletteRows);
  await rows.first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
  // A command run before in this window is announced as "<title>, recently used".
  return rows.evaluateAll((els) => els.map((el) => (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/, recently used$/, '')));
}

/** Closes the palette (or any quick input). */
export async function closePalette(page) {
  await page.keyboard.press('Escape');
  await page.locator(Ui.paletteInput).waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

/** Runs a palette command by its full title (e.g. "Picoformer: Deploy Model to Pico"). */
export async function runCommand(page, title, { timeoutMs = 30_000 } = {}) {
  const labels = await openPalette(page, title, { expect: title, timeoutMs });
  if (!labels.includes(title)) throw new Error(`the palette has no "${title}"; it lists ${JSON.stringify(labels)}`);
  const row = page.locator(Ui.paletteRows).filter({ has: page.locator('.label-name', { hasText: exactText(title) }) });
  await clickQuickRow(page, row.first());
}

/**
 * Clicks a quick pick row. The pointer stays where the previous pick was clicked, so a row of the next pick under it
 * shows its tooltip, which can cover the row to click (seen in CI): park the pointer over the editor area, wait for
 * the tooltip to go, and try again if something still intercepts the click.
 */
async function clickQuickRow(page, row, { attempts = 4 } = {}) {
  for (let attempt = 1; ; attempt++) {
    const size = page.viewportSize() ?? { width: 1280, height: 800 };
    await page.mouse.move(size.width - 24, Math.round(size.height * 0.75));
    await page.locator('.context-view .monaco-hover').first().waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => {});
    try {
      await row.click({ timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** Waits for a quick pick (opened by a command) to list rows; returns their labels. */
export async function quickPickLabels(page, { atLeast = 1, timeoutMs = 15_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let labels = [];
  do {
    if (await page.locator(Ui.paletteInput).isVisible()) {
      labels = await page.locator(Ui.paletteRows).evaluateAll((els) => els.map((el) => (el.getAttribute('aria-label') ?? el.textContent ?? '').trim()));
      if (labels.length >= atLeast) break;
    }
    await page.waitForTimeout(250);
  } while (Date.now() < deadline);
  return labels;
}

function exactText(title) {
  return new RegExp(`^\\s*${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/**
 * Clicks an activity-bar entry (its tooltip/aria-label starts with `title`) and waits for its side bar. An entry
 * that is already shown is left alone (a second click would hide the side bar).
 */
export async function openViewContainer(page, title) {
  const item = page.locator(`.activitybar .action-item a[aria-label^="${title}"], .activitybar .action-item [aria-label^="${title}"]`).first();
  await item.waitFor({ state: 'visible', timeout: 15_000 });
  const shown = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
  if (!shown || !(await page.locator(Ui.sidebar).isVisible())) await item.click();
  await page.locator(Ui.sidebar).waitFor({ state: 'visible', timeout: 10_000 });
}

/** Drags the sash at the side bar's right edge so that the side bar is `width` pixels wide (long rows show whole). */
export async function setSidebarWidth(page, width) {
  const sidebar = await page.locator(Ui.sidebar).boundingBox();
  if (!sidebar) throw new Error('the side bar is not shown');
  const edge = sidebar.x + sidebar.width;
  const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2, height: r.height })));
  const sash = sashes.filter((r) => Math.abs(r.x - edge) <= 4 && r.height > sidebar.height / 2)[0];
  if (!sash) throw new Error(`no sash at the side bar's edge (x ${edge})`);
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(sidebar.x + width, sash.y, { steps: 5 });
  await page.mouse.up();
}

/** The side-bar pane (view) whose header title is `name` (e.g. "Models"). Expanded if it was collapsed. */
export async function viewPane(page, name) {
  const pane = page.locator(`${Ui.sidebar} .pane`).filter({ has: page.locator(`${Ui.paneHeader} h3.title`, { hasText: exactText(name) }) });
  await pane.first().waitFor({ state: 'visible', timeout: 15_000 });
  const header = pane.first().locator(Ui.paneHeader);
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane.first();
}

/** The labels of a tree view's rows (waits up to `timeoutMs` for at least `atLeast` of them). */
export async function treeRows(page, viewName, { atLeast = 1, timeoutMs = 15_000 } = {}) {
  const pane = await viewPane(page, viewName);
  const rows = pane.locator('.pane-body .monaco-list-row');
  const deadline = Date.now() + timeoutMs;
  let labels = [];
  do {
    labels = await rows.evaluateAll((els) => els.map((el) => (el.querySelector('.label-name')?.textContent ?? el.textContent ?? '').trim()));
    if (labels.length >= atLeast) break;
    await page.waitForTimeout(250);
  } while (Date.now() < deadline);
  return labels;
}

/** The text of a view's welcome content (shown when its tree is empty), or '' when it has none. */
export async function viewWelcomeText(page, viewName) {
  const pane = await viewPane(page, viewName);
  const welcome = pane.locator('.welcome-view-content');
  if ((await welcome.count()) === 0) return '';
  return (await welcome.first().innerText()).trim();
}

/** Waits for a notification toast whose message matches `pattern`; returns its text. */
export async function waitForNotification(page, pattern, { timeoutMs = 10_000 } = {}) {
  const toast = page.locator(Ui.notification).filter({ has: page.locator(Ui.notificationMessage, { hasText: pattern }) });
  await toast.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.first().locator(Ui.notificationMessage).innerText()).trim();
}

/** The texts of the notification toasts shown now. */
export async function notificationTexts(page) {
  return page.locator(`${Ui.notification} ${Ui.notificationMessage}`).allInnerTexts();
}

/** The texts of the status bar items shown now. */
export async function statusBarTexts(page) {
  return page.locator('.statusbar-item').allInnerTexts();
}

/** Saves a full-window screenshot as test/e2e/artifacts/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * The inner frame of a webview (panel or view) whose document has an element matching `selector` (with `text`, a
 * RegExp, its text must match too). VS Code nests a webview's content two iframes deep; its DOM can be read and
 * clicked through the returned Playwright Frame.
 */
export async function webviewFrame(page, selector, { timeoutMs = 15_000, text } = {}) {
  const deadline = Date.now() + timeoutMs;
  const pattern = text ? { source: text.source, flags: text.flags } : null;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        const found = await frame.$$eval(
          selector,
          (els, p) => els.some((el) => !p || new RegExp(p.source, p.flags).test(el.textContent ?? '')),
          pattern,
        );
        if (found) return frame;
      } catch {
        // the frame navigated or went away while we looked
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame with ${selector}${text ? ` matching ${text}` : ''} within ${timeoutMs / 1000} s`);
}

/**
 * Reads `read()` until `accept(value)` holds, and returns that value; after `timeoutMs` it throws, naming `what` and
 * the last value read, so a failure says what the UI showed instead. For conditions no single selector expresses.
 */
export async function until(page, read, accept, { timeoutMs = 15_000, intervalMs = 250, what = 'the condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await read();
      if (accept(last)) return last;
    } catch (err) {
      last = `(error: ${err?.message ?? err})`;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs / 1000} s; last seen: ${JSON.stringify(last)}`);
    await page.waitForTimeout(intervalMs);
  }
}

/**
 * The rows a tree view shows now, top to bottom: { label, description, ariaLabel, icon (codicon id, e.g. "pass"),
 * iconColor (the icon's computed colour, e.g. "rgb(56, 138, 52)", or null when it has none of its own),
 * level (1 = top), expanded (true/false/null) }. Only rendered rows: a long tree shows what fits in its view.
 */
export async function treeItems(page, viewName) {
  const pane = await viewPane(page, viewName);
  const rows = await pane.locator('.pane-body .monaco-list-row').evaluateAll((els) =>
    els.map((el) => {
      const icon = el.querySelector('.custom-view-tree-node-item-icon');
      const codicon = [...(icon?.classList ?? [])].find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin');
      // A ThemeIcon's colour is an inline style: compare it with themeColor().
      const color = icon instanceof HTMLElement && icon.style.color ? getComputedStyle(icon).color : null;
      const expanded = el.getAttribute('aria-expanded');
      return {
        index: Number(el.getAttribute('data-index') ?? 0),
        label: (el.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (el.querySelector('.label-description')?.textContent ?? '').trim(),
        ariaLabel: el.getAttribute('aria-label') ?? '',
        icon: codicon ? codicon.slice('codicon-'.length) : null,
        iconColor: color,
        level: Number(el.getAttribute('aria-level') ?? 1),
        expanded: expanded === null ? null : expanded === 'true',
      };
    }),
  );
  // A list renders its rows in any DOM order (they are positioned absolutely): sort by their index.
  return rows.sort((a, b) => a.index - b.index).map(({ index, ...row }) => row);
}

/**
 * Expands the tree row labelled `label` (the first, at `level` when given) if it is collapsed, and waits until it
 * is: a click can be lost while the view refreshes its rows.
 */
export async function expandTreeRow(page, viewName, label, { level, timeoutMs = 15_000 } = {}) {
  const pane = await viewPane(page, viewName);
  const rows = pane.locator('.pane-body .monaco-list-row', { has: page.locator('.label-name', { hasText: exactText(label) }) });
  const row = (level === undefined ? rows : rows.and(page.locator(`[aria-level="${level}"]`))).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await row.waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) });
    const expanded = await row.getAttribute('aria-expanded').catch(() => null);
    if (expanded !== 'false') return;
    if (Date.now() > deadline) throw new Error(`the "${label}" row in the ${viewName} view does not expand`);
    await row.locator('.monaco-tl-twistie').click().catch(() => {});
    await page.waitForTimeout(500);
  }
}

/** The computed colour (e.g. "rgb(56, 138, 52)") of a theme colour id (e.g. "charts.green") in the current theme. */
export async function themeColor(page, id) {
  return page.evaluate((variable) => {
    const probe = document.createElement('div');
    probe.style.color = `var(${variable})`;
    document.querySelector('.monaco-workbench').appendChild(probe);
    const color = getComputedStyle(probe).color;
    probe.remove();
    return color;
  }, `--vscode-${id.replace(/\./g, '-')}`);
}

/** Waits for the quick input (a pick or an input box) whose title matches `title`; returns the title's text. */
export async function waitForQuickInput(page, title, { timeoutMs = 15_000 } = {}) {
  const heading = page.locator('.quick-input-widget .quick-input-title', { hasText: title });
  await heading.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return (await heading.first().innerText()).trim();
}

/**
 * In the open quick pick: types `filter` (when given), then clicks the first row whose accessible label or text
 * matches `row` (a RegExp); returns that row's label. Throws with the rows shown when none matches in time.
 */
export async function pickQuickItem(page, row, { filter, timeoutMs = 10_000 } = {}) {
  if (filter !== undefined) await page.locator(Ui.paletteInput).fill(filter);
  const labels = await until(
    page,
    () => page.locator(Ui.paletteRows).evaluateAll((els) => els.map((el) => `${el.getAttribute('aria-label') ?? ''} ${el.textContent ?? ''}`.trim())),
    (ls) => ls.some((l) => row.test(l)),
    { timeoutMs, what: `a quick pick row matching ${row}` },
  );
  const index = labels.findIndex((l) => row.test(l));
  await clickQuickRow(page, page.locator(Ui.paletteRows).nth(index));
  return labels[index];
}

/** Clicks the button labelled `button` on the notification toast whose message matches `pattern`. */
export async function clickNotificationButton(page, pattern, button, { timeoutMs = 10_000 } = {}) {
  const toast = page.locator(Ui.notification).filter({ has: page.locator(Ui.notificationMessage, { hasText: pattern }) }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  await toast.locator('.notification-list-item-buttons-container .monaco-button', { hasText: button }).first().click();
}

/** Closes the notification toasts whose message matches `pattern` (their X button), and waits until they are gone. */
export async function closeNotifications(page, pattern, { timeoutMs = 5_000 } = {}) {
  const toasts = page.locator(Ui.notification).filter({ has: page.locator(Ui.notificationMessage, { hasText: pattern }) });
  const deadline = Date.now() + timeoutMs;
  while ((await toasts.count()) > 0) {
    if (Date.now() > deadline) throw new Error(`the notification ${pattern} does not close`);
    const toast = toasts.first();
    await toast.hover().catch(() => {});
    await toast.locator('.codicon-notifications-clear').first().click({ timeout: 2_000 }).catch(() => {});
    await page.waitForTimeout(200);
  }
}

/**
 * The status bar items shown now: { id, text, ariaLabel, background } each (the id is "<extension id>.<item id>";
 * background is the computed colour, to compare with themeColor(page, 'statusBarItem.errorBackground')).
 */
export async function statusBarItems(page) {
  return page.locator('.statusbar-item').evaluateAll((els) =>
    els.map((el) => ({
      id: el.id,
      text: (el.innerText ?? '').trim(),
      ariaLabel: el.querySelector('[aria-label]')?.getAttribute('aria-label') ?? el.getAttribute('aria-label') ?? '',
      background: getComputedStyle(el).backgroundColor,
    })),
  );
}
