// The Models view's menu on a model under a board: Load on Board (the runtime loads that file now, in the mode it
// was deployed with) and Generate on Pico… on that board. Argument: the tree row ({ board: { device, fileName } }).
import * as vscode from 'vscode';
import { RuntimeCommandError } from '../device/serial/session';
import type { BoardDevice } from '../device/types';
import { Commands } from '../ids';
import { boardLabel, specOfDevice } from '../services/boardTargets';
import type { Command, CommandContext } from './command';
import { UserError } from './userError';

interface BoardModelArg {
  board?: { device?: BoardDevice; fileName?: unknown };
}

function boardModel(arg: unknown, what: string): { device: BoardDevice; fileName: string } {
  const board = (arg as BoardModelArg | undefined)?.board;
  if (!board?.device || typeof board.fileName !== 'string') throw new UserError(`${what} works on a model listed under a board in the Models view.`);
  return { device: board.device, fileName: board.fileName };
}

export function loadOnBoardCommand(ctx: CommandContext): Command {
  return {
    id: Commands.loadOnBoard,
    needsTrust: true,
    execute: async (arg?: unknown) => {
      const { device, fileName } = boardModel(arg, 'Load on Board');
      const spec = specOfDevice(device);
      if (!spec) throw new UserError(`${device.label} has no serial console to talk to, so nothing can be loaded on it.`);
      const label = boardLabel(spec);
      const loaded = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Loading ${fileName} on ${label}…` }, async (progress) => {
        const session = await ctx.services.targets.hostSession(spec);
        try {
          return await session.load(fileName, ctx.extension.workspaceState.get(`picoformer.loadMode:${fileName}`), (event) => {
            if (event.ev === 'load' && event.total > 0) progress.report({ message: `${Math.round((event.done / event.total) * 100)}%` });
          });
        } catch (error) {
          if (error instanceof RuntimeCommandError) throw new UserError(`${label} could not load ${fileName}: ${error.message}`, error.code);
          throw error;
        }
      });
      ctx.log.info(`Loaded ${fileName} on ${label} (${loaded.mode}, ${loaded.model_bytes} bytes, ${loaded.mem_free} bytes free).`);
      vscode.window.setStatusBarMessage(`$(check) Picoformer: ${fileName} loaded on ${label} (${loaded.mode})`, 5000);
      return { file: loaded.file, mode: loaded.mode, modelBytes: loaded.model_bytes, memFree: loaded.mem_free };
    },
  };
}

export function generateOnBoardCommand(): Command {
  return {
    id: Commands.generateOnBoard,
    needsTrust: true,
    execute: async (arg?: unknown) => {
      const { device } = boardModel(arg, 'Generate on Pico');
      const spec = specOfDevice(device);
      if (!spec) throw new UserError(`${device.label} has no serial console to generate on.`);
      return vscode.commands.executeCommand(Commands.generate, arg, { target: spec.kind === 'virtual' ? 'virtual' : spec.port });
    },
  };
}
