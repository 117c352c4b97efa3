// How a generation that went past its context says so (docs/format.md: the full context is refilled with its newest
// tokens). Imports nothing, so the webview bundle can include it.

/** "context refilled once", "context refilled 24 times", or '' when the text fit the context. */
export function refillsPhrase(refills: number | undefined): string {
  if (!refills) return '';
  return `context refilled ${refills === 1 ? 'once' : `${refills} times`}`;
}
