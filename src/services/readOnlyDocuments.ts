// Read-only generated documents (estimate reports) under the picoformer-report: scheme: shown in the Markdown
// preview without leaving an unsaved untitled editor behind.
import * as vscode from 'vscode';

export const ReportScheme = 'picoformer-report';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(ReportScheme, this);

  /** Stores (or replaces) the text behind `name` (e.g. "estimate-story-8k.md") and returns its uri. */
  set(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: ReportScheme, path: `/${name}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This report is no longer available: run the command again.';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
