// In-memory tensors: float values in a Float32Array (F16 values are exact in float32), int8 with per-row scales.

export type Dtype = 'F32' | 'F16' | 'I8';

export interface FloatTensor {
  dtype: 'F32' | 'F16';
  shape: number[];
  /** Row-major values; for F16 each is exactly a float16 value. */
  data: Float32Array;
}

export interface Int8Tensor {
  dtype: 'I8';
  shape: [number, number];
  /** Row-major quantized values: W[r][c] = data[r * cols + c] * scale[r]. */
  data: Int8Array;
  /** One float32 scale per row (stored as the `<name>.scale` tensor). */
  scale: Float32Array;
}

export type Tensor = FloatTensor | Int8Tensor;

/** Element `[r][c]` of a matrix as a number, dequantizing int8. */
export function matrixValue(t: Tensor, r: number, c: number): number {
  const cols = t.shape[1] ?? 1;
  return t.dtype === 'I8' ? t.data[r * cols + c] * t.scale[r] : t.data[r * cols + c];
}

/** The whole tensor as float32 values (a copy for int8, the same array otherwise). */
export function toFloat32(t: Tensor): Float32Array {
  if (t.dtype !== 'I8') return t.data;
  const [rows, cols] = t.shape;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const s = t.scale[r];
    for (let c = 0; c < cols; c++) out[r * cols + c] = t.data[r * cols + c] * s;
  }
  return out;
}
