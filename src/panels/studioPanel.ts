// The Studio webview panel: created on demand or revived after a reload, at most one at a time. It only carries
// messages: the state lives in StudioSession, which replays it when the page says `ready`, so hiding, closing
// and reopening lose nothing (no retainContextWhenHidden).
import * as vscode from 'vscode';
import { createNonce } from './nonce';
import { studioHtml } from './studioHtml';
import type { StudioSession } from './studioSession';

export const StudioViewType = 'picoformer.studio';

/** Scripts on; local files only from media/ and dist/webview/. */
export function studioWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

export class StudioPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Takes over `panel` (new or revived): sets its page and connects it to the session. */
  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly session: StudioSession,
    private readonly onDisposed: () => void,
  ) {
    const webview = panel.webview;
    webview.options = studioWebviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity-bar.svg');
    webview.html = studioHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'studio.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'studio.css')).toString(),
    });
    session.attach((message) => void webview.postMessage(message));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((message: unknown) => void session.handle(message)),
    );
  }

  static create(extensionUri: vscode.Uri, session: StudioSession, onDisposed: () => void): StudioPanel {
    const panel = vscode.window.createWebviewPanel(
      StudioViewType,
      'Picoformer Studio',
      vscode.ViewColumn.Active,
      studioWebviewOptions(extensionUri),
    );
    return new StudioPanel(panel, extensionUri, session, onDisposed);
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.attach(undefined);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDisposed();
  }
}
