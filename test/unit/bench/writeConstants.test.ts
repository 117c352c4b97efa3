import assert from 'node:assert/strict';
import { setMemestConstants } from '../../../bench/firmware/writeConstants';

describe('setMemestConstants (the sweep writing memest.py)', () => {
  it('sets the numbers of const() lines by name, keeping their comments, and refuses a missing name', () => {
    const source = 'MAT_OBJ = const(188)  # a Mat\nLOAD_CODE = const(7840)  # code\nX = 1\n';
    assert.equal(setMemestConstants(source, { MAT_OBJ: 120, LOAD_CODE: 9000 }), 'MAT_OBJ = const(120)  # a Mat\nLOAD_CODE = const(9000)  # code\nX = 1\n');
    assert.throws(() => setMemestConstants(source, { NOPE: 1 }), /memest\.py has no NOPE = const/);
  });
});
