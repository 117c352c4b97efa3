// The questions Train Tiny Model… asks, in order: the corpus (a file, a folder, the procedural sample corpus, or a
// checkpoint of a run to continue),
// the size (the largest that runs on the selected board, or a parameter count), the steps (with a rough time), and
// where to save the model. Each returns undefined when the user backs out.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { type CorpusKind, generateCorpus } from '../../corpus/generate';
import { writeFileAtomically } from '../../files/writeAtomically';
import { BoardIds, type BoardProfile, boardProfile } from '../../memory/boards';
import { sizeLabel } from '../../model/params';
import type { QuickTrainChoices } from '../../train/quickJob';
import { type TrainingPreferences, defaultSteps, describePreferences, estimatedTrainingSeconds, largestOnBoard, roughParameters, suggestedModelPath } from '../../train/quickJob';
import { type CheckpointMeta, readCheckpointMeta } from '../../train/checkpoint';
import { defaultContext, parseParamCount } from '../../train/sizing';

export type TrainSize = QuickTrainChoices['size'];

/** The sample corpora: big enough that a small model never sees a window twice in a first run. */
export const SampleCorpusCharacters: Readonly<Record<CorpusKind, number>> = { stories: 1_000_000, chat: 500_000 };

const Title = 'Picoformer: Train Tiny Model';

/** Writes the procedural corpus to <folder>/corpus/<kind>.txt (kept if it is already there) and returns its path. */
export async function sampleCorpus(kind: CorpusKind, folder: string): Promise<string> {
  const path = join(folder, 'corpus', `${kind}.txt`);
  if (!existsSync(path)) {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomically(path, generateCorpus(kind, 1, SampleCorpusCharacters[kind]));
  }
  return path;
}

/** What a run starts from: a corpus (a new model), or a stopped run's checkpoint (continued). */
export type TrainSource = { corpus: string } | { resume: string };

type SourceItem = vscode.QuickPickItem & { pick: () => Promise<TrainSource | undefined> };

export async function askSource(folder: vscode.Uri | undefined, storage: string): Promise<TrainSource | undefined> {
  const home = folder?.fsPath ?? storage;
  const openDialog = async (folders: boolean): Promise<TrainSource | undefined> => {
    const picked = (
      await vscode.window.showOpenDialog({
        title: folders ? 'Choose a folder of .txt/.md files to train on' : 'Choose a text file to train on',
        canSelectFiles: !folders,
        canSelectFolders: folders,
        canSelectMany: false,
        defaultUri: folder,
        ...(folders ? {} : { filters: { Text: ['txt', 'md'], 'All files': ['*'] } }),
      })
    )?.[0]?.fsPath;
    return picked === undefined ? undefined : { corpus: picked };
  };
  const corpus = async (path: Promise<string>): Promise<TrainSource> => ({ corpus: await path });
  const items: SourceItem[] = [
    {
      label: '$(book) Sample stories',
      description: `procedural, ${(SampleCorpusCharacters.stories / 1e6).toFixed(1)}M characters`,
      detail: `Simple stories with a small vocabulary (docs/training.md), written to ${folder ? 'corpus/stories.txt in the workspace' : 'the extension\'s storage'}.`,
      pick: () => corpus(sampleCorpus('stories', home)),
    },
    {
      label: '$(comment-discussion) Sample chat',
      description: `procedural, ${(SampleCorpusCharacters.chat / 1e6).toFixed(1)}M characters`,
      detail: 'Short user/bot exchanges ("user: hi!\\nbot: hello!").',
      pick: () => corpus(sampleCorpus('chat', home)),
    },
    { label: '$(file) Text file…', detail: 'Blank lines separate documents.', pick: () => openDialog(false) },
    { label: '$(folder) Folder…', detail: 'Every .txt and .md file in it, each a document or more.', pick: () => openDialog(true) },
  ];
  const texts = folder ? await vscode.workspace.findFiles('**/*.txt', '**/{node_modules,.git,dist,out}/**', 20) : [];
  for (const uri of texts.filter((u) => !/[\\/]corpus[\\/](stories|chat)\.txt$/.test(u.fsPath))) {
    items.push({ label: `$(file-text) ${basename(uri.fsPath)}`, description: vscode.workspace.asRelativePath(uri, false), pick: async () => ({ corpus: uri.fsPath }) });
  }
  const checkpoints = folder ? await vscode.workspace.findFiles('**/*.ckpt', '**/{node_modules,.git,dist,out}/**', 50) : [];
  if (checkpoints.length > 0) {
    items.push({
      label: '$(debug-continue) Continue a run…',
      description: `${checkpoints.length} checkpoint${checkpoints.length === 1 ? '' : 's'} in the workspace`,
      detail: 'Resume a stopped or finished run from its checkpoint, with more steps if you like.',
      pick: () => askCheckpoint(checkpoints),
    });
  }
  const picked = await vscode.window.showQuickPick(items, { title: `${Title}: what to train on`, placeHolder: 'The text the model learns to continue', matchOnDescription: true });
  return picked?.pick();
}

