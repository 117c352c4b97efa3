// picoformer deploy on temporary folders: the verdict before anything is written (refused, danger with and without
// --yes), int8 conversion on the way, the plan and --dry-run, progress and summary, and the failures (cancel,
// read-only, full drive) leaving the old files in place. The runtime is a small stand-in folder.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DeployDeps, deployCommand } from '../../../src/cli/commands/deploy';
import type { DeviceProbe } from '../../../src/cli/detect';
import { ProgressPrinter, formatPlan } from '../../../src/cli/deployText';
import type { Terminal } from '../../../src/cli/interactive';
import { type DeployFs, nodeDeployFs } from '../../../src/device/deploy/deployFs';
import { withDriveLock } from '../../../src/device/deploy/driveLock';
import type { DeployPlan } from '../../../src/device/deploy/planDeploy';
import type { DeviceSnapshot } from '../../../src/device/types';
import { boardProfile } from '../../../src/memory/boards';
import { estimate } from '../../../src/memory/estimate';
import { estimateModelFromHeader } from '../../../src/memory/input';
import { readModel, readModelHeader, writeModel } from '../../../src/model/modelFile';
import { type Faults, type Sandbox, faultyFs, readTree, sandbox, writeTree } from '../device/deployHelpers';
import { configForTarget, randomModel } from '../../../src/model/random';
import { tinyModel } from '../model/helpers';

const anchors = join(process.env.PICOFORMER_SHARED ?? resolve(__dirname, '../../../../shared'), 'anchors', 'tiny-transformers-rp2040');

interface FakeTerminal extends Terminal {
  questions: string[];
  interrupt(): void;
}

function fakeTerminal(answer?: boolean, tty = false): FakeTerminal {
  const handlers = new Set<() => void>();
  const questions: string[] = [];
  return {
    questions,
    onInterrupt: (h) => (handlers.add(h), () => handlers.delete(h)),
    confirm: (q) => (questions.push(q), answer === undefined ? undefined : Promise.resolve(answer)),
    stderrIsTty: tty,
    interrupt: () => handlers.forEach((h) => h()),
  };
}

function probeWith(snapshot: Partial<DeviceSnapshot>): DeviceProbe {
  const full: DeviceSnapshot = { devices: [], drives: [], bootloaderDrives: [], ports: [], portSource: 'serialport', notes: [], ...snapshot };
  return { scan: async () => full, findings: async () => [] };
}

