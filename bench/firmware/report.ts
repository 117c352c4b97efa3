// The sweep's report: the memory table (estimate vs measured per load), the constants refitted from it, the speed
// model fitted and its table (predicted vs measured, held-out shapes marked). With `write`, the tables go into
// docs/memory.md and bench/README.md between their markers, and the speed coefficients into constants.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/emu/firmware';
import { type SpeedCoefficients, type SpeedPath, SpeedC } from '../../src/memory/speed';
import { replaceBetweenMarkers } from './markers';
import { writeConstants } from './writeConstants';
import { type MemoryRow, currentConstants, memoryRows, suggestConstants } from './memoryFit';
import { type SpeedFit, type SpeedSample, fitSpeed, predictCycles, speedSamples } from './speedFit';
import type { SweepRecord } from './sweepJob';
import { NewTokens, PromptTokens, TimedPosition } from './sweepJob';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const pct = (est: number, measured: number): string => {
  const p = ((est - measured) / measured) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`;
};
const pair = (est: number, measured: number | undefined): string => (measured === undefined ? `${n(est)} / -` : `${n(est)} / ${n(measured)} (${pct(est, measured)})`);

export function memoryTable(rows: readonly MemoryRow[]): string {
  const lines = [
    '| model | params | dtype | mode | required (zone) | load | live heap est / measured | peak est / measured | model heap est / measured |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const load = r.startup ? `${r.outcome} (start-up)` : r.outcome;
    lines.push(`| ${r.shape} | ${n(r.params)} | ${r.dtype}${r.model.config.kv_cache === 'int8' ? ', KV int8' : ''} | ${r.mode} | ${n(r.required)} (${r.zone}) | ${load} | ${pair(r.liveEstimate, r.liveMeasured)} | ${pair(r.peakEstimate, r.peakMeasured)} | ${pair(r.modelEstimate, r.modelMeasured)} |`);
  }
  return lines.join('\n');
}

function range(values: number[]): string {
  if (!values.length) return 'none';
  const f = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  return `${f(Math.min(...values))} to ${f(Math.max(...values))}`;
}

/** How much less the heap holds when a start-up load's decision begins than when a later load's does (the same
 *  shape's two loads; the decision step is each load's first). */
function startupBaseGap(rows: readonly MemoryRow[]): number[] {
  const gaps: number[] = [];
  for (const first of rows.filter((r) => r.startup && r.outcome === 'loaded' && r.load.steps.length)) {
    const later = rows.find((r) => r.shape === first.shape && !r.startup && r.load.steps.length);
    if (later) gaps.push(later.load.steps[0].before - first.load.steps[0].before);
  }
  return gaps;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Whether the load's highest bound was its decision step's (the header parse: small models). */
function decisionPeaked(r: MemoryRow): boolean {
  const steps = r.load.steps;
  return steps.length > 0 && steps[0].max === Math.max(...steps.map((s) => s.max));
}

export function memorySummary(rows: readonly MemoryRow[]): string {
  const live = rows.filter((r) => r.liveMeasured !== undefined && r.outcome === 'loaded').map((r) => r.liveEstimate / (r.liveMeasured as number) - 1);
  const peakError = (r: MemoryRow): number => r.peakEstimate / (r.peakMeasured as number) - 1;
  const peaked = rows.filter((r) => r.peakMeasured !== undefined && r.outcome === 'loaded');
  const peak = peaked.map(peakError);
  const gaps = startupBaseGap(rows);
  const oom = rows.filter((r) => r.outcome !== 'loaded' && r.outcome !== 'too_big');
  const safeOom = oom.filter((r) => r.zone === 'safe' || r.zone === 'test');
  const startup = rows.filter((r) => r.startup);
  const failed = startup.filter((r) => r.outcome !== 'loaded' && r.outcome !== 'too_big').sort((a, b) => a.required - b.required)[0];
  const loaded = startup.filter((r) => r.outcome === 'loaded').sort((a, b) => b.required - a.required)[0];
  const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;
  return [
    `Live heap: estimate ${range(live)} of the measured (${live.length} loads); peak ${range(peak)} (${peak.length} loads): ` +
      `${range(peaked.filter((r) => !r.startup).map(peakError))} on loads after an unload (the case the estimate is), ` +
      `${range(peaked.filter((r) => r.startup).map(peakError))} on start-up loads, whose heap held ` +
      (gaps.length
        ? `${n(Math.min(...gaps))}-${n(Math.max(...gaps))} bytes less when the decision began (${range(peaked.filter((r) => r.startup && decisionPeaked(r)).map((r) => (r.peakEstimate - mean(gaps)) / (r.peakMeasured as number) - 1))} against the estimate less that gap's mean where the decision step is the load's peak).`
        : 'an unmeasured amount less when the decision began.'),
    `Out of memory: ${oom.length} loads (${oom.map((r) => `${r.shape} ${r.mode}, ${r.zone}`).join('; ') || 'none'}); in the safe or test zone: ${safeOom.length}.`,
    `Start-up loads (a fresh heap): the smallest that ran out of memory needs ${failed ? `${kb(failed.required)} by the estimate (${failed.shape}, ${failed.mode})` : '(none did)'}; the largest that loaded ${loaded ? `${kb(loaded.required)} (${loaded.shape}, ${loaded.mode})` : '(none)'}.`,
  ].join('\n');
}

/** What the runtime could allocate at its start-up list (the models event's mem_available), under board/code.py
 *  and under the step probe: the probe's figure is not what a board has. */
export function availableSummary(records: readonly SweepRecord[]): string {
  const figures = (pick: (r: SweepRecord) => number | undefined): string => {
    const v = records.filter((r) => r.path === 'ulab').map(pick).filter((x): x is number => x !== undefined);
    return v.length ? `${n(Math.min(...v))}-${n(Math.max(...v))} bytes (${v.length} boots)` : 'not measured';
  };
  return `Available at the start-up list (1 KB blocks): ${figures((r) => (r.plain ?? (r.measurement.probeOverhead ? undefined : r.measurement))?.bootList?.mem_available)} under board/code.py; ${figures((r) => (r.measurement.probeOverhead ? r.measurement.bootList?.mem_available : undefined))} under the step probe.`;
}

export function speedTable(samples: readonly SpeedSample[], fitted: SpeedFit): string {
  const lines = [
    '| model | path | dtype | mode | decoding | measured tok/s | predicted | error | in the fit |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of samples) {
    const measured = SpeedC.clockHz / s.decodeCycles;
    const predicted = SpeedC.clockHz / predictCycles(s.features, fitted.decode[s.path]);
    lines.push(`| ${s.shape} | ${s.path} | ${s.dtype} | ${s.mode} | ${s.sampled ? 'sampled' : 'greedy'} | ${measured.toFixed(2)} | ${predicted.toFixed(2)} | ${pct(predicted, measured)} | ${s.heldOut ? '**held out**' : 'fit'} |`);
  }
  return lines.join('\n');
}

export function speedSummary(samples: readonly SpeedSample[], fitted: SpeedFit): string {
  const lines: string[] = [];
  for (const path of ['ulab', 'python'] as const) {
    for (const heldOut of [false, true]) {
      const group = samples.filter((s) => s.path === path && s.heldOut === heldOut);
      const errors = group.map((s) => s.decodeCycles / predictCycles(s.features, fitted.decode[path]) - 1);
      const prefill = group.filter((s) => s.sampled).map((s) => predictCycles(s.prefillFeatures, fitted.prefill[path]) / s.prefillCycles - 1);
      lines.push(`${path}, ${heldOut ? 'held-out' : 'fitted'} shapes: decode ${range(errors)} (${errors.length} runs), prefill ${range(prefill)}.`);
    }
  }
  return lines.join('\n');
}

export function constantsText(rows: readonly MemoryRow[]): string {
  const s = suggestConstants(rows);
  const c = currentConstants();
  const r = (x: number) => Math.round(x);
  return [
    `Refitted from the firmware (in parentheses: the constants this run read; --write stores the refit):`,
    `  objects: model+config ${r(s.objects.modelAndConfig)} (${c.objects.modelAndConfig}), per matrix ${r(s.objects.perMat)} (${c.objects.perMat}), per layer ${r(s.objects.perLayer)} (${c.objects.perLayer}), per ulab view ${r(s.objects.perView)} (${c.objects.perView}), open file ${r(s.objects.file)} (${c.objects.file}) [${s.counts.objects} loads]`,
    `  decision step: ${r(s.header.code)} (${c.header.code}) + ${s.header.perByte.toFixed(2)} (${c.header.perByte}) per header byte + ${r(s.header.perTensor)} (${c.header.perTensor}) per tensor + ${r(s.header.perWord)} (${c.header.perWord}) per vocabulary entry [${s.counts.header} loads]`,
    `  load step: ${r(s.load.code)} (${c.load.code}) + ${r(s.load.perTensor)} (${c.load.perTensor}) per tensor [${s.counts.load} loads]`,
    `  runtime while a model runs: ${r(s.runtimeImport)} (${c.runtimeImport})`,
  ].join('\n');
}

function coefficientsText(fitted: SpeedFit): string {
  return JSON.stringify({ decode: fitted.decode, prefill: fitted.prefill });
}

/** refit: write the refitted board and speed constants (speedOnly: the speed model's alone); tables: write the
 *  tables (made with the constants this process read) into docs/memory.md and bench/README.md. */
export function report(records: SweepRecord[], options: { refit: boolean; tables: boolean; speedOnly?: boolean }): string {
  const rows = memoryRows(records);
  const samples = speedSamples(records);
  const fitted = fitSpeed(samples);
  const memory = `${memoryTable(rows)}\n\n${memorySummary(rows)}\n${availableSummary(records)}`;
  const speed = `${speedTable(samples, fitted)}\n\n${speedSummary(samples, fitted)}`;
  if (options.tables) {
    const note = `(${new Date().toISOString().slice(0, 10)}, \`npm run calibrate:firmware\`; decode at positions ${PromptTokens + 1}-${PromptTokens + NewTokens - 1}, mean ${TimedPosition})`;
    for (const file of ['docs/memory.md', 'bench/README.md']) {
      const path = join(REPO_ROOT, file);
      let text = readFileSync(path, 'utf8');
      text = replaceBetweenMarkers(text, 'firmware-memory', `${note}\n\n${memory}`);
      text = replaceBetweenMarkers(text, 'firmware-speed', `${note}\n\n${speed}`);
      writeFileSync(path, text);
    }
  }
  if (options.refit) {
    // The board constants first (the speed section is written after, into the same file); speedOnly keeps them.
    if (!options.speedOnly) writeConstants(suggestConstants(rows));
    const constantsPath = join(REPO_ROOT, 'src', 'memory', 'constants.json');
    const constants = JSON.parse(readFileSync(constantsPath, 'utf8')) as { speed: typeof SpeedC };
    // A path the records have no timings of (a sweep run with --no-python) keeps the coefficients it had.
    const keep = (fit: Record<SpeedPath, SpeedCoefficients>, old: Record<SpeedPath, SpeedCoefficients>): Record<SpeedPath, SpeedCoefficients> => ({
      ulab: Object.keys(fit.ulab).length ? fit.ulab : old.ulab,
      python: Object.keys(fit.python).length ? fit.python : old.python,
    });
    constants.speed = { ...constants.speed, position: TimedPosition, decode: keep(fitted.decode, constants.speed.decode), prefill: keep(fitted.prefill, constants.speed.prefill) };
    writeFileSync(constantsPath, `${JSON.stringify(constants, null, 2)}\n`);
  }
  return [memory, constantsText(rows), speed, `Speed coefficients (cycles per unit): ${coefficientsText(fitted)}`].join('\n\n');
}
