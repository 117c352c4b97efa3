// Entry point: builds the services and views and registers them. No feature logic lives here.
import * as vscode from 'vscode';
import type { Command, CommandContext } from './commands/command';
import { notYetAvailable } from './commands/notYetAvailable';
import { registerCommands } from './commands/register';
import { showLogCommand } from './commands/showLog';
import { Commands, Views } from './ids';
import { DevicesViewProvider } from './views/devicesView';
import { ModelsViewProvider } from './views/modelsView';

export interface PicoformerApi {
  /** For tests: the ids of the commands this activation registered. */
  readonly commandIds: readonly string[];
}

export function activate(context: vscode.ExtensionContext): PicoformerApi {
  const log = vscode.window.createOutputChannel('Picoformer', { log: true });
  context.subscriptions.push(log);
  const ctx: CommandContext = { extension: context, log };

  const models = new ModelsViewProvider();
  const devices = new DevicesViewProvider();
  context.subscriptions.push(
    models,
    devices,
    vscode.window.registerTreeDataProvider(Views.models, models),
    vscode.window.registerTreeDataProvider(Views.devices, devices),
  );

  const later = (id: (typeof Commands)[keyof typeof Commands], title: string, what: string) =>
    notYetAvailable(ctx, id, title, what);
  const commands: Command[] = [
    showLogCommand(ctx),
    { id: Commands.refreshModels, execute: () => models.refresh() },
    { ...later(Commands.deployModel, 'Deploy Model to Pico', 'Deploying lands with board detection.'), needsTrust: true },
    { ...later(Commands.deployRuntime, 'Deploy Runtime to Pico', 'Deploying lands with board detection.'), needsTrust: true },
    later(Commands.openStudio, 'Open Studio', 'The Studio panel lands with the memory and generation views.'),
    { ...later(Commands.generate, 'Generate on Pico…', 'Generation on a board lands with the serial session.'), needsTrust: true },
    later(Commands.estimateMemory, 'Estimate Memory', 'The memory estimator is being built.'),
    later(Commands.importModel, 'Import Model…', 'Legacy import is being built.'),
    later(Commands.quantizeModel, 'Quantize Model…', 'The int8 quantizer is being built.'),
    later(Commands.refreshDevices, 'Refresh Devices', 'Board detection lands with the devices work.'),
    later(Commands.selectSerialPort, 'Select Serial Port…', 'Serial port discovery lands with the devices work.'),
    later(Commands.selectBoardProfile, 'Select Board Profile…', 'Board profiles land with the memory estimator.'),
    { ...later(Commands.startVirtualPico, 'Start Virtual Pico', 'The virtual Pico lands with the devices work.'), needsTrust: true },
    later(Commands.stopVirtualPico, 'Stop Virtual Pico', 'The virtual Pico lands with the devices work.'),
  ];
  context.subscriptions.push(...registerCommands(commands));
  log.info(`Picoformer activated (${context.extension.packageJSON.version as string}).`);
  return { commandIds: commands.map((c) => c.id) };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
