// Numbers as every view writes them, so the gauge, the trees and the panel agree to the digit.

const KB = 1024;

/** "52.1 KB" under 100 KB, "140 KB" above (heap figures: KB is the unit people compare with the board's). */
export function formatKB(bytes: number): string {
  const kb = bytes / KB;
  return `${Math.abs(kb) < 100 ? kb.toFixed(1) : Math.round(kb).toString()} KB`;
}

/** File and drive sizes: "512 B", "9.6 KB", "1.2 MB", "71.6 GB". */
export function formatSize(bytes: number): string {
  if (bytes < KB) return `${bytes} B`;
  if (bytes < KB * KB) return formatKB(bytes);
  if (bytes < KB * KB * KB) return `${(bytes / (KB * KB)).toFixed(1)} MB`;
  return `${(bytes / (KB * KB * KB)).toFixed(1)} GB`;
}

/** "1 layer", "2 layers": a count with its noun, made plural by an "s". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "8,192" */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "62%" of `total`; "—" when total is not positive. */
export function formatPercent(part: number, total: number): string {
  return total > 0 ? `${Math.round((part / total) * 100)}%` : '—';
}

/** A duration as a clock: "4:05", "1:02:09". */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
