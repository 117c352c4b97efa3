// Which board Generate on Pico… talks to: the one named, the virtual Pico when the user chose it (or when no board
// is plugged in), the only board with a console, or one the user picks.
import * as vscode from 'vscode';
import type { BoardDevice } from '../../device/types';
import type { Services } from '../../services/services';
import type { TargetSpec } from '../../services/boardTargets';

export interface GenerationTargetChoice {
  spec: TargetSpec;
  /** The board's drive, when known (to check that the model is there, and to deploy it). */
  drivePath?: string;
}

/** `given`: "virtual" or a serial port path. `title`: the question, when several boards could be meant. */
export async function pickGenerationTarget(services: Services, given: string | undefined, title = 'Generate on which board?'): Promise<GenerationTargetChoice | undefined> {
  const virtual = (): GenerationTargetChoice => ({ spec: { kind: 'virtual' }, drivePath: services.virtualPico.ensureDrive() });
  if (given === 'virtual') return virtual();
  const boards = (await services.devices.boards()).filter((d) => !d.virtual && d.console && !d.bootloader);
  const asChoice = (d: BoardDevice): GenerationTargetChoice => ({
    spec: { kind: 'serial', port: (d.console as { path: string }).path, label: `${d.board ?? 'Pico'} on ${(d.console as { path: string }).path}`, ...(d.drive ? { drivePath: d.drive.path } : {}) },
    ...(d.drive ? { drivePath: d.drive.path } : {}),
  });
  if (given) {
    const match = boards.find((d) => d.console?.path === given);
    return match ? asChoice(match) : { spec: { kind: 'serial', port: given, label: `board on ${given}` } };
  }
  const setting = services.settings.current().serialPort;
  if (setting && !services.devices.prefersVirtual) return pickGenerationTarget(services, setting, title);
  if (services.devices.prefersVirtual || boards.length === 0) return virtual();
  if (boards.length === 1) return asChoice(boards[0]);
  const items = [...boards.map((d) => ({ label: `$(circuit-board) ${d.label}`, description: d.console?.path, choice: asChoice(d) })), { label: '$(vm) Virtual Pico', description: 'simulated on this computer', choice: virtual() }];
  return (await vscode.window.showQuickPick(items, { title }))?.choice;
}
