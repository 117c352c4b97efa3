import assert from 'node:assert/strict';
// @ts-expect-error: a plain .mjs script without types
import { countTests } from '../../../scripts/countTests.mjs';

describe('npm test summary: counting tests in stage output', () => {
  it('adds mocha, unittest and UI-harness counts, ignoring colours', () => {
    const out = [
      '  \x1b[32m 601 passing\x1b[0m (23s)',
      '  2 pending',
      'Ran 67 tests in 2.1s',
      '',
      'OK',
      '    49 passing (44s)',
      '[e2e] UI 9 passed, 0 failed (58 s); screenshots',
    ].join('\n');
    assert.deepEqual(countTests(out), { passed: 601 + 67 + 49 + 9, failed: 0 });
  });

  it('counts failures of each kind', () => {
    const out = ['  30 passing (14s)', '  3 failing', 'Ran 10 tests in 1s', 'FAILED (failures=2)', 'UI 5 passed, 1 failed (9 s)'].join('\n');
    assert.deepEqual(countTests(out), { passed: 30 + 8 + 5, failed: 3 + 2 + 1 });
    assert.deepEqual(countTests('Ran 4 tests in 0.1s\nFAILED (failures=1, errors=2)'), { passed: 1, failed: 3 });
    assert.deepEqual(countTests('nothing here'), { passed: 0, failed: 0 });
  });
});
