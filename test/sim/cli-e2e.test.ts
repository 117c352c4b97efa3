// Issue 4's proof, end to end through the bundled CLI (dist/cli.js, rebuilt when older than the sources): deploy a
// model (converted to int8 on the way) to a folder, run it on the virtual Pico with that folder as its drive, and
// get exactly the tokens `picoformer generate` (the TypeScript reference) gives for the same seed, greedy and
// sampled; over a socat pty with the real serialport binding too. Also: --dry-run changes nothing, an impossible
// model is refused with the numbers, a read-only drive fails clearly with the old files intact, and `sim` is a
// serial terminal on the machine.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeModel } from '../../src/model/modelFile';
import { configForTarget, randomModel } from '../../src/model/random';
import { goldenModels } from '../../scripts/goldenModels';
import { readTree } from '../unit/device/deployHelpers';

const REPO = join(__dirname, '..', '..');
const SHARED = process.env.PICOFORMER_SHARED ?? resolve(REPO, '..', 'shared');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The newest modification time of any file under `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    latest = Math.max(latest, info.isDirectory() ? newest(path) : info.mtimeMs);
  }
  return latest;
}

/** dist/cli.js, rebuilt (npm run build) when missing or older than src/; PICOFORMER_CLI names another bundle. */
function builtCli(): string {
  if (process.env.PICOFORMER_CLI) return process.env.PICOFORMER_CLI;
  const cli = join(REPO, 'dist', 'cli.js');
  const fresh = existsSync(cli) && existsSync(join(REPO, 'dist', 'sim-worker.js')) && statSync(cli).mtimeMs >= newest(join(REPO, 'src'));
  if (!fresh) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  }
  return cli;
}

const nobody = { uid: 65534, gid: 65534 };

describe('picoformer CLI end to end: deploy + run on the virtual Pico = generate', function () {
  this.timeout(240_000);
  let cliPath: string;
  let root: string;
  let floatModel: string;
  const children = new Set<ChildProcess>();
  const env = () => ({ ...process.env, XDG_CACHE_HOME: join(root, 'cache') });

  function cli(args: string[], options: { uid?: number; gid?: number; timeoutMs?: number } = {}): Promise<Result> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [cliPath, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'], ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }) });
      children.add(child);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
      child.on('error', fail);
      child.on('close', (code) => {
        clearTimeout(timer);
        children.delete(child);
        done({ code, stdout, stderr });
      });
    });
  }

  /** A long-running CLI (sim) with its stdin open, and a way to wait for its output. */
  function start(args: string[]) {
    const child = spawn(process.execPath, [cliPath, ...args], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(child);
    const output = { stdout: '', stderr: '' };
    child.stdout?.on('data', (c: Buffer) => (output.stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output.stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => (children.delete(child), done(code))));
    const waitFor = async (stream: 'stdout' | 'stderr', pattern: RegExp, ms = 30_000) => {
      const until = Date.now() + ms;
      while (!pattern.test(output[stream])) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`no ${pattern} on ${stream} of "picoformer ${args.join(' ')}":\n${output.stdout}\n${output.stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    return { child, output, exited, waitFor };
  }

  /** The token ids of a `run --json` (checked to end with done), or of a `generate --json`. */
  function runIds(r: Result): { ids: number[]; reason: string } {
    assert.equal(r.code, 0, `run failed:\n${r.stdout}\n${r.stderr}`);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: number; reason?: string });
    const done = events.at(-1);
    assert.equal(done?.type, 'done', r.stdout);
    return { ids: events.filter((e) => e.type === 'token').map((e) => e.id as number), reason: done.reason as string };
  }

  function generateIds(r: Result): { ids: number[]; reason: string } {
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { ids: number[]; stop_reason: string };
    return { ids: out.ids, reason: out.stop_reason };
  }

  const cases = [
    { name: 'greedy', prompt: 'Once upon', seed: '1', temperature: '0', topK: '0', tokens: '24' },
    { name: 'sampled', prompt: 'Once upon', seed: '7', temperature: '0.8', topK: '0', tokens: '24' },
    { name: 'sampled top-k', prompt: 'she said', seed: '12345', temperature: '1', topK: '5', tokens: '30' },
  ];
  const generationArgs = (c: (typeof cases)[number]) => ['--prompt', c.prompt, '--seed', c.seed, '--temperature', c.temperature, '--top-k', c.topK, '--tokens', c.tokens, '--json'];

  before(async function () {
    this.timeout(240_000);
    cliPath = builtCli();
    root = mkdtempSync(join(tmpdir(), 'pf-cli-e2e-'));
    chmodSync(root, 0o755); // the read-only case runs the CLI as another user
    const golden = (await goldenModels(SHARED)).find((m) => m.name === 'random-8k-f32');
    assert.ok(golden, 'the golden random-8k-f32 model');
    floatModel = join(root, 'random-8k-f32.safetensors');
    writeFileSync(floatModel, writeModel(golden.model));
  });

  after(() => {
    for (const child of children) child.kill('SIGKILL');
    if (root) rmSync(root, { recursive: true, force: true });
  });

  function freshDrive(name: string): string {
    const dir = join(root, name);
    mkdirSync(dir);
    return dir;
  }

  it('deploy --int8, then run --virtual gives the reference\'s tokens, greedy and sampled', async () => {
    const drive = freshDrive('drive');
    const deployed = await cli(['deploy', floatModel, '--drive', drive, '--int8']);
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /Memory: random-8\.5k \(as int8\) fits on Raspberry Pi Pico/);
    assert.match(deployed.stdout, /Deployed random-8k-int8\.safetensors to .* and verified it/);
    const onBoard = join(drive, 'models', 'random-8k-int8.safetensors');
    assert.deepEqual(JSON.parse(readFileSync(join(drive, 'picoformer.json'), 'utf8')), { model: '/models/random-8k-int8.safetensors' });

    for (const c of cases) {
      const board = runIds(await cli(['run', '--virtual', '--drive', drive, ...generationArgs(c)]));
      const reference = generateIds(await cli(['generate', onBoard, ...generationArgs(c)]));
      assert.ok(board.ids.length > 0, `${c.name}: tokens were generated`);
      assert.deepEqual(board, reference, `${c.name}: the virtual Pico's tokens equal the reference's`);
    }

    // As text, streamed: the same characters generate prints.
    const text = await cli(['run', '--virtual', '--drive', drive, '--prompt', 'Once upon', '--seed', '7', '--tokens', '24']);
    const reference = await cli(['generate', onBoard, '--prompt', 'Once upon', '--seed', '7', '--tokens', '24']);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, reference.stdout);
    assert.match(text.stderr, /Connected to picoformer .* on the virtual Pico \(drive .*\): micropython/);
    assert.match(text.stderr, /\[24 tokens, stop: max_tokens, seed 7, [\d.]+ tok\/s decode on the virtual Pico \(this computer's speed, not a Pico's\), heap peak \d+ of 140 KB\]\n$/);
  });

  it('run over a pty (sim --pty, socat, the real serialport binding) gives the same tokens', async function () {
    if (process.platform === 'win32' || spawnSync('socat', ['-V']).error) this.skip();
    const drive = freshDrive('drive-pty');
    assert.equal((await cli(['deploy', floatModel, '--drive', drive, '--int8'])).code, 0);
    const link = join(root, 'vpico-tty');
    const sim = start(['sim', '--drive', drive, '--pty', '--pty-path', link]);
    await sim.waitFor('stderr', /Console also on/);
    const c = cases[1];
    const board = runIds(await cli(['run', '--port', link, ...generationArgs(c)]));
    const reference = generateIds(await cli(['generate', join(drive, 'models', 'random-8k-int8.safetensors'), ...generationArgs(c)]));
    assert.deepEqual(board, reference);
    sim.child.stdin?.write('\x1d');
    assert.equal(await sim.exited, 0);
    assert.ok(!existsSync(link), 'the pty link is removed');
  });

  it('sim attaches a terminal: the runtime answers a command typed into it, Ctrl-] quits', async () => {
    const drive = freshDrive('drive-sim');
    const sim = start(['sim', '--drive', drive]);
    await sim.waitFor('stderr', /Installed the Picoformer runtime/);
    await sim.waitFor('stdout', /@pf \{"ev": ?"ready"/);
    sim.child.stdin?.write('@pf {"cmd": "hello", "req": 1}\r\n');
    await sim.waitFor('stdout', /"host": ?true/);
    sim.child.stdin?.write('\x1d');
    assert.equal(await sim.exited, 0);
    assert.match(sim.output.stdout, /code\.py output:/);
  });

  it('deploy --dry-run shows the plan and changes nothing', async () => {
    const drive = freshDrive('drive-dry');
    writeFileSync(join(drive, 'code.py'), 'print("the user\'s own program")\n');
    const before = readTree(drive);
    const r = await cli(['deploy', floatModel, '--drive', drive, '--int8', '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /write {2}models\/random-8k-int8\.safetensors +12\.0 KB +\(new\)/);
    assert.match(r.stdout, /write {2}code\.py +\d+ bytes +\(replaces 32 bytes\)/);
    assert.match(r.stdout, /Dry run: nothing was written\.\n$/);
    assert.deepEqual(readTree(drive), before);
  });

  it('an impossible model is refused with the numbers, before anything is written', async () => {
    const drive = freshDrive('drive-big');
    const big = join(root, 'big-300k.safetensors');
    writeFileSync(big, writeModel(randomModel(configForTarget(300_000, { context_length: 64, family: 'big' }), 3)));
    const r = await cli(['deploy', big, '--drive', drive]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Memory: big-300k does not fit on Raspberry Pi Pico \(RP2040\), CircuitPython 9: the file \(1\.1 MB\) does not fit on the board's 1\.0 MB drive beside the runtime\./);
    assert.match(r.stderr, /refused: the model does not fit; nothing was written\./);
    const asInt8 = await cli(['deploy', big, '--drive', drive, '--int8']);
    assert.equal(asInt8.code, 1);
    assert.match(asInt8.stdout, /does not fit .*: resident it needs [\d.]+ KB and streamed [\d.]+ KB, more than the 176 KB any such board has free\./);
    assert.deepEqual(readdirSync(drive), []);
  });

  it('deploying to a read-only drive fails clearly and leaves the old files intact', async function () {
    if (process.platform === 'win32') this.skip();
    const drive = freshDrive('drive-ro');
    assert.equal((await cli(['deploy', floatModel, '--drive', drive, '--int8'])).code, 0);
    const before = readTree(drive);
    const legacy = join(SHARED, 'anchors', 'tiny-transformers-rp2040', 'v5', 'story-1k-balanced');
    // Read-only for the CLI: as root (who may write anywhere) it runs as nobody; otherwise the folders lose write access.
    const asRoot = process.getuid?.() === 0;
    const dirs = [drive, join(drive, 'models'), join(drive, 'lib'), join(drive, 'lib', 'picoformer')];
    if (!asRoot) for (const d of dirs) chmodSync(d, 0o555);
    try {
      const r = await cli(['deploy', legacy, '--drive', drive, '--int8'], asRoot ? nobody : {});
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /picoformer deploy: Cannot write models\/story-1\.3k-int8\.safetensors to .*drive-ro: the drive is read-only \(EACCES\)\. Nothing was changed\..* \[read-only\]\n$/);
    } finally {
      if (!asRoot) for (const d of dirs) chmodSync(d, 0o755);
    }
    assert.deepEqual(readTree(drive), before);
  });

  it('run on a drive without models, and devices on the virtual drive, say what they see', async () => {
    const drive = freshDrive('drive-empty');
    const r = await cli(['run', '--virtual', '--drive', drive, '--prompt', 'x']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Installed the Picoformer runtime on .*drive-empty\./);
    assert.match(r.stderr, /There are no models on the board: deploy one first \(picoformer deploy MODEL --drive .*drive-empty\)\./);
    const devices = await cli(['devices', '--json', '--drive', drive]);
    const snapshot = JSON.parse(devices.stdout) as { devices: { virtual: boolean; drive?: { path: string } }[] };
    assert.ok(snapshot.devices.some((d) => d.virtual && d.drive?.path === drive), devices.stdout);
  });
});
