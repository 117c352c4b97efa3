// The status bar memory gauge: draws a GaugeView (text, theme-coloured background, Markdown tooltip, click).
import * as vscode from 'vscode';
import type { GaugeView } from '../viewModels/gaugeView';

export const GaugeId = 'picoformer.memoryGauge';

export class MemoryGauge implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem(GaugeId, vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Picoformer Memory';
  }

  show(view: GaugeView): void {
    const item = this.item;
    item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltipMarkdown, true);
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
    item.backgroundColor = view.backgroundColorId ? new vscode.ThemeColor(view.backgroundColorId) : undefined;
    item.accessibilityInformation = { label: view.ariaLabel, role: 'button' };
    item.command = { command: view.command, title: 'Open Picoformer Studio' };
    item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
