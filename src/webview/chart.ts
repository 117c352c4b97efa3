// A small live line chart in inline SVG (no chart library): one or more series over a shared x axis, a y axis from 0
// to the largest value (or a fixed maximum), the latest values written at the top.
import { svg } from './dom';

export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  /** Shown before the latest value when there are several series: "train 1.234 · val 1.301". */
  name: string;
  points: readonly ChartPoint[];
  /** Extra class for the line (its colour), e.g. "chart-line-val". */
  className?: string;
  /** Draw a dot at each point (for sparse series such as validation loss). */
  markers?: boolean;
}

export interface ChartOptions {
  /** Accessible name, e.g. "Tokens per second". */
  title: string;
  format: (y: number) => string;
  /** Top of the y axis; default: the largest value. */
  yMax?: number;
  /** The x axis' span; default: the points'. A training run fixes it to its steps so the curve grows to the right. */
  xRange?: [number, number];
  /** A dashed horizontal line (e.g. the heap limit). */
  reference?: { y: number; label: string };
  /** Shown when there are no points. */
  empty: string;
}

const W = 320;
const H = 90;
const Pad = { left: 4, right: 4, top: 14, bottom: 4 };

/** Draws one series of `points` into `host` (replacing what was there). */
export function drawChart(host: SVGSVGElement, points: readonly ChartPoint[], options: ChartOptions): void {
  drawSeries(host, [{ name: options.title, points }], options);
}

/** Draws `series` into `host` (replacing what was there); series without points are left out. */
export function drawSeries(host: SVGSVGElement, series: readonly ChartSeries[], options: ChartOptions): void {
  host.setAttribute('viewBox', `0 0 ${W} ${H}`);
  host.setAttribute('role', 'img');
  const shown = series.filter((s) => s.points.length > 0);
  const latest = shown.length === 1 ? options.format(lastOf(shown[0]).y) : shown.map((s) => `${s.name} ${options.format(lastOf(s).y)}`).join(' · ');
  host.setAttribute('aria-label', shown.length > 0 ? `${options.title}: ${latest}` : `${options.title}: ${options.empty}`);
  const children: SVGElement[] = [svg('rect', { class: 'chart-frame', x: 0.5, y: 0.5, width: W - 1, height: H - 1 })];
  if (shown.length === 0) {
    children.push(svg('text', { class: 'chart-empty', x: W / 2, y: H / 2 + 4, 'text-anchor': 'middle' }, options.empty));
    host.replaceChildren(...children);
    return;
  }
  const all = shown.flatMap((s) => s.points);
  const [xMin, xEnd] = options.xRange ?? [Math.min(...all.map((p) => p.x)), Math.max(...all.map((p) => p.x))];
  const xMax = Math.max(xEnd, xMin + 1e-9);
  const yMax = Math.max(options.yMax ?? 0, options.reference?.y ?? 0, ...all.map((p) => p.y), 1e-9);
  host.setAttribute('data-x-range', `${xMin},${xMax}`); // what the x axis spans (tests read it)
  const px = (x: number): number => Pad.left + ((x - xMin) / (xMax - xMin)) * (W - Pad.left - Pad.right);
  const py = (y: number): number => H - Pad.bottom - (y / yMax) * (H - Pad.top - Pad.bottom);
  if (options.reference) {
    const y = py(options.reference.y).toFixed(1);
    children.push(svg('line', { class: 'chart-reference', x1: Pad.left, x2: W - Pad.right, y1: y, y2: y }));
    children.push(svg('text', { class: 'chart-label', x: W - Pad.right - 2, y: Number(y) - 3, 'text-anchor': 'end' }, options.reference.label));
  }
  for (const s of shown) {
    const last = lastOf(s);
    // A single point without a fixed x range: a flat line across, so it can be seen.
    const coords =
      s.points.length === 1 && !options.xRange
        ? [`${Pad.left},${py(last.y)}`, `${W - Pad.right},${py(last.y)}`]
        : s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`);
    const className = `chart-line${s.className ? ` ${s.className}` : ''}`;
    children.push(svg('polyline', { class: className, points: coords.join(' '), 'data-series': s.name }));
    if (s.markers) {
      for (const p of s.points) children.push(svg('circle', { class: `chart-marker${s.className ? ` ${s.className}` : ''}`, cx: px(p.x).toFixed(1), cy: py(p.y).toFixed(1), r: 2 }));
    }
  }
  children.push(svg('text', { class: 'chart-label', x: Pad.left + 2, y: 11 }, `${options.title}: ${latest}`));
  host.replaceChildren(...children);
}

function lastOf(series: ChartSeries): ChartPoint {
  return series.points[series.points.length - 1];
}
