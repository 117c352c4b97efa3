// Picoformer: Select Board Profile…: which board's heap models are checked against, saved to picoformer.boardProfile
// (and picoformer.customHeapKB for a custom heap). Arguments (optional): a profile id, then { customHeapKB }.
import * as vscode from 'vscode';
import { type BoardId, CustomHeapKbRange, isBoardId } from '../memory/boards';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';
import { boardProfileItems } from './pickItems';
import { UserError } from './userError';

export function selectBoardProfileCommand(ctx: CommandContext): Command {
  return {
    id: Commands.selectBoardProfile,
    execute: async (arg?: unknown, options: { customHeapKB?: number } = {}) => {
      const settings = ctx.services.settings.current();
      if (arg !== undefined && (typeof arg !== 'string' || !isBoardId(arg))) throw new UserError(`Unknown board profile ${JSON.stringify(arg)}.`);
      let id: BoardId | undefined = arg;
      if (id === undefined) {
        const picked = await vscode.window.showQuickPick(boardProfileItems(settings.boardProfile, settings.customHeapKB), { title: 'Select Board Profile', placeHolder: 'The board whose heap models are checked against' });
        id = picked?.value;
      }
      if (!id) return undefined;
      let heap = options.customHeapKB;
      if (id === 'custom' && heap === undefined) {
        const text = await vscode.window.showInputBox({ title: 'Custom board: usable heap in KB', value: String(settings.customHeapKB), validateInput: heapProblem });
        if (text === undefined) return undefined;
        heap = Number(text);
      }
      if (heap !== undefined) {
        const problem = heapProblem(String(heap));
        if (problem) throw new UserError(problem);
        await ctx.services.settings.update('customHeapKB', heap);
      }
      await ctx.services.settings.update('boardProfile', id);
      ctx.log.info(`Board profile: ${id}${id === 'custom' ? ` (${heap ?? settings.customHeapKB} KB)` : ''}.`);
      return { boardProfile: id, customHeapKB: heap ?? settings.customHeapKB };
    },
  };
}

function heapProblem(text: string): string | undefined {
  const n = Number(text);
  const { min, max } = CustomHeapKbRange;
  return Number.isFinite(n) && n >= min && n <= max ? undefined : `Enter a number of KB between ${min} and ${max}.`;
}
