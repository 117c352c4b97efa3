// Escaping for text that goes into a MarkdownString (tooltips): file names and board labels are user data.

/** Backslash-escapes every character Markdown (and VS Code's $(icon) syntax) could read as markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>~$&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** A two-column Markdown table; cells are escaped. */
export function markdownTable(header: [string, string], rows: readonly (readonly [string, string])[]): string {
  const line = (a: string, b: string): string => `| ${escapeMarkdown(a)} | ${escapeMarkdown(b)} |`;
  return [line(...header), '|---|---:|', ...rows.map(([a, b]) => line(a, b))].join('\n');
}

/** Status bar text: a literal "$(" would otherwise start an icon. */
export function escapeIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}
