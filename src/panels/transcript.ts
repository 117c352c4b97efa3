// A finished (or running) generation as plain text, for the clipboard and for saving.
import type { ModelView, RunView } from './protocol';

export function transcriptText(run: RunView, model: ModelView | null): string {
  const p = run.params;
  const lines = [
    'Picoformer transcript',
    `Model: ${run.modelName}${model && model.name === run.modelName ? ` (model ${model.ownName}, ${model.location})` : ''}`,
    `Target: ${run.target.label}`,
    `Settings: max tokens ${p.maxTokens}, temperature ${p.temperature}, top-k ${p.topK}, seed ${p.seed}`,
  ];
  if (run.promptTokens !== null) {
    const extra: string[] = [];
    if (run.truncated > 0) extra.push(`${run.truncated} dropped from the left to fit the context`);
    if (run.unknown > 0) extra.push(`${run.unknown} unknown character${run.unknown === 1 ? '' : 's'}`);
    lines.push(`Prompt tokens: ${run.promptTokens}${extra.length ? ` (${extra.join('; ')})` : ''}`);
  }
  lines.push('', '--- prompt ---', p.prompt, '--- generated ---', run.text, '---');
  if (run.error) lines.push(`Error (${run.error.code}): ${run.error.message}`);
  else lines.push(run.summary ?? 'still running');
  return lines.join('\n') + '\n';
}

/** "story-8k-transcript.txt" (from the model's file name) */
export function transcriptFileName(run: RunView): string {
  const safe = run.modelName.replace(/\.safetensors$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_') || 'model';
  return `${safe}-transcript.txt`;
}
