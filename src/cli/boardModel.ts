// Which model file on the board `picoformer run` generates with: the one asked for (by file name, name without
// .safetensors, model name, or a host model's deployed name), else the one the runtime has loaded. Pure.
import type { ModelEntry } from '../device/protocol/events';

export class BoardModelError extends Error {
  constructor(
    readonly code: 'no_models' | 'no_model' | 'not_deployed',
    message: string,
  ) {
    super(message);
    this.name = 'BoardModelError';
  }
}

function listing(models: readonly ModelEntry[]): string {
  return models.map((m) => (m.error ? `${m.file} (unusable: ${m.error.message})` : m.file)).join(', ');
}

/**
 * `requested`: what --model said (undefined: the loaded model). `candidates`: when --model named a model file on
 * this computer, the names deploying it can have given it on the board (as stored, or converted). `deploy`: the
 * command that would put a model there, for the messages.
 */
export function chooseBoardModel(models: readonly ModelEntry[], requested: string | undefined, candidates: readonly string[] = [], deploy = 'picoformer deploy MODEL'): string {
  if (models.length === 0) throw new BoardModelError('no_models', `There are no models on the board: deploy one first (${deploy}).`);
  if (requested === undefined) {
    const loaded = models.find((m) => m.loaded);
    if (loaded) return loaded.file;
    const usable = models.filter((m) => !m.error);
    if (usable.length === 1) return usable[0].file;
    throw new BoardModelError('no_model', `No model is loaded on the board; choose one with --model NAME. On the board: ${listing(models)}.`);
  }
  const lower = requested.toLowerCase();
  const byFile = (name: string) => models.find((m) => m.file === name) ?? models.find((m) => m.file.toLowerCase() === name.toLowerCase());
  const found =
    byFile(requested) ??
    byFile(`${requested}.safetensors`) ??
    models.find((m) => m.name !== undefined && m.name.toLowerCase() === lower) ??
    candidates.map(byFile).find((m) => m !== undefined);
  if (found) return found.file;
  throw new BoardModelError('not_deployed', `${requested} is not on the board: deploy it first (${deploy}). On the board: ${listing(models)}.`);
}
