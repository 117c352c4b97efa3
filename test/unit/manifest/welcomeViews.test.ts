// The welcome views' text (package.json viewsWelcome): VS Code renders only links and line breaks there, so any
// other Markdown (backticks, emphasis) shows literally; every command link must name a contributed command.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Manifest {
  contributes: { viewsWelcome: { view: string; contents: string }[]; commands: { command: string }[] };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;

describe('welcome views', () => {
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));

  for (const w of manifest.contributes.viewsWelcome) {
    it(`${w.view}: plain text and links only, and every link runs a contributed command`, () => {
      const text = w.contents.replace(/\[[^\]]*\]\([^)]*\)/g, '');
      assert.doesNotMatch(text, /`|\*\*|__/, `Markdown VS Code would show literally in: ${JSON.stringify(text)}`);
      for (const [, target] of w.contents.matchAll(/\]\(command:([^)?]+)/g)) assert.ok(commands.has(target), `${target} is not a contributed command`);
    });
  }
});
