// Picoformer: Install CircuitPython…: for a Pico running MicroPython or in BOOTSEL (or one not set up yet), the
// steps to put CircuitPython on it, with its download page a click away. Argument (optional): a Devices row or
// { device }; without one, the first detected board that needs it, else a plain Pico.
import * as vscode from 'vscode';
import { installGuide, needsCircuitPython } from '../device/circuitPythonInstall';
import type { BoardDevice } from '../device/types';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';

export function installCircuitPythonCommand(ctx: CommandContext): Command {
  return {
    id: Commands.installCircuitPython,
    execute: async (arg?: unknown) => {
      const given = (arg as { device?: BoardDevice } | undefined)?.device;
      const device = given ?? ctx.services.devices.boardsNow().find(needsCircuitPython);
      const board = device?.board ?? 'Raspberry Pi Pico';
      const guide = installGuide(device?.board, device?.bootloader ?? false);
      const open = 'Open Download Page';
      const message = `Install CircuitPython on ${device ? device.label : 'a Raspberry Pi Pico'}: ${guide.steps.map((s, i) => `(${i + 1}) ${s}`).join(' ')}`;
      ctx.log.info(message);
      void vscode.window.showInformationMessage(message, open).then((choice) => {
        if (choice === open) void vscode.env.openExternal(vscode.Uri.parse(guide.url));
      });
      return { board, url: guide.url, steps: guide.steps };
    },
  };
}
