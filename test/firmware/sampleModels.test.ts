// The trained sample models on the official firmware (issue 10 §2): each, deployed alone with the runtime as
// `deploy` writes it, boots, loads at start-up in the mode the memory estimate picks, and generates the TypeScript
// reference's tokens, greedy and sampled with a README seed; its live heap is checked against the estimate. The
// figures (heap after load and after generating, decode speed in simulated time) are printed for docs/firmware.md
// and the estimator's calibration on the firmware (a later task).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simMs } from '../../src/emu/emulatedPico';
import { boardProfile } from '../../src/memory/boards';
import { estimate } from '../../src/memory/estimate';
import { estimateModelFromHeader } from '../../src/memory/input';
import { type Sampling, predictSpeed } from '../../src/memory/speed';
import { PromptTokens, TimedPosition, fixedPrompt, generationPlans } from '../../bench/firmware/sweepJob';
import { readModelHeader } from '../../src/model/modelFile';
import { type Booted, MODELS_DIR, bootWith, compareWithReference, modelOf } from './support';

const Samples = ['story-1k', 'story-8k', 'chat-8k', 'story-30k'] as const;
const recorded = JSON.parse(readFileSync(join(MODELS_DIR, 'samples.json'), 'utf8')) as Record<string, { samples: { prompt: string; seed: number; temperature: number }[] }>;

/** New tokens per generation: enough to time decoding, few enough for CI (story-30k decodes ~10 tok/s simulated). */
const Tokens = 12;

/**
 * The estimator (src/memory, board memest.py) is calibrated on this firmware (npm run calibrate:firmware, the final
 * sweep of 2026-12-07 after the leaner runtime): the model's heap (`loaded` model_bytes) is 1.004-1.038 of the
 * estimate's live part for these five, and the live heap after generating (runtime + model) 1.005-1.009 of
 * liveAfterLoad. The tolerances are issue 10's ±5% for the live heap and the same for the model's part.
 */
const ModelTolerance = 0.05;
const LiveTolerance = 0.05;
/** The speed model's target for shapes held out of its fit (issue 10 §4): the samples are held out. */
const SpeedTolerance = 0.15;
/** Issue 13: the character story-8k's live heap after a 24-token generation, at most (bytes, runtime as .py). */
const Story8kLiveTarget = 45_000;
const Story8kChar = join(__dirname, 'fixtures', 'story-8k-char.safetensors');

