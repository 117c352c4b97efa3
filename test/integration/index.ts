// Runs the integration suite inside a real extension host. Two hosts load this bundle (out/test/suite/index.js):
// - code-server's smoke-test driver and @vscode/test-electron call `run()` (extensionTestsPath);
// - @vscode/test-cli (`npm run test:desktop`) loads it as a spec file with mocha's BDD globals already defined.
import Mocha from 'mocha';
import { commandTests } from './commands.test';
import { deployCommandTests } from './deployCommands.test';
import { deviceBasicsTests } from './deviceBasics.test';
import { deviceCommandTests } from './deviceCommands.test';
import { activationTests } from './extension.test';
import { generateCommandTests } from './generateCommand.test';
import { modelCommandTests } from './modelCommands.test';
import { trainCommandTests } from './trainCommand.test';
import { viewTests } from './views.test';

/** Defines every suite. Each file exports a function, because `describe` and `it` exist only once mocha is set up. */
function defineSuites(): void {
  activationTests();
  commandTests();
  viewTests();
  modelCommandTests();
  deployCommandTests();
  deviceCommandTests();
  deviceBasicsTests();
  generateCommandTests();
  trainCommandTests();
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  // What mocha does before loading each spec file: put describe/it/before/... on the global object.
  mocha.suite.emit('pre-require', globalThis, 'picoformer-integration', mocha);
  defineSuites();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed`);
}

if (typeof (globalThis as { describe?: unknown }).describe === 'function') {
  // Loaded by @vscode/test-cli's runner as a spec file: register the suites now, its mocha runs them.
  defineSuites();
}
