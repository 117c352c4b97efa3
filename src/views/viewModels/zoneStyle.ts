// How a memory zone looks in each view: a word (never colour alone), a codicon, and theme colour ids.
import type { Zone } from '../../memory/zones';

export interface ZoneStyle {
  /** Shown beside the colour everywhere. */
  label: string;
  /** Codicon id (ThemeIcon / `$(id)` in the status bar). */
  icon: string;
  /** Theme colour id for tree icons (ThemeColor). */
  colorId: string;
  /** Status bar background theme colour id: VS Code only allows the warning and error ones. */
  statusBarBackgroundId: string | undefined;
}

export const ZoneStyles: Readonly<Record<Zone, ZoneStyle>> = {
  safe: { label: 'Safe', icon: 'pass', colorId: 'charts.green', statusBarBackgroundId: undefined },
  test: { label: 'Test on the board', icon: 'beaker', colorId: 'charts.yellow', statusBarBackgroundId: undefined },
  danger: { label: 'Danger', icon: 'warning', colorId: 'charts.orange', statusBarBackgroundId: 'statusBarItem.warningBackground' },
  impossible: { label: 'Does not fit', icon: 'error', colorId: 'charts.red', statusBarBackgroundId: 'statusBarItem.errorBackground' },
};

export function zoneStyle(zone: Zone): ZoneStyle {
  return ZoneStyles[zone];
}
