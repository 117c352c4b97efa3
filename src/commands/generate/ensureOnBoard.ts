// Before generating: is the model on the board? When the board's drive is known and none of the names deploying
// gives it is there, offer to deploy it (or deploy without asking when told to).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../ids';
import type { Dtype } from '../../model/tensor';
import { boardFileName } from '../../services/boardFileName';
import type { ReadableModelEntry } from '../../services/modelEntry';
import { UserError } from '../userError';

/** True when the model is (now) on the board, false when the user declined to deploy it. */
export async function ensureOnBoard(entry: ReadableModelEntry, drivePath: string | undefined, interactive: boolean): Promise<boolean> {
  if (!drivePath) return true; // no drive to look at: the runtime's own list decides
  const names = (['I8', 'F16', 'F32'] as Dtype[]).map((d) => boardFileName(entry, d));
  if (names.some((n) => existsSync(join(drivePath, 'models', n)))) return true;
  if (interactive) {
    const answer = await vscode.window.showInformationMessage(`${entry.summary.name} is not on the board yet. Deploy it first?`, { modal: true }, 'Deploy');
    if (answer !== 'Deploy') return false;
  }
  const result = (await vscode.commands.executeCommand(Commands.deployModel, entry.path, { drivePath, interactive })) as { deployed?: boolean; error?: string } | undefined;
  if (result?.error) throw new UserError(`Deploying ${entry.summary.name} failed: ${result.error}`);
  return result?.deployed === true;
}
