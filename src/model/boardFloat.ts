// Numbers as the board keeps them. CircuitPython on the RP2040 packs a float into 30 bits: float32 with its two
// lowest mantissa bits cleared (measured on the emulated official firmware: 1 + 3 * 2^-23 reads back as 1.0, the
// largest float32 as 3.40282e+38 with its low bits cleared), and its number parser turns anything below float32's
// smallest normal number into 0 (1e-38 reads as 0.0). Both readers judge a model's numbers by this value
// (docs/format.md "Numbers"), so a file the host accepts is one the board accepts.

const f32 = new Float32Array(1);
const bits = new Uint32Array(f32.buffer);
const SmallestNormal = 2 ** -126;

/** `v` as the board's float holds it (Infinity for what float32 cannot hold, 0 below its smallest normal). */
export function boardFloat(v: number): number {
  f32[0] = v;
  bits[0] &= 0xfffffffc;
  const kept = f32[0];
  return Math.abs(kept) < SmallestNormal ? 0 : kept;
}
