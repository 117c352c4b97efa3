// IEEE 754 half precision <-> float32, bit exact: round to nearest even, subnormals, infinities, NaN.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Converts a number (first rounded to float32) to the bits of the nearest float16, ties to even. */
export function f32ToF16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    // Normal half: keep 10 mantissa bits; a carry out of the mantissa correctly bumps the exponent (up to Inf).
    let half = ((e + 15) << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  // Subnormal half (units of 2^-24): shift the full 24-bit significand right by -(e+1) places.
  const shift = -(e + 1);
  if (shift > 24 || exp === 0) return sign;
  const full = mant | 0x800000;
  let half = full >>> shift;
  const rest = full & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) === 1)) half += 1;
  return sign | half;
}

/** The value of float16 bits, exactly (every float16 is a float32). */
export function f16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Rounds a number to the nearest float16 value (returned as a number). */
export function roundToF16(value: number): number {
  return f16BitsToNumber(f32ToF16Bits(value));
}
