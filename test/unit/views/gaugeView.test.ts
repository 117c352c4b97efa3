import assert from 'node:assert/strict';
import { boardProfile } from '../../../src/memory/boards';
import { estimate } from '../../../src/memory/estimate';
import { estimateModelFromConfig } from '../../../src/memory/input';
import { ZoneOrder } from '../../../src/memory/zones';
import { makeConfig } from '../../../src/model/config';
import { syntheticVocab } from '../../../src/model/random';
import { gaugeView } from '../../../src/views/viewModels/gaugeView';
import { boardFor, smallEstimate } from './fixtures';

const command = 'picoformer.openStudio';

describe('gauge view model', () => {
  it("names the model by its file (the stem in the bar, the whole name in the tooltip), the model's own name second", () => {
    const v = gaugeView({ model: { fileName: 'mytiny-8k.safetensors', ownName: 'story-8k' }, estimate: smallEstimate(boardFor('safe')), command });
    assert.match(v.text, /^\$\(pass\) mytiny-8k \d+% ·/);
    assert.doesNotMatch(v.text, /story-8k/);
    assert.match(v.tooltipMarkdown, /^\*\*mytiny-8k\.safetensors\*\* \(model story-8k\) on /);
    assert.match(v.ariaLabel, /^Picoformer memory: mytiny-8k\.safetensors \(model story-8k\) on /);
  });

  for (const zone of ZoneOrder) {
    it(`shows the ${zone} zone with its icon, word and colour`, () => {
      const e = smallEstimate(boardFor(zone));
      assert.equal(e.zone, zone, 'fixture lands in the zone');
      const v = gaugeView({ model: { fileName: 'story-12k.safetensors' }, estimate: e, command });
      assert.equal(v.zone, zone);
      assert.equal(v.command, command);
      assert.match(v.text, /^\$\((pass|beaker|warning|error)\) story-12k \d+% · \d+(\.\d)? KB (left|over)$/);
      const expectedIcon = { safe: 'pass', test: 'beaker', danger: 'warning', impossible: 'error' }[zone];
      assert.ok(v.text.startsWith(`$(${expectedIcon})`));
      const background = { safe: undefined, test: undefined, danger: 'statusBarItem.warningBackground', impossible: 'statusBarItem.errorBackground' }[zone];
      assert.equal(v.backgroundColorId, background);
      // Not colour alone: the zone's word is in the tooltip and the accessible label.
      const word = { safe: 'Safe', test: 'Test on the board', danger: 'Danger', impossible: 'Does not fit' }[zone];
      assert.ok(v.tooltipMarkdown.includes(`**${word}**`));
      assert.ok(v.ariaLabel.endsWith(word));
    });
  }

  it('gives the headroom in KB, and the overshoot for a model that does not fit', () => {
    const fits = smallEstimate(boardFor('safe'));
    const text = gaugeView({ model: { fileName: 'm.safetensors' }, estimate: fits, command }).text;
    const kb = (fits.chosen.headroom / 1024).toFixed(1);
    assert.ok(text.endsWith(`${kb} KB left`), text);
    const over = smallEstimate(boardFor('impossible'));
    assert.ok(over.chosen.headroom < 0);
    const overText = gaugeView({ model: { fileName: 'm.safetensors' }, estimate: over, command }).text;
    assert.ok(overText.endsWith(`${(-over.chosen.headroom / 1024).toFixed(1)} KB over`), overText);
    assert.match(overText, /1\d\d%/, 'more than 100% of the heap');
  });

  it('a model far too big for any board: impossible, over by a lot, tooltip still has the breakdown', () => {
    const config = makeConfig({ vocab_size: 256, dim: 256, hidden_dim: 1024, n_layers: 6, n_heads: 4, context_length: 512 });
    const e = estimate(estimateModelFromConfig(config, syntheticVocab(256, 'char'), 'F32'), boardProfile('pico-cp9'));
    const v = gaugeView({ model: { fileName: 'huge-5m.safetensors' }, estimate: e, command });
    assert.equal(v.zone, 'impossible');
    assert.equal(v.backgroundColorId, 'statusBarItem.errorBackground');
    assert.match(v.tooltipMarkdown, /no mode fits/);
    assert.match(v.tooltipMarkdown, /\| KV cache \| /);
  });

  it('tooltip: the breakdown table adds up to the total, and the legacy comparison is there', () => {
    const e = smallEstimate();
    const v = gaugeView({ model: { fileName: 'story-12k.safetensors' }, estimate: e, command });
    const rows = [...v.tooltipMarkdown.matchAll(/^\| (.+?) \| ([\d.]+) KB \|$/gm)].map((m) => [m[1], Number(m[2])] as const);
    const total = rows.find(([name]) => name === 'Total');
    assert.ok(total, 'a total row');
    const parts = rows.filter(([name]) => name !== 'Total').reduce((s, [, kb]) => s + kb, 0);
    assert.ok(Math.abs(parts - total[1]) < 0.1 * rows.length, `parts ${parts} vs total ${total[1]}`);
    assert.match(v.tooltipMarkdown, /old list-of-floats runtime would need/);
    assert.match(v.tooltipMarkdown, /Raspberry Pi Pico \\\(RP2040\\\)/, 'board label escaped');
    assert.match(v.tooltipMarkdown, /^About \d+ tok\/s on a Pico \\\(resident, sampled decoding at token 20\\\): a prediction/m);
    const w = gaugeView({ model: { fileName: 'story-12k.safetensors' }, estimate: smallEstimate(boardProfile('pico-w-cp9')), command });
    assert.match(w.tooltipMarkdown, /of 100 KB \\\(not calibrated on firmware\\\)/);
  });

  it('no model selected: says so and still opens the Studio', () => {
    const v = gaugeView({ model: null, estimate: null, command });
    assert.equal(v.text, '$(circuit-board) No model');
    assert.equal(v.zone, null);
    assert.equal(v.backgroundColorId, undefined);
    assert.match(v.tooltipMarkdown, /No model is selected/);
  });

  it('a model without an estimate shows the problem', () => {
    const v = gaugeView({ model: { fileName: 'broken.safetensors' }, estimate: null, problem: 'header_json: not JSON', command });
    assert.equal(v.text, '$(error) broken: unreadable');
    assert.match(v.tooltipMarkdown, /No memory estimate: header\\_json: not JSON/);
  });

  it('live figures appear in the text, tooltip and label', () => {
    const e = smallEstimate();
    const v = gaugeView({ model: { fileName: 'story-12k.safetensors' }, estimate: e, live: { free: 49_459, peak: 93_000, heapLimit: 143_360, source: 'Virtual Pico' }, command });
    assert.ok(v.text.endsWith(' · live 48.3 KB free'), v.text);
    assert.match(v.tooltipMarkdown, /\*\*Live\*\* \(Virtual Pico\): 48\.3 KB free, peak 90\.8 KB in use of 140 KB/);
    assert.match(v.ariaLabel, /live: 48\.3 KB free, peak 90\.8 KB/);
    const without = gaugeView({ model: { fileName: 'story-12k.safetensors' }, estimate: e, live: null, command });
    assert.ok(!without.text.includes('live'));
  });

  it('a long file name is shortened in the bar (its start and end kept), whole in the tooltip and the accessible label', () => {
    const fileName = 'random-100k-finetuned-on-my-own-stories-v2.safetensors';
    const v = gaugeView({ model: { fileName }, estimate: smallEstimate(), command });
    assert.match(v.text, /^\$\(\w+\) random-100k-fine…stories-v2 \d+% ·/);
    assert.ok(v.tooltipMarkdown.includes('random\\-100k\\-finetuned\\-on\\-my\\-own\\-stories\\-v2.safetensors') || v.tooltipMarkdown.includes(fileName), v.tooltipMarkdown);
    assert.ok(v.ariaLabel.includes(fileName));
    // 24 characters and fewer stay whole.
    const whole = gaugeView({ model: { fileName: 'exactly-twenty-four-char.safetensors' }, estimate: smallEstimate(), command });
    assert.match(whole.text, / exactly-twenty-four-char \d+%/);
  });

  it('a name that spells an icon is shown literally', () => {
    const v = gaugeView({ model: { fileName: 'a$(bug)b.safetensors' }, estimate: smallEstimate(), command });
    assert.ok(v.text.includes('a\\$(bug)b'), v.text);
    assert.ok(v.tooltipMarkdown.includes('a\\$\\(bug\\)b'));
  });
});
