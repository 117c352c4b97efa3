// Wires the Studio into the extension: the session, the panel (with its serializer, so it survives a reload),
// the status bar gauge, settings, and the Open Studio command. extension.ts calls registerStudio() once.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Command } from '../commands/command';
import type { GenerationBackend } from '../generation/backend';
import { ReferenceBackend } from '../generation/referenceBackend';
import { Commands, ConfigSection } from '../ids';
import { CustomHeapKbRange, DefaultBoardId, isBoardId } from '../memory/boards';
import { estimate } from '../memory/estimate';
import type { Dtype } from '../model/tensor';
import { GaugeBinding } from '../views/gauge/gaugeBinding';
import { MemoryGauge } from '../views/gauge/memoryGauge';
import { ModelFileGlob } from '../views/modelsView';
import type { LiveHeap } from '../views/viewModels/gaugeView';
import { readSelectedModel } from './selectedModel';
import { StudioPanel, StudioViewType } from './studioPanel';
import { type BoardChoice, type HostFix, StudioSession } from './studioSession';
import type { GenerationDefaults } from './protocol';

export interface StudioServices {
  log: vscode.LogOutputChannel;
  /** The backend for the current target (virtual Pico, board); undefined or absent: the TypeScript reference. */
  backend?: () => GenerationBackend | undefined;
  /** The current target's drive (where a failed run's Deploy now deploys), when known. */
  targetDrive?: () => string | undefined;
}

export interface Studio extends vscode.Disposable {
  readonly session: StudioSession;
  /** picoformer.openStudio. Arguments: none, a vscode.Uri, an object with a `uri`, or a path: selects that model first. */
  readonly openCommand: Command;
  /** Opens (or reveals) the panel. */
  open(): void;
  /** Makes `model` the selected model (the panel and the gauge show it); remembered per workspace. */
  selectModel(model: vscode.Uri | string): Promise<void>;
  /** Call when services.backend() would now return another backend. */
  refreshTarget(): void;
  /** Live heap figures from elsewhere (a device session's memory poll); null clears them. */
  setLiveHeap(live: LiveHeap | null): void;
}

const SelectedModelKey = 'picoformer.studio.selectedModel';

export function registerStudio(context: vscode.ExtensionContext, services: StudioServices): Studio {
  const { log } = services;
  const extensionUri = context.extensionUri;
  const disposables: vscode.Disposable[] = [];
  let panel: StudioPanel | undefined;
  // The reference reports the what-if estimate as its (estimated) heap: it runs on this computer, not a board.
  const reference: GenerationBackend = new ReferenceBackend({ memoryFigures: () => session.estimatedHeap() });
  const session: StudioSession = new StudioSession({
    log,
    backend: () => services.backend?.() ?? reference,
    writeClipboard: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
    saveText: async (name, text) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: { Text: ['txt'] },
        saveLabel: 'Save Transcript',
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      return target.scheme === 'file' ? target.fsPath : target.toString();
    },
    pickModel: () => pickModel(),
    deployModel: async (modelPath) => {
      await vscode.commands.executeCommand(Commands.deployModel, vscode.Uri.file(modelPath));
    },
    trainModel: async () => {
      await vscode.commands.executeCommand(Commands.trainModel);
    },
    fixRun: (action, modelPath) => fixRun(action, modelPath, services.targetDrive?.()),
    // The speed model (src/memory/speed.ts) in the mode the estimate picks; none where it does not fit.
    predictPicoSpeed: (model, board) => estimate(model, board).speed?.tokensPerSecond,
  });
  disposables.push({ dispose: () => session.dispose() });

  const gauge = new MemoryGauge();
  const binding = new GaugeBinding(session, (view) => gauge.show(view), Commands.openStudio);
  disposables.push(gauge, binding);

  const readSettings = (): void => {
    const config = vscode.workspace.getConfiguration(ConfigSection);
    session.setBoard(boardChoice(config));
    session.setDefaults(generationDefaults(config));
  };
  readSettings();
  disposables.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(ConfigSection)) readSettings();
    }),
  );

  async function selectModel(model: vscode.Uri | string): Promise<void> {
    const uri = typeof model === 'string' ? vscode.Uri.file(model) : model;
    const location = vscode.workspace.asRelativePath(uri, false);
    try {
      session.setModel(await readSelectedModel(uri.fsPath, location));
      await context.workspaceState.update(SelectedModelKey, uri.fsPath);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`Studio: cannot read ${uri.fsPath}: ${message}`);
      session.refuseModel(location, message); // the current model stays; the Studio says why
    }
  }

  async function pickModel(): Promise<void> {
    const uris = await vscode.workspace.findFiles(ModelFileGlob, '**/{node_modules,.git,dist,out}/**', 500);
    if (uris.length === 0) {
      void vscode.window.showInformationMessage('Picoformer: no model files (.safetensors or config_<N>p.json) in this workspace.');
      return;
    }
    const items = uris
      .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
      .map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri }));
    const choice = await vscode.window.showQuickPick(items, { title: 'Picoformer: choose a model', matchOnDescription: true });
    if (choice) await selectModel(choice.uri);
  }

  function open(): void {
    if (panel) panel.reveal();
    else panel = StudioPanel.create(extensionUri, session, () => (panel = undefined));
  }

  disposables.push(
    vscode.window.registerWebviewPanelSerializer(StudioViewType, {
      deserializeWebviewPanel: async (revived: vscode.WebviewPanel) => {
        panel?.dispose();
        panel = new StudioPanel(revived, extensionUri, session, () => (panel = undefined));
      },
    }),
    { dispose: () => panel?.dispose() },
  );

  const remembered = context.workspaceState.get<string>(SelectedModelKey);
  if (remembered) void selectModel(remembered);

  const openCommand: Command = {
    id: Commands.openStudio,
    execute: async (arg?: unknown) => {
      const model = modelArgument(arg);
      if (model) await selectModel(model);
      open();
    },
  };

  return {
    session,
    openCommand,
    open,
    selectModel,
    refreshTarget: () => session.refreshTarget(),
    setLiveHeap: (live) => binding.setLive(live),
    dispose: () => {
      for (const d of disposables.splice(0).reverse()) d.dispose();
    },
  };
}

