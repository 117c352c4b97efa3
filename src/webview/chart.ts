// A small live line chart in inline SVG (no chart library): one series, a y axis from 0 to the largest value
// (or a fixed maximum), the latest value written beside it.
import { svg } from './dom';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartOptions {
  /** Accessible name, e.g. "Tokens per second". */
  title: string;
  format: (y: number) => string;
  /** Top of the y axis; default: the largest value. */
  yMax?: number;
  /** A dashed horizontal line (e.g. the heap limit). */
  reference?: { y: number; label: string };
  /** Shown when there are no points. */
  empty: string;
}

const W = 320;
const H = 90;
const Pad = { left: 4, right: 4, top: 14, bottom: 4 };

/** Draws `points` into `host` (replacing what was there). */
export function drawChart(host: SVGSVGElement, points: readonly ChartPoint[], options: ChartOptions): void {
  host.setAttribute('viewBox', `0 0 ${W} ${H}`);
  host.setAttribute('role', 'img');
  const last = points[points.length - 1];
  host.setAttribute('aria-label', last ? `${options.title}: ${options.format(last.y)}` : `${options.title}: ${options.empty}`);
  const children: SVGElement[] = [svg('rect', { class: 'chart-frame', x: 0.5, y: 0.5, width: W - 1, height: H - 1 })];
  if (!last) {
    children.push(svg('text', { class: 'chart-empty', x: W / 2, y: H / 2 + 4, 'text-anchor': 'middle' }, options.empty));
    host.replaceChildren(...children);
    return;
  }
  const xMin = points[0].x;
  const xMax = Math.max(last.x, xMin + 1e-9);
  const yMax = Math.max(options.yMax ?? 0, options.reference?.y ?? 0, ...points.map((p) => p.y), 1e-9);
  const px = (x: number): number => Pad.left + ((x - xMin) / (xMax - xMin)) * (W - Pad.left - Pad.right);
  const py = (y: number): number => H - Pad.bottom - (y / yMax) * (H - Pad.top - Pad.bottom);
  if (options.reference) {
    const y = py(options.reference.y).toFixed(1);
    children.push(svg('line', { class: 'chart-reference', x1: Pad.left, x2: W - Pad.right, y1: y, y2: y }));
    children.push(svg('text', { class: 'chart-label', x: W - Pad.right - 2, y: Number(y) - 3, 'text-anchor': 'end' }, options.reference.label));
  }
  const coords = points.length === 1 ? [`${Pad.left},${py(last.y)}`, `${W - Pad.right},${py(last.y)}`] : points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`);
  children.push(svg('polyline', { class: 'chart-line', points: coords.join(' ') }));
  children.push(svg('text', { class: 'chart-label', x: Pad.left + 2, y: 11 }, `${options.title}: ${options.format(last.y)}`));
  host.replaceChildren(...children);
}
