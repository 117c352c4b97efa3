// Picoformer: Deploy Runtime to Pico: code.py and lib/picoformer (the board runtime shipped with the extension) to
// a board, unchanged files skipped, with progress, cancellation and verification. Argument (optional):
// { drivePath } to name the drive, or a Devices row ({ device }).
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';
import { pickDeployTarget } from './deploy/pickTarget';
import { runtimeDeployedNote } from './deploy/deployedMessage';
import { wakeDeployedBoard } from './deploy/wakeBoard';
import { deployFailure, runDeploy } from './deploy/runDeploy';

export function deployRuntimeCommand(ctx: CommandContext): Command {
  return {
    id: Commands.deployRuntime,
    needsTrust: true,
    execute: async (options: { drivePath?: string; device?: { drive?: { path?: string } } } = {}) => {
      // A Devices row carries its board (device), a Models or Board Files board node its drivePath.
      const drivePath = options.drivePath ?? options.device?.drive?.path;
      const target = await pickDeployTarget(ctx.services, drivePath, 'Deploy the runtime to which board?');
      if (!target) return undefined;
      const runtimeDir = vscode.Uri.joinPath(ctx.extension.extensionUri, 'board').fsPath;
      let outcome;
      try {
        // defaultModel null: the board's /picoformer.json is left as it is.
        outcome = await runDeploy({ drivePath: target.drivePath, runtimeDir, defaultModel: null, board: ctx.services.targets.bytecodeFor(target) }, `Deploying the Picoformer runtime to ${target.label}`, ctx.log);
      } catch (error) {
        throw deployFailure(error, target);
      }
      const { result } = outcome;
      void ctx.services.devices.refresh();
      // Up to date on the drive says nothing about whether it runs: reach it (a board at the REPL is restarted).
      const woke = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting the runtime on ${target.label}…` }, () => wakeDeployedBoard(ctx.services, target));
      // Up to date only when the drive held exactly the runtime: nothing written and nothing removed.
      const changed = result.written.length + result.pruned.length;
      const files = changed ? `updated ${result.written.length} file(s) and verified them${result.pruned.length ? `, removed ${result.pruned.length}` : ''}` : 'was already up to date';
      const running =
        woke === undefined ? runtimeDeployedNote(target, { virtualRunning: ctx.services.virtualPico.machine !== undefined }) : woke.reloaded ? ' It was not running (the board was at the REPL), so the board was restarted; it runs now.' : ' It is running.';
      void vscode.window.showInformationMessage(`Picoformer: the runtime on ${target.label} ${files}.${running}`);
      return { drivePath: target.drivePath, written: result.written, unchanged: result.unchanged, pruned: result.pruned, running: woke !== undefined, restarted: woke?.reloaded === true };
    },
  };
}
