// Renders media/icon.png (128x128, the Marketplace icon) from the SVG below with headless Chromium.
// Usage: node scripts/make-icon.mjs   (needs /usr/bin/chromium, or PICOFORMER_CHROMIUM)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.PICOFORMER_CHROMIUM || '/usr/bin/chromium';

// A chip with pins (the Pico) carrying a three-node network (the transformer), on a dark rounded square.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="#1b3a2f"/>
  <g stroke="#d9f2e6" stroke-width="6" stroke-linecap="round">
    <path d="M44 14v16M64 14v16M84 14v16M44 98v16M64 98v16M84 98v16M14 44h16M14 64h16M14 84h16M98 44h16M98 64h16M98 84h16"/>
  </g>
  <rect x="30" y="30" width="68" height="68" rx="8" fill="#2e7d5b" stroke="#d9f2e6" stroke-width="5"/>
  <g stroke="#ffffff" stroke-width="4">
    <path d="M50 54h28M48 58l13 18M80 58l-13 18"/>
  </g>
  <g fill="#ffd54f" stroke="#ffffff" stroke-width="3">
    <circle cx="47" cy="54" r="8"/><circle cx="81" cy="54" r="8"/><circle cx="64" cy="80" r="8"/>
  </g>
</svg>`;

const dir = mkdtempSync(join(tmpdir(), 'picoformer-icon-'));
try {
  const page = join(dir, 'icon.html');
  writeFileSync(page, `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const out = join(dir, 'icon.png');
  const result = spawnSync(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--default-background-color=00000000',
      '--window-size=128,128', `--screenshot=${out}`, `file://${page}`],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.error) throw new Error(`cannot run ${chromium}: ${result.error.message} (apt-get install -y chromium)`);
  statSync(out); // throws with a clear path if Chromium wrote nothing
  const png = readFileSync(out);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  if (width !== 128 || height !== 128) throw new Error(`expected a 128x128 PNG, Chromium made ${width}x${height}`);
  writeFileSync(join(root, 'media/icon.png'), png);
  console.log(`media/icon.png: ${width}x${height}, ${png.length} bytes`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
