// The training loss chart's x axis, shared by the webview (which draws it) and the tests. Imports only the protocol.
import type { TrainingView } from './protocol';

/** The loss chart's x axis: to the run's total while it runs or when it completed, to the steps done when it stopped
 *  early (a cancelled run's curve fills the chart instead of ending a third of the way across). */
export function lossChartRange(view: TrainingView): [number, number] | undefined {
  if (view.totalSteps <= 0) return undefined;
  const end = view.status === 'cancelled' || view.status === 'error' ? Math.max(view.step, view.points.at(-1)?.step ?? 0) : view.totalSteps;
  return end > 0 ? [0, end] : undefined;
}
