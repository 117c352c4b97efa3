// Writes the refitted board constants where they live: src/memory/constants.json (board and host sections) and the
// const() lines of board/lib/picoformer/memest.py (test/unit/memory/memest-sync.test.ts keeps the two equal).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/emu/firmware';
import type { SuggestedConstants } from './memoryFit';

const block = (x: number): number => Math.max(0, Math.round(x / 16) * 16);

/** The board constants a suggestion sets (names as in memest.py). The Mat and Model sizes (MAT_OBJ, MODEL_OBJ) are
 *  not written: they are measured exactly in the MicroPython VM, and on the firmware they only trade against the
 *  per-view cost. The ulab view (NDARRAY_OBJ) is: the VM has no ulab, so only the firmware measures it. */
export function boardValues(s: SuggestedConstants): Record<string, number> {
  return {
    FILE_OBJ: block(s.objects.file),
    NDARRAY_OBJ: block(s.objects.perView),
    HEADER_CODE: block(s.header.code),
    HEADER_PER_TENSOR: Math.round(s.header.perTensor),
    HEADER_PER_WORD: Math.round(s.header.perWord),
    LOAD_CODE: block(s.load.code),
    LOAD_PER_TENSOR: Math.round(s.load.perTensor),
  };
}

/** The host constants a suggestion sets: the runtime beside a model, when the sweep measured it under board/code.py
 *  (its plain runs); never from the step probe's live heap, which keeps more alive than code.py does (docs/memory.md,
 *  "Calibration on the firmware"). */
export function hostValues(s: SuggestedConstants): Record<string, number> {
  return s.runtimeFromPlain ? { runtimeImportBytes: block(s.runtimeImport) } : {};
}

/** Replaces `NAME = const(N)` numbers in memest.py source; throws when a name is missing. */
export function setMemestConstants(source: string, values: Record<string, number>): string {
  let out = source;
  for (const [name, value] of Object.entries(values)) {
    const pattern = new RegExp(`^(${name} = const\\()\\d+(\\))`, 'm');
    if (!pattern.test(out)) throw new Error(`memest.py has no ${name} = const(...) line`);
    out = out.replace(pattern, `$1${value}$2`);
  }
  return out;
}

export function writeConstants(s: SuggestedConstants): Record<string, number> {
  const jsonPath = join(REPO_ROOT, 'src', 'memory', 'constants.json');
  const table = JSON.parse(readFileSync(jsonPath, 'utf8')) as { board: Record<string, number>; host: Record<string, number> };
  const values = boardValues(s);
  Object.assign(table.board, values);
  Object.assign(table.host, hostValues(s));
  writeFileSync(jsonPath, `${JSON.stringify(table, null, 2)}\n`);
  const memestPath = join(REPO_ROOT, 'board', 'lib', 'picoformer', 'memest.py');
  writeFileSync(memestPath, setMemestConstants(readFileSync(memestPath, 'utf8'), values));
  return values;
}
