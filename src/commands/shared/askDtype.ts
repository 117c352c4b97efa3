// "Which weight type?" for import and quantize: int8, float16, float32, or keep what the file has.
import * as vscode from 'vscode';
import type { Dtype } from '../../model/tensor';
import { type Quantization, QuantizationDtypes } from '../../services/settings';

export type DtypeChoice = Dtype | 'keep';

const Choices: { value: DtypeChoice; label: string; detail: string }[] = [
  { value: 'I8', label: 'int8', detail: 'Matrices as int8 with one float32 scale per row: about 4× smaller than float32; what deploying uses by default.' },
  { value: 'F16', label: 'float16', detail: 'Every weight as float16: half the size of float32, nearly the same logits.' },
  { value: 'F32', label: 'float32', detail: 'Every weight as float32: the largest; undoes int8 (the dequantized values).' },
  { value: 'keep', label: 'Keep as is', detail: 'The weight type the source has.' },
];

/** Asks for a weight type; the setting's default quantization is offered first. `stored`: the source's type. */
export async function askDtype(defaultQuantization: Quantization, title: string, stored: Dtype, allowKeep = true): Promise<DtypeChoice | undefined> {
  const preferred = QuantizationDtypes[defaultQuantization];
  const items = Choices.filter((c) => allowKeep || c.value !== 'keep').map((c) => ({
    label: c.label,
    description: [c.value === preferred ? 'default (picoformer.defaultQuantization)' : '', c.value === stored ? 'as the source' : ''].filter(Boolean).join(' · '),
    detail: c.detail,
    value: c.value,
  }));
  items.sort((a, b) => Number(b.value === preferred) - Number(a.value === preferred));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Choose the weight type' });
  return picked?.value;
}
