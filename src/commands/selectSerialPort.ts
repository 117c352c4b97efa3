// Picoformer: Select Serial Port…: a detected port, one typed in (a pty, an unusual board), automatic detection, or
// the virtual Pico. Saved to picoformer.serialPort. Argument (optional): a port path, "auto" or "virtual".
import * as vscode from 'vscode';
import { Commands } from '../ids';
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
      ctx.log.info(`Serial port: ${choice.kind === 'port' ? choice.path : choice.kind}.`);
      return { serialPort: choice.kind === 'port' ? choice.path : choice.kind === 'auto' ? '' : 'virtual' };
    },
  };
}