describe('picoformer deploy', () => {
  let box: Sandbox;
  let model: string;
  let terminal: FakeTerminal;
  let fs: DeployFs;
  let probe: DeviceProbe;
  const virtualDrive = () => join(box.root, 'cache', 'CIRCUITPY');

  beforeEach(() => {
    box = sandbox();
    writeTree(box.runtime, { 'code.py': 'import picoformer\n', 'lib/picoformer/__init__.py': '# runtime\n', 'lib/picoformer/app.py': 'def main(): pass\n' });
    model = join(box.host, 'story.safetensors');
    writeFileSync(model, writeModel(tinyModel({ family: 'story' })));
    terminal = fakeTerminal();
    fs = nodeDeployFs();
    probe = probeWith({});
  });
  afterEach(() => box.dispose());

  async function deploy(...args: string[]) {
    const deps: DeployDeps = { probe: () => probe, fs: () => fs, terminal, runtimeDir: () => box.runtime, virtualDrive };
    let out = '';
    let err = '';
    const code = await deployCommand(deps).run(args, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  /** A custom heap that leaves the model `headroom` of it: under 0.1 is the danger zone. */
  function heapKbFor(path: string, headroom: number): string {
    const header = readModelHeader(new Uint8Array(readFileSync(path)));
    const required = estimate(estimateModelFromHeader(header), boardProfile('custom', 140)).chosen.required;
    return (required / (1 - headroom) / 1024).toFixed(2);
  }

  it('converts a float model to int8 on the way, writes the plan, progress and a summary', async () => {
    const r = await deploy(model, '--drive', box.drive, '--int8');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Memory: story-324 \(as int8\) fits on Raspberry Pi Pico \(RP2040\), CircuitPython 9: resident it needs [\d.]+ KB of the 140 KB heap budget/);
    assert.match(r.out, /Plan for .*CIRCUITPY:\n {2}write {2}models\/story-int8\.safetensors +[\d.]+ KB +\(new\)\n/);
    assert.match(r.out, /write {2}lib\/picoformer\/__init__\.py/);
    assert.match(r.out, /write {2}code\.py/);
    assert.match(r.out, /5 files, [\d,.]+ (bytes|KB) to write; needs [\d.]+ KB free while copying, the drive has [\d.]+ [KMG]B \([\d.]+ [KMG]B free after\)\./);
    assert.match(r.out, /Deployed story-int8\.safetensors to .* and verified it: 5 files written \([\d,.]+ (bytes|KB)\), 0 unchanged\.\n/);
    assert.match(r.out, /Try: picoformer run --prompt "\.\.\."/);
    assert.equal(r.err, '  copying models/story-int8.safetensors\n  copying lib/picoformer/__init__.py\n  copying lib/picoformer/app.py\n  copying picoformer.json\n  copying code.py\n  verifying and renaming 5 files into place\n');
    const deployed = readModel(new Uint8Array(readFileSync(join(box.drive, 'models', 'story-int8.safetensors'))));
    assert.equal(deployed.tensors.get('layers.0.wq')?.dtype, 'I8');
    assert.deepEqual(JSON.parse(readFileSync(join(box.drive, 'picoformer.json'), 'utf8')), { model: '/models/story-int8.safetensors' });

    const again = await deploy(model, '--drive', box.drive, '--int8');
    assert.equal(again.code, 0);
    assert.match(again.out, /skip {2}models\/story-int8\.safetensors +\(unchanged\)\n/);
    assert.match(again.out, /nothing to write: the board already has every file\.\n$/);
  });

  it('without --int8 deploys the float model as it is and says int8 is recommended', async () => {
    const r = await deploy(model, '--drive', box.drive);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^note: this is a float32 model; int8 is recommended \(files about 4x smaller than float32\): as int8 it would need [\d.]+ KB of heap \(safe\) instead of [\d.]+ KB\. Add --int8 to convert it on the way\.\n/);
    assert.equal(readModel(new Uint8Array(readFileSync(join(box.drive, 'models', 'story.safetensors')))).tensors.get('layers.0.wq')?.dtype, 'F32');
  });

  it('converts a legacy folder (to int8 with --int8) and names the model after it', async () => {
    const r = await deploy(join(anchors, 'v5', 'story-1k-balanced'), '--drive', box.drive, '--int8');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /write {2}models\/story-1\.3k-int8\.safetensors/);
    assert.equal(readModel(new Uint8Array(readFileSync(join(box.drive, 'models', 'story-1.3k-int8.safetensors')))).config.tokenizer, 'longest_match');
  });

  it('--dry-run prints the verdict and the plan and writes nothing', async () => {
    writeTree(box.drive, { 'boot_out.txt': 'Adafruit CircuitPython 9.2.8 on 2025-05-28; Raspberry Pi Pico with rp2040\n', 'models/old.safetensors': 'x' });
    const before = readTree(box.drive);
    const r = await deploy(model, '--drive', box.drive, '--int8', '--dry-run');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Memory: .* fits/);
    assert.match(r.out, /write {2}models\/story-int8\.safetensors/);
    assert.match(r.out, /Dry run: nothing was written\.\n$/);
    assert.equal(r.err, '');
    assert.deepEqual(readTree(box.drive), before);
  });

  it('refuses a model that cannot fit, with the numbers, and writes nothing', async () => {
    const r = await deploy(model, '--drive', box.drive, '--board', 'custom', '--heap-kb', '16');
    assert.equal(r.code, 1);
    assert.match(r.out, /^Memory: story-324 does not fit on Custom board \(16 KB heap\): resident it needs [\d.]+ KB and streamed [\d.]+ KB, more than the 16\.0 KB any such board has free\.\n$/);
    assert.match(r.err, /picoformer deploy: refused: the model does not fit; nothing was written\. Choose a smaller model/);
    assert.deepEqual(readTree(box.drive), {});
  });

  it('offers --int8 when int8 would fit and the float model does not', async () => {
    // 300K float parameters: a 1.2 MB file, more than the Pico's 1 MB drive; as int8 it streams within 330 KB.
    const big = join(box.host, 'big.safetensors');
    writeFileSync(big, writeModel(randomModel(configForTarget(300_000, { context_length: 64, family: 'big' }), 3)));
    const r = await deploy(big, '--drive', box.drive, '--board', 'custom', '--heap-kb', '330');
    assert.equal(r.code, 1);
    // The int8 figure and zone come from the estimator, so recalibrating its constants does not break this test.
    const int8 = estimate(estimateModelFromHeader(readModelHeader(new Uint8Array(readFileSync(big)))), boardProfile('custom', 330), { dtype: 'I8' });
    assert.ok(int8.chosen.required >= 100 * 1024 && int8.zone !== 'impossible', `${int8.chosen.required} bytes, ${int8.zone}`);
    const int8Text = `As int8 it would need ${Math.round(int8.chosen.required / 1024)} KB (${int8.zone}).`;
    assert.equal(r.out, `Memory: big-300k does not fit on Custom board (330 KB heap): the file (1.1 MB) does not fit on the board's 1.0 MB drive beside the runtime. ${int8Text}\n`);
    assert.match(r.err, /Try again with --int8\./);
    assert.deepEqual(readTree(box.drive), {});
    assert.equal((await deploy(big, '--drive', box.drive, '--board', 'custom', '--heap-kb', '330', '--int8')).code, 0);
  });

  it('a model in the danger zone needs --yes (or a yes at the prompt)', async () => {
    const heap = heapKbFor(model, 0.05);
    const refused = await deploy(model, '--drive', box.drive, '--board', 'custom', '--heap-kb', heap);
    assert.equal(refused.code, 1);
    assert.match(refused.out, /Memory: story-324 is in the danger zone on Custom board/);
    assert.match(refused.err, /the model is in the danger zone; add --yes to deploy it anyway\. Nothing was written\./);
    assert.deepEqual(readTree(box.drive), {});

    terminal = fakeTerminal(false);
    const declined = await deploy(model, '--drive', box.drive, '--board', 'custom', '--heap-kb', heap);
    assert.equal(declined.code, 1);
    assert.deepEqual(terminal.questions, ['Deploy it anyway?']);
    assert.deepEqual(readTree(box.drive), {});

    terminal = fakeTerminal(true);
    assert.equal((await deploy(model, '--drive', box.drive, '--board', 'custom', '--heap-kb', heap)).code, 0);
    terminal = fakeTerminal();
    const yes = await deploy(model, '--drive', box.drive, '--board', 'custom', '--heap-kb', heap, '--yes');
    assert.equal(yes.code, 0, yes.err);
  });

  it('without --drive uses the one real drive detected, and explains when there is none', async () => {
    probe = probeWith({ drives: [{ path: box.drive, source: 'mount-table', label: 'CIRCUITPY' }] });
    const r = await deploy(model, '--int8');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`Plan for ${box.drive.replace(/[\\/.]/g, '\\$&')}:`));
    probe = probeWith({});
    await assert.rejects(deploy(model, '--int8'), /no CIRCUITPY drive found \(name one with --drive PATH, or use --virtual\)/);
  });

  it('--virtual deploys to the virtual Pico drive, created with its boot_out.txt', async () => {
    const r = await deploy(model, '--virtual', '--int8');
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(join(virtualDrive(), 'boot_out.txt'), 'utf8'), /Picoformer Virtual Pico/);
    assert.match(r.out, /Try: picoformer run --virtual --prompt/);
    const named = await deploy(model, '--drive', virtualDrive());
    assert.match(named.out, /Try: picoformer run --virtual --drive \S+CIRCUITPY --prompt/);
  });

  it('--runtime-only deploys the runtime and leaves the board settings alone', async () => {
    writeTree(box.drive, { 'picoformer.json': '{"model": "/models/x.safetensors"}' });
    const r = await deploy('--runtime-only', '--drive', box.drive);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Deployed the runtime to/);
    assert.deepEqual(Object.keys(readTree(box.drive)).sort(), ['code.py', 'lib/picoformer/__init__.py', 'lib/picoformer/app.py', 'picoformer.json']);
    assert.equal(readFileSync(join(box.drive, 'picoformer.json'), 'utf8'), '{"model": "/models/x.safetensors"}');
  });

  describe('failures leave the board as it was', () => {
    let before: Record<string, Buffer>;
    const other = () => {
      const path = join(box.host, 'other.safetensors');
      writeFileSync(path, writeModel(tinyModel({ family: 'other' }, 99)));
      return path;
    };

    beforeEach(async () => {
      assert.equal((await deploy(model, '--drive', box.drive, '--int8')).code, 0);
      writeTree(box.runtime, { 'code.py': 'import picoformer  # v2\n' });
      before = readTree(box.drive);
    });

    it('Ctrl-C during the copy cancels cleanly (exit 130)', async () => {
      const base = nodeDeployFs();
      fs = { ...base, create: async (p) => (terminal.interrupt(), base.create(p)) };
      const r = await deploy(other(), '--drive', box.drive, '--int8');
      assert.equal(r.code, 130);
      assert.match(r.err, /Cancelling: the board keeps its previous files\.\.\./);
      assert.match(r.err, /picoformer deploy: Deploy cancelled; the previous files on the board were left in place\. \[cancelled\]\n$/);
      assert.deepEqual(readTree(box.drive), before);
    });

    it('a read-only drive fails clearly', async () => {
      fs = faultyFs(box.drive, { createErrorCode: 'EROFS' } satisfies Faults);
      const r = await deploy(other(), '--drive', box.drive, '--int8');
      assert.equal(r.code, 1);
      assert.match(r.err, /picoformer deploy: Cannot write models\/other-int8\.safetensors to .*: the drive is read-only \(EROFS\)\. Nothing was changed\..* \[read-only\]\n$/);
      assert.deepEqual(readTree(box.drive), before);
    });

    it('a drive that vanishes mid-copy fails clearly', async () => {
      fs = faultyFs(box.drive, { failWritesAfterBytes: 100, writeErrorCode: 'EIO', goneAfterWriteFailure: 'EIO' });
      const r = await deploy(other(), '--drive', box.drive, '--int8');
      assert.equal(r.code, 1);
      assert.match(r.err, /disappeared while writing models\/other-int8\.safetensors \(EIO\): was the board unplugged or reset\? The previous files were left in place.* A partly written temporary file was left on the drive \(models\/\.pf-tmp-\w+-other-int8\.safetensors\); the next deploy removes it\. \[drive-vanished\]/);
      const after = readTree(box.drive);
      for (const name of Object.keys(after)) if (name.includes('/.pf-tmp-')) delete after[name];
      assert.deepEqual(after, before);
    });

    it('a drive without room for the new files is refused before writing, with the numbers', async () => {
      fs = faultyFs(box.drive, { statfs: { bsize: 512, bavail: 4, blocks: 2048 } });
      const r = await deploy(other(), '--drive', box.drive, '--int8');
      assert.equal(r.code, 1);
      assert.match(r.err, /picoformer deploy: Not enough space on .*: the deploy needs [\d.]+ KB free while it copies .* and the drive has 2\.0 KB\. .*Models on the board that could be removed: story-int8\.safetensors/);
      assert.deepEqual(readTree(box.drive), before);
    });
  });

  it('waits while another deploy is writing to the drive, saying so, then deploys (issue 12 §5)', async () => {
    let release = () => {};
    const held = withDriveLock(box.drive, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    setTimeout(() => release(), 400);
    const r = await deploy(model, '--drive', box.drive);
    await held;
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /\nWaiting: another deploy is writing to this drive \(process \d+\)\. Ctrl-C cancels\.\n/);
    assert.ok(readTree(box.drive)['models/story.safetensors']);
  });

  it('--drive naming a file says so', async () => {
    const file = join(box.root, 'notes.txt');
    writeFileSync(file, 'x');
    const r = await deploy(model, '--drive', file);
    assert.equal(r.code, 1);
    assert.match(r.err, /notes\.txt is a file, not a drive's folder.* \[not-a-drive\]/);
  });

  it('checks its arguments', async () => {
    await assert.rejects(deploy(), /missing <model> \(or --runtime-only\)/);
    await assert.rejects(deploy(model, '--runtime-only'), /--runtime-only deploys no model/);
    await assert.rejects(deploy('--runtime-only', '--int8'), /--int8 converts a model/);
    await assert.rejects(deploy(model, '--drive', box.drive, '--virtual'), /choose one of --drive and --virtual/);
    await assert.rejects(deploy(model, '--board', 'pico9'), /Unknown board "pico9"/);
    await assert.rejects(deploy(model, '--heap-kb', '100'), /--heap-kb goes with --board custom/);
    await assert.rejects(deploy(model, 'extra'), /unexpected argument "extra"/);
    await assert.rejects(deploy(join(box.host, 'missing.safetensors'), '--drive', box.drive), /cannot use .*missing\.safetensors: no such file or folder/);
    writeFileSync(join(box.host, 'bad.safetensors'), 'not a model at all');
    await assert.rejects(deploy(join(box.host, 'bad.safetensors'), '--drive', box.drive), /cannot read .*bad\.safetensors: .*\[header_length\]/);
  });
});

