import assert from 'node:assert/strict';
import { estimateMarkdown } from '../../../src/commands/estimate/estimateMarkdown';
import { boardProfile } from '../../../src/memory/boards';
import { estimate } from '../../../src/memory/estimate';
import { estimateModelFromHeader } from '../../../src/memory/input';
import { entryFor } from '../services/fixtures';

describe('estimate page', () => {
  const entry = entryFor(8000, 'F32');
  const e = estimate(estimateModelFromHeader(entry.header), boardProfile('pico-cp9'), { dtype: 'I8' });
  const page = estimateMarkdown({ summary: entry.summary, fileName: 'my*tiny*.safetensors', location: 'models/*story*.safetensors', legacy: false, estimate: e, dtype: 'I8' });

  it('starts with the verdict and its numbers', () => {
    const lines = page.split('\n');
    assert.equal(lines[0], `# Memory estimate: my\\*tiny\\*.safetensors \\(model ${entry.summary.name}\\)`, "the file's name, then the model's own");
    assert.match(page, /converted to int8/);
    assert.match(page, /\*\*Safe\*\* on Raspberry Pi Pico/);
    assert.match(page, /Needs \*\*[\d.]+ KB\*\* of the 140 KB heap budget \(\d+%\)/);
  });

  it('has the parts table adding up to the total, both modes and the old runtime', () => {
    assert.match(page, /\| KV cache \| [\d.]+ KB \|/);
    assert.match(page, /\| \*\*Total\*\* \| \*\*[\d.]+ KB\*\* \|/);
    assert.match(page, /\| required \(peak \+ reserve\) \| [\d.]+ KB \| [\d.]+ KB \|/);
    assert.match(page, /old list-of-floats runtime would need/);
  });

  it('escapes user text', () => {
    assert.match(page, /models\/\\\*story\\\*\.safetensors/);
  });
});
