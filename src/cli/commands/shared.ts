// Pieces several commands share: the output file option and the weight-type flags.
import { access } from 'node:fs/promises';
import { writeFileAtomically } from '../../files/writeAtomically';
import type { Dtype } from '../../model/tensor';
import { type Parsed, stringOption } from '../args';
import { UsageError } from '../command';

/** --int8 / --f16 / --f32 (at most one); `fallback` when none is given. */
export function dtypeFlag<T extends Dtype | undefined>(parsed: Parsed, fallback: T): Dtype | T {
  const chosen = (['int8', 'f16', 'f32'] as const).filter((f) => parsed.values[f] === true);
  if (chosen.length > 1) throw new UsageError(`choose one of --${chosen.join(', --')}`);
  if (chosen.length === 0) return fallback;
  return ({ int8: 'I8', f16: 'F16', f32: 'F32' } as const)[chosen[0]];
}

/** Writes to -o (required), refusing to overwrite without --force; via a temporary name so no half file remains. */
export async function writeOutput(parsed: Parsed, bytes: Uint8Array): Promise<string> {
  const out = stringOption(parsed, 'output');
  if (out === undefined || out === '') throw new UsageError('missing -o <out.safetensors>');
  if (parsed.values.force !== true && (await exists(out))) {
    throw new UsageError(`${out} already exists (add --force to overwrite it)`);
  }
  await writeFileAtomically(out, bytes);
  return out;
}

/** Whether `path` exists (any kind of file). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
