// `picoformer deploy` output: the plan (what is written, skipped, deleted, and the space it needs), progress lines
// on stderr and the closing summary. Pure.
import type { DeployProgress, DeployResult } from '../device/deploy/executeDeploy';
import type { DeployPlan } from '../device/deploy/planDeploy';
import { otherForm } from '../device/deploy/precompiled';
import { table } from './deviceText';
import { size } from './sizeText';

interface PlanRow {
  /** swap: a delete of a runtime module's other form (its .py when it now goes as .mpy, or back). */
  action: 'write' | 'skip' | 'delete' | 'swap';
  target: string;
  bytes?: number;
  /** Size of the file a write replaces. */
  replaces?: number;
}

const shown = (action: PlanRow['action']): string => (action === 'swap' ? 'delete' : action);
const swapNote = (target: string): string => `(the runtime goes as ${/\.py$/i.test(target) ? '.mpy' : '.py'} now)`;

function folderOf(target: string): string {
  const at = target.lastIndexOf('/');
  return at < 0 ? '' : target.slice(0, at + 1);
}

/** Runs of more than `max` rows with the same action in the same folder become one row (the runtime's modules). */
function groupRows(rows: readonly PlanRow[], max = 3): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < rows.length; ) {
    const folder = folderOf(rows[i].target);
    let j = i;
    while (j < rows.length && rows[j].action === rows[i].action && folder !== '' && folderOf(rows[j].target) === folder) j++;
    const run = rows.slice(i, Math.max(j, i + 1));
    if (run.length > max) {
      const total = run.reduce((sum, r) => sum + (r.bytes ?? 0), 0);
      const replaced = run.filter((r) => r.replaces !== undefined).length;
      const note = run[0].action === 'skip' ? '(unchanged)' : run[0].action === 'delete' ? '(no longer part of the runtime)' : run[0].action === 'swap' ? swapNote(run[0].target) : replaced === 0 ? '(new)' : replaced === run.length ? '(replacing)' : `(${run.length - replaced} new, ${replaced} replacing)`;
      out.push([shown(run[0].action), `${folder} (${run.length} files)`, total ? size(total) : '', note]);
    } else {
      for (const r of run) {
        const note = r.action === 'skip' ? '(unchanged)' : r.action === 'delete' ? '(no longer part of the runtime)' : r.action === 'swap' ? swapNote(r.target) : r.replaces === undefined ? '(new)' : `(replaces ${size(r.replaces)})`;
        out.push([shown(r.action), r.target, r.bytes === undefined ? '' : size(r.bytes), note]);
      }
    }
    i += run.length;
  }
  return out;
}

export function formatPlan(plan: DeployPlan): string {
  const deployed = new Set([...plan.writes.map((w) => w.target), ...plan.unchanged].map((t) => t.toLowerCase()));
  const rows: PlanRow[] = [
    ...plan.writes.map((w): PlanRow => ({ action: 'write', target: w.target, bytes: w.size, ...(w.replacesSize === undefined ? {} : { replaces: w.replacesSize }) })),
    ...plan.unchanged.map((target): PlanRow => ({ action: 'skip', target })),
    ...plan.obsolete.map((target): PlanRow => ({ action: deployed.has(otherForm(target)?.toLowerCase() ?? '') ? 'swap' : 'delete', target })),
  ];
  const lines = [`Plan for ${plan.drivePath}:`];
  if (rows.length) lines.push(table(groupRows(rows)));
  if (plan.writes.length === 0) {
    lines.push('  nothing to write: the board already has every file.');
  } else {
    lines.push(
      `  ${plan.writes.length} file${plan.writes.length === 1 ? '' : 's'}, ${size(plan.bytesToWrite)} to write; ` +
        `needs ${size(plan.requiredBytes)} free while copying, the drive has ${size(plan.freeBytes)}` +
        (plan.fits ? ` (${size(Math.max(0, plan.freeAfterBytes))} free after).` : '.'),
    );
  }
  return `${lines.join('\n')}\n`;
}

const PhaseText: Record<DeployProgress['phase'], string> = {
  cleanup: 'looking for leftovers of an interrupted deploy',
  copy: 'copying',
  commit: 'verifying',
  prune: 'removing',
  done: 'done',
};

/** One progress line: "copying models/x.safetensors (12.0 KB of 20.6 KB, 58%)". */
export function progressLine(p: DeployProgress): string {
  const share = p.bytesTotal > 0 ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
  const what = p.target ? `${PhaseText[p.phase]} ${p.target}` : PhaseText[p.phase];
  return `${what} (${size(p.bytesDone)} of ${size(p.bytesTotal)}, ${share}%)`;
}

/**
 * Progress on stderr: on a terminal one line redrawn in place; otherwise a line per file and phase, so a log
 * stays short.
 */
export class ProgressPrinter {
  private last = '';
  private width = 0;

  /** Folders with more files than this are announced once rather than file by file. */
  private readonly crowded = new Map<string, number>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    plan?: DeployPlan,
  ) {
    const counts = new Map<string, number>();
    for (const w of plan?.writes ?? []) counts.set(folderOf(w.target), (counts.get(folderOf(w.target)) ?? 0) + 1);
    for (const [folder, n] of counts) if (folder !== '' && n > 3) this.crowded.set(folder, n);
  }

  update(p: DeployProgress): void {
    if (this.tty) {
      const line = `  ${progressLine(p)}`;
      this.write(`\r${line.padEnd(this.width)}`);
      this.width = Math.max(this.width, line.length);
      return;
    }
    // Per file while copying (the slow part); the renames and checks after it as one line.
    const folder = p.target ? folderOf(p.target) : '';
    const grouped = p.phase === 'copy' && this.crowded.has(folder);
    const key = p.phase === 'copy' || p.phase === 'prune' ? `${p.phase} ${grouped ? folder : (p.target ?? '')}` : p.phase;
    if (key === this.last || p.phase === 'done' || p.phase === 'cleanup' || (p.phase === 'copy' && !p.target)) return;
    this.last = key;
    const line =
      p.phase === 'commit'
        ? `verifying and renaming ${p.filesTotal} file${p.filesTotal === 1 ? '' : 's'} into place`
        : grouped
          ? `copying ${folder} (${this.crowded.get(folder)} files)`
          : p.target
            ? `${PhaseText[p.phase]} ${p.target}`
            : PhaseText[p.phase];
    this.write(`  ${line}\n`);
  }

  /** Ends the redrawn line. */
  finish(): void {
    if (this.tty && this.width > 0) this.write('\n');
    this.width = 0;
  }
}

export function formatSummary(plan: DeployPlan, result: DeployResult, what: string): string {
  const parts = [`${result.written.length} file${result.written.length === 1 ? '' : 's'} written (${size(result.bytesWritten)})`, `${result.unchanged.length} unchanged`];
  if (result.pruned.length) parts.push(`${result.pruned.length} old runtime file${result.pruned.length === 1 ? '' : 's'} removed`);
  if (result.staleRemoved.length) parts.push(`${result.staleRemoved.length} leftover temporary file${result.staleRemoved.length === 1 ? '' : 's'} removed`);
  return `Deployed ${what} to ${plan.drivePath} and verified it: ${parts.join(', ')}.\n`;
}
