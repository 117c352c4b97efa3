// Identifiers shared by the manifest (package.json) and the code. The integration tests check they stay in step.

export const Commands = {
  deployModel: 'picoformer.deployModel',
  deployRuntime: 'picoformer.deployRuntime',
  openStudio: 'picoformer.openStudio',
  generate: 'picoformer.generate',
  estimateMemory: 'picoformer.estimateMemory',
  importModel: 'picoformer.importModel',
  quantizeModel: 'picoformer.quantizeModel',
  refreshDevices: 'picoformer.refreshDevices',
  selectSerialPort: 'picoformer.selectSerialPort',
  selectBoardProfile: 'picoformer.selectBoardProfile',
  startVirtualPico: 'picoformer.startVirtualPico',
  stopVirtualPico: 'picoformer.stopVirtualPico',
  showLog: 'picoformer.showLog',
  refreshModels: 'picoformer.refreshModels',
  deleteBoardModel: 'picoformer.deleteBoardModel',
  trainModel: 'picoformer.trainModel',
  openConsole: 'picoformer.openConsole',
  resetBoard: 'picoformer.resetBoard',
  installCircuitPython: 'picoformer.installCircuitPython',
  openDrive: 'picoformer.openDrive',
  deleteBoardFile: 'picoformer.deleteBoardFile',
  refreshBoardFiles: 'picoformer.refreshBoardFiles',
  loadOnBoard: 'picoformer.loadOnBoard',
  generateOnBoard: 'picoformer.generateOnBoard',
  openWalkthrough: 'picoformer.openWalkthrough',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'picoformer',
  models: 'picoformer.models',
  devices: 'picoformer.devices',
  boardFiles: 'picoformer.boardFiles',
} as const;

export const ConfigSection = 'picoformer';

/** The walkthrough's id in contributes.walkthroughs. */
export const WalkthroughId = 'picoformer.gettingStarted';

/** Context keys the extension sets (package.json's `when` clauses and the walkthrough read them). */
export const ContextKeys = {
  /** The Models view has listed the workspace once (until then its welcome says it is looking). */
  modelsScanned: 'picoformer.modelsScanned',
  /** The first device scan has finished (until then the Devices welcome says it is looking). */
  devicesScanned: 'picoformer.devicesScanned',
  /** A physical board running CircuitPython is connected (the walkthrough's last step). */
  physicalBoard: 'picoformer.physicalBoard',
} as const;
