// The calibration sweep on the emulated official firmware (docs/memory.md "Calibration on the firmware"): every
// shape of bench/firmware/shapes.ts loaded in each mode (ulab, and pure Python for the smaller ones), every load step
// measured, decode and prefill timed in simulated time. Results go to bench/results/firmware-sweep.json (one record
// per job, written as each finishes); then the report: the memory table (estimate vs measured), the speed model fitted
// on the `fit` shapes and checked on the held-out ones.
// Usage: npm run calibrate:firmware -- [--only NAME,NAME] [--no-python] [--no-ulab] [--jobs 1|2] [--resume] [--timings-only] [--report-only] [--write | --write-speed]
//          [--runtime DIR] [--results FILE] [--merge FILE,FILE]
//   --no-ulab: only the pure-Python jobs (the ulab ones of another run can be merged with --merge).
//   --resume: keep the records already in the results file and run only the missing jobs.
//   --timings-only: rerun the timed jobs' probe boots (load steps and timings) and keep each record's plain boot
//            (live heap, available, load outcomes): for a runtime change that moves speed only. Boundary jobs are
//            not rerun.
//   --report-only: no emulator; the report from the results file.
//   --runtime DIR: the board runtime to deploy (default board/; a copy keeps a long sweep apart from edits).
//   --results FILE: the records file (default bench/results/firmware-sweep.json); two sweeps at once need two.
//   --merge FILES: first add those files' records to the results file (a record replaces its shape and path's).
//   --write: refit the board's memory constants (src/memory/constants.json and memest.py) and the speed model's
//            (constants.json), then, in a fresh process that reads the new constants, write the tables (estimate
//            vs measured with the refitted constants) into docs/memory.md and bench/README.md (--tables alone).
//   --write-speed: the same for the speed model alone (the memory constants stay as they are).
// Takes 1-2 hours of host time on a loaded 2-core machine (the emulator runs at 0.1-0.5x a board's speed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../src/emu/firmware';
import { report } from './firmware/report';
import { SweepShapes } from './firmware/shapes';
import { runJob, type SpeedPathName, type SweepRecord } from './firmware/sweepJob';

export const DefaultResultsFile = join(REPO_ROOT, 'bench', 'results', 'firmware-sweep.json');

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    'no-python': { type: 'boolean', default: false },
    'no-ulab': { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
    resume: { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
    'timings-only': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    'write-speed': { type: 'boolean', default: false },
    tables: { type: 'boolean', default: false },
    runtime: { type: 'string' },
    results: { type: 'string' },
    merge: { type: 'string' },
  },
});

const ResultsFile = values.results ?? DefaultResultsFile;

function load(file = ResultsFile): SweepRecord[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SweepRecord[]) : [];
}

function merge(records: SweepRecord[], files: string): SweepRecord[] {
  let out = records;
  for (const file of files.split(',')) {
    if (!existsSync(file)) throw new Error(`no results file ${file}`);
    const added = load(file);
    out = [...out.filter((r) => !added.some((a) => a.shape === r.shape && a.path === r.path)), ...added];
  }
  save(out);
  return out;
}

function save(records: SweepRecord[]): void {
  mkdirSync(dirname(ResultsFile), { recursive: true });
  const order = (r: SweepRecord) => SweepShapes.findIndex((s) => s.name === r.shape) * 2 + (r.path === 'python' ? 1 : 0);
  writeFileSync(ResultsFile, `${JSON.stringify([...records].sort((a, b) => order(a) - order(b)), null, 1)}\n`);
}

async function main(): Promise<void> {
  const timingsOnly = values['timings-only'] === true;
  let records = values.resume || values['report-only'] || values.merge || timingsOnly ? load() : [];
  if (values.merge) records = merge(records, values.merge);
  if (!values['report-only']) {
    const only = values.only ? new Set(values.only.split(',')) : undefined;
    if (only) for (const name of only) if (!SweepShapes.some((s) => s.name === name)) throw new Error(`no shape ${name}; shapes: ${SweepShapes.map((s) => s.name).join(', ')}`);
    const todo: { shape: (typeof SweepShapes)[number]; path: SpeedPathName }[] = [];
    for (const shape of SweepShapes) {
      if (only && !only.has(shape.name)) continue;
      for (const path of ['ulab', 'python'] as const) {
        if (path === 'python' && (!shape.python || values['no-python'])) continue;
        if (path === 'ulab' && values['no-ulab']) continue;
        if (values.resume && records.some((r) => r.shape === shape.name && r.path === path)) continue;
        if (timingsOnly && shape.speed === 'none') continue;
        todo.push({ shape, path });
      }
    }
    // The ulab jobs first (the memory table and the speed model's main path), the slow pure-Python ones after.
    todo.sort((a, b) => (a.path === b.path ? 0 : a.path === 'ulab' ? -1 : 1));
    // Rerun jobs replace their old records (with --timings-only, each keeps its old record's plain boot).
    const previous = new Map(records.map((r) => [`${r.shape}/${r.path}`, r]));
    records = records.filter((r) => !todo.some((t) => t.shape.name === r.shape && t.path === r.path));
    const workers = Math.min(2, Math.max(1, Number(values.jobs) || 1));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const { shape, path } = todo[next++];
        const started = performance.now();
        try {
          const record = await runJob(shape, path, values.runtime, timingsOnly ? previous.get(`${shape.name}/${path}`) : undefined);
          records.push(record);
          save(records);
          const loads = record.measurement.loads.map(
            (l) => `${l.mode} ${l.loaded ? `${l.generations.map((g) => (1000 / g.decodeMs).toFixed(1)).join('/')} tok/s${l.generationError ? `, then ${l.generationError.code} generating` : ''}` : l.error?.code}`,
          );
          console.error(`${shape.name} ${path}: ${loads.join(', ')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        } catch (error) {
          console.error(`${shape.name} ${path}: FAILED ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
  }
  const refit = values.write === true || values['write-speed'] === true;
  const text = report(records, { refit, tables: values.tables === true, speedOnly: values['write-speed'] === true && values.write !== true });
  console.log(text);
  if (refit) {
    // The constants are read once per process: the tables are made by a new one, with the refitted constants.
    console.log('\nThe tables with the refitted constants:\n');
    const second = spawnSync(process.execPath, [...process.execArgv, process.argv[1], '--report-only', '--tables', '--results', ResultsFile], { stdio: 'inherit' });
    if (second.status !== 0) throw new Error(`writing the tables failed (exit ${second.status})`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
