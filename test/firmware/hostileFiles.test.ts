// Issue 12 §1 on the official firmware: the files made to kill the runtime (test/board/fixtures/hostileModels.ts)
// sit on the drive beside a good model. Start-up refuses each with its code, loads the good one and answers; the live
// heap after a list ends no more than 1 KB above a start-up without them. (The runtime before issue 12 kept ~92 KB
// live here and loaded nothing: board/README.md.)
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FirmwareBoard } from '../../src/emu/firmwareBoard';
import { HostileModels } from '../board/fixtures/hostileModels';
import { makeDrive, randomModelFile } from './support';

const Good = 'z-good.safetensors';

interface Listed {
  models: [string, string, boolean][];
  live: number;
}

/** Boots with the good model (and the hostile files), waits for the start-up load, lists twice, then reads `mem`. */
async function startAndList(hostile: boolean): Promise<Listed> {
  const drive = await makeDrive([{ fileName: Good, bytes: randomModelFile({ vocab_size: 32, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: 16 }, 'I8') }], { defaultModel: Good });
  if (hostile) for (const [name, [bytes]] of Object.entries(HostileModels)) writeFileSync(join(drive, 'models', name), bytes);
  const board = await FirmwareBoard.boot({ driveDir: drive });
  try {
    let models: [string, string, boolean][] = [];
    for (let i = 0; i < 2; i++) {
      // the second time through the list's strings are interned already, as in the run without the files
      models = (await board.session.list()).models.map((m) => [m.file, m.error?.code ?? 'ok', m.loaded]);
    }
    const mem = await board.mem();
    return { models, live: mem.alloc };
  } finally {
    await board.close();
    rmSync(drive, { recursive: true, force: true });
  }
}

describe('firmware: files made to kill the runtime', function () {
  this.timeout(600_000);

  it('start-up refuses each with its code, loads the good model, answers, and keeps no more heap than without them', async () => {
    const baseline = await startAndList(false);
    const withFiles = await startAndList(true);
    assert.deepEqual(baseline.models, [[Good, 'ok', true]]);
    assert.deepEqual(withFiles.models, [...Object.entries(HostileModels).map(([name, [, code]]) => [name, code, false]), [Good, 'ok', true]]);
    console.log(`      live heap after start-up and a list: ${baseline.live} bytes without the files, ${withFiles.live} with them`);
    assert.ok(withFiles.live <= baseline.live + 1024, `${withFiles.live} vs ${baseline.live} bytes`);
  });
});