async function askCheckpoint(uris: readonly vscode.Uri[]): Promise<TrainSource | undefined> {
  const items: (vscode.QuickPickItem & { path: string })[] = [];
  for (const uri of uris) {
    const location = vscode.workspace.asRelativePath(uri, false);
    try {
      const meta = await readCheckpointMeta(uri.fsPath);
      const best = meta.bestValLoss === null ? '' : ` · best validation loss ${meta.bestValLoss.toFixed(3)}`;
      items.push({
        label: basename(uri.fsPath),
        description: `step ${meta.step.toLocaleString('en-US')} of ${meta.settings.steps.toLocaleString('en-US')}${best}`,
        detail: `${location} · trained on ${vscode.workspace.asRelativePath(meta.corpus, false)}`,
        path: uri.fsPath,
      });
    } catch (error) {
      items.push({ label: `$(error) ${basename(uri.fsPath)}`, description: 'cannot be read', detail: `${location}: ${(error as Error).message}`, path: uri.fsPath });
    }
  }
  const picked = await vscode.window.showQuickPick(items, { title: `${Title}: continue which run?`, matchOnDetail: true });
  return picked ? { resume: picked.path } : undefined;
}

/** Steps for a continued run: its own total when it stopped early, else half as many again. */
export async function askResumeSteps(meta: CheckpointMeta): Promise<number | undefined> {
  const total = meta.settings.steps;
  const suggested = meta.step < total ? total : total + Math.max(1, Math.round(total / 2));
  const text = await vscode.window.showInputBox({
    title: `${Title}: continue to which step?`,
    value: String(suggested),
    prompt: `The run is at step ${meta.step.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}. Give the step to train to (more than ${meta.step.toLocaleString('en-US')}); the learning-rate schedule stretches to it.`,
    validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) > meta.step && Number(value) <= 10_000_000 ? undefined : `A whole number of steps above ${meta.step}`),
  });
  return text === undefined ? undefined : Number(text.trim());
}

type SizeItem = vscode.QuickPickItem & { size?: TrainSize; other?: 'count' | 'board' | 'settings' };

/** A size, and the board a board-sized model is for (the selected one unless another was chosen). */
export interface SizeChoice {
  size: TrainSize;
  board: BoardProfile;
}

function boardItems(board: BoardProfile, preferences: TrainingPreferences): SizeItem[] {
  const heap = `${Math.round(board.heapBytes / 1024)} KB`;
  const about = (mode: 'resident' | 'streamed'): string => {
    const n = largestOnBoard(board, mode, preferences);
    return n === undefined ? 'none fits' : `about ${sizeLabel(n)} parameters (for a 40-character vocabulary)`;
  };
  return [
    {
      label: `Largest that runs resident on ${board.label}`,
      description: about('resident'),
      detail: `The whole int8 model in the ${heap} heap: the fastest on the board.`,
      size: { kind: 'board', mode: 'resident' },
    },
    {
      label: `Largest that runs streamed on ${board.label}`,
      description: about('streamed'),
      detail: 'Layers read from flash as they are needed: more parameters, slower per token, longer to train.',
      size: { kind: 'board', mode: 'streamed' },
    },
  ];
}

