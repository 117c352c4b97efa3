// Before generating: is the runtime on the board, and the model? When the board's drive is known and either is
// missing, offer to deploy the model (the runtime goes with it), or deploy without asking when told to.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { readDeployedState } from '../../device/deploy/deployedState';
import { Commands } from '../../ids';
import type { Dtype } from '../../model/tensor';
import { boardFileName } from '../../services/boardFileName';
import type { ReadableModelEntry } from '../../services/modelEntry';
import { missingAndUndeployable } from '../deploy/undeployable';
import { UserError } from '../userError';

/** True when the model is (now) on the board with the runtime, false when the user declined to deploy it.
 *  `undeployable`: why the model could not be deployed to this board (undeployable.ts), if so: a model missing from
 *  the board is then refused at once, not offered a deploy that would be refused. */
export async function ensureOnBoard(entry: ReadableModelEntry, drivePath: string | undefined, where: string, interactive: boolean, undeployable?: string): Promise<boolean> {
  const state = drivePath ? readDeployedState(drivePath) : undefined;
  if (!drivePath || !state) return true; // no drive to look at: the runtime's own list decides
  const names = (['I8', 'F16', 'F32'] as Dtype[]).map((d) => boardFileName(entry, d));
  const modelThere = names.some((n) => state.models.includes(n));
  const fileName = basename(entry.path);
  if (modelThere && state.runtime) return true;
  if (!modelThere && undeployable) throw new UserError(missingAndUndeployable(fileName, where, undeployable), 'does-not-fit');
  if (interactive) {
    const missing = modelThere ? `${where} has no Picoformer runtime yet` : `${fileName} is not on ${where} yet`;
    const answer = await vscode.window.showInformationMessage(`${missing}. Deploy ${modelThere ? 'the runtime' : 'it'} now?`, { modal: true, detail: 'Deploying copies the model and the Picoformer runtime to the board and verifies them.' }, 'Deploy now');
    if (answer !== 'Deploy now') return false;
  }
  const result = (await vscode.commands.executeCommand(Commands.deployModel, entry.path, { drivePath, interactive })) as { deployed?: boolean; error?: string } | undefined;
  if (result?.error) throw new UserError(`Deploying ${fileName} failed: ${result.error}`);
  return result?.deployed === true;
}
