// What a finished deploy says. A stopped virtual Pico keeps its drive (a folder), so a deploy still writes there;
// saying only "Deployed" and offering Generate would hide that nothing runs until the board is started. Pure.

export interface DeployedTargetInfo {
  label: string;
  virtual: boolean;
}

export interface DeployedMessage {
  text: string;
  /** The button the message offers. */
  action: 'generate' | 'startVirtualPico';
}

const stoppedVirtual = (target: DeployedTargetInfo, board: { virtualRunning: boolean }): boolean => target.virtual && !board.virtualRunning;

export function modelDeployedMessage(
  fileName: string,
  target: DeployedTargetInfo,
  counts: { written: number; unchanged: number },
  board: { virtualRunning: boolean },
): DeployedMessage {
  const files = `${counts.written} file(s) written, ${counts.unchanged} unchanged`;
  if (stoppedVirtual(target, board)) {
    return { text: `Deployed ${fileName} to the virtual Pico’s drive and verified it (${files}). The virtual Pico is stopped: start it to run the model.`, action: 'startVirtualPico' };
  }
  return { text: `Deployed ${fileName} to ${target.label} and verified it (${files}).`, action: 'generate' };
}

/** What Deploy Runtime adds about a board it could not reach because it is a stopped virtual Pico ('' otherwise). */
export function runtimeDeployedNote(target: DeployedTargetInfo, board: { virtualRunning: boolean }): string {
  return stoppedVirtual(target, board) ? ' The virtual Pico is stopped: the runtime starts with it.' : '';
}
