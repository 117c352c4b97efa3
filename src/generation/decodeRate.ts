// One definition of a run's speed, for every backend, the Studio's status line and its chart, and the board runtime's
// done event (its decode_ms, docs/protocol.md): decode tokens per second, the prompt excluded. The first new token
// comes out of the prompt's last pass, so it is the new tokens after the first over the time from the first to the
// last. Imports nothing (the webview uses it too).

/** (tokens - 1) per second between the first new token (at firstMs) and the last (at lastMs); 0 when undefined. */
export function decodeRate(firstMs: number, lastMs: number, tokens: number): number {
  const span = lastMs - firstMs;
  return tokens > 1 && span > 0 ? ((tokens - 1) * 1000) / span : 0;
}
