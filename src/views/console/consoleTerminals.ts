// The serial console in a VS Code terminal: one Pseudoterminal per board around a BoardConsole (the logic lives in
// src/device/console/), attached to the board's session as BoardTargets shares it. Opening the console of a board
// that already has one shows that terminal.
import * as vscode from 'vscode';
import { BoardConsole, type ConsoleHost } from '../../device/console/boardConsole';
import { type BoardTargets, type TargetSpec, sameTarget } from '../../services/boardTargets';

export class ConsoleTerminals implements vscode.Disposable {
  private readonly terminals: { spec: TargetSpec; terminal: vscode.Terminal }[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(private readonly targets: BoardTargets) {
    this.subscription = vscode.window.onDidCloseTerminal((closed) => {
      const index = this.terminals.findIndex((t) => t.terminal === closed);
      if (index >= 0) this.terminals.splice(index, 1);
    });
  }

  /** Shows the console of `spec` (opening it, and a session on the board, if needed). */
  show(spec: TargetSpec, label: string): vscode.Terminal {
    const existing = this.terminals.find((t) => sameTarget(t.spec, spec));
    if (existing) {
      existing.terminal.show();
      return existing.terminal;
    }
    const host: ConsoleHost = {
      label,
      link: () => this.targets.link(spec),
      onSession: (listener) => this.targets.onDidOpenSession((opened) => sameTarget(opened.spec, spec) && listener(opened.session)),
    };
    const write = new vscode.EventEmitter<string>();
    const closed = new vscode.EventEmitter<void>();
    let console: BoardConsole | undefined;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      onDidClose: closed.event,
      open: () => {
        console = new BoardConsole(host, (text) => write.fire(text));
        void console.open();
      },
      close: () => {
        console?.close();
        write.dispose();
        closed.dispose();
      },
      handleInput: (data) => console?.handleInput(data),
    };
    const terminal = vscode.window.createTerminal({ name: `Pico console: ${label}`, pty, iconPath: new vscode.ThemeIcon(spec.kind === 'virtual' ? 'vm' : 'circuit-board') });
    this.terminals.push({ spec, terminal });
    terminal.show();
    return terminal;
  }

  dispose(): void {
    this.subscription.dispose();
    for (const { terminal } of this.terminals.splice(0)) terminal.dispose();
  }
}