for (const name of Samples) {
  describe(`firmware: sample model ${name}`, function () {
    const file = `${name}.safetensors`;
    const bytes = new Uint8Array(readFileSync(join(MODELS_DIR, file)));
    const header = readModelHeader(bytes);
    let booted: Booted;
    let expectedMode: 'resident' | 'streamed';

    before(async () => {
      booted = await bootWith([{ path: join(MODELS_DIR, file) }]);
    });
    after(async () => booted?.close());

    it('boots the runtime with ulab and loads the model at start-up in the mode the estimate picks', async () => {
      const { board } = booted;
      assert.equal(board.session.runtime?.impl, 'circuitpython');
      assert.equal(board.session.runtime?.ulab, true);
      await board.session.list(); // answered once the start-up load is over
      const info = await board.session.info();
      const chosen = estimate(estimateModelFromHeader(header), boardProfile('pico-cp9'), { ulab: true }).mode;
      assert.ok(chosen);
      expectedMode = chosen;
      assert.equal(info.model?.file, file);
      assert.equal(info.model?.mode, chosen);
    });

    it('generates the reference\'s tokens, greedy and sampled', async () => {
      const { board } = booted;
      const seeded = recorded[name].samples[0];
      const model = modelOf(bytes);
      const differences: string[] = [];
      const speeds: number[] = [];
      for (const c of [
        { prompt: seeded.prompt, tokens: Tokens, temperature: 0, seed: 1 },
        { prompt: seeded.prompt, tokens: Tokens, temperature: seeded.temperature, seed: seeded.seed },
      ]) {
        const { difference, run } = await compareWithReference(board, model, c, 1e-4, Tokens / 2);
        if (difference) differences.push(difference);
        speeds.push(1000 / run.msPerToken);
      }
      assert.deepEqual(differences, []);
      console.log(`      ${name}: decode ${speeds.map((s) => s.toFixed(1)).join(' / ')} tok/s (simulated time between tokens, greedy / sampled)`);
    });

    it(`decodes at the speed the speed model predicts for a Pico, within ${Math.round(SpeedTolerance * 100)}% at its calibrated position (held out of its fit)`, async () => {
      // Timed as the calibration sweep times (bench/firmware/sweepJob.ts): a fixed prompt, the gaps between new tokens
      // at positions PromptTokens+1.. (mean TimedPosition); issue 10 §4's target is at a fixed position.
      const { board } = booted;
      const model = estimateModelFromHeader(header);
      const prompt = fixedPrompt(header.vocab, header.config, PromptTokens);
      const lines: { sampling: Sampling; measured: number; predicted: number; error: number }[] = [];
      for (const plan of generationPlans(prompt, true)) {
        const run = await board.generate({ prompt: plan.prompt, max_tokens: plan.tokens, temperature: plan.temperature, top_k: 0, seed: plan.seed });
        assert.equal(run.result.tokens.length, plan.tokens, 'a full run (no early stop)');
        const sampling: Sampling = plan.temperature > 0 ? 'sampled' : 'greedy';
        const predicted = predictSpeed(model, { mode: expectedMode, ulab: true, position: TimedPosition, sampling }).tokensPerSecond;
        const measured = 1000 / run.msPerToken;
        lines.push({ sampling, measured, predicted, error: predicted / measured - 1 });
      }
      const text = lines.map((l) => `${l.sampling} ${l.measured.toFixed(1)} measured / ${l.predicted.toFixed(1)} predicted tok/s (${(l.error * 100).toFixed(1)}%)`).join(', ');
      console.log(`      ${name} (${expectedMode}): ${text}`);
      assert.ok(lines.every((l) => Math.abs(l.error) <= SpeedTolerance), text);
    });

    it('holds the heap the estimate says, within the stated tolerance', async () => {
      const { board } = booted;
      const loaded = board.events.map((e) => e.event).find((e) => e.ev === 'loaded');
      assert.ok(loaded && loaded.ev === 'loaded');
      const est = estimate(estimateModelFromHeader(header), boardProfile('pico-cp9'), { ulab: true, mode: expectedMode }).chosen;
      const modelPart = est.liveAfterLoad - est.breakdown.runtimeImport;
      const mem = await board.mem();
      const modelRatio = loaded.model_bytes / modelPart;
      const liveRatio = mem.alloc / est.liveAfterLoad;
      console.log(
        `      ${name} (${expectedMode}): model ${loaded.model_bytes} B measured / ${modelPart} estimated = ${modelRatio.toFixed(3)}; ` +
          `live after load ${loaded.mem_alloc}, after generating ${mem.alloc} / ${est.liveAfterLoad} estimated = ${liveRatio.toFixed(3)}; ` +
          `free ${mem.free}; booted in ${(simMs(board.pico.connected ?? board.pico.time) / 1000).toFixed(2)} s to USB`,
      );
      assert.ok(Math.abs(modelRatio - 1) <= ModelTolerance, `model heap ${loaded.model_bytes} vs estimate ${modelPart}: ratio ${modelRatio.toFixed(3)}`);
      assert.ok(Math.abs(liveRatio - 1) <= LiveTolerance, `live heap ${mem.alloc} vs estimate ${est.liveAfterLoad}: ratio ${liveRatio.toFixed(3)}`);
    });
  });
}

describe("firmware: issue 13's heap target on the character story-8k", function () {
  // The sample the target was set on (test/firmware/fixtures/README.md); the subword story-8k that replaced it holds
  // its 477-row table and logits on top.
  const bytes = new Uint8Array(readFileSync(Story8kChar));
  let booted: Booted;
  before(async () => {
    booted = await bootWith([{ fileName: 'story-8k.safetensors', bytes }]);
  });
  after(async () => booted?.close());

  it('holds at most 45,000 bytes after a 24-token generation, with the reference\'s tokens', async () => {
    const { board } = booted;
    await board.session.list(); // answered once the start-up load is over
    const { difference } = await compareWithReference(board, modelOf(bytes), { prompt: 'once upon a time', tokens: 24, temperature: 0, seed: 1 }, 1e-4, 12);
    assert.equal(difference, undefined);
    const mem = await board.mem();
    console.log(`      character story-8k: live heap ${mem.alloc} bytes after 24 tokens (target ${Story8kLiveTarget})`);
    // The runtime's interned names sit a few dozen short of the next qstr pool (3.9 KB at once), so a handful of new
    // names, or a model object grown back, shows here (bench/README.md, "The model's objects"; 44,6xx on 2026-12-07).
    assert.ok(mem.alloc <= Story8kLiveTarget, `story-8k live heap ${mem.alloc} bytes after generating, above issue 13's ${Story8kLiveTarget}`);
  });
});
