// A legacy trio like the real models of tiny-transformers-rp2040 that the anchors do not include: the weights of
// v5/story-1k-balanced with a vocabulary that lists entries twice (" the", "e"), has an entry longer than the old
// runtime's 8-character match ("different"), a real "<unused_62>" token beside the empty slot 62, and a real "<unk>"
// token (id 3 is the special <unk>). The golden vectors and the legacy import tests use it.
import { join } from 'node:path';
import { type LegacyTrio, parseLegacyVocab } from '../src/model/legacy';
import { readLegacyTrio } from '../src/model/legacyFiles';

/** Slots replaced in the story-1k-balanced vocabulary (null: an empty slot). */
export const DuplicateSlots: Record<number, string | null> = {
  56: '<unk>', // '>' in the anchor
  57: ' the', // '\n'
  58: 'e', // '\t': "e" again (id 5); the old runtime's dict keeps this later id
  59: ' the', // '0': " the" again; this id wins
  60: 'different', // '1': 9 characters, never matched by the old runtime
  61: '<unused_62>', // '2': a real token named like the empty slot beside it
  62: null, // '3'
};

/** The legacy vocab.bin format: u16 count, then per token a u8 byte length and its UTF-8 bytes (0: empty slot). */
export function legacyVocabBytes(slots: readonly (string | null)[]): Uint8Array {
  const parts = slots.map((s) => new TextEncoder().encode(s ?? ''));
  const out = new Uint8Array(2 + parts.reduce((n, p) => n + 1 + p.length, 0));
  out[0] = slots.length & 0xff;
  out[1] = slots.length >> 8;
  let at = 2;
  for (const p of parts) {
    out[at++] = p.length;
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The trio, named `story-1k-dups`, built from the anchor in `anchorsDir` (…/anchors/tiny-transformers-rp2040). */
export async function duplicateVocabTrio(anchorsDir: string): Promise<LegacyTrio> {
  const base = await readLegacyTrio(join(anchorsDir, 'v5', 'story-1k-balanced'));
  const slots = parseLegacyVocab(base.vocab);
  for (const [id, s] of Object.entries(DuplicateSlots)) slots[Number(id)] = s;
  return { ...base, name: 'story-1k-dups', vocab: legacyVocabBytes(slots) };
}
