// `npm run test:desktop`: the integration suite (test/integration, bundled to out/test/suite/index.js) in desktop
// VS Code via @vscode/test-cli + @vscode/test-electron. It downloads VS Code on first run, so it needs internet;
// without it, `npm test` runs the same suite in code-server (test/e2e/run.mjs).
import { defineConfig } from '@vscode/test-cli';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  label: 'integration',
  // The bundle registers its suites itself when mocha has defined the BDD globals (see test/integration/index.ts).
  files: 'out/test/suite/index.js',
  extensionDevelopmentPath: root,
  workspaceFolder: join(root, 'samples', 'workspace'),
  version: 'stable',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  env: { PICOFORMER_SHARED: process.env.PICOFORMER_SHARED ?? resolve(root, '..', 'shared') },
  mocha: { ui: 'bdd', timeout: 30_000, color: true },
});
