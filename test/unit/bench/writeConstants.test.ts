import assert from 'node:assert/strict';
import type { SuggestedConstants } from '../../../bench/firmware/memoryFit';
import { boardValues, hostValues, setMemestConstants } from '../../../bench/firmware/writeConstants';

describe('setMemestConstants (the sweep writing memest.py)', () => {
  it('sets the numbers of const() lines by name, keeping their comments, and refuses a missing name', () => {
    const source = 'MAT_OBJ = const(188)  # a Mat\nLOAD_CODE = const(7840)  # code\nX = 1\n';
    assert.equal(setMemestConstants(source, { MAT_OBJ: 120, LOAD_CODE: 9000 }), 'MAT_OBJ = const(120)  # a Mat\nLOAD_CODE = const(9000)  # code\nX = 1\n');
    assert.throws(() => setMemestConstants(source, { NOPE: 1 }), /memest\.py has no NOPE = const/);
  });
});

describe('hostValues (the runtime beside a model, written by the sweep)', () => {
  const suggestion = (runtimeFromPlain: boolean): SuggestedConstants => ({
    objects: { modelAndConfig: 880, perMat: 188, perLayer: 80, perView: 80, file: 16 },
    header: { code: 25_296, perByte: 2, perTensor: 440, perWord: 10 },
    load: { code: 10_832, perTensor: 377 },
    runtimeImport: 25_431,
    runtimeFromPlain,
    counts: { objects: 1, header: 1, load: 1 },
  });

  it('writes the figure measured under board/code.py, in whole heap blocks', () => {
    assert.deepEqual(hostValues(suggestion(true)), { runtimeImportBytes: 25_424 });
  });

  it('writes nothing from the step probe\'s live heap (the probe changes what the collector keeps alive)', () => {
    assert.deepEqual(hostValues(suggestion(false)), {});
  });
});

describe('boardValues (the board constants the sweep writes)', () => {
  it('writes the ulab view from the firmware: the MicroPython VM has no ulab, so only the firmware measures it', () => {
    const s: SuggestedConstants = {
      objects: { modelAndConfig: 601, perMat: 102, perLayer: 80, perView: 31, file: 682 },
      header: { code: 24_223, perByte: 2, perTensor: 492, perWord: 17 },
      load: { code: 11_354, perTensor: 414 },
      runtimeImport: 23_008,
      runtimeFromPlain: true,
      counts: { objects: 1, header: 1, load: 1 },
    };
    assert.equal(boardValues(s).NDARRAY_OBJ, 32);
    assert.equal(boardValues(s).MAT_OBJ, undefined);
  });
});
