// The Board Files view's commands. Delete from Board… (a file or a folder, after a modal confirmation; a model in
// /models is removed the way Delete from Board does it for models, so /picoformer.json stays right). Open Drive:
// the drive in the system's file manager on a desktop, else in the Board Files view. Refresh.
// Arguments: the view's rows, a Devices row, or { drivePath, target, confirm: false } (tests skip the dialog).
import * as vscode from 'vscode';
import { deleteFromDrive, filesUnder, nodeDriveFs, normalizeTarget } from '../device/drives/driveFiles';
import { Commands } from '../ids';
import type { BoardFilesViewProvider } from '../views/boardFilesView';
import type { Command, CommandContext } from './command';
import { UserError } from './userError';

interface FileArg {
  drivePath?: unknown;
  target?: unknown;
  confirm?: unknown;
  drive?: { drivePath?: unknown };
  entry?: { target?: unknown };
  device?: { drive?: { path?: unknown }; label?: unknown };
}

export function deleteBoardFileCommand(ctx: CommandContext, view: BoardFilesViewProvider): Command {
  return {
    id: Commands.deleteBoardFile,
    needsTrust: true,
    execute: async (arg?: unknown) => {
      // The row the menu was opened on; without one (its view refreshed meanwhile), the row it selected.
      const a = (arg ?? view.selectedEntry ?? {}) as FileArg;
      const drivePath = a.drive?.drivePath ?? a.drivePath;
      const target = a.entry?.target ?? a.target;
      if (typeof drivePath !== 'string' || typeof target !== 'string') throw new UserError('Delete from Board works on a file or folder in the Board Files view.');
      const fs = nodeDriveFs();
      const shown = `/${normalizeTarget(target)}`;
      if (a.confirm !== false) {
        const { files, folders } = await filesUnder(fs, drivePath, target).catch(() => ({ files: [], folders: [] }));
        const what = folders.length ? `the folder ${shown} and the ${files.length} file(s) in it` : shown;
        const answer = await vscode.window.showWarningMessage(`Delete ${what} from the board?`, { modal: true, detail: `It is removed from ${drivePath}; this cannot be undone.` }, 'Delete');
        if (answer !== 'Delete') return undefined;
      }
      const result = await deleteFromDrive(fs, drivePath, target);
      ctx.log.info(`Deleted ${shown} from ${drivePath}: ${result.files.length} file(s), ${result.folders.length} folder(s)${result.defaultModel !== undefined ? `; default model now ${result.defaultModel}` : ''}.`);
      view.refresh();
      void ctx.services.devices.refresh();
      return result;
    },
  };
}

export function refreshBoardFilesCommand(view: BoardFilesViewProvider): Command {
  return {
    id: Commands.refreshBoardFiles,
    execute: () => {
      view.refresh();
      return { refreshed: true };
    },
  };
}

export function openDriveCommand(ctx: CommandContext, view: BoardFilesViewProvider): Command {
  return {
    id: Commands.openDrive,
    execute: async (arg?: unknown) => {
      const a = (arg ?? {}) as FileArg;
      let drivePath = a.device?.drive?.path ?? a.drive?.drivePath ?? a.drivePath;
      if (typeof drivePath !== 'string') {
        const targets = await ctx.services.devices.deployTargets();
        drivePath = targets.find((d) => !d.virtual)?.drive?.path ?? targets[0]?.drive?.path;
      }
      if (typeof drivePath !== 'string') throw new UserError('No board drive is connected.');
      // A desktop editor on this computer has a file manager to open; a browser or remote window does not.
      if (vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName) {
        await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(drivePath));
        return { drivePath, shown: 'file manager' };
      }
      if (!(await view.reveal(drivePath))) throw new UserError(`The drive ${drivePath} is not listed in Board Files (is the board still connected?).`);
      return { drivePath, shown: 'Board Files' };
    },
  };
}
