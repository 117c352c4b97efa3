// The board a device command (console, reset, load) acts on: the one given (a Devices row, "virtual", a port path),
// else the board generation runs go to, else as Generate on Pico… chooses (the setting, the only board, or a pick).
import type { BoardDevice } from '../../device/types';
import { type TargetSpec, boardLabel, specOfDevice } from '../../services/boardTargets';
import type { Services } from '../../services/services';
import { pickGenerationTarget } from '../generate/pickGenerationTarget';

export interface ChosenBoard {
  spec: TargetSpec;
  /** "Virtual Pico", "Raspberry Pi Pico on /dev/ttyACM0". */
  label: string;
}

/** What a Devices row passes to its menu commands. */
export interface BoardRowArg {
  target?: TargetSpec;
  device?: BoardDevice;
}


export async function chooseBoard(services: Services, arg: unknown, title: string): Promise<ChosenBoard | undefined> {
  const row = (typeof arg === 'object' && arg !== null ? arg : {}) as BoardRowArg;
  const given = row.target ?? (row.device ? specOfDevice(row.device) : undefined);
  if (given) return { spec: given, label: boardLabel(given) };
  if (typeof arg === 'string' && arg.trim()) {
    const picked = await pickGenerationTarget(services, arg.trim(), title);
    return picked && { spec: picked.spec, label: boardLabel(picked.spec) };
  }
  const current = services.targets.spec;
  if (current) return { spec: current, label: boardLabel(current) };
  const picked = await pickGenerationTarget(services, undefined, title);
  return picked && { spec: picked.spec, label: boardLabel(picked.spec) };
}
