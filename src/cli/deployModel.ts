// The model half of `picoformer deploy`: the memory verdict printed before anything is written (and the question
// for the danger zone), and the model's bytes and board file name (converted when the weight type changes).
import { basename } from 'node:path';
import { deployVerdict } from '../commands/deploy/verdict';
import type { DeployModel } from '../device/deploy/prepareDeploy';
import type { BoardProfile } from '../memory/boards';
import { estimate } from '../memory/estimate';
import { estimateModelFromHeader } from '../memory/input';
import { writeModel } from '../model/modelFile';
import { loadAnyModel } from '../model/modelIo';
import { convertModel } from '../model/quantize';
import type { Dtype } from '../model/tensor';
import { boardFileName } from '../services/boardFileName';
import type { ReadableModelEntry } from '../services/modelEntry';
import { formatKB } from '../views/viewModels/format';
import type { CliIo } from './command';
import type { Terminal } from './interactive';

const DtypeNames: Record<Dtype, string> = { I8: 'int8', F16: 'float16', F32: 'float32' };

/** The model as it goes to the board: converted when the weight type changes (legacy trios always). */
export async function modelForBoard(entry: ReadableModelEntry, dtype: Dtype | undefined): Promise<{ model: DeployModel; fileName: string }> {
  if (dtype === undefined) {
    const fileName = basename(entry.path);
    return { model: { path: entry.path, fileName }, fileName };
  }
  const fileName = boardFileName(entry, dtype);
  if (!entry.legacy && dtype === entry.summary.weights) return { model: { path: entry.path, fileName }, fileName };
  const { model } = await loadAnyModel(entry.path);
  return { model: { bytes: writeModel(convertModel(model, dtype)), fileName, path: entry.path }, fileName };
}

/** Prints the verdict; resolves to whether to go on. */
export async function checkMemory(entry: ReadableModelEntry, dtype: Dtype | undefined, board: BoardProfile, yes: boolean, io: CliIo, terminal: Terminal): Promise<boolean> {
  const header = estimateModelFromHeader(entry.header);
  const e = estimate(header, board, dtype ? { dtype } : {});
  const int8 = dtype === 'I8' ? undefined : estimate(header, board, { dtype: 'I8' });
  const name = `${entry.summary.name}${dtype && dtype !== entry.summary.weights ? ` (as ${DtypeNames[dtype]})` : ''}`;
  const verdict = deployVerdict({ modelName: name, estimate: e, int8 });
  io.out(`Memory: ${verdict.message}\n`);
  const stored = dtype ?? entry.summary.weights;
  if (stored !== 'I8' && int8 && verdict.kind !== 'refuse') {
    const what = entry.legacy ? 'a legacy model' : stored === 'mixed' ? 'a model with mixed weight types' : `a ${DtypeNames[stored]} model`;
    io.err(
      `note: this is ${what}; int8 is recommended (files about 4x smaller than float32): as int8 it would need ${formatKB(int8.chosen.required)} of heap (${int8.zone}) instead of ${formatKB(e.chosen.required)}. Add --int8 to convert it on the way.\n`,
    );
  }
  if (verdict.offers.includes('streamed')) io.err(`note: to load it streamed, run it with --mode streamed (picoformer run).\n`);
  if (verdict.kind === 'refuse') {
    const offer = verdict.offers.includes('int8') ? ' Try again with --int8.' : ' Choose a smaller model (or a board with more memory, --board).';
    io.err(`picoformer deploy: refused: the model does not fit; nothing was written.${offer}\n`);
    return false;
  }
  if (verdict.kind === 'warn' && !yes) {
    const answer = terminal.confirm('Deploy it anyway?');
    if (answer === undefined) {
      io.err('picoformer deploy: the model is in the danger zone; add --yes to deploy it anyway. Nothing was written.\n');
      return false;
    }
    if (!(await answer)) {
      io.err('Nothing was written.\n');
      return false;
    }
  }
  return true;
}
