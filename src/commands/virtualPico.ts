// Picoformer: Start Virtual Pico / Stop Virtual Pico: the simulated board (MicroPython in a worker, a folder as its
// CIRCUITPY drive). Start also makes it the board to talk to.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';

export function startVirtualPicoCommand(ctx: CommandContext): Command {
  return {
    id: Commands.startVirtualPico,
    needsTrust: true,
    execute: async () => {
      const { virtualPico, devices } = ctx.services;
      const machine = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the virtual Pico…' }, () => virtualPico.start());
      devices.preferVirtual(true);
      ctx.services.targets.use({ kind: 'virtual' });
      void devices.refresh();
      // Its drive folder is in the Devices view: no temp path in the message.
      void vscode.window.showInformationMessage(`Picoformer: the virtual Pico is running, with a ${Math.round(machine.heapBudget / 1024)} KB heap budget.`);
      return { running: true, driveDir: machine.driveDir, heapBudget: machine.heapBudget };
    },
  };
}

export function stopVirtualPicoCommand(ctx: CommandContext): Command {
  return {
    id: Commands.stopVirtualPico,
    execute: async () => {
      if (ctx.services.targets.spec?.kind === 'virtual') await ctx.services.targets.clear();
      const stopped = await ctx.services.virtualPico.stop();
      if (!stopped) void vscode.window.showInformationMessage('Picoformer: the virtual Pico is not running.');
      return { running: false, wasRunning: stopped };
    },
  };
}
