// Picoformer: Start Virtual Pico / Stop Virtual Pico: the simulated board (MicroPython in a worker, a folder as its
// CIRCUITPY drive). Start also makes it the board to talk to. Its progress notification lasts until the machine has
// booted, and nothing more is said when it did (the Devices view and the status bar show it running); started on
// open ({ quiet: true }), it shows progress in the status bar only.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';

export function startVirtualPicoCommand(ctx: CommandContext): Command {
  return {
    id: Commands.startVirtualPico,
    needsTrust: true,
    execute: async (options?: { quiet?: boolean }) => {
      const { virtualPico, devices } = ctx.services;
      const location = options?.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
      const { machine, booted } = await vscode.window.withProgress({ location, title: 'Starting the virtual Pico…' }, async () => {
        const started = await virtualPico.start();
        devices.preferVirtual(true);
        ctx.services.targets.use({ kind: 'virtual' });
        void devices.refresh();
        return { machine: started, booted: await virtualPico.booted() };
      });
      ctx.log.info(`Virtual Pico ${booted ? 'running' : 'started, still booting'} (${Math.round(machine.heapBudget / 1024)} KB heap budget).`);
      if (!options?.quiet) vscode.window.setStatusBarMessage('$(vm-active) Picoformer: the virtual Pico is running', 4000);
      return { running: true, booted, driveDir: machine.driveDir, heapBudget: machine.heapBudget };
    },
  };
}

export function stopVirtualPicoCommand(ctx: CommandContext): Command {
  return {
    id: Commands.stopVirtualPico,
    execute: async () => {
      if (ctx.services.targets.spec?.kind === 'virtual') await ctx.services.targets.clear('The virtual Pico was stopped.');
      const stopped = await ctx.services.virtualPico.stop();
      if (!stopped) void vscode.window.showInformationMessage('Picoformer: the virtual Pico is not running.');
      return { running: false, wasRunning: stopped };
    },
  };
}
