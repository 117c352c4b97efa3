// Captures console transcripts from the official CircuitPython 9.2.8 on the emulated Pico (src/emu) with the
// runtime and story-1k deployed, and writes them to test/unit/serial/support/firmwareTranscripts.json, the fixtures
// the console parser and session tests replay (test/unit/serial/support/transcripts.ts).
// Usage: npx tsx scripts/capture-transcripts.ts   (about a minute; rerun when the runtime's console output changes)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployToFolder } from '../src/emu/emulateDeploy';
import { FIRMWARE_VERSION, REPO_ROOT } from '../src/emu/firmware';
import { FirmwareBoard } from '../src/emu/firmwareBoard';

const OUT = join(REPO_ROOT, 'test/unit/serial/support/firmwareTranscripts.json');

async function main(): Promise<void> {
  const drive = mkdtempSync(join(tmpdir(), 'picoformer-transcripts-'));
  let board: FirmwareBoard | undefined;
  try {
    await deployToFolder(drive, { runtimeDir: join(REPO_ROOT, 'board'), models: [{ path: join(REPO_ROOT, 'models/story-1k.safetensors') }] });
    board = await FirmwareBoard.boot({ driveDir: drive, hello: false });
    const b = board;
    const loaded = 'Type a prompt (/help for commands).\r\n';
    const bootText = await b.waitForText(loaded, 30_000, 0);
    /** Sends `input` and returns what the board answers, up to and including `until`. */
    const step = async (input: string, until: string | RegExp, timeoutMs = 10_000): Promise<string> => {
      const from = b.raw.length;
      await b.type(input);
      return b.waitForText(until, timeoutMs, from);
    };
    const ctrlCIdle = await step('\x03', 'Press any key to enter the REPL. Use CTRL-D to reload.\r\n');
    const enterRepl = await step('\r', '>>> ');
    const rawEnter = await step('\x01', 'raw REPL; CTRL-B to exit\r\n>');
    const rawPrint2 = await step('print(1+1)\x04', '\x04\x04>');
    const rawNameError = await step('nope\x04', 'defined\r\n\x04>');
    const rawExit = await step('\x02', '>>> ');
    const softReboot = await step('\x04', loaded, 30_000);
    const transcripts = {
      source:
        `Captured by scripts/capture-transcripts.ts from the official CircuitPython ${FIRMWARE_VERSION} UF2 on the emulated Pico (src/emu, rp2040js), ` +
        'with the Picoformer runtime and story-1k deployed. Raw console bytes as the board sent them (UTF-8).',
      boot: bootText,
      softRebootToRuntime: softReboot,
      ctrlCWhileIdle: ctrlCIdle,
      enterRepl,
      rawReplEnter: rawEnter,
      rawReplPrint2: rawPrint2,
      rawReplNameError: rawNameError,
      rawReplExit: rawExit,
    };
    writeFileSync(OUT, `${JSON.stringify(transcripts, null, 2)}\n`);
    console.log(`wrote ${OUT}`);
  } finally {
    await board?.close();
    rmSync(drive, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
