// Whether a board runs the runtime this extension ships: the two must agree on what they compute (the sampling
// seed's mixing changed in 0.2.0, the int8 KV cache and refills came in 0.3.0, and a stale runtime would give other
// tokens than the reference for the same seed, or refuse a model it cannot run).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version of the runtime in an extension's (or the repository's) board/ folder; undefined if it cannot be read. */
export function readBundledRuntimeVersion(root: string): string | undefined {
  try {
    return bundledRuntimeVersion(readFileSync(join(root, 'board', 'lib', 'picoformer', '__init__.py'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** readBundledRuntimeVersion, deferred until first asked and then remembered (activation reads no files). */
export function lazyBundledRuntimeVersion(root: string): () => string | undefined {
  let read: { version: string | undefined } | undefined;
  return () => (read ??= { version: readBundledRuntimeVersion(root) }).version;
}

/** The VERSION of the bundled runtime's package (`board/lib/picoformer/__init__.py`), or undefined if absent. */
export function bundledRuntimeVersion(initPy: string): string | undefined {
  return /^VERSION\s*=\s*["']([^"']+)["']/m.exec(initPy)?.[1];
}

/** What to tell the user when the board's runtime is not the bundled one, or undefined when they agree. */
export function runtimeMismatch(onBoard: string, bundled: string | undefined, where: string): string | undefined {
  if (bundled === undefined || onBoard === bundled) return undefined;
  return (
    `${where} runs Picoformer runtime ${onBoard}; this extension ships ${bundled}. ` +
    'Deploy the runtime so the board computes what the extension expects (the same tokens for the same seed).'
  );
}
