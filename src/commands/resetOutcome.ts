// What Reset Board says once the board has reloaded. The runtime starts again only if the drive holds it: on a board
// without it (nothing deployed yet, or removed), the reload runs nothing, and saying "starting again" would send the
// user waiting for a runtime that never comes. Pure.
import type { DeployedState } from '../device/deploy/deployedState';

export interface ResetOutcome {
  text: string;
  /** Whether the runtime starts: 'unknown' when there is no drive to look at (a board known by its port only). */
  runtime: 'starting' | 'missing' | 'unknown';
}

export function resetOutcome(label: string, state: DeployedState | undefined): ResetOutcome {
  if (!state) return { text: `${label} reset (soft reload)`, runtime: 'unknown' };
  if (state.runtime) return { text: `${label} reset; its runtime is starting again`, runtime: 'starting' };
  return { text: `${label} reset, but it has no Picoformer runtime, so nothing starts. Deploy a model (the runtime goes with it) or the runtime alone.`, runtime: 'missing' };
}
