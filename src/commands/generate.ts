// Picoformer: Generate on Pico…: runs a model on the board (or the virtual Pico) and streams the tokens into the
// Studio panel, whose run it waits for. Arguments (optional): the model (path, Uri, tree row, or { model, drivePath }
// naming a file on a board), then GenerateOptions.
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../ids';
import { estimateModelFromHeader } from '../memory/input';
import type { Studio } from '../panels/registerStudio';
import { whereOf } from '../services/boardTargets';
import { deployDtype, selectedBoard } from '../services/settings';
import type { Command, CommandContext } from './command';
import { undeployableReason } from './deploy/undeployable';
import { ensureOnBoard } from './generate/ensureOnBoard';
import { pickGenerationTarget } from './generate/pickGenerationTarget';
import { resolveModel } from './pickModel';
import { UserError } from './userError';

export interface GenerateOptions {
  prompt?: string;
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  seed?: number;
  /** "virtual" or a serial port path (default: as chosen, or ask). */
  target?: string;
  /** false: no prompts (the prompt defaults to ""), a missing model is deployed without asking, the Studio stays closed. */
  interactive?: boolean;
}

const RunTimeoutMs = 10 * 60_000;

export function generateCommand(ctx: CommandContext, studio: Studio): Command {
  return {
    id: Commands.generate,
    needsTrust: true,
    execute: async (arg?: unknown, options: GenerateOptions = {}) => {
      const { services } = ctx;
      const interactive = options.interactive !== false;
      const onBoard = arg as { model?: unknown; drivePath?: unknown } | undefined;
      const modelArg = typeof onBoard?.model === 'string' && typeof onBoard.drivePath === 'string' ? join(onBoard.drivePath, 'models', onBoard.model) : arg;
      const entry = await resolveModel(services, modelArg, 'Generate on Pico');
      if (!entry) return undefined;
      const target = await pickGenerationTarget(services, options.target);
      if (!target) return undefined;
      const settings = services.settings.current();
      const undeployable = undeployableReason({
        modelName: basename(entry.path), model: estimateModelFromHeader(entry.header), board: selectedBoard(settings), dtype: deployDtype(entry.summary.weights, settings.defaultQuantization),
      });
      if (!(await ensureOnBoard(entry, target.drivePath, whereOf(target.spec), interactive, undeployable))) return undefined;
      const prompt = options.prompt ?? (interactive ? await vscode.window.showInputBox({ title: `Generate with ${entry.fileLabel}`, prompt: 'Prompt (may be empty)', value: '' }) : '');
      if (prompt === undefined) return undefined;
      services.targets.use(target.spec);
      studio.refreshTarget();
      await studio.selectModel(entry.path);
      services.selection.select(entry.path);
      if (interactive) studio.open();
      const defaults = services.settings.current().generation;
      const params = { prompt, maxTokens: options.maxTokens ?? defaults.maxTokens, temperature: options.temperature ?? defaults.temperature, topK: options.topK ?? defaults.topK, seed: options.seed ?? defaults.seed };
      const before = studio.session.currentState.run?.id ?? 0;
      await studio.session.handle({ type: 'generate', params });
      const id = studio.session.currentState.run?.id;
      if (id === undefined || id === before) throw new UserError('A generation is already running: stop it in the Studio first.');
      const current = () => studio.session.currentState.run;
      const deadline = Date.now() + RunTimeoutMs;
      while (current()?.id === id && current()?.status === 'running' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const run = current();
      if (!run || run.id !== id) throw new UserError('The generation was replaced by another one before it finished.');
      ctx.log.info(`Generate on ${run.target.label}: ${run.status}, ${run.tokens} token(s)${run.error ? `: ${run.error.message}` : ''}.`);
      if (run.status === 'error' && !interactive) throw new UserError(run.error?.message ?? 'The generation failed.', run.error?.code);
      return { status: run.status, text: run.text, tokens: run.tokens, target: run.target, seed: run.params.seed, error: run.error };
    },
  };
}
