// Deploying a float or legacy model offers the int8 conversion first, each choice with its zone on the board.
import * as vscode from 'vscode';
import type { BoardProfile } from '../../memory/boards';
import { estimate } from '../../memory/estimate';
import { estimateModelFromHeader } from '../../memory/input';
import type { Dtype } from '../../model/tensor';
import type { ReadableModelEntry } from '../../services/modelEntry';
import { formatKB, formatSize } from '../../views/viewModels/format';
import { zoneStyle } from '../../views/viewModels/zoneStyle';
import { dtypeName } from '../pickItems';

/** The weight type to deploy with; undefined when the user cancels. Int8 models are deployed as they are. */
export async function askConversion(entry: ReadableModelEntry, board: BoardProfile, preferred: Dtype): Promise<Dtype | undefined> {
  const stored = entry.summary.weights;
  if (stored === 'I8') return 'I8';
  const keep: Dtype = stored === 'mixed' ? 'F32' : stored;
  const choices: Dtype[] = ['I8', keep];
  const items = choices.map((dtype) => {
    const e = estimate(estimateModelFromHeader(entry.header), board, { dtype });
    const style = zoneStyle(e.zone);
    return {
      label: dtype === 'I8' ? `$(${style.icon}) Convert to int8` : `$(${style.icon}) Keep ${dtypeName(dtype)}`,
      description: `${style.label} · needs ${formatKB(e.chosen.required)} of ${formatKB(board.heapBytes)} · ${formatSize(e.fileBytes)} file`,
      detail: dtype === 'I8' ? 'Per-row int8 with float32 scales: about 4× smaller than float32, slightly different logits (recommended).' : `As ${entry.legacy ? 'the legacy trio' : 'the file'} has it.`,
      value: dtype,
    };
  });
  items.sort((a, b) => Number(b.value === preferred) - Number(a.value === preferred));
  const what = entry.legacy ? 'a legacy model (converted to .safetensors on the way)' : `a ${dtypeName(keep)} model`;
  const picked = await vscode.window.showQuickPick(items, { title: `Deploy ${entry.fileLabel}: it is ${what}`, placeHolder: 'Convert it to int8 first?' });
  return picked?.value;
}
