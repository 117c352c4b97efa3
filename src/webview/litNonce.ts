// Imported first: gives Lit (inside @vscode-elements) our script's CSP nonce, for the rare webview without
// constructable stylesheets, where it falls back to <style> elements.
const script = document.currentScript as HTMLScriptElement | null;
if (script?.nonce) (window as unknown as { litNonce?: string }).litNonce = script.nonce;
export {};
