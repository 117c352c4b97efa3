// The buttons a failed run offers, chosen by its error code and where it ran: what fixes the problem, in place
// (Deploy now, Restart virtual Pico, Choose a board, Open settings, Choose another model). Imported by the webview
// (to draw them) and the host (to accept only a button the run really offered). Imports only the protocol's types.
import type { ErrorAction, ErrorActionId, TargetKindId } from './protocol';

const Label: Readonly<Record<ErrorActionId, string>> = {
  deployModel: 'Deploy now',
  restartVirtualPico: 'Restart virtual Pico',
  selectBoard: 'Choose a board',
  openSettings: 'Open settings',
  chooseModel: 'Choose another model',
};

/** Codes whose fix is to (re)deploy the model with the runtime. */
const DeployFixes = new Set(['not_deployed', 'no_runtime', 'not_found']);
/** Codes that mean the board's runtime could not be reached or was lost. */
const Unreachable = new Set(['no_answer', 'disconnected', 'restarted', 'timeout', 'closed', 'no-repl', 'ended']);
/** A model missing from the board that deploying would not put there: it does not fit (studioSession.ts). */
const NoFit = 'does_not_fit';
/** Serial port problems: another board, or the port setting. */
const PortProblems = new Set(['port_busy', 'port_not_found', 'port']);

/** Whether `code` says the model or the runtime is missing from the board (a deploy would fix it, if it fits). */
export function isMissingFromBoard(code: string): boolean {
  return DeployFixes.has(code);
}

export function runErrorActions(code: string, target: TargetKindId): ErrorAction[] {
  const ids: ErrorActionId[] = [];
  if (code === NoFit) ids.push('chooseModel');
  else if (DeployFixes.has(code)) ids.push('deployModel');
  else if (Unreachable.has(code)) ids.push(target === 'virtual' ? 'restartVirtualPico' : 'deployModel');
  else if (PortProblems.has(code)) ids.push('selectBoard', 'openSettings');
  return ids.map((id) => ({ id, label: Label[id] }));
}
