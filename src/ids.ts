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
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'picoformer',
  models: 'picoformer.models',
  devices: 'picoformer.devices',
} as const;

export const ConfigSection = 'picoformer';
