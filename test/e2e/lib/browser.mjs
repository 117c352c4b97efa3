// Launches Debian's Chromium through playwright-core (never a downloaded browser), headless and quiet.
import { chromium } from 'playwright-core';
import { chromiumPath } from './paths.mjs';

const Args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A headless Chromium; close it with `browser.close()` (the harness also kills it on exit). */
export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: Args, timeout: 60_000 });
}

/** A fresh page (its own browser context, so no workbench state is shared between tests). */
export async function newPage(browser, { width = 1400, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  return context.newPage();
}
