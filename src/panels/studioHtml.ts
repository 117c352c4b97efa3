// The Studio webview's page: a strict CSP, the stylesheet and the bundled script, and an empty root the script
// fills (no data is ever put into this HTML: it arrives as messages and is shown with textContent).

export interface StudioHtmlParts {
  /** webview.cspSource */
  cspSource: string;
  /** From createNonce(), fresh for every load. */
  nonce: string;
  /** webview.asWebviewUri(dist/webview/studio.js) */
  scriptUri: string;
  /** webview.asWebviewUri(media/studio.css) */
  styleUri: string;
}

/** The Content-Security-Policy: nothing by default; our nonce'd script; styles and fonts from the extension only. */
export function studioCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    // The nonce lets Lit (inside @vscode-elements) add <style> elements where constructable stylesheets are missing.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function studioHtml(p: StudioHtmlParts): string {
  const a = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(studioCsp(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(p.styleUri)}">
<title>Picoformer Studio</title>
</head>
<body>
<main id="studio" class="studio" aria-busy="true"><p class="loading">Loading the Studio…</p></main>
<script nonce="${a(p.nonce)}" src="${a(p.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
