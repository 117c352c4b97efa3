// The speed prediction as people read it, beside a memory verdict: always labelled a prediction, with what the
// emulator cannot show (flash read timing, for streamed models) and boards it was not calibrated on.
import { calibrationNote } from './boards';
import type { MemoryEstimate } from './estimate';

/** "27", "3.4", "0.82": two significant figures, at most. */
export function formatRate(tokensPerSecond: number): string {
  if (tokensPerSecond >= 10) return Math.round(tokensPerSecond).toString();
  if (tokensPerSecond >= 1) return tokensPerSecond.toFixed(1);
  return tokensPerSecond.toPrecision(2);
}

function where(e: MemoryEstimate): string {
  return e.board.id === 'pico-cp9' ? 'on a Pico' : 'on its RP2040 (as a Pico)';
}

/** "about 27 tok/s on a Pico (predicted)", or null when no speed is predicted. */
export function speedShort(e: MemoryEstimate): string | null {
  return e.speed ? `about ${formatRate(e.speed.tokensPerSecond)} tok/s ${where(e)} (predicted${calibrationNote(e.board) ? ', not calibrated on firmware' : ''})` : null;
}

/** The full sentence for tooltips, the Studio and `estimate`; null when the model does not fit. */
export function speedText(e: MemoryEstimate): string | null {
  if (e.mode === null) return null;
  if (!e.speed) return `Speed: no prediction for ${e.board.label}${calibrationNote(e.board)}.`;
  const s = e.speed;
  const how = `${s.mode}${s.path === 'python' ? ', pure Python (no ulab)' : ''}, ${s.sampling} decoding at token ${Math.round(s.position)}`;
  const streamed = s.mode === 'streamed' ? ' Streamed weights are read from flash every token, whose timing the emulator does not model: a board may be slower.' : '';
  return `About ${formatRate(s.tokensPerSecond)} tok/s ${where(e)} (${how}): a prediction from measurements of the official firmware on an emulated RP2040${calibrationNote(e.board)}.${streamed}`;
}
