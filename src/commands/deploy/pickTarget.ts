// Which board's drive a deploy writes to: the one given, the picoformer.drivePath setting, the only board found, or
// one the user picks (real boards first, then the virtual Pico).
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../services/services';
import { deployTargetItems } from '../pickItems';
import { UserError } from '../userError';

export interface DeployTarget {
  drivePath: string;
  label: string;
  virtual: boolean;
  /** The board's console, when known: where Generate on Pico… talks to it afterwards. */
  port?: string;
  /** The drive came from the picoformer.drivePath setting (a failure there offers to open it). */
  fromSetting?: boolean;
}

export async function pickDeployTarget(services: Services, given: string | undefined, title: string): Promise<DeployTarget | undefined> {
  if (given) {
    // A drive named by a caller (the Studio's Deploy now, Generate's offer): the board it belongs to, when known.
    const known = (await services.devices.deployTargets()).find((d) => d.drive && resolve(d.drive.path) === resolve(given));
    if (known) return asTarget(known);
    if (resolve(given) === resolve(services.virtualPico.ensureDrive())) return { drivePath: given, label: 'the virtual Pico', virtual: true };
    return { drivePath: given, label: given, virtual: false };
  }
  const setting = services.settings.current().drivePath;
  if (setting) return { drivePath: setting, label: setting, virtual: false, fromSetting: true };
  const targets = await services.devices.deployTargets();
  const real = targets.filter((d) => !d.virtual);
  // One real board: that one. None: the virtual Pico when the user chose it, else ask (it is always there).
  const candidates = real.length === 1 && !services.devices.prefersVirtual ? real : targets;
  if (candidates.length === 0) {
    const findings = services.devices.findings();
    throw new UserError(`No board to deploy to. ${findings[0] ? `${findings[0].message} ${findings[0].hint}` : 'Plug in a Pico running CircuitPython, or start the virtual Pico.'}`);
  }
  if (candidates.length === 1) return asTarget(candidates[0]);
  const items = deployTargetItems(candidates);
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which board?' });
  return picked ? asTarget(picked.value) : undefined;
}

function asTarget(d: { drive?: { path: string }; label: string; virtual: boolean; console?: { path: string } }): DeployTarget {
  return { drivePath: (d.drive as { path: string }).path, label: d.virtual ? 'the virtual Pico' : d.label, virtual: d.virtual, ...(d.console ? { port: d.console.path } : {}) };
}
