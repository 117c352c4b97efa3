// Picoformer: Deploy Model to Pico: pick a model (size and zone listed) and a board, see the memory verdict before
// anything is written, convert on the fly (float/legacy -> int8 offered first), then copy with progress and
// cancellation, verify, and offer to generate. Arguments (optional): the model, then DeployModelOptions.
import * as vscode from 'vscode';
import { estimate, type MemoryEstimate } from '../memory/estimate';
import { estimateModelFromHeader } from '../memory/input';
import type { Dtype } from '../model/tensor';
import { Commands } from '../ids';
import { QuantizationDtypes, selectedBoard } from '../services/settings';
import type { Command, CommandContext } from './command';
import { askConversion } from './deploy/askConversion';
import { confirmVerdict } from './deploy/confirmVerdict';
import { pickDeployTarget } from './deploy/pickTarget';
import { modelForBoard } from './deploy/prepareModel';
import { deployFailure, runDeploy } from './deploy/runDeploy';
import { deployVerdict } from './deploy/verdict';
import { modelDeployedMessage } from './deploy/deployedMessage';
import { wakeDeployedBoard } from './deploy/wakeBoard';
import { resolveModel } from './pickModel';
import { UserError } from './userError';

export interface DeployModelOptions {
  /** The weight type on the board (default: ask for float/legacy models; int8 stays int8). */
  dtype?: Dtype;
  /** The board's drive folder (default: picoformer.drivePath, the only board, or pick). */
  drivePath?: string;
  /** Also deploy (or update) the runtime: code.py and lib/picoformer. Default true. */
  runtime?: boolean;
  /** false: no dialogs (a danger model deploys, an impossible one is refused), no offer to generate. */
  interactive?: boolean;
}

export function deployModelCommand(ctx: CommandContext): Command {
  return {
    id: Commands.deployModel,
    needsTrust: true,
    execute: async (arg?: unknown, options: DeployModelOptions = {}) => {
      const { services } = ctx;
      const interactive = options.interactive !== false;
      const entry = await resolveModel(services, arg, 'Deploy Model to Pico');
      if (!entry) return undefined;
      const settings = services.settings.current();
      const board = selectedBoard(settings);
      let dtype = options.dtype ?? (interactive ? await askConversion(entry, board, QuantizationDtypes[settings.defaultQuantization]) : entry.summary.weights === 'mixed' ? 'I8' : entry.summary.weights);
      if (!dtype) return undefined;
      const target = await pickDeployTarget(services, options.drivePath, `Deploy ${entry.fileLabel} to which board?`);
      if (!target) return undefined;
      // The verdict, before anything is written; "Convert to int8" re-checks as int8.
      let mode: 'auto' | 'streamed' = 'auto';
      let e: MemoryEstimate;
      for (;;) {
        e = estimate(estimateModelFromHeader(entry.header), board, { dtype });
        const int8 = dtype === 'I8' ? undefined : estimate(estimateModelFromHeader(entry.header), board, { dtype: 'I8' });
        const verdict = deployVerdict({ modelName: entry.fileLabel, estimate: e, int8 });
        ctx.log.info(`Deploy verdict for ${entry.fileLabel} (${dtype}) on ${board.id}: ${verdict.kind}: ${verdict.message}`);
        const answer = await confirmVerdict(verdict, interactive);
        if (answer === 'int8') dtype = 'I8';
        else if (answer === 'streamed') mode = 'streamed';
        if (answer === 'cancel') {
          if (verdict.kind === 'refuse' && !interactive) throw new UserError(verdict.message, 'does-not-fit');
          return { deployed: false, zone: verdict.zone, reason: verdict.message };
        }
        if (answer !== 'int8') break;
      }
      const model = await modelForBoard(entry, dtype);
      const runtimeDir = options.runtime === false ? undefined : vscode.Uri.joinPath(ctx.extension.extensionUri, 'board').fsPath;
      let outcome;
      try {
        // The chosen mode goes into /picoformer.json too, so the runtime also loads the model that way at boot.
        outcome = await runDeploy({ drivePath: target.drivePath, models: [model], runtimeDir, defaultModelMode: mode, board: services.targets.bytecodeFor(target) }, `Deploying ${entry.fileLabel} to ${target.label}`, ctx.log);
      } catch (error) {
        throw deployFailure(error, target);
      }
      const fileName = model.fileName as string;
      await ctx.extension.workspaceState.update(`picoformer.loadMode:${fileName}`, mode);
      services.selection.select(entry.path);
      void services.devices.refresh();
      void wakeDeployedBoard(services, target, { file: fileName, modelPath: entry.path });
      const { result } = outcome;
      const message = modelDeployedMessage(fileName, target, { written: result.written.length, unchanged: result.unchanged.length }, { virtualRunning: services.virtualPico.machine !== undefined });
      ctx.log.info(message.text);
      if (interactive && message.action === 'startVirtualPico') {
        void vscode.window.showInformationMessage(`Picoformer: ${message.text}`, 'Start Virtual Pico').then((choice) => {
          if (choice) void vscode.commands.executeCommand(Commands.startVirtualPico);
        });
      } else if (interactive) {
        void vscode.window.showInformationMessage(`Picoformer: ${message.text}`, 'Generate on Pico…').then((choice) => {
          const on = target.virtual ? 'virtual' : target.port;
          if (choice) void vscode.commands.executeCommand(Commands.generate, { model: fileName, drivePath: target.drivePath }, on ? { target: on } : {});
        });
      }
      return { deployed: true, message: message.text, drivePath: target.drivePath, fileName, dtype, zone: e.zone, mode: mode === 'streamed' ? 'streamed' : e.mode, written: result.written, unchanged: result.unchanged, bytesWritten: result.bytesWritten };
    },
  };
}
