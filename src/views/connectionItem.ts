// The status bar's connection item, beside the memory gauge: the board the extension talks to and whether it is
// connected (connectionView.ts decides the words); a click picks a board or a serial port.
import * as vscode from 'vscode';
import { Commands } from '../ids';
import { boardLabel } from '../services/boardTargets';
import type { Services } from '../services/services';
import { connectionView } from './viewModels/connectionView';

export const ConnectionItemId = 'picoformer.connection';

export class ConnectionItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(ConnectionItemId, vscode.StatusBarAlignment.Left, 51);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: Services) {
    this.item.name = 'Picoformer Board';
    const update = () => this.update();
    this.subscriptions = [services.targets.onDidChange(update), services.virtualPico.onDidChange(update), services.devices.onDidChange(update)];
    this.update();
  }

  update(): void {
    const { targets, virtualPico, devices } = this.services;
    const spec = targets.spec;
    const runtime = targets.runtime;
    const view = connectionView({
      ...(spec ? { board: { label: boardLabel(spec), virtual: spec.kind === 'virtual' } } : {}),
      state: targets.connectionState,
      virtualRunning: virtualPico.machine !== undefined,
      ...(runtime ? { runtime } : {}),
      ...(targets.liveHeap ? { freeHeap: targets.liveHeap.free } : {}),
      boardsFound: devices.boardsNow().filter((d) => !d.virtual && d.console && !d.bootloader).length,
      command: Commands.selectSerialPort,
    });
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltipMarkdown, true);
    tooltip.isTrusted = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: view.ariaLabel, role: 'button' };
    this.item.command = { command: view.command, title: 'Pick a board or a serial port' };
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
