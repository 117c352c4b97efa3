// Deciding what a deploy writes, before touching the drive. Pure: it is given the new files and what the drive
// holds, and returns the ordered writes, the skipped (unchanged) files and the space check with its numbers.
//
// Order matters because writing any file makes CircuitPython restart code.py 750 ms later: models first, then the
// runtime library, then the settings naming the default model, and code.py last, so the runtime never starts
// against a half-written model. executeDeploy stages every file under a temporary name first and renames them
// all at the end, so the drive must hold every new file next to the old ones for a moment: that is the space
// the check asks for.

import { sha256 } from './hash';
import { checkTarget } from './boardPaths';
import { otherForm } from './precompiled';

export type DeployFileKind = 'model' | 'runtime' | 'settings' | 'code';

/** A file to put on the board. */
export interface DeploySource {
  /** Relative POSIX path on the drive: "models/story-8k.safetensors", "lib/picoformer/loader.py", "code.py". */
  target: string;
  kind: DeployFileKind;
  bytes: Uint8Array;
  /** Where it came from on this computer, for messages. */
  origin?: string;
}

/** A file already on the drive. `sha256` only when it was worth reading (same size as the new file). */
export interface ExistingFile {
  size: number;
  sha256?: string;
}

export interface DriveState {
  path: string;
  freeBytes: number;
  /** Allocation unit (cluster) of the drive; files occupy whole clusters. */
  blockSize: number;
  /** What is on the drive now at each target (undefined or missing: no file there). */
  existing: Readonly<Record<string, ExistingFile | undefined>>;
  /** Model files on the board (file names under /models) with their sizes, for "what could be removed". */
  boardModels: readonly { name: string; size: number }[];
  /** Board folders that do not exist yet and will be created. */
  missingDirs?: readonly string[];
  /** Runtime files on the board that the new runtime no longer has (lib/picoformer/... targets). */
  obsoleteRuntime?: readonly string[];
}

export interface PlannedWrite {
  target: string;
  kind: DeployFileKind;
  bytes: Uint8Array;
  size: number;
  sha256: string;
  /** Size of the file this replaces, if any. */
  replacesSize?: number;
  /** The other form of this runtime module (.py for a .mpy and back) on the drive: removed once this one is in. */
  removesOther?: string;
  origin?: string;
}

/** Whether the runtime's lib/ modules go as source or as precompiled bytecode, and why (src/device/deploy/precompiled.ts). */
export interface RuntimeForm {
  form: 'py' | 'mpy';
  reason: string;
}

export interface DeployPlan {
  drivePath: string;
  /** In write order: models, runtime, settings, code.py. */
  writes: PlannedWrite[];
  /** Targets left alone because the board already has exactly these bytes. */
  unchanged: string[];
  /** Runtime files to delete after the new runtime is in place. */
  obsolete: string[];
  bytesToWrite: number;
  /** Free space the deploy needs while it runs (whole clusters of every new file, plus a margin). */
  requiredBytes: number;
  freeBytes: number;
  /** Free space once it is done (old versions released). */
  freeAfterBytes: number;
  fits: boolean;
  /** When it does not fit: the numbers and what could be removed. */
  spaceProblem?: string;
  /** Board models not part of this deploy (candidates for removal). */
  otherModels: { name: string; size: number }[];
  /** Present when the runtime is deployed. */
  runtimeForm?: RuntimeForm;
}

export interface PlanOptions {
  /** Rewrite files even when unchanged. */
  force?: boolean;
  runtimeForm?: RuntimeForm;
}

const KindOrder: Record<DeployFileKind, number> = { model: 0, runtime: 1, settings: 2, code: 3 };

/** Bytes a file of `size` occupies on a drive with this cluster size. */
export function allocated(size: number, blockSize: number): number {
  const unit = blockSize > 0 ? blockSize : 512;
  return Math.ceil(size / unit) * unit;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(2)} MB`;
}

export function planDeploy(sources: readonly DeploySource[], drive: DriveState, options: PlanOptions = {}): DeployPlan {
  const seen = new Set<string>();
  for (const source of sources) {
    checkTarget(source.target);
    const key = source.target.toLowerCase(); // FAT names are case-insensitive
    if (seen.has(key)) throw new Error(`Two files would be written to the same place on the board: ${source.target}`);
    seen.add(key);
  }

  const obsolete = drive.obsoleteRuntime ?? [];
  const ordered = [...sources].sort((a, b) => KindOrder[a.kind] - KindOrder[b.kind]);
  const writes: PlannedWrite[] = [];
  const unchanged: string[] = [];
  for (const source of ordered) {
    const hash = sha256(source.bytes);
    const existing = drive.existing[source.target];
    if (!options.force && existing && existing.size === source.bytes.length && existing.sha256 === hash) {
      unchanged.push(source.target);
      continue;
    }
    const write: PlannedWrite = { target: source.target, kind: source.kind, bytes: source.bytes, size: source.bytes.length, sha256: hash };
    if (existing) write.replacesSize = existing.size;
    const other = source.kind === 'runtime' ? otherForm(source.target)?.toLowerCase() : undefined;
    const shadow = other === undefined ? undefined : obsolete.find((t) => t.toLowerCase() === other);
    if (shadow) write.removesOther = shadow;
    if (source.origin) write.origin = source.origin;
    writes.push(write);
  }

  const unit = drive.blockSize > 0 ? drive.blockSize : 512;
  const staged = writes.reduce((sum, w) => sum + allocated(w.size, unit), 0);
  const released = writes.reduce((sum, w) => sum + (w.replacesSize === undefined ? 0 : allocated(w.replacesSize, unit)), 0);
  // Directory entries (long names) and new folders take clusters too.
  const margin = writes.length === 0 ? 0 : unit * (2 + (drive.missingDirs?.length ?? 0));
  const requiredBytes = staged + margin;
  const fits = requiredBytes <= drive.freeBytes;
  const deployedModels = new Set(sources.filter((s) => s.kind === 'model').map((s) => s.target.slice(s.target.indexOf('/') + 1)));
  const otherModels = drive.boardModels.filter((m) => !deployedModels.has(m.name));

  const plan: DeployPlan = {
    drivePath: drive.path,
    writes,
    unchanged,
    obsolete: [...obsolete],
    bytesToWrite: writes.reduce((sum, w) => sum + w.size, 0),
    requiredBytes,
    freeBytes: drive.freeBytes,
    freeAfterBytes: drive.freeBytes - staged + released,
    fits,
    otherModels,
    ...(options.runtimeForm ? { runtimeForm: options.runtimeForm } : {}),
  };
  if (!fits) plan.spaceProblem = describeShortage(plan, released);
  return plan;
}

function describeShortage(plan: DeployPlan, released: number): string {
  const parts = [
    `Not enough space on ${plan.drivePath}: the deploy needs ${formatBytes(plan.requiredBytes)} free while it copies (every new file is written in full before the old one is replaced), and the drive has ${formatBytes(plan.freeBytes)}.`,
  ];
  if (released > 0) parts.push(`The files being replaced would give back ${formatBytes(released)} afterwards, but only once the new ones are complete.`);
  if (plan.otherModels.length > 0) {
    const list = plan.otherModels.map((m) => `${m.name} (${formatBytes(m.size)})`).join(', ');
    parts.push(`Models on the board that could be removed: ${list}.`);
  } else if (released > 0) {
    parts.push('Removing the old model from the board first would make room (the board then has no model until the deploy finishes).');
  }
  return parts.join(' ');
}
