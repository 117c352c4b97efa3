import assert from 'node:assert/strict';
import { boardProfile } from '../../../src/memory/boards';
import { modelRow, unreadableModelRow } from '../../../src/views/viewModels/modelRow';
import { studioModelView } from '../../../src/views/viewModels/studioModelView';
import { boardFor, smallHeader } from './fixtures';

describe('Models tree row view model', () => {
  it('shows name, parameters, file size, peak heap and zone', () => {
    const header = smallHeader();
    // The Pico 2's budget leaves this small model plenty of room whatever the calibration.
    const row = modelRow({ location: 'models/story.safetensors', header, legacy: false }, boardProfile('pico2-cp9'));
    assert.equal(row.label, 'story-' + row.label.split('-')[1]);
    assert.match(row.label, /^story-\d+(\.\d+)?k$/);
    assert.equal(row.parameters, header.parameterCount);
    assert.equal(row.fileBytes, header.fileSize);
    assert.ok(row.peakBytes !== null && row.peakBytes > 40_000);
    assert.equal(row.zone, 'safe');
    assert.equal(row.iconId, 'pass');
    assert.equal(row.iconColorId, 'charts.green');
    assert.equal(row.contextValue, 'model');
    assert.match(row.description, /^[\d,]+ params · [\d.]+ KB · peak [\d.]+ KB · Safe$/);
    assert.match(row.tooltipMarkdown, /models\/story\.safetensors/);
    assert.match(row.tooltipMarkdown, /\| Weights \| [\d.]+ KB \|/);
    assert.match(row.tooltipMarkdown, /\| KV cache \| [\d.]+ KB \|/);
  });

  it('in the tree the zone word starts the label, before the name and anything else a narrow side bar can cut', () => {
    const row = modelRow({ location: 'models/story.safetensors', header: smallHeader(), legacy: false }, boardProfile('pico2-cp9'));
    assert.deepEqual(row.treeRow(), { label: `Safe · ${row.label}`, description: row.description.replace(/ · Safe$/, '') });
    assert.equal(row.treeRow('default').label, `Safe · default · ${row.label}`, 'a board\'s default says so after the zone');
    assert.match(row.treeRow('default').description, /^[\d,]+ params · [\d.]+ KB · peak [\d.]+ KB$/, 'the zone is not said twice');
  });

  it('a 40-character file name comes after the zone word, wherever the row is', () => {
    const longName = 'story-30k-finetuned-on-bedtime-stories-v2-final';
    const board = boardProfile('pico2-cp9');
    for (const location of [`models/${longName}.safetensors`, `Virtual Pico/models/${longName}.safetensors`]) {
      const row = modelRow({ location, header: smallHeader(), legacy: false, labelByFile: true }, board);
      assert.equal(row.label, longName);
      for (const extra of [undefined, 'default']) {
        const tree = row.treeRow(extra);
        assert.ok(tree.label.startsWith('Safe · '), `the zone word first: ${tree.label}`);
        assert.ok(tree.label.endsWith(longName), `the name last: ${tree.label}`);
        assert.doesNotMatch(tree.description, /Safe/);
      }
    }
  });

  it('rows without a zone start with what they are instead', () => {
    const unreadable = unreadableModelRow('x', 'models/x.safetensors', 'bad');
    assert.deepEqual(unreadable.treeRow('default'), { label: 'Unreadable · default · x', description: '' });
    const unknown = modelRow({ location: 'x', header: smallHeader(), legacy: false }, boardProfile('pico-cp9'), { contextLength: 9999 });
    assert.equal(unknown.treeRow().label, `No estimate · ${unknown.label}`);
    assert.equal(unknown.treeRow().description, unknown.description);
  });

  it('in the tree, a file named otherwise than its model is labelled by its file name, the model named first', () => {
    const header = smallHeader();
    const board = boardProfile('pico2-cp9');
    const named = modelRow({ location: 'models/story.safetensors', header, legacy: false }, board);
    const copy = modelRow({ location: 'models/runs/story-copy.safetensors', header, legacy: false, labelByFile: true }, board);
    assert.equal(copy.label, 'story-copy');
    assert.equal(copy.description, `${named.label} · ${named.description}`);
    const same = modelRow({ location: `C:\\m\\${named.label}.safetensors`, header, legacy: false, labelByFile: true }, board);
    assert.equal(same.label, named.label);
    assert.equal(same.description, named.description);
    const legacy = modelRow({ location: 'v5/chat-10k-balanced', header, legacy: true, labelByFile: true }, board);
    assert.equal(legacy.label, named.label);
  });

  it('takes the zone colour and icon of the board it is checked against', () => {
    const header = smallHeader(); // F32 as written
    const danger = modelRow({ location: 'x', header, legacy: true }, boardFor('danger'), { dtype: 'I8' });
    assert.equal(danger.zone, 'danger');
    assert.equal(danger.iconId, 'warning');
    assert.equal(danger.iconColorId, 'charts.orange');
    assert.equal(danger.contextValue, 'model.legacy');
    assert.match(danger.tooltipMarkdown, /converted from the legacy trio/);
  });

  it('the deployed dtype changes the file size and the peak', () => {
    const header = smallHeader();
    const asFloat = modelRow({ location: 'x', header, legacy: false }, boardProfile('pico-cp9'));
    const asInt8 = modelRow({ location: 'x', header, legacy: false }, boardProfile('pico-cp9'), { dtype: 'I8' });
    assert.ok((asInt8.peakBytes ?? 0) < (asFloat.peakBytes ?? 0));
    assert.ok(asInt8.fileBytes < asFloat.fileBytes);
  });

  it('an estimate that cannot be made gives a row that says why', () => {
    const row = modelRow({ location: 'x', header: smallHeader(), legacy: false }, boardProfile('pico-cp9'), { contextLength: 9999 });
    assert.equal(row.zone, null);
    assert.equal(row.peakBytes, null);
    assert.equal(row.iconId, 'question');
    assert.match(row.tooltipMarkdown, /No memory estimate: Context length must be a whole number in 1\\\.\\\.64|No memory estimate: Context length must be a whole number in 1\.\.64/);
  });

  it('an unreadable file keeps its row with the reason', () => {
    const row = unreadableModelRow('bad.safetensors', 'models/bad.safetensors', 'truncated: the file ends at byte 3');
    assert.equal(row.description, 'unreadable');
    assert.equal(row.iconId, 'error');
    assert.equal(row.contextValue, 'model.unreadable');
    assert.match(row.tooltipMarkdown, /Cannot be read: truncated/);
  });

  it('the Studio model line', () => {
    const v = studioModelView(smallHeader(), 'models/mytiny-8k.safetensors', false);
    assert.equal(v.name, 'mytiny-8k.safetensors', 'the file name first');
    assert.match(v.detail, /^model story-[\d.]+k · [\d,]+ parameters · F32 · [\d.]+ KB file · context 64$/, "the model's own name second");
    assert.equal(v.contextLength, 64);
  });
});
