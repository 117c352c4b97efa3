import assert from 'node:assert/strict';
import { boardProfile } from '../../../src/memory/boards';
import { estimate } from '../../../src/memory/estimate';
import { estimateModelFromConfig } from '../../../src/memory/input';
import { makeConfig } from '../../../src/model/config';
import { syntheticVocab } from '../../../src/model/random';
import { formatKB, formatPercent, formatSize } from '../../../src/views/viewModels/format';
import { escapeIcons, escapeMarkdown } from '../../../src/views/viewModels/markdown';
import { breakdownMarkdown } from '../../../src/views/viewModels/breakdownMarkdown';
import { memoryView } from '../../../src/views/viewModels/memoryView';
import { boardFor, smallConfig, smallEstimate } from './fixtures';

describe('Studio memory view model', () => {
  it('segments add up exactly to what must fit, in drawing order, without empty parts', () => {
    for (const mode of ['resident', 'streamed'] as const) {
      const e = estimate(estimateModelFromConfig(smallConfig, syntheticVocab(48, 'char'), 'I8'), boardProfile('pico-cp9'), { mode });
      const v = memoryView(e, mode);
      const sum = v.segments.reduce((s, x) => s + x.bytes, 0);
      assert.equal(sum, v.requiredBytes, mode);
      assert.equal(v.requiredBytes, e.chosen.required);
      assert.ok(v.segments.every((s) => s.bytes > 0));
      assert.equal(v.segments[0].key, 'runtimeImport');
      assert.equal(v.segments[v.segments.length - 1].key, 'reserve');
      const keys = v.segments.map((s) => s.key);
      if (mode === 'resident') assert.ok(!keys.includes('streamBuffer'));
      else assert.ok(keys.includes('streamBuffer'));
    }
  });

  it('a float model has no scales segment; an int8 one has', () => {
    const f32 = memoryView(estimate(estimateModelFromConfig(smallConfig, syntheticVocab(48, 'char'), 'F32'), boardProfile('pico-cp9')));
    assert.ok(!f32.segments.some((s) => s.key === 'scales'));
    assert.ok(memoryView(smallEstimate()).segments.some((s) => s.key === 'scales'));
  });

  it('zone, headroom and mode in words', () => {
    const safe = memoryView(smallEstimate(boardFor('safe')), 'auto');
    assert.equal(safe.zone, 'safe');
    assert.equal(safe.zoneLabel, 'Safe');
    assert.match(safe.headroomText, /^[\d.]+ KB headroom$/);
    assert.equal(safe.modeText, 'resident (chosen automatically)');
    const over = memoryView(smallEstimate(boardFor('impossible')), 'auto');
    assert.equal(over.zone, 'impossible');
    assert.match(over.headroomText, /^[\d.]+ KB over the heap$/);
    assert.match(over.modeText, /^none fits \(closest: (resident|streamed)\)$/);
    // What the panel prints, "<zone>: <meaning>. Load mode: <mode>.", says "does not fit" once (issue 11).
    const line = `${over.zoneLabel}: ${over.zoneMeaning}. Load mode: ${over.modeText}.`;
    assert.equal(line.match(/does not fit/gi)?.length, 1, line);
    assert.doesNotMatch(line, /mode: no load mode/i, line);
    const zoneLine = breakdownMarkdown(smallEstimate(boardFor('impossible'))).split('\n')[0]; // the tooltips' first line
    assert.equal(zoneLine.match(/does not fit/gi)?.length, 1, zoneLine);
  });

  it('compares with the old list-of-floats runtime', () => {
    const v = memoryView(smallEstimate());
    assert.match(v.legacyText, /^The old list-of-floats runtime would need [\d.]+ KB \((safe|test on the board|danger|does not fit)\): [\d.]+× the [\d.]+ KB needed here\.$/);
    assert.ok(v.legacyBytes > 0);
  });

  it('says how fast it should run, as a prediction, and marks a board not calibrated on firmware', () => {
    const v = memoryView(smallEstimate());
    assert.match(v.speedText ?? '', /^About \d+ tok\/s on a Pico \(resident, sampled decoding at token 20\): a prediction/);
    assert.doesNotMatch(v.boardLabel, /not calibrated/);
    const w = memoryView(smallEstimate(boardProfile('pico-w-cp9')));
    assert.match(w.boardLabel, /^Raspberry Pi Pico W .* \(not calibrated on firmware\)$/);
    assert.match(w.speedText ?? '', /\(not calibrated on firmware\)\.$/);
    assert.equal(memoryView(smallEstimate(boardFor('impossible'))).speedText, null);
  });

  it('notes a model file too big for the drive, and a big single buffer', () => {
    const big = makeConfig({ vocab_size: 4096, dim: 128, hidden_dim: 512, n_layers: 8, n_heads: 4, context_length: 64 });
    const model = estimateModelFromConfig(big, syntheticVocab(4096, 'char'), 'F32');
    const v = memoryView(estimate(model, boardProfile('pico-cp9'), { mode: 'resident' }), 'resident');
    assert.equal(v.zone, 'impossible');
    assert.ok(v.notes.some((n) => /does not fit on the board's drive/.test(n)), v.notes.join(' | '));
    assert.ok(v.notes.some((n) => /largest single buffer is 2048 KB/.test(n)), v.notes.join(' | '));
    assert.deepEqual(memoryView(smallEstimate()).notes, []);
  });
});

describe('view formatting helpers', () => {
  it('KB, sizes and percentages', () => {
    assert.equal(formatKB(53_350), '52.1 KB');
    assert.equal(formatKB(143_360), '140 KB');
    assert.equal(formatKB(-2048), '-2.0 KB');
    assert.equal(formatSize(512), '512 B');
    assert.equal(formatSize(2_500_000), '2.4 MB');
    // A drive's free space can pass a gigabyte (a CIRCUITPY drive path set to any folder): not "73318.4 MB".
    assert.equal(formatSize(76_880_000_000), '71.6 GB');
    assert.equal(formatSize(1024 ** 3 - 1), '1024.0 MB');
    assert.equal(formatPercent(50, 200), '25%');
    assert.equal(formatPercent(1, 0), '—');
  });

  it('escapes Markdown and icon syntax in user data', () => {
    assert.equal(escapeMarkdown('a_b *c* [x](y) $(bug)\nnext'), 'a\\_b \\*c\\* \\[x\\]\\(y\\) \\$\\(bug\\) next');
    assert.equal(escapeIcons('x $(bug) y'), 'x \\$(bug) y');
  });
});
