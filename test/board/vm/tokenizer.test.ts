// The board runtime's tokenizer under MicroPython encodes and decodes the golden tokenizer cases exactly as the
// reference does, for every kind of vocabulary: characters, longest match, subword pieces learned by the trainer
// (whose seeded texts over the corpus alphabet must round-trip byte for byte), and decode-only legacy entries.
import assert from 'node:assert/strict';
import { asciiLower } from '../../../src/model/tokenizer';
import { BoardVm } from './boardVm';
import { golden } from './goldenFiles';

interface Case {
  text: string;
  ids: number[];
  unknown: number;
  decoded: string;
}

const Models = ['random-1k-i8', 'random-30k-i8', 'legacy-chat-10k-balanced-i8', 'legacy-story-1k-dups-i8', 'subword-sw256-i8'];

describe('board runtime in MicroPython: the tokenizer', function () {
  this.timeout(60_000);
  for (const name of Models) {
    it(`${name}: the reference's ids and text for every golden case`, async () => {
      const { g, json, model } = golden(name);
      const cases = (g as unknown as { tokenizer_cases: Case[] }).tokenizer_cases;
      const vm = await BoardVm.create({});
      vm.addFile('/golden.json', json);
      vm.addFile('/model.safetensors', model);
      vm.run(
        'import json\nfrom picoformer import header, tokenizer\n' +
          'vb = header.read("/model.safetensors").vocab\n' +
          'cases = json.load(open("/golden.json"))["tokenizer_cases"]\n' +
          'got = []\n' +
          'for c in cases:\n' +
          '    ids, unknown = tokenizer.encode(vb, c["text"])\n' +
          '    got.append([ids, unknown, "".join(tokenizer.decode(vb, i) for i in ids)])\n',
      );
      const got = JSON.parse(vm.value<string>('json.dumps(got)')) as [number[], number, string][];
      assert.equal(got.length, cases.length);
      cases.forEach((c, i) => {
        assert.deepEqual(got[i], [c.ids, c.unknown, c.decoded], JSON.stringify(c.text));
        if (c.unknown === 0) assert.equal(got[i][2], g.config.lowercase === true ? asciiLower(c.text) : c.text, 'round trip, after the model\'s lowercasing');
      });
    });
  }
});
