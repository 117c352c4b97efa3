// Counting the tests in a test stage's output, for `npm test`'s summary (scripts/test-all.mjs).

/** The tests a stage's output reports: mocha's "N passing / N failing", unittest's "Ran N tests" (with its
 *  failures and errors) and the UI harness's "UI N passed, N failed". */
export function countTests(output) {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes are what is being removed
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const sum = (re) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  const ran = sum(/^Ran (\d+) tests?/gm);
  const unittestFailed = sum(/^FAILED \((?:failures|errors)=(\d+)/gm) + sum(/^FAILED \(failures=\d+, errors=(\d+)/gm);
  const failedCount = sum(/^\s*(\d+) failing/gm) + unittestFailed + sum(/UI \d+ passed, (\d+) failed/g);
  const passedCount = sum(/^\s*(\d+) passing/gm) + (ran - unittestFailed) + sum(/UI (\d+) passed, \d+ failed/g);
  return { passed: passedCount, failed: failedCount };
}
