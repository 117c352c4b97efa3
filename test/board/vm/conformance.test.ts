// The conformance corpus (test/board/conformance/, written to build/conformance by npm run test:board) in the
// MicroPython VM: every file judged by the running runtime exactly as the TypeScript reader judged it
// (manifest.json), the same verdict and code for listing and for a resident load, and the runtime answering
// after each file. PICOFORMER_CONFORMANCE names another corpus folder.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VmBoard, disagreement } from '../conformance/vmBoard';
import type { Manifest } from '../conformance/writeCorpus';
import { Repo } from './boardVm';

const Corpus = process.env.PICOFORMER_CONFORMANCE ?? join(Repo, 'build', 'conformance');

describe('board runtime in MicroPython: the conformance corpus', function () {
  this.timeout(600_000);

  it('judges every file as the TypeScript reader does, and answers after each', async () => {
    const manifestPath = join(Corpus, 'manifest.json');
    assert.ok(existsSync(manifestPath), `no corpus in ${Corpus}: npm run test:board writes it (npx tsx test/board/conformance/writeCorpus.ts)`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    const board = await VmBoard.start();
    const bad: string[] = [];
    for (const e of manifest.files) {
      const verdict = await board.judge(readFileSync(join(Corpus, e.file)));
      const line = disagreement(e.file, e, verdict);
      if (line !== undefined) bad.push(line);
    }
    assert.deepEqual(bad, [], `${bad.length} of ${manifest.files.length} files:\n${bad.slice(0, 40).join('\n')}`);
  });
});
