// Small text helpers shared by the commands' human-readable output.

export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

export function bytes(n: number): string {
  if (n < 10_000) return `${thousands(n)} bytes`;
  if (n < 10_000_000) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A number with `digits` significant digits, without exponent noise for ordinary sizes. */
export function short(x: number, digits = 3): string {
  return x === 0 ? '0' : Number(x.toPrecision(digits)).toString();
}
