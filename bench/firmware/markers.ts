// Generated sections of Markdown files: the text between `<!-- name -->` and `<!-- /name -->` is replaced whole.

export function replaceBetweenMarkers(text: string, name: string, body: string): string {
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`no ${open} ... ${close} section to replace`);
  return `${text.slice(0, start + open.length)}\n${body.trim()}\n${text.slice(end)}`;
}
