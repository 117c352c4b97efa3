// Picoformer: Deploy Runtime to Pico: code.py and lib/picoformer (the board runtime shipped with the extension) to
// a board, unchanged files skipped, with progress, cancellation and verification. Argument (optional):
// { drivePath } to name the drive.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';
import { pickDeployTarget } from './deploy/pickTarget';
import { describeDeployError, runDeploy } from './deploy/runDeploy';
import { UserError, messageOf } from './userError';

export function deployRuntimeCommand(ctx: CommandContext): Command {
  return {
    id: Commands.deployRuntime,
    needsTrust: true,
    execute: async (options: { drivePath?: string } = {}) => {
      const target = await pickDeployTarget(ctx.services, options.drivePath, 'Deploy the runtime to which board?');
      if (!target) return undefined;
      const runtimeDir = vscode.Uri.joinPath(ctx.extension.extensionUri, 'board').fsPath;
      let outcome;
      try {
        // defaultModel null: the board's /picoformer.json is left as it is.
        outcome = await runDeploy({ drivePath: target.drivePath, runtimeDir, defaultModel: null, board: ctx.services.targets.bytecodeFor(target) }, `Deploying the Picoformer runtime to ${target.label}`, ctx.log);
      } catch (error) {
        throw new UserError(describeDeployError(error) ?? messageOf(error), (error as { code?: string }).code);
      }
      const { result } = outcome;
      // Up to date only when the drive held exactly the runtime: nothing written and nothing removed.
      const changed = result.written.length + result.pruned.length;
      const text = changed ? `updated ${result.written.length} file(s) and verified them${result.pruned.length ? `, removed ${result.pruned.length}` : ''}` : 'was already up to date';
      void vscode.window.showInformationMessage(`Picoformer: the runtime on ${target.label} ${text}.`);
      void ctx.services.devices.refresh();
      return { drivePath: target.drivePath, written: result.written, unchanged: result.unchanged, pruned: result.pruned };
    },
  };
}
