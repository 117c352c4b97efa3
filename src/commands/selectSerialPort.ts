// Picoformer: Select Serial Port…: a detected port, one typed in (a pty, an unusual board), automatic detection, or
// the virtual Pico. Saved to picoformer.serialPort, and made the board the extension talks to. Argument (optional):
// a port path, "auto" or "virtual".
import * as vscode from 'vscode';
import type { BoardDevice } from '../device/types';
import { Commands } from '../ids';
import { type TargetSpec, specOfDevice } from '../services/boardTargets';
import type { Command, CommandContext } from './command';
import { type PortChoice, serialPortItems } from './pickItems';

export function selectSerialPortCommand(ctx: CommandContext): Command {
  return {
    id: Commands.selectSerialPort,
    execute: async (arg?: unknown) => {
      const { settings, devices } = ctx.services;
      let choice: PortChoice | undefined =
        arg === 'auto' ? { kind: 'auto' } : arg === 'virtual' ? { kind: 'virtual' } : typeof arg === 'string' && arg.trim() ? { kind: 'port', path: arg.trim() } : undefined;
      if (!choice) {
        const snapshot = await devices.snapshot();
        const items = serialPortItems(snapshot?.ports ?? [], settings.current().serialPort);
        choice = (await vscode.window.showQuickPick(items, { title: 'Select Serial Port', placeHolder: snapshot?.ports.length ? 'The board to talk to' : 'No serial port detected: enter one, detect later, or use the virtual Pico' }))?.value;
      }
      if (choice?.kind === 'manual') {
        const path = await vscode.window.showInputBox({ title: 'Serial port path', placeHolder: '/dev/ttyACM0, /dev/pts/3, COM5', validateInput: (v) => (v.trim() ? undefined : 'Enter a port path.') });
        choice = path ? { kind: 'port', path: path.trim() } : undefined;
      }
      if (!choice) return undefined;
      devices.preferVirtual(choice.kind === 'virtual');
      if (choice.kind !== 'virtual') await settings.update('serialPort', choice.kind === 'port' ? choice.path : '');
      // The choice is the board the extension talks to from now on (the status bar's connection item shows it).
      if (choice.kind === 'virtual') ctx.services.targets.use({ kind: 'virtual' });
      else if (choice.kind === 'port') ctx.services.targets.use(portTarget(devices.boardsNow(), choice.path));
      else await ctx.services.targets.clear('The serial port setting changed: Picoformer looks for a board again.');
      ctx.log.info(`Serial port: ${choice.kind === 'port' ? choice.path : choice.kind}.`);
      return { serialPort: choice.kind === 'port' ? choice.path : choice.kind === 'auto' ? '' : 'virtual' };
    },
  };
}

/** The target for a port: the detected board whose console it is, else a board on that port. */
function portTarget(boards: readonly BoardDevice[], path: string): TargetSpec {
  const board = boards.find((d) => !d.virtual && d.console?.path === path);
  return (board && specOfDevice(board)) ?? { kind: 'serial', port: path, label: `board on ${path}` };
}
