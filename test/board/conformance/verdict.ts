// The TypeScript reader's verdict on a file, in the form every board runner reports its own: the code of the
// header-level check (what listing a model runs) and of the full read (weights decoded and checked, what a
// resident load runs), or "ok"; anything but a ModelFormatError is a crash.
import { ModelFormatError } from '../../../src/model/errors';
import { readModel, readModelHeader } from '../../../src/model/modelFile';

export interface Verdict {
  header: string;
  full: string;
}

export const Crash = 'crash';

function judge(read: () => unknown): string {
  try {
    read();
    return 'ok';
  } catch (err) {
    return err instanceof ModelFormatError ? err.code : `${Crash}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

export function tsVerdict(bytes: Uint8Array): Verdict {
  const header = judge(() => readModelHeader(bytes));
  return { header, full: header === 'ok' ? judge(() => readModel(bytes)) : header };
}
