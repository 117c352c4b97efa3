import assert from 'node:assert/strict';
import { replaceBetweenMarkers } from '../../../bench/firmware/markers';

describe('replaceBetweenMarkers', () => {
  it('replaces only what lies between the two markers, keeping them', () => {
    const text = 'a\n<!-- t -->\nold\nlines\n<!-- /t -->\nb\n';
    assert.equal(replaceBetweenMarkers(text, 't', 'new\n'), 'a\n<!-- t -->\nnew\n<!-- /t -->\nb\n');
  });

  it('refuses a file without the section (nothing written by halves)', () => {
    assert.throws(() => replaceBetweenMarkers('no markers', 't', 'x'), /no <!-- t --> \.\.\. <!-- \/t --> section/);
    assert.throws(() => replaceBetweenMarkers('<!-- /t --> <!-- t -->', 't', 'x'), /section/);
  });
});

