// npm run fuzz [-- --seed N --count N --keep]: the conformance corpus (test/board/conformance/), bigger than the
// 300 files npm run test:board runs, through the TypeScript reader, the board runtime under CPython and the board
// runtime in the MicroPython VM. Prints, per reader, how many files were tried, refused, accepted, crashed and
// hung, and every file where a board reader disagrees with the TypeScript one. Exit code 1 when any did, crashed
// or hung. Without --seed a new seed is drawn (printed, so a failing run can be repeated).
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { BoardVerdict } from '../test/board/conformance/vmBoard';
import { type ManifestEntry, writeCorpus } from '../test/board/conformance/writeCorpus';

const Repo = join(__dirname, '..');
/** Seconds without an answer before a board reader's file counts as hung. */
const HungSeconds = 20;

interface Tally {
  tried: number;
  refused: number;
  accepted: number;
  crashed: number;
  hung: number;
  disagree: string[];
}

const tally = (): Tally => ({ tried: 0, refused: 0, accepted: 0, crashed: 0, hung: 0, disagree: [] });

function count(t: Tally, verdict: BoardVerdict, e: ManifestEntry): void {
  t.tried++;
  if (verdict.crash?.startsWith('hung')) t.hung++;
  else if (verdict.crash) t.crashed++;
  else if (verdict.list === 'ok' && verdict.load === 'ok') t.accepted++;
  else t.refused++;
  const wantLoad = e.header === 'ok' ? e.full : null;
  if (verdict.crash || !verdict.answers || verdict.list !== e.header || verdict.load !== wantLoad) {
    t.disagree.push(`${e.file}: TypeScript ${e.header}/${e.full}, board ${verdict.list}/${verdict.load}${verdict.crash ? ` (${verdict.crash})` : ''}`);
  }
}

/** The board runtime under CPython (test/board/python/conformance.py), one JSON line per file. */
function cpython(dir: string, files: ManifestEntry[], t: Tally): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.PYTHON ?? 'python3', [join(Repo, 'test/board/python/conformance.py'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const byName = new Map(files.map((e) => [e.file, e]));
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const r = JSON.parse(buffer.slice(0, nl)) as BoardVerdict & { file: string };
        buffer = buffer.slice(nl + 1);
        count(t, r, byName.get(r.file) as ManifestEntry);
        progress('CPython', t, files.length);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`conformance.py exited with ${code}`))));
  });
}

/**
 * The board runtime in the MicroPython VM, in a worker thread so that a file that hangs the VM can be counted
 * and the worker replaced (the VM has no way to interrupt a call).
 */
async function micropython(dir: string, files: ManifestEntry[], t: Tally): Promise<void> {
  let next = 0;
  while (next < files.length) {
    const worker = new Worker(join(Repo, 'scripts/fuzzVmWorker.ts'), { execArgv: ['--require', 'tsx/cjs'], workerData: { dir, files: files.slice(next).map((e) => e.file) } });
    await new Promise<void>((resolve, reject) => {
      let timer = setTimeout(hang, HungSeconds * 1000);
      function hang() {
        count(t, { list: null, load: null, answers: false, crash: `hung: no answer in ${HungSeconds} s` }, files[next]);
        next++;
        void worker.terminate();
      }
      worker.on('message', (verdict: BoardVerdict) => {
        clearTimeout(timer);
        timer = setTimeout(hang, HungSeconds * 1000);
        count(t, verdict, files[next]);
        next++;
        progress('MicroPython', t, files.length);
      });
      worker.on('error', reject);
      worker.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function progress(name: string, t: Tally, total: number): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${name}: ${t.tried} of ${total}`);
}

function row(name: string, t: Tally): string {
  return `| ${name} | ${t.tried} | ${t.refused} | ${t.accepted} | ${t.crashed} | ${t.hung} | ${t.disagree.length} |`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, count: { type: 'string' }, keep: { type: 'boolean' } } });
  const seed = values.seed === undefined ? randomInt(1, 2 ** 31) : Number(values.seed);
  const n = Number(values.count ?? 3000);
  const dir = mkdtempSync(join(tmpdir(), 'pf-fuzz-'));
  const started = Date.now();
  const manifest = writeCorpus(dir, seed, n);
  const files = manifest.files;
  const ts = tally();
  for (const e of files) {
    ts.tried++;
    if (e.full.startsWith('crash')) ts.crashed++;
    else if (e.full === 'ok') ts.accepted++;
    else ts.refused++;
  }
  const manifestEntries = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).files as ManifestEntry[];
  const py = tally();
  const mp = tally();
  await cpython(dir, manifestEntries, py);
  await micropython(dir, manifestEntries, mp);
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log(`Conformance fuzz: seed ${seed}, ${files.length} files (${files.length - n} named specimens), ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log('| reader | tried | refused | accepted | crashed | hung | disagree with TypeScript |\n|---|---|---|---|---|---|---|');
  console.log(`| TypeScript | ${ts.tried} | ${ts.refused} | ${ts.accepted} | ${ts.crashed} | 0 | - |`);
  console.log(row('board, CPython', py));
  console.log(row('board, MicroPython VM', mp));
  for (const [name, t] of [['CPython', py], ['MicroPython', mp]] as const) for (const line of t.disagree.slice(0, 30)) console.log(`${name}: ${line}`);
  if (values.keep) console.log(`corpus kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  if (ts.crashed || py.disagree.length || mp.disagree.length) process.exitCode = 1;
}

void main();
