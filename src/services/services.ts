// Everything commands and views share, built once in activate() and passed in (no singletons).
import type { BoardTargets } from './boardTargets';
import type { DeviceService } from './deviceService';
import type { ModelCatalog } from './modelCatalog';
import type { ModelSelection } from './modelSelection';
import type { ReadOnlyDocuments } from './readOnlyDocuments';
import type { SettingsService } from './settingsService';
import type { VirtualPicoService } from './virtualPicoService';

export interface Services {
  readonly settings: SettingsService;
  readonly catalog: ModelCatalog;
  readonly devices: DeviceService;
  readonly virtualPico: VirtualPicoService;
  readonly selection: ModelSelection;
  readonly documents: ReadOnlyDocuments;
  /** The board generation runs go to (none: the TypeScript reference). */
  readonly targets: BoardTargets;
}