/** A failed run's button, carried out by the commands a user would run; true when the run should be tried again. */
async function fixRun(action: HostFix, modelPath: string, drivePath: string | undefined): Promise<boolean> {
  switch (action) {
    case 'deployModel': {
      const result = (await vscode.commands.executeCommand(Commands.deployModel, vscode.Uri.file(modelPath), drivePath ? { drivePath } : {})) as { deployed?: boolean } | undefined;
      return result?.deployed === true;
    }
    case 'restartVirtualPico':
      await vscode.commands.executeCommand(Commands.stopVirtualPico);
      await vscode.commands.executeCommand(Commands.startVirtualPico);
      return true;
    case 'selectBoard':
      await vscode.commands.executeCommand(Commands.selectSerialPort);
      return false;
    case 'openSettings':
      await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:picoformer.picoformer ${ConfigSection}.serialPort`);
      return false;
  }
}

/** A model from a command argument: a Uri, a tree item with a `uri`, or a path. */
function modelArgument(arg: unknown): vscode.Uri | string | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length > 0) return arg;
  if (typeof arg === 'object' && arg !== null && 'uri' in arg && (arg as { uri: unknown }).uri instanceof vscode.Uri) {
    return (arg as { uri: vscode.Uri }).uri;
  }
  return undefined;
}

function boardChoice(config: vscode.WorkspaceConfiguration): BoardChoice {
  const id = config.get<string>('boardProfile', DefaultBoardId);
  const heap = config.get<number>('customHeapKB', 140);
  const quantization = config.get<string>('defaultQuantization', 'int8');
  const dtypes: Record<string, Dtype> = { int8: 'I8', f16: 'F16', f32: 'F32' };
  return {
    boardId: isBoardId(id) ? id : DefaultBoardId,
    customHeapKB: Number.isFinite(heap) ? Math.min(CustomHeapKbRange.max, Math.max(CustomHeapKbRange.min, heap)) : 140,
    deployDtype: dtypes[quantization] ?? 'I8',
  };
}

function generationDefaults(config: vscode.WorkspaceConfiguration): GenerationDefaults {
  const number = (key: string, fallback: number, min: number, max: number, whole: boolean): number => {
    const value = config.get<number>(key, fallback);
    if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
    const clamped = Math.min(max, Math.max(min, value));
    return whole ? Math.round(clamped) : clamped;
  };
  return {
    maxTokens: number('generation.maxTokens', 64, 1, 4096, true),
    temperature: number('generation.temperature', 0.8, 0, 5, false),
    topK: number('generation.topK', 0, 0, 65_535, true),
    seed: number('generation.seed', 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true),
  };
}
