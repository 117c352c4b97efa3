// A model that cannot be deployed to generate with it: as it would be deployed it does not fit the board, and neither
// int8 nor the streamed mode (what the deploy's verdict offers) would make it fit. Offering "Deploy now" for it
// leads to a refusal; the Studio and Generate on Pico… say this instead. Pure (no vscode).
import type { BoardProfile } from '../../memory/boards';
import { estimate } from '../../memory/estimate';
import type { EstimateModel } from '../../memory/input';
import type { Dtype } from '../../model/tensor';
import { deployVerdict } from './verdict';

export interface UndeployableInput {
  /** The file name shown to the user ("random-100k.safetensors"). */
  modelName: string;
  model: EstimateModel;
  board: BoardProfile;
  /** The dtype a deploy would write; undefined: as stored. */
  dtype: Dtype | undefined;
}

/** Why the model cannot be deployed, said of "it" ("it does not fit on …: …."), or undefined when a deploy can work. */
export function undeployableReason(input: UndeployableInput): string | undefined {
  const e = estimate(input.model, input.board, { dtype: input.dtype });
  if (e.zone !== 'impossible') return undefined;
  const int8 = input.dtype === 'I8' ? undefined : estimate(input.model, input.board, { dtype: 'I8' });
  const verdict = deployVerdict({ modelName: input.modelName, estimate: e, int8 });
  if (verdict.offers.length > 0) return undefined;
  return verdict.message.replace(`${input.modelName} does not fit`, 'it does not fit');
}

/** The message for a model missing from `where` that cannot be deployed there. */
export function missingAndUndeployable(fileName: string, where: string, reason: string): string {
  return `${fileName} is not on ${where}, and it cannot be deployed there: ${reason} Choose a smaller model.`;
}
