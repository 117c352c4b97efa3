// The conformance corpus (issue 12) on the official firmware: a seeded slice of it (the first file of each mutation
// family, seed 12) on the drive at once. The runtime lists each file with the TypeScript reader's header verdict,
// loads resident exactly those the reader reads in full (refusing the others with the reader's code), and still
// answers `mem` at the end. The whole corpus runs in CPython and the MicroPython VM (npm run test:board, npm run fuzz).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FirmwareBoard } from '../../src/emu/firmwareBoard';
import type { ModelsEvent } from '../../src/device/protocol/events';
import { RuntimeCommandError } from '../../src/device/serial/session';
import { corpus } from '../board/conformance/corpus';
import { DefaultSeed } from '../board/conformance/writeCorpus';
import { tsVerdict } from '../board/conformance/verdict';
import { makeDrive } from './support';

const Files = 15;

describe('firmware: the conformance corpus (a seeded slice)', function () {
  this.timeout(600_000);

  it('lists and loads every file as the TypeScript reader judges it, and answers after all of them', async () => {
    const files = [...corpus(DefaultSeed, Files)].map((f) => ({ ...f, ts: tsVerdict(f.bytes) }));
    const drive = await makeDrive([]);
    mkdirSync(join(drive, 'models'), { recursive: true });
    for (const f of files) writeFileSync(join(drive, 'models', f.name), f.bytes);
    const board = await FirmwareBoard.boot({ driveDir: drive });
    try {
      // (a list reads every header: more than the session's 5 s for 15 files, so the wait is the test's)
      const t0 = board.now;
      const models = (await board.request({ cmd: 'list' }, ['models'], 120_000)) as ModelsEvent;
      console.log(`      list of ${Files} files: ${((board.now - t0) / 1000).toFixed(1)} s simulated`);
      const listed = new Map(models.models.map((m) => [m.file, m.error?.code ?? 'ok']));
      const bad: string[] = [];
      for (const f of files) {
        const list = listed.get(f.name) ?? 'missing';
        let load: string | null = null;
        if (list === 'ok') {
          load = await board.session.load(f.name, 'resident').then(
            () => 'ok',
            (error: unknown) => (error instanceof RuntimeCommandError ? error.code : `crash: ${String(error)}`),
          );
        }
        const want = f.ts.header === 'ok' ? f.ts.full : null;
        if (list !== f.ts.header || load !== want) bad.push(`${f.name}: TypeScript ${f.ts.header}/${f.ts.full}, board ${list}/${load}`);
      }
      assert.deepEqual(bad, []);
      assert.ok((await board.mem()).free > 0);
    } finally {
      await board.close();
      rmSync(drive, { recursive: true, force: true });
    }
  });
});
