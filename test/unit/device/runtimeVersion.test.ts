import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledRuntimeVersion, lazyBundledRuntimeVersion, readBundledRuntimeVersion, runtimeMismatch } from '../../../src/device/runtimeVersion';

describe('device: the board runtime\'s version against the bundled one', () => {
  it('reads VERSION from the runtime package, and the repository\'s own board/', () => {
    assert.equal(bundledRuntimeVersion('# comment\nVERSION = "0.2.0"\nPROTOCOL = 1\n'), '0.2.0');
    assert.equal(bundledRuntimeVersion("VERSION='1.0'"), '1.0');
    assert.equal(bundledRuntimeVersion('PROTOCOL = 1'), undefined);
    assert.match(readBundledRuntimeVersion(resolve(__dirname, '../../..')) ?? '', /^\d+\.\d+\.\d+$/);
    assert.equal(readBundledRuntimeVersion('/no/such/extension'), undefined);
  });

  it('reads lazily: nothing until first asked, then the same answer without reading again', () => {
    const root = mkdtempSync(join(tmpdir(), 'picoformer-version-'));
    try {
      const version = lazyBundledRuntimeVersion(root);
      const pkg = join(root, 'board', 'lib', 'picoformer');
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, '__init__.py'), 'VERSION = "9.8.7"\n');
      assert.equal(version(), '9.8.7', 'read when first asked, not when made');
      writeFileSync(join(pkg, '__init__.py'), 'VERSION = "1.0.0"\n');
      assert.equal(version(), '9.8.7', 'remembered');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says what to do when they differ, and nothing when they agree or the bundled one is unknown', () => {
    assert.equal(runtimeMismatch('0.2.0', '0.2.0', 'The board on /dev/ttyACM0'), undefined);
    assert.equal(runtimeMismatch('0.1.0', undefined, 'x'), undefined);
    assert.equal(
      runtimeMismatch('0.1.0', '0.2.0', 'The board on /dev/ttyACM0'),
      'The board on /dev/ttyACM0 runs Picoformer runtime 0.1.0; this extension ships 0.2.0. Deploy the runtime so the board computes what the extension expects (the same tokens for the same seed).',
    );
  });
});
