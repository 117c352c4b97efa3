// The webview side of the VS Code API, typed: messages to the host and the page's own saved state.
import type { RunParams, WebviewMessage } from '../panels/protocol';

/** What the page remembers across hide/show and reloads (VS Code keeps it with the panel). */
export interface SavedState {
  /** The generation form as the user left it; null until the host's defaults arrived once. */
  form: RunParams | null;
  memoryOpen: boolean;
  generationOpen: boolean;
  trainingOpen: boolean;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function loadState(): SavedState {
  const raw = api.getState() as Partial<SavedState> | undefined;
  return {
    form: raw?.form ?? null,
    memoryOpen: raw?.memoryOpen ?? true,
    generationOpen: raw?.generationOpen ?? true,
    trainingOpen: raw?.trainingOpen ?? true,
  };
}

export function saveState(state: SavedState): void {
  api.setState(state);
}
