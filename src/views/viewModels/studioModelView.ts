// The model line of the Studio panel, from the parsed header.
import type { ModelHeader } from '../../model/modelFile';
import { modelFileName } from '../../model/displayName';
import { summarize } from '../../model/summary';
import type { ModelView } from '../../panels/protocol';
import { formatCount, formatSize } from './format';

export function studioModelView(header: ModelHeader, location: string, legacy: boolean): ModelView {
  const s = summarize(header);
  return {
    name: modelFileName(location, legacy),
    ownName: s.name,
    location,
    legacy,
    parameters: s.parameterCount,
    detail: `model ${s.name} · ${formatCount(s.parameterCount)} parameters · ${s.weights} · ${formatSize(s.fileBytes)} file · context ${s.config.context_length}${legacy ? ' · legacy trio' : ''}`,
    contextLength: s.config.context_length,
  };
}