describe('deploy output', () => {
  const write = (target: string, size: number, replacesSize?: number) => ({ target, kind: 'runtime' as const, bytes: new Uint8Array(size), size, sha256: '', ...(replacesSize === undefined ? {} : { replacesSize }) });
  const plan = (over: Partial<DeployPlan>): DeployPlan => ({
    drivePath: '/media/ann/CIRCUITPY',
    writes: [],
    unchanged: [],
    obsolete: [],
    bytesToWrite: 0,
    requiredBytes: 0,
    freeBytes: 900_000,
    freeAfterBytes: 900_000,
    fits: true,
    otherModels: [],
    ...over,
  });

  it('groups a folder of runtime modules and says what each row does', () => {
    const writes = [write('models/a.safetensors', 12_288, 4096), ...['a', 'b', 'c', 'd'].map((n, i) => write(`lib/picoformer/${n}.py`, 1000, i < 2 ? 900 : undefined)), write('code.py', 119)];
    const text = formatPlan(plan({ writes, unchanged: ['picoformer.json'], obsolete: ['lib/picoformer/old.py'], bytesToWrite: 16_407, requiredBytes: 20_480, freeAfterBytes: 883_000 }));
    assert.equal(
      text,
      'Plan for /media/ann/CIRCUITPY:\n' +
        '  write   models/a.safetensors       12.0 KB    (replaces 4.0 KB)\n' +
        '  write   lib/picoformer/ (4 files)  3.9 KB     (2 new, 2 replacing)\n' +
        '  write   code.py                    119 bytes  (new)\n' +
        '  skip    picoformer.json                       (unchanged)\n' +
        '  delete  lib/picoformer/old.py                 (no longer part of the runtime)\n' +
        '  6 files, 16.0 KB to write; needs 20.0 KB free while copying, the drive has 878.9 KB (862.3 KB free after).\n',
    );
  });

  it('says when a delete is the other form of a module now deployed (.py for .mpy, or back)', () => {
    const writes = ['a', 'b'].map((n) => write(`lib/picoformer/${n}.mpy`, 500));
    const text = formatPlan(plan({ writes, unchanged: ['lib/picoformer/c.mpy'], obsolete: ['lib/picoformer/a.py', 'lib/picoformer/c.py', 'lib/picoformer/old.py'], bytesToWrite: 1000, requiredBytes: 2048, freeAfterBytes: 898_000 }));
    assert.match(text, /delete {2}lib\/picoformer\/a\.py +\(the runtime goes as \.mpy now\)\n/);
    assert.match(text, /delete {2}lib\/picoformer\/c\.py +\(the runtime goes as \.mpy now\)\n/);
    assert.match(text, /delete {2}lib\/picoformer\/old\.py +\(no longer part of the runtime\)\n/);
  });

  it('progress redraws one line on a terminal', () => {
    let text = '';
    const printer = new ProgressPrinter((t) => (text += t), true);
    printer.update({ phase: 'copy', target: 'models/a.safetensors', filesDone: 0, filesTotal: 2, bytesDone: 0, bytesTotal: 2048 });
    printer.update({ phase: 'copy', target: 'models/a.safetensors', filesDone: 0, filesTotal: 2, bytesDone: 1024, bytesTotal: 2048 });
    printer.finish();
    assert.equal(text, '\r  copying models/a.safetensors (0 bytes of 2.0 KB, 0%)\r  copying models/a.safetensors (1.0 KB of 2.0 KB, 50%)\n');
  });
});