export async function askSize(selected: BoardProfile, preferences: TrainingPreferences): Promise<SizeChoice | undefined> {
  const changed = describePreferences(preferences);
  const items: SizeItem[] = [
    ...boardItems(selected, preferences),
    ...[1_000, 8_000, 30_000, 100_000].map((target) => ({
      label: `${sizeLabel(target)} parameters`,
      description: target <= 8_000 ? 'trains in minutes' : undefined,
      size: { kind: 'params', target } as const,
    })),
    { label: 'Another parameter count…', other: 'count' },
    { label: '$(circuit-board) The largest for another board…', other: 'board' },
    {
      label: '$(settings-gear) Architecture and training settings…',
      description: changed === '' ? 'as the sample models' : changed,
      detail: 'Context length, layers, heads, norm, activation, vocabulary, learning rate, batch, seed (picoformer.training.*)',
      other: 'settings',
    },
  ];
  const placeHolder = `The parameter count and name are shown before training starts${changed === '' ? '' : ` · settings: ${changed}`}`;
  const picked = await vscode.window.showQuickPick(items, { title: `${Title}: model size`, placeHolder });
  if (!picked) return undefined;
  if (picked.size) return { size: picked.size, board: selected };
  if (picked.other === 'settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'picoformer.training');
    return undefined;
  }
  if (picked.other === 'board') return askBoardSize(selected, preferences);
  const text = await vscode.window.showInputBox({
    title: `${Title}: parameter count`,
    prompt: 'For example 2k, 12k, 150k',
    validateInput: (value) => {
      try {
        parseParamCount(value);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  return text === undefined ? undefined : { size: { kind: 'params', target: parseParamCount(text) }, board: selected };
}

async function askBoardSize(selected: BoardProfile, preferences: TrainingPreferences): Promise<SizeChoice | undefined> {
  const boards = BoardIds.filter((id) => id !== 'custom' && id !== selected.id).map((id) => boardProfile(id));
  const board = await vscode.window.showQuickPick(
    boards.map((b) => ({ label: b.label, description: `${Math.round(b.heapBytes / 1024)} KB heap budget`, board: b })),
    { title: `${Title}: which board?` },
  );
  if (!board) return undefined;
  const picked = await vscode.window.showQuickPick(boardItems(board.board, preferences), { title: `${Title}: model size on ${board.board.label}` });
  return picked?.size ? { size: picked.size, board: board.board } : undefined;
}

export async function askSteps({ size, board }: SizeChoice, preferences: TrainingPreferences): Promise<number | undefined> {
  const parameters = roughParameters(size, board, preferences);
  const suggested = defaultSteps(parameters);
  const context = defaultContext(parameters, preferences.contextLength || undefined);
  const stepsTime = (steps: number): string =>
    `${steps.toLocaleString('en-US')} steps take ${minutes(estimatedTrainingSeconds(parameters, steps, context, preferences.batch))} on a 2-core computer (a rough guide)`;
  const text = await vscode.window.showInputBox({
    title: `${Title}: steps`,
    value: String(suggested),
    prompt: `Updates of ${preferences.batch} window${preferences.batch === 1 ? '' : 's'} each. ${stepsTime(suggested)}; you can stop early and keep the best weights.`,
    // The time follows what is typed (an information message: it does not block Enter).
    validateInput: (value) => {
      if (!(/^\d+$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 10_000_000)) return 'A whole number of steps, 1 or more';
      return { message: `${stepsTime(Number(value.trim()))}.`, severity: vscode.InputBoxValidationSeverity.Info };
    },
  });
  return text === undefined ? undefined : Number(text.trim());
}

export async function askOutput(folder: vscode.Uri | undefined, corpus: string, size: TrainSize): Promise<string | undefined> {
  const label = size.kind === 'params' ? sizeLabel(size.target) : size.mode;
  const suggested = vscode.Uri.file(suggestedModelPath(join(folder?.fsPath ?? dirname(corpus), 'models'), corpus, label, existsSync));
  const target = await vscode.window.showSaveDialog({ title: 'Save the trained model as', defaultUri: suggested, filters: { 'Picoformer model': ['safetensors'] }, saveLabel: 'Train' });
  return target?.fsPath;
}

function minutes(seconds: number): string {
  if (seconds < 90) return 'about a minute';
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} minutes`;
  return `about ${(seconds / 3600).toFixed(1)} hours`;
}
