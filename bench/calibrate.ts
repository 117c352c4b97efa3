// Re-derives the memory estimator's constants: loads models of many shapes in the MicroPython VM with the board
// runtime, phase by phase (test/board/memory-measure.ts), and prints per model what memest.py estimates beside
// what was measured, plus one JSON line per model (for fitting: `npx tsx bench/calibrate.ts --json`).
// Run it after changing the board runtime's loader or header parser; docs/memory.md says how the constants follow.
import { makeConfig, type ModelConfig } from '../src/model/config';
import { writeModel, readModelHeader } from '../src/model/modelFile';
import { convertModel } from '../src/model/quantize';
import { randomModel } from '../src/model/random';
import { boardParts, type LoadMode } from '../src/memory/boardParts';
import { BoardC } from '../src/memory/constants';
import { estimateModelFromHeader } from '../src/memory/input';
import type { Dtype } from '../src/model/tensor';
import type { AppStep } from '../test/board/memory-app';
import { measureLoad } from '../test/board/memory-measure';

const sweep: ModelConfig[] = [
  makeConfig({ vocab_size: 48, dim: 8, hidden_dim: 24, n_layers: 1, n_heads: 2, context_length: 24 }),
  makeConfig({ vocab_size: 64, dim: 24, hidden_dim: 64, n_layers: 1, n_heads: 3, context_length: 48, positional: 'none', tied_embeddings: false }),
  makeConfig({ vocab_size: 96, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64, tied_embeddings: false, tokenizer: 'longest_match' }),
  makeConfig({ vocab_size: 128, dim: 64, hidden_dim: 224, n_layers: 2, n_heads: 8, context_length: 64 }),
  makeConfig({ vocab_size: 400, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: 32 }),
  makeConfig({ vocab_size: 40, dim: 16, hidden_dim: 48, n_layers: 4, n_heads: 2, context_length: 16, positional: 'none' }),
  makeConfig({ vocab_size: 200, dim: 24, hidden_dim: 48, n_layers: 3, n_heads: 2, context_length: 128, tokenizer: 'longest_match' }),
];

/** The bounds (live heap before the step plus what it allocated, as in test/board/memory-measure.ts) of the two
 *  steps that run through App.later as `_measured`: the boot's model listing (cmds.boot_list), before the first
 *  command line, and the load's decision (cmds.load_start: the header read and estimated), after it. */
function measuredSteps(steps: AppStep[]): { bootList: number; decision: number } {
  const firstLine = steps.findIndex((x) => x.label === 'line');
  const bound = (part: AppStep[]): number => {
    const found = part.filter((x) => x.label === '_measured');
    if (found.length !== 1) throw new Error(`expected one _measured step, got ${found.length}: ${steps.map((x) => x.label).join(', ')}`);
    return found[0].before + found[0].allocated;
  };
  if (firstLine < 0) throw new Error(`no command line among the steps: ${steps.map((x) => x.label).join(', ')}`);
  return { bootList: bound(steps.slice(0, firstLine)), decision: bound(steps.slice(firstLine)) };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  for (const config of sweep) {
    for (const dtype of ['I8', 'F32', 'F16'] as Dtype[]) {
      const model = dtype === 'F32' ? randomModel(config, 7) : convertModel(randomModel(config, 7), dtype);
      const file = writeModel(model);
      const em = estimateModelFromHeader(readModelHeader(file));
      for (const mode of ['resident', 'streamed'] as LoadMode[]) {
        const m = await measureLoad(file, em, mode);
        const est = boardParts(em, mode, false);
        const fileFix = mode === 'streamed' ? m.vmFileObject - BoardC.FILE_OBJ : 0; // the VM's file object is smaller
        const modelLive = m.liveAfterLoad - m.runtimeLive;
        const { bootList, decision } = measuredSteps(m.steps);
        const row = {
          label: `v${config.vocab_size} d${config.dim} h${config.hidden_dim} L${config.n_layers} ctx${config.context_length} ${dtype} ${mode}`,
          N: em.headerLength, T: em.tensors.length, V: config.vocab_size, L: config.n_layers, vocabBytes: em.vocabBytes,
          mats: em.tensors.filter((t) => t.shape.length === 2).length, f16: dtype === 'F16' ? 1 : 0, streamed: mode === 'streamed' ? 1 : 0,
          runtimeLive: m.runtimeLive, bootList, decision, loadHeader: m.headerPeak, loadFinish: m.finishPeak, loadPeak: m.loadPeak,
          modelLive, estLive: est.live + fileFix, estHeader: est.header, estTransient: est.transient,
          peak: m.peak, estPeak: m.runtimeLive + est.total + fileFix,
        };
        if (json) console.log(JSON.stringify(row));
        else {
          const pct = (a: number, b: number): string => `${(((a - b) / b) * 100).toFixed(1)}%`;
          console.log(`${row.label.padEnd(44)} runtime ${m.runtimeLive} | model live ${modelLive} est ${row.estLive} (${pct(row.estLive, modelLive)}) | peaks boot ${m.bootPeak} header ${m.headerPeak} load ${m.loadPeak} | est peak ${row.estPeak} (${pct(row.estPeak, row.peak)})`);
        }
      }
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
