// Picoformer: Refresh Devices: scans for boards now (instead of at the next poll) and says what it found.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { Command, CommandContext } from './command';

export function refreshDevicesCommand(ctx: CommandContext): Command {
  return {
    id: Commands.refreshDevices,
    execute: async () => {
      const snapshot = await vscode.window.withProgress({ location: { viewId: 'picoformer.devices' }, title: 'Scanning for boards…' }, () => ctx.services.devices.refresh());
      const devices = snapshot?.devices ?? [];
      const real = devices.filter((d) => !d.virtual).length;
      ctx.log.info(`Refresh Devices: ${real} board(s), ${devices.length - real} virtual, ${snapshot?.ports.length ?? 0} serial port(s).`);
      return { boards: real, virtual: devices.length - real, ports: snapshot?.ports.length ?? 0, findings: ctx.services.devices.findings().map((f) => f.code) };
    },
  };
}
