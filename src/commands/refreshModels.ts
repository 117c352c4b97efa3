// Picoformer: Refresh Models (the Models view's title button): re-reads every model file and the boards' drives.
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';

export function refreshModelsCommand(ctx: CommandContext): Command {
  return {
    id: Commands.refreshModels,
    execute: async () => {
      ctx.services.catalog.refresh();
      const entries = await ctx.services.catalog.entries();
      return { models: entries.length, unreadable: entries.filter((e) => !e.ok).length };
    },
  };
}
