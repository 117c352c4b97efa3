// Writes the conformance corpus to a folder: the files, and manifest.json with the seed and, for each file, its
// mutation and the TypeScript reader's verdict. The named specimens (specimens.ts) come first. The board runners (test/board/python/test_conformance.py, the
// MicroPython VM's conformance test, the emulated firmware later) read the folder and compare their own verdicts.
// Usage: npx tsx test/board/conformance/writeCorpus.ts [outdir] [--seed N] [--count N]
//        (default build/conformance, seed 12, 300 files)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { corpus } from './corpus';
import { specimens } from './specimens';
import { type Verdict, tsVerdict } from './verdict';

export interface ManifestEntry extends Verdict {
  file: string;
  mutation: string;
}

export interface Manifest {
  seed: number;
  count: number;
  files: ManifestEntry[];
}

export const DefaultSeed = 12;
export const DefaultCount = 300;

export function writeCorpus(dir: string, seed: number, count: number): Manifest {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files: ManifestEntry[] = [];
  specimens().forEach((s, i) => {
    const file = `s${String(i).padStart(2, '0')}-${s.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.safetensors`;
    writeFileSync(join(dir, file), s.bytes);
    files.push({ file, mutation: 'specimen', ...tsVerdict(s.bytes) });
  });
  for (const f of corpus(seed, count)) {
    writeFileSync(join(dir, f.name), f.bytes);
    files.push({ file: f.name, mutation: f.mutation, ...tsVerdict(f.bytes) });
  }
  const manifest = { seed, count, files };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string' }, count: { type: 'string' } } });
  const dir = resolve(positionals[0] ?? join(__dirname, '..', '..', '..', 'build', 'conformance'));
  const m = writeCorpus(dir, Number(values.seed ?? DefaultSeed), Number(values.count ?? DefaultCount));
  const tally = new Map<string, number>();
  for (const f of m.files) tally.set(f.full, (tally.get(f.full) ?? 0) + 1);
  console.log(`${m.files.length} files (seed ${m.seed}) in ${dir}: ${[...tally].map(([k, n]) => `${k} ${n}`).join(', ')}`);
}
