// Builds the extension in production mode and packages it with vsce (offline) into dist/picoformer-<version>.vsix,
// then checks what went in: the bundles, the icon and serialport's prebuilt bindings for Linux, macOS and Windows;
// no sources, tests, node_modules or source maps, and neither the emulated Pico (rp2040js, src/emu) nor its firmware.
// Usage: node scripts/package.mjs   (npm run package)
import { createVSIX } from '@vscode/vsce';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = join(root, 'dist', `${name}-${version}.vsix`);

/** Entries that must be in the package (regular expressions over paths inside the zip). */
const Required = [
  /^extension\/package\.json$/,
  /^extension\/dist\/extension\.js$/,
  /^extension\/dist\/cli\.js$/,
  /^extension\/dist\/webview\/studio\.js$/,
  /^extension\/dist\/board-mpy\/manifest\.json$/,
  /^extension\/dist\/board-mpy\/lib\/picoformer\/app\.mpy$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/media\/icon\.png$/,
  /^extension\/media\/activity-bar\.svg$/,
  /^extension\/prebuilds\/linux-x64\/.+\.glibc\.node$/,
  /^extension\/prebuilds\/darwin-x64\+arm64\/.+\.node$/,
  /^extension\/prebuilds\/win32-x64\/.+\.node$/,
];
/** Entries that must not be: everything at run time is bundled; the emulated Pico's firmware is a test fixture. */
const Forbidden = [/^extension\/(src|test|scripts|node_modules|out|samples|bench|docs)\//, /\.map$/, /\.vsix$/, /\.ts$/, /\.uf2$/i, /bootrom/i];
/** Text that must not be in any bundled .js: the emulated Pico (src/emu) and rp2040js stay out of the product. */
const ForbiddenCode = [
  { what: 'rp2040js', text: 'Start USB transfer' },
  { what: 'src/emu (the emulated Pico)', text: 'The emulated Pico' },
];

/** The names of the entries of a zip file, read from its central directory. */
function zipEntries(file) {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function checkContents(entries) {
  const problems = [];
  for (const pattern of Required) {
    if (!entries.some((e) => pattern.test(e))) problems.push(`missing ${pattern}`);
  }
  for (const entry of entries) {
    if (Forbidden.some((pattern) => pattern.test(entry))) problems.push(`should not contain ${entry}`);
  }
  for (const entry of entries.filter((e) => /^extension\/dist\/.*\.js$/.test(e))) {
    const code = readFileSync(join(root, entry.slice('extension/'.length)), 'utf8');
    for (const { what, text } of ForbiddenCode) if (code.includes(text)) problems.push(`${entry} bundles ${what}`);
  }
  if (problems.length > 0) throw new Error(`the .vsix is wrong (fix .vscodeignore or the build):\n  ${problems.join('\n  ')}`);
}

try {
  rmSync(vsix, { force: true });
  // vsce runs `npm run vscode:prepublish` (the production build) first. Everything is bundled, so no dependencies.
  await createVSIX({ cwd: root, packagePath: vsix, dependencies: false });
  const entries = zipEntries(vsix);
  checkContents(entries);
  const kb = statSync(vsix).size / 1024;
  console.log(`[package] ${relative(root, vsix)}: ${kb.toFixed(0)} KB, ${entries.length} files`);
} catch (err) {
  console.error(`[package] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
