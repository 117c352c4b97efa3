// Small helpers that drive the VS Code workbench in a Playwright page: open it, use the command palette, read
// views, tree rows and notifications, take screenshots, and reach a webview's inner frame.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir } from './paths.mjs';

const Ui = {
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
    await input.fill(`>${text}`);
    await page.waitForTimeout(300);
    const labels = await paletteLabels(page);
    if (expect === undefined || labels.includes(expect) || Date.now() > deadline) return labels;
    await closePalette(page);
    await page.waitForTimeout(1000);
  }
}

/** The labels of the rows the palette shows now. */
export async function paletteLabels(page) {
  const rows = page.locator(Ui.paletteRows);
  await rows.first().waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
  return rows.evaluateAll((els) => els.map((el) => (el.getAttribute('aria-label') ?? el.textContent ?? '').trim()));
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
  await row.first().click();
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

/** Clicks an activity-bar entry (its tooltip/aria-label starts with `title`) and waits for its side bar. */
export async function openViewContainer(page, title) {
  const item = page.locator(`.activitybar .action-item a[aria-label^="${title}"], .activitybar .action-item [aria-label^="${title}"]`).first();
  await item.waitFor({ state: 'visible', timeout: 15_000 });
  await item.click();
  await page.locator(Ui.sidebar).waitFor({ state: 'visible', timeout: 10_000 });
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
 * The inner frame of a webview (panel or view) whose document has an element matching `selector`. VS Code nests a
 * webview's content two iframes deep; its DOM can be read and clicked through the returned Playwright Frame.
 */
export async function webviewFrame(page, selector, { timeoutMs = 15_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // the frame navigated or went away while we looked
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame with ${selector} within ${timeoutMs / 1000} s`);
}
