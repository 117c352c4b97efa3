// Picoformer: Estimate Memory: the heap a model needs on the selected board, as a readable page (Markdown preview).
// Arguments (all optional): a model (path, Uri or tree row), then { dtype: 'I8'|'F16'|'F32'|'stored', contextLength,
// show: false } — without `show: false` the page opens; it always resolves to the figures.
import * as vscode from 'vscode';
import { estimate } from '../memory/estimate';
import { estimateModelFromHeader } from '../memory/input';
import type { Dtype } from '../model/tensor';
import { Commands } from '../ids';
import { deployDtype, selectedBoard } from '../services/settings';
import type { Command, CommandContext } from './command';
import { estimateMarkdown } from './estimate/estimateMarkdown';
import { resolveModel } from './pickModel';

export interface EstimateOptions {
  dtype?: Dtype | 'stored';
  contextLength?: number;
  show?: boolean;
}

export function estimateMemoryCommand(ctx: CommandContext): Command {
  return {
    id: Commands.estimateMemory,
    execute: async (arg?: unknown, options: EstimateOptions = {}) => {
      const { services } = ctx;
      const entry = await resolveModel(services, arg, 'Estimate Memory');
      if (!entry) return undefined;
      const settings = services.settings.current();
      const board = selectedBoard(settings);
      const stored = entry.summary.weights;
      const dtype = options.dtype === 'stored' ? (stored === 'mixed' ? undefined : stored) : (options.dtype ?? deployDtype(stored, settings.defaultQuantization));
      const e = estimate(estimateModelFromHeader(entry.header), board, { dtype, contextLength: options.contextLength });
      services.selection.select(entry.path);
      const location = vscode.workspace.asRelativePath(entry.path, false);
      const markdown = estimateMarkdown({ summary: entry.summary, fileName: entry.fileLabel, location, legacy: entry.legacy, estimate: e, dtype: dtype ?? stored });
      if (options.show !== false) {
        const uri = services.documents.set(`Memory estimate ${entry.fileLabel}.md`, markdown);
        await vscode.commands.executeCommand('markdown.showPreview', uri).then(undefined, () => vscode.window.showTextDocument(uri, { preview: true }));
      }
      ctx.log.info(`Estimate: ${entry.fileLabel} on ${board.id}: ${e.zone}, needs ${e.chosen.required} B (${e.mode ?? 'no mode fits'}).`);
      return { model: entry.summary.name, file: entry.fileLabel, path: entry.path, board: board.id, dtype: dtype ?? stored, zone: e.zone, mode: e.mode, requiredBytes: e.chosen.required, headroomBytes: e.chosen.headroom, markdown };
    },
  };
}
