// Reads training text: one file, or every text file under a folder (sorted by path, so the order is stable).
// Documents are separated by blank lines; each becomes its tokens followed by EOS (see data.ts).
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';

export interface CorpusText {
  /** The documents in order, \r\n made \n, trimmed, none empty. */
  documents: string[];
  files: string[];
  characters: number;
}

/** File names a folder's walk takes as text. */
const TextExtensions = /\.(txt|md|text)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readCorpus(path: string): Promise<CorpusText> {
  const info = await stat(path);
  const files = info.isDirectory() ? await textFilesUnder(path) : [path];
  if (files.length === 0) throw new Error(`${path} has no text files (.txt, .md or .text) to train on`);
  const documents: string[] = [];
  for (const file of files) {
    const bytes = await readFile(file);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new Error(`${file} is not UTF-8 text`);
    }
    documents.push(...splitDocuments(text));
  }
  const characters = documents.reduce((n, d) => n + d.length, 0);
  if (characters === 0) throw new Error(`${path} holds no text`);
  return { documents, files: info.isDirectory() ? files.map((f) => relative(path, f)) : files, characters };
}

/**
 * Why a chosen text cannot be trained on, found cheaply (each file read only until its first visible character) so
 * Train Tiny Model… refuses it when it is picked, not after its other questions; undefined when it has text. A folder
 * without text files, unreadable files and non-UTF-8 text are left to readCorpus, which says so.
 */
export async function corpusProblem(path: string): Promise<string | undefined> {
  let folder: boolean;
  try {
    folder = (await stat(path)).isDirectory();
  } catch {
    return undefined;
  }
  const files = folder ? await textFilesUnder(path) : [path];
  if (files.length === 0) return undefined;
  for (const file of files) {
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes || /\S/.test(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''))) return undefined;
  }
  const name = basename(path);
  if (folder) return `The folder ${name} has no text in its .txt, .md or .text files: there is no text to learn from. Choose another file or folder.`;
  const size = (await stat(path)).size;
  return size === 0
    ? `${name} is empty: there is no text to learn from. Choose a text file with something in it.`
    : `${name} holds only blank space: there is no text to learn from. Choose a text file with something in it.`;
}

/** Blank lines (possibly with spaces) separate documents. */
export function splitDocuments(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((d) => d.replace(/^\n+|\s+$/g, ''))
    .filter((d) => d.length > 0);
}

async function textFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await textFilesUnder(full)));
    else if (e.isFile() && TextExtensions.test(e.name)) out.push(full);
  }
  return out;
}
