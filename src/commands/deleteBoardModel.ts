// Picoformer: Delete from Board (the Models view's context menu on a model under a board): removes the file from
// the board's /models after a modal confirmation; /picoformer.json then names another model. Arguments: the tree
// row, or { drivePath, fileName, confirm: false } (tests skip the dialog with confirm: false).
import * as vscode from 'vscode';
import { nodeDeployFs } from '../device/deploy/deployFs';
import { removeModels } from '../device/deploy/removeModels';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';
import { UserError } from './userError';

interface Target {
  drivePath?: unknown;
  fileName?: unknown;
  confirm?: unknown;
  board?: { drivePath: string; fileName: string };
}

export function deleteBoardModelCommand(ctx: CommandContext): Command {
  return {
    id: Commands.deleteBoardModel,
    needsTrust: true,
    execute: async (arg?: unknown) => {
      const t = (arg ?? {}) as Target;
      const drivePath = t.board?.drivePath ?? t.drivePath;
      const fileName = t.board?.fileName ?? t.fileName;
      if (typeof drivePath !== 'string' || typeof fileName !== 'string') throw new UserError('Delete from Board works on a model listed under a board in the Models view.');
      if (t.confirm !== false) {
        const answer = await vscode.window.showWarningMessage(`Delete ${fileName} from the board?`, { modal: true, detail: `It is removed from ${drivePath}/models; this cannot be undone.` }, 'Delete');
        if (answer !== 'Delete') return undefined;
      }
      const result = await removeModels(nodeDeployFs(), drivePath, [fileName]);
      ctx.log.info(`Deleted ${fileName} from ${drivePath}; default model now ${result.defaultModel ?? 'none'}.`);
      void ctx.services.devices.refresh();
      return result;
    },
  };
}
