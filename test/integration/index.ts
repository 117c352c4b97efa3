// Runs the integration suite inside a real extension host. Two hosts load this bundle (out/test/suite/index.js):
// - code-server's smoke-test driver and @vscode/test-electron call `run()` (extensionTestsPath);
// - @vscode/test-cli (`npm run test:desktop`) loads it as a spec file with mocha's BDD globals already defined.
import Mocha from 'mocha';

/** Registers every suite. Imported lazily so that `describe` and `it` exist when the suite files run. */
async function loadSuites(): Promise<void> {
  await import('./extension.test');
  await import('./commands.test');
  await import('./views.test');
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  // What mocha does before loading each spec file: put describe/it/before/... on the global object.
  mocha.suite.emit('pre-require', globalThis, 'picoformer-integration', mocha);
  await loadSuites();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed`);
}

if (typeof (globalThis as { describe?: unknown }).describe === 'function') {
  // Loaded by @vscode/test-cli's runner as a spec file: register the suites now, its mocha runs them.
  void loadSuites();
}
