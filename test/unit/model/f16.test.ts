import assert from 'node:assert/strict';
import { f16BitsToNumber, f32ToF16Bits, roundToF16 } from '../../../src/model/f16';

describe('f16', () => {
  it('round-trips every float16 bit pattern (NaNs stay NaN)', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const v = f16BitsToNumber(bits);
      if (Number.isNaN(v)) assert.ok(Number.isNaN(f16BitsToNumber(f32ToF16Bits(v))));
      else assert.equal(f32ToF16Bits(v), bits, `bits 0x${bits.toString(16)}`);
    }
  });

  it('decodes the landmarks', () => {
    assert.equal(f16BitsToNumber(0x3c00), 1);
    assert.equal(f16BitsToNumber(0xc000), -2);
    assert.equal(f16BitsToNumber(0x7bff), 65504);
    assert.equal(f16BitsToNumber(0x0001), 2 ** -24);
    assert.equal(f16BitsToNumber(0x03ff), 1023 * 2 ** -24);
    assert.equal(f16BitsToNumber(0x0400), 2 ** -14);
    assert.equal(f16BitsToNumber(0x7c00), Infinity);
    assert.equal(f16BitsToNumber(0xfc00), -Infinity);
    assert.ok(Object.is(f16BitsToNumber(0x8000), -0));
  });

  it('rounds to nearest, ties to even, in normals and subnormals', () => {
    assert.equal(roundToF16(1 + 2 ** -11), 1); // tie, 1 is even
    assert.equal(roundToF16(1 + 3 * 2 ** -11), 1 + 2 ** -9); // tie, rounds up to even
    assert.equal(roundToF16(1 + 2 ** -11 + 2 ** -20), 1 + 2 ** -10); // just above the tie
    assert.equal(roundToF16(2 ** -25), 0); // tie between 0 and the smallest subnormal
    assert.equal(roundToF16(2 ** -25 * 1.5), 2 ** -24);
    assert.equal(roundToF16(3 * 2 ** -25), 2 * 2 ** -24); // tie between 1 and 2 units: even
    assert.equal(roundToF16(2 ** -14 - 2 ** -25), 2 ** -14); // rounds up out of the subnormals
    assert.equal(roundToF16(1e-10), 0);
    assert.ok(Object.is(roundToF16(-1e-10), -0));
  });

  it('overflows to infinity exactly where float16 does', () => {
    assert.equal(roundToF16(65519), 65504);
    assert.equal(roundToF16(65520), Infinity); // the tie above 65504 goes to the even neighbour, 2^16 = Inf
    assert.equal(roundToF16(-1e6), -Infinity);
    assert.ok(Number.isNaN(roundToF16(NaN)));
  });

  it('always picks a nearest float16 (random float32 values)', () => {
    let x = 12345;
    for (let i = 0; i < 20000; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const v = Math.fround(((x / 2 ** 32) * 2 - 1) * 2 ** ((i % 40) - 26));
      const bits = f32ToF16Bits(v);
      const r = f16BitsToNumber(bits);
      const neighbours = [f16BitsToNumber((bits & 0x8000) | Math.max(0, (bits & 0x7fff) - 1)), f16BitsToNumber(bits + 1)];
      for (const n of neighbours) assert.ok(Math.abs(v - r) <= Math.abs(v - n), `${v} -> ${r}, but ${n} is nearer`);
    }
  });
});
