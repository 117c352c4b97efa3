// The Studio follows the editor's theme (issue 5, "Themes"): light, dark and both high-contrast themes, with the
// memory figures and the zone legible in each (WCAG contrast of at least 4.5:1 for the zone label and the headroom
// line). Screenshots: test/e2e/artifacts/theme-*.png.
import * as assert from 'node:assert/strict';

const Themes = [
  { name: 'Light Modern', bodyClass: 'vscode-light' },
  { name: 'Dark Modern', bodyClass: 'vscode-dark' },
  { name: 'Dark High Contrast', bodyClass: 'vscode-high-contrast' },
  { name: 'Light High Contrast', bodyClass: 'vscode-high-contrast-light' },
];

/** In the page: the colour and (first opaque ancestor's) background of an element, and their contrast ratio. */
function contrastOf(el) {
  const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  let bg = el;
  while (bg && (rgb(getComputedStyle(bg).backgroundColor)[3] === 0 || getComputedStyle(bg).backgroundColor === 'transparent')) bg = bg.parentElement;
  const fore = luminance(rgb(getComputedStyle(el).color));
  const back = luminance(rgb(getComputedStyle(bg ?? document.body).backgroundColor));
  return (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
}

export const tests = [
  {
    name: 'the Studio follows light, dark and high-contrast themes, its zone and headroom legible in each',
    async run({ page, wb, shot }) {
      await wb.runCommand(page, 'Picoformer: Open Studio');
      let frame = await wb.webviewFrame(page, '#studio');
      if ((await frame.$('.heap-bar')) === null) {
        await frame.locator('vscode-button', { hasText: /Choose (a|another) model/ }).first().click();
        await wb.pickQuickItem(page, /story-1k/, { filter: 'story-1k' });
        frame = await wb.webviewFrame(page, '.heap-bar');
      }
      for (const theme of Themes) {
        // (its palette row also names its key binding, so it is picked by pattern rather than by exact title)
        await wb.openPalette(page, 'Preferences: Color Theme');
        await wb.pickQuickItem(page, /^Preferences: Color Theme\b/);
        await wb.pickQuickItem(page, new RegExp(`^${theme.name}\\b`), { filter: theme.name });
        frame = await wb.webviewFrame(page, '.heap-bar');
        await wb.until(page, () => frame.evaluate(() => document.body.className), (c) => c.split(/\s+/).includes(theme.bodyClass), { what: `the webview body to have ${theme.bodyClass}` });
        for (const selector of ['.zone', '.headroom']) {
          const ratio = await frame.$eval(selector, contrastOf);
          assert.ok(ratio >= 4.5, `${theme.name}: ${selector} has a contrast of ${ratio.toFixed(2)}:1 (at least 4.5 needed)`);
        }
        await shot(`theme-${theme.name}`);
      }
      // Back to the default theme, for whatever runs next in this code-server.
      await wb.openPalette(page, 'Preferences: Color Theme');
      await wb.pickQuickItem(page, /^Preferences: Color Theme\b/);
      await wb.pickQuickItem(page, /^Dark Modern\b/, { filter: 'Dark Modern' });
    },
  },
];
