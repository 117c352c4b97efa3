import assert from 'node:assert/strict';
import { createNonce } from '../../../src/panels/nonce';
import { studioHtml } from '../../../src/panels/studioHtml';

const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';

function page(nonce = createNonce()): { html: string; nonce: string; csp: Map<string, string[]> } {
  const html = studioHtml({
    cspSource,
    nonce,
    scriptUri: `${cspSource}/ext/dist/webview/studio.js`,
    styleUri: `${cspSource}/ext/media/studio.css`,
  });
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(meta, 'a CSP meta tag');
  const csp = new Map(
    meta[1]
      .replace(/&#39;|&apos;/g, "'")
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values] as [string, string[]]),
  );
  return { html, nonce, csp };
}

describe('Studio page and CSP', () => {
  it('denies by default and allows scripts only with the nonce', () => {
    const { csp, nonce } = page();
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), [`'nonce-${nonce}'`]);
    assert.deepEqual(csp.get('style-src'), [cspSource, `'nonce-${nonce}'`]);
    assert.deepEqual(csp.get('img-src'), [cspSource, 'data:']);
    assert.deepEqual(csp.get('font-src'), [cspSource]);
    for (const values of csp.values()) {
      assert.ok(!values.includes("'unsafe-inline'") && !values.includes("'unsafe-eval'") && !values.includes('*'));
    }
  });

  it('every script carries the nonce and has a src (no inline code)', () => {
    const { html, nonce } = page();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attributes, body] of scripts) {
      assert.ok(attributes.includes(`nonce="${nonce}"`));
      assert.match(attributes, /src="[^"]+studio\.js"/);
      assert.equal(body.trim(), '');
    }
  });

  it('has no inline handlers, no inline styles and no remote origins', () => {
    const { html } = page();
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
    assert.doesNotMatch(html, /\sstyle\s*=/i);
    assert.doesNotMatch(html, /<style\b/i);
    const urls = [...html.matchAll(/(?:https?:)?\/\/[^\s"'<>]+/g)].map((m) => m[0]);
    assert.ok(urls.every((u) => u.startsWith(cspSource)), urls.join(', '));
  });

  it('a fresh, unguessable nonce for every load', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
  });

  it('escapes the values it puts into attributes', () => {
    const html = studioHtml({ cspSource: 'x', nonce: 'n"><script>', scriptUri: 'a"b', styleUri: 'c<d' });
    assert.ok(!html.includes('n"><script>'));
    assert.ok(html.includes('a&quot;b'));
    assert.ok(html.includes('c&lt;d'));
  });
});
