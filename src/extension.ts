// Entry point: builds the services and views and registers them. No feature logic lives here.
import * as vscode from 'vscode';
import type { Command, CommandContext } from './commands/command';
import { deleteBoardFileCommand, openDriveCommand, refreshBoardFilesCommand } from './commands/boardFiles';
import { generateOnBoardCommand, loadOnBoardCommand } from './commands/boardModelActions';
import { deleteBoardModelCommand } from './commands/deleteBoardModel';
import { deployModelCommand } from './commands/deployModel';
import { deployRuntimeCommand } from './commands/deployRuntime';
import { estimateMemoryCommand } from './commands/estimateMemory';
import { generateCommand } from './commands/generate';
import { importModelCommand } from './commands/importModel';
import { installCircuitPythonCommand } from './commands/installCircuitPython';
import { openConsoleCommand } from './commands/openConsole';
import { openWalkthroughCommand } from './commands/openWalkthrough';
import { quantizeModelCommand } from './commands/quantizeModel';
import { refreshDevicesCommand } from './commands/refreshDevices';
import { refreshModelsCommand } from './commands/refreshModels';
import { registerCommands } from './commands/register';
import { resetBoardCommand } from './commands/resetBoard';
import { selectBoardProfileCommand } from './commands/selectBoardProfile';
import { selectSerialPortCommand } from './commands/selectSerialPort';
import { showLogCommand } from './commands/showLog';
import { trainModelCommand } from './commands/train/trainModel';
import { startVirtualPicoCommand, stopVirtualPicoCommand } from './commands/virtualPico';
import type { LoadMode } from './device/protocol/events';
import { lazyBundledRuntimeVersion } from './device/runtimeVersion';
import { Commands, Views } from './ids';
import { registerStudio } from './panels/registerStudio';
import type { StudioSession } from './panels/studioSession';
import { BoardTargets } from './services/boardTargets';
import { DeviceService } from './services/deviceService';
import { ModelCatalog } from './services/modelCatalog';
import { ModelSelection } from './services/modelSelection';
import { ReadOnlyDocuments } from './services/readOnlyDocuments';
import type { Services } from './services/services';
import { selectedBoard } from './services/settings';
import { SettingsService } from './services/settingsService';
import { VirtualPicoService } from './services/virtualPicoService';
import { BoardFilesViewProvider } from './views/boardFilesView';
import { ConnectionItem } from './views/connectionItem';
import { ConsoleTerminals } from './views/console/consoleTerminals';
import { DevicesViewProvider } from './views/devicesView';
import { ModelItem, ModelsViewProvider } from './views/modelsView';

export interface PicoformerApi {
  /** For tests: the ids of the commands this activation registered. */
  readonly commandIds: readonly string[];
  /** For tests: the shared services and the two tree providers. */
  readonly services: Services;
  readonly views: { readonly models: ModelsViewProvider; readonly devices: DevicesViewProvider; readonly boardFiles: BoardFilesViewProvider };
  /** For tests: the Studio's state and messages (as its webview sends them). */
  readonly studio: Pick<StudioSession, 'currentState' | 'handle' | 'isTraining'>;
}

export function activate(context: vscode.ExtensionContext): PicoformerApi {
  const log = vscode.window.createOutputChannel('Picoformer', { log: true });
  const settings = new SettingsService(log);
  const virtualPico = new VirtualPicoService(context.globalStorageUri.fsPath, () => selectedBoard(settings.current()).heapBytes, log);
  const services: Services = {
    settings,
    catalog: new ModelCatalog(log),
    virtualPico,
    devices: new DeviceService(settings, virtualPico, log),
    selection: new ModelSelection(),
    documents: new ReadOnlyDocuments(),
    targets: new BoardTargets(virtualPico, (file) => context.workspaceState.get<LoadMode>(`picoformer.loadMode:${file}`), log, lazyBundledRuntimeVersion(context.extensionUri.fsPath)),
  };
  context.subscriptions.push(log, settings, virtualPico, services.catalog, services.devices, services.selection, services.documents, services.targets);
  const ctx: CommandContext = { extension: context, log, services };

  // The Studio generates on the chosen board (Generate on Pico…, Start Virtual Pico), else with the reference.
  const studio = registerStudio(context, { log, backend: () => services.targets.backend(), targetDrive: () => services.targets.drivePath });
  context.subscriptions.push(
    studio,
    services.selection.onDidChange((path) => path && void studio.selectModel(path)),
    services.targets.onDidChange(() => {
      studio.refreshTarget();
      // The board's heap with the selected model loaded (reported right after a deploy): the gauge shows it.
      const heap = services.targets.liveHeap;
      const source = services.targets.backend()?.target.label;
      if (heap?.modelPath && heap.modelPath === services.selection.path && source) studio.setLiveHeap({ free: heap.free, peak: heap.peak, heapLimit: heap.heapLimit, source });
    }),
  );

  const models = new ModelsViewProvider(services);
  const devices = new DevicesViewProvider(services);
  const modelsTree = vscode.window.createTreeView(Views.models, { treeDataProvider: models, showCollapseAll: true });
  context.subscriptions.push(
    models,
    devices,
    modelsTree,
    vscode.window.registerTreeDataProvider(Views.devices, devices),
    // Selecting a workspace model makes it the gauge's and the Studio's model.
    modelsTree.onDidChangeSelection((e) => {
      const item = e.selection[0];
      if (item instanceof ModelItem && !item.board && item.entry.ok) services.selection.select(item.entry.path);
    }),
  );

  const consoles = new ConsoleTerminals(services.targets);
  const boardFiles = new BoardFilesViewProvider(services);
  context.subscriptions.push(consoles, boardFiles, new ConnectionItem(services));

  const commands: Command[] = [
    showLogCommand(ctx),
    refreshModelsCommand(ctx),
    deployModelCommand(ctx),
    deployRuntimeCommand(ctx),
    studio.openCommand,
    generateCommand(ctx, studio),
    estimateMemoryCommand(ctx),
    importModelCommand(ctx),
    quantizeModelCommand(ctx),
    trainModelCommand(ctx, studio),
    refreshDevicesCommand(ctx),
    selectSerialPortCommand(ctx),
    selectBoardProfileCommand(ctx),
    startVirtualPicoCommand(ctx),
    stopVirtualPicoCommand(ctx),
    deleteBoardModelCommand(ctx),
    openConsoleCommand(ctx, consoles),
    resetBoardCommand(ctx),
    installCircuitPythonCommand(ctx),
    openDriveCommand(ctx, boardFiles),
    deleteBoardFileCommand(ctx, boardFiles),
    refreshBoardFilesCommand(boardFiles),
    loadOnBoardCommand(ctx),
    generateOnBoardCommand(),
    openWalkthroughCommand(ctx),
  ];
  context.subscriptions.push(...registerCommands(commands, log));
  services.devices.start();
  if (settings.current().virtualPicoStartOnOpen && vscode.workspace.isTrusted) {
    void vscode.commands.executeCommand(Commands.startVirtualPico, { quiet: true });
  }
  log.info(`Picoformer activated (${context.extension.packageJSON.version as string}).`);
  return { commandIds: commands.map((c) => c.id), services, views: { models, devices, boardFiles }, studio: studio.session };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
