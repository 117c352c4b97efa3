// The old project's runtime (../shared/anchors/tiny-transformers-rp2040/inference_01b2886.py, Apache-2.0, a benchmark
// comparator only: copied onto a temporary emulated drive, never into the project) on the emulated official
// firmware, driven through the raw REPL as that folder's README says: import, load a legacy trio, prefill a prompt,
// then sample and feed one token at a time, each step timed by the board's clock; the heap read around each part.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Session } from '../../src/device/serial/session';
import { EmulatedPico } from '../../src/emu/emulatedPico';
import { sharedDir } from '../../src/emu/firmware';

export const AnchorsDir = (): string => join(sharedDir(), 'anchors', 'tiny-transformers-rp2040');

export interface OldRuntimeResult {
  /** gc.mem_alloc() growth: importing the runtime, loading the model, and after prefill plus the new tokens. */
  importBytes: number;
  loadBytes: number;
  /** Everything the old runtime holds after the generation (import, model, KV cache lists), after a collection. */
  heapAfterGenerating: number;
  promptTokens: number;
  /** Mean board ms of one decode step (sample, then the forward pass of the sampled token). */
  decodeMs: number;
  prefillMs: number;
}

/** Python run at the raw REPL: prints one JSON line. */
function script(folder: string, params: string, prompt: string, tokens: number): string {
  return `import gc, time, json
gc.collect()
a0 = gc.mem_alloc()
import inference
gc.collect()
a1 = gc.mem_alloc()
tok = inference.ScalableTokenizer("/models/${folder}/vocab_${params}p.bin")
m = inference.ScalableTransformer("/models/${folder}/model_${params}p.bin")
gc.collect()
a2 = gc.mem_alloc()
ids = tok.encode(${JSON.stringify(prompt)})
m.clear_cache()
t0 = time.monotonic_ns()
logits = m.forward(ids, use_cache=True)
t1 = time.monotonic_ns()
for i in range(${tokens}):
    nxt = m.sample(logits, 0.8)
    logits = m.forward([nxt], use_cache=True)
t2 = time.monotonic_ns()
gc.collect()
a3 = gc.mem_alloc()
print("OLDRT " + json.dumps({"a0": a0, "a1": a1, "a2": a2, "a3": a3, "prompt": len(ids), "prefill_ns": t1 - t0, "decode_ns": t2 - t1}))
`;
}

/** Runs the old runtime on one legacy trio folder of the anchors (e.g. "v5/story-1k-balanced"). */
export async function runOldRuntime(trio: string, prompt: string, tokens: number): Promise<OldRuntimeResult> {
  const source = join(AnchorsDir(), trio);
  const config = readdirSync(source).find((f) => /^config_\d+p\.json$/.test(f));
  if (!config) throw new Error(`no config_<N>p.json in ${source}`);
  const params = (/^config_(\d+)p\.json$/.exec(config) as RegExpExecArray)[1];
  const folder = basename(trio);
  const drive = mkdtempSync(join(tmpdir(), 'picoformer-oldrt-'));
  let pico: EmulatedPico | undefined;
  let session: Session | undefined;
  try {
    cpSync(join(AnchorsDir(), 'inference_01b2886.py'), join(drive, 'inference.py'));
    mkdirSync(join(drive, 'models', folder), { recursive: true });
    for (const f of readdirSync(source)) cpSync(join(source, f), join(drive, 'models', folder, f));
    pico = await EmulatedPico.create({ driveDir: drive });
    session = new Session(pico.transport());
    await session.open();
    const out = await session.exec(script(folder, params, prompt, tokens), { timeoutMs: 600_000, restart: false });
    const line = out.stdout.split(/\r?\n/).find((l) => l.startsWith('OLDRT '));
    if (!line) throw new Error(`the old runtime printed no result: ${JSON.stringify((out.stdout + out.stderr).slice(-800))}`);
    const r = JSON.parse(line.slice(6)) as { a0: number; a1: number; a2: number; a3: number; prompt: number; prefill_ns: number; decode_ns: number };
    return {
      importBytes: r.a1 - r.a0,
      loadBytes: r.a2 - r.a1,
      heapAfterGenerating: r.a3 - r.a0,
      promptTokens: r.prompt,
      decodeMs: r.decode_ns / 1e6 / tokens,
      prefillMs: r.prefill_ns / 1e6,
    };
  } finally {
    await session?.close().catch(() => undefined);
    await pico?.stop().catch(() => undefined);
    rmSync(drive, { recursive: true, force: true });
  }
}
