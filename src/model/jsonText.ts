// The JSON texts of a model file (the header, and the config and vocabulary inside it): strict JSON (JSON.parse is
// RFC 8259 exactly) whose nesting is bounded before anything is parsed, so a hostile file cannot make a reader
// recurse or allocate without limit. The board reads the same grammar with the same bounds
// (board/lib/picoformer/jsoncheck.py); docs/format.md "Order of checks" states them.

/** The deepest nesting of any JSON text in a model file. A valid header nests 3 deep, a config 2, a vocabulary 1. */
export const MaxJsonDepth = 8;

export class JsonTextError extends Error {
  override name = 'JsonTextError';
}

/**
 * Parses `text` as one strict JSON value. Before parsing: it nests at most MaxJsonDepth deep, and with
 * `integersOnly` no number is written with a fraction or exponent. Throws JsonTextError saying what is wrong.
 */
export function parseJsonText(text: string, integersOnly: boolean): unknown {
  const problem = scan(text, integersOnly);
  if (problem !== undefined) throw new JsonTextError(problem);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new JsonTextError(`is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

const Quote = 0x22;
const Backslash = 0x5c;
const NumberChar = /[0-9eE.+-]/;

/** What the nesting or number rule finds wrong outside strings, if anything (the grammar is JSON.parse's job). */
function scan(text: string, integersOnly: boolean): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === Quote) {
      i = stringEnd(text, i);
      if (i < 0) return 'is not valid JSON (a string is not closed)';
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MaxJsonDepth) return `nests deeper than ${MaxJsonDepth} levels`;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (integersOnly && (c === 0x2d || (c >= 0x30 && c <= 0x39))) {
      const start = i;
      while (i + 1 < text.length && NumberChar.test(text[i + 1])) i++;
      if (/[.eE]/.test(text.slice(start, i + 1))) return `has a number with a fraction or exponent (${text.slice(start, i + 1)}; integers only)`;
    }
  }
  return undefined;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return -1;
    let slashes = 0;
    while (q - 1 - slashes > open && text.charCodeAt(q - 1 - slashes) === Backslash) slashes++;
    if (slashes % 2 === 0) return q;
    from = q + 1;
  }
}
