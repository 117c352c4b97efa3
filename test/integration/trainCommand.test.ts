// Picoformer: Train Tiny Model… in the real extension host, with its arguments (the UI test drives the questions):
// a run on the sample corpus in the trainer's worker thread, the model listed in the Models view with its zone and
// selected, the Studio's training view; Cancel from the Studio keeping the best weights; bad input refused.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { CommandFailure } from '../../src/commands/register';
import type { TrainResult } from '../../src/commands/train/trainModel';
import type { PicoformerApi } from '../../src/extension';
import { Commands } from '../../src/ids';
import { readModelHeaderFile } from '../../src/model/modelIo';
import { eventually, picoformer, sampleModels } from './picoformer';

export function trainCommandTests(): void {
  describe('Picoformer: Train Tiny Model…', function () {
    this.timeout(120_000);
    let api: PicoformerApi;
    let folder: string;
    let trained: string;
    let corpusFolder: string;

    before(async () => {
      ({ api } = await picoformer());
      trained = join(sampleModels(), 'trained-by-tests');
      folder = dirname(sampleModels());
      corpusFolder = join(folder, 'corpus');
    });
    after(() => {
      rmSync(trained, { recursive: true, force: true });
      rmSync(corpusFolder, { recursive: true, force: true });
      api.services.catalog.refresh();
    });

    it('trains on the sample corpus in a worker, then lists, selects and shows the model with its zone', async () => {
      const output = join(trained, 'chat-1k.safetensors');
      const result = (await vscode.commands.executeCommand(Commands.trainModel, { corpus: { sample: 'chat' }, size: '1k', steps: 60, output, seed: 5 })) as TrainResult;
      assert.ok(result && 'summary' in result, `the command failed: ${JSON.stringify(result)}`);
      const s = result.summary;
      assert.equal(s.reason, 'completed');
      assert.equal(s.steps, 60);
      assert.match(s.name, /^chat-1k$/, 'the name shows the family (from the corpus) and the size');
      assert.ok(Math.abs(s.parameterCount - 1000) <= 50, `${s.parameterCount} parameters for 1k`);
      assert.equal(s.output.dtype, 'I8');
      assert.ok(s.bestValLoss !== null && s.bestValLoss < Math.log(40), `validation loss ${s.bestValLoss} is no better than chance`);
      assert.ok(existsSync(join(corpusFolder, 'chat.txt')), 'the sample corpus is written to the workspace');
      assert.ok(existsSync(join(trained, 'chat-1k.ckpt')), 'the checkpoint sits beside the model');
      const header = await readModelHeaderFile(output);
      assert.equal(header.config.family, 'chat');

      const row = await eventually(async () => (await api.views.models.workspaceItems()).find((i) => i.entry.path === output), 'the trained model in the Models view');
      assert.equal(row.row.label, 'chat-1k');
      assert.equal(row.row.zone, 'safe');
      assert.equal(String(row.label), 'Safe · chat-1k');
      assert.match(String(row.description), /^[\d,]+ params · /);
      await eventually(() => (api.studio.currentState.model?.name === 'chat-1k.safetensors' ? true : undefined), 'the trained model selected in the Studio');

      const view = api.studio.currentState.training;
      assert.ok(view, 'the Studio has the training run');
      assert.equal(view.status, 'completed');
      assert.equal(view.name, 'chat-1k');
      assert.equal(view.step, 60);
      assert.ok(view.points.length >= 2 && view.points.some((p) => p.val !== null), `a loss curve with validation points: ${JSON.stringify(view.points)}`);
      assert.equal(view.zone, 'safe');
      assert.ok(!api.studio.isTraining);
      await eventually(() => (api.studio.currentState.training?.sample ? true : undefined), 'a sample of what the model generates');
    });

    it('continues a run from its checkpoint: same model, more steps, the curve so far kept', async () => {
      const checkpoint = join(trained, 'chat-1k.ckpt');
      const output = join(trained, 'chat-1k.safetensors');
      const before = api.studio.currentState.training?.points.length ?? 0;
      const refused = (await vscode.commands.executeCommand(Commands.trainModel, { resume: checkpoint, steps: 60 })) as CommandFailure;
      assert.match(refused.error, /The run is at step 60: continue to a later step, not 60\./);
      const result = (await vscode.commands.executeCommand(Commands.trainModel, { resume: checkpoint, steps: 90, showStudio: false })) as TrainResult;
      assert.ok(result && 'summary' in result, `the command failed: ${JSON.stringify(result)}`);
      assert.equal(result.summary.reason, 'completed');
      assert.equal(result.summary.steps, 90);
      assert.equal(result.summary.name, 'chat-1k');
      assert.equal(result.output, output, 'the model beside the checkpoint is the one rewritten');
      const view = api.studio.currentState.training;
      assert.ok(view && view.points[0].step <= 60 && view.points.at(-1)?.step === 90, `the curve covers both parts: ${JSON.stringify(view?.points.map((p) => p.step))}`);
      assert.ok(view.points.length > before, 'the continued run adds to the curve it had');
      const missing = (await vscode.commands.executeCommand(Commands.trainModel, { resume: join(trained, 'nope.ckpt'), steps: 5 })) as CommandFailure;
      assert.match(missing.error, /^Cannot continue from .*nope\.ckpt: there is no such checkpoint\.$/);
      writeFileSync(join(trained, 'junk.ckpt'), 'junk');
      const junk = (await vscode.commands.executeCommand(Commands.trainModel, { resume: join(trained, 'junk.ckpt'), steps: 5 })) as CommandFailure;
      assert.match(junk.error, /^Cannot continue from .*junk\.ckpt: .*junk\.ckpt is not a picoformer training checkpoint$/);
    });

    it('trains on a text file given as a Uri, as the Explorer\'s context menu does', async () => {
      const corpus = join(trained, 'garden-notes.txt');
      mkdirSync(trained, { recursive: true });
      const lines = Array.from({ length: 300 }, (_, i) => `the ${['red', 'blue', 'green'][i % 3]} flower grows by the wall.`);
      writeFileSync(corpus, lines.join('\n\n'));
      const output = join(trained, 'garden-1k.safetensors');
      // The Explorer passes (clicked Uri, selected Uris); callers may pass options instead of the selection.
      const result = (await vscode.commands.executeCommand(Commands.trainModel, vscode.Uri.file(corpus), { size: '1k', steps: 10, output, showStudio: false })) as TrainResult;
      assert.ok(result && 'summary' in result, `the command failed: ${JSON.stringify(result)}`);
      assert.equal(result.summary.name, 'garden-notes-1k', 'the family comes from the file the menu was opened on');
      assert.equal((await readModelHeaderFile(output)).config.family, 'garden-notes');
    });

    it('builds the architecture the picoformer.training settings ask for; a continued run keeps its checkpoint\'s', async () => {
      const config = vscode.workspace.getConfiguration('picoformer');
      const chosen: Record<string, unknown> = {
        'training.contextLength': 24, 'training.layers': 1, 'training.heads': 2, 'training.norm': 'layernorm', 'training.activation': 'gelu',
        'training.tiedEmbeddings': false, 'training.lowercase': true, 'training.batch': 4, 'training.seed': 11,
      };
      const output = join(trained, 'chat-settings.safetensors');
      try {
        for (const [key, value] of Object.entries(chosen)) await config.update(key, value, vscode.ConfigurationTarget.Global);
        const result = (await vscode.commands.executeCommand(Commands.trainModel, { corpus: { sample: 'chat' }, size: '2k', steps: 20, output, showStudio: false })) as TrainResult;
        assert.ok(result && 'summary' in result, `the command failed: ${JSON.stringify(result)}`);
        const c = (await readModelHeaderFile(output)).config;
        assert.deepEqual(
          [c.context_length, c.n_layers, c.n_heads, c.norm, c.activation, c.tied_embeddings, c.lowercase],
          [24, 1, 2, 'layernorm', 'gelu', false, true],
        );
        // the tokenizer setting is auto, which picks a subword vocabulary at 2K parameters (issue 14)
        assert.match(api.studio.currentState.training?.plan ?? '', /· context 24 · layernorm · gelu · untied embeddings · subword vocabulary$/);
        assert.match(api.studio.currentState.training?.data ?? '', /· 4 windows per step, peak learning rate [\d.e-]+, seed 11, \d threads?$/);
        assert.deepEqual(result.ignoredSettings, []);

        // An unusable value is replaced by its default, and the user is told which.
        await config.update('training.contextLength', 2, vscode.ConfigurationTarget.Global);
        const fallback = (await vscode.commands.executeCommand(Commands.trainModel, { corpus: { sample: 'chat' }, size: '2k', steps: 5, output: join(trained, 'chat-fallback.safetensors'), showStudio: false })) as TrainResult;
        assert.ok(fallback && 'summary' in fallback, `the command failed: ${JSON.stringify(fallback)}`);
        assert.deepEqual(fallback.ignoredSettings, ['picoformer.training.contextLength is 2; expected 0 (automatic) or a whole number in 4..1024. Using 0.']);
        assert.equal((await readModelHeaderFile(join(trained, 'chat-fallback.safetensors'))).config.context_length, 32, 'the automatic context for 2k');
        await config.update('training.contextLength', 24, vscode.ConfigurationTarget.Global);

        // Continuing follows the checkpoint, not the settings changed since.
        await config.update('training.norm', 'rmsnorm', vscode.ConfigurationTarget.Global);
        const continued = (await vscode.commands.executeCommand(Commands.trainModel, { resume: join(trained, 'chat-settings.ckpt'), steps: 30, showStudio: false })) as TrainResult;
        assert.ok(continued && 'summary' in continued, `the command failed: ${JSON.stringify(continued)}`);
        assert.equal((await readModelHeaderFile(output)).config.norm, 'layernorm');
      } finally {
        for (const key of [...Object.keys(chosen), 'training.norm']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('Cancel in the Studio stops after the current step and keeps the best weights', async () => {
      const output = join(trained, 'story-long.safetensors');
      const running = Promise.resolve(
        vscode.commands.executeCommand(Commands.trainModel, { corpus: { sample: 'stories' }, size: '8k', steps: 4000, output, showStudio: false }),
      ) as Promise<TrainResult>;
      const isThisRun = (): boolean => api.studio.currentState.training?.output.endsWith('story-long.safetensors') === true;
      await eventually(() => (isThisRun() && api.studio.currentState.training?.points.some((p) => p.val !== null) ? true : undefined), 'a validation point of this run', 60_000);
      assert.ok(api.studio.isTraining);
      const again = await vscode.commands.executeCommand(Commands.trainModel, { corpus: { sample: 'stories' }, size: '1k', steps: 5, output: join(trained, 'other.safetensors') });
      assert.equal(again, undefined, 'a second run is refused while one is going on');
      await api.studio.handle({ type: 'cancelTraining' });
      const result = await running;
      assert.equal(result.summary.reason, 'cancelled');
      assert.ok(result.summary.steps < 4000, `stopped at step ${result.summary.steps}`);
      assert.ok(result.summary.bestValLoss !== null);
      assert.equal((await readModelHeaderFile(output)).config.family, 'story', 'the best weights are written as a model');
      assert.equal(api.studio.currentState.training?.status, 'cancelled');
      assert.ok(!existsSync(join(trained, 'other.safetensors')));
    });

    it('refuses a missing corpus, an existing output and a bad size, with clear messages and nothing written', async () => {
      mkdirSync(trained, { recursive: true });
      const missing = (await vscode.commands.executeCommand(Commands.trainModel, { corpus: join(folder, 'no-such.txt'), size: '1k', steps: 5, output: join(trained, 'x.safetensors') })) as CommandFailure;
      assert.match(missing.error, /The corpus .*no-such\.txt does not exist/);
      const existing = join(trained, 'exists.safetensors');
      writeFileSync(existing, 'keep me');
      const clash = (await vscode.commands.executeCommand(Commands.trainModel, { corpus: { sample: 'chat' }, size: '1k', steps: 5, output: existing })) as CommandFailure;
      assert.match(clash.error, /already exists; pass \{ overwrite: true \}/);
      const size = (await vscode.commands.executeCommand(Commands.trainModel, { corpus: { sample: 'chat' }, size: 'huge', steps: 5, output: join(trained, 'y.safetensors') })) as CommandFailure;
      assert.match(size.error, /"huge" is not a parameter count/);
      // A text with nothing to learn from is refused when it is chosen: no run starts.
      const before = api.studio.currentState.training?.id;
      for (const [name, text, says] of [['empty.txt', '', /^empty\.txt is empty: there is no text to learn from/], ['blank.txt', ' \n\n\t \n', /^blank\.txt holds only blank space/]] as const) {
        writeFileSync(join(trained, name), text);
        const refused = (await vscode.commands.executeCommand(Commands.trainModel, { corpus: join(trained, name), size: '1k', steps: 5, output: join(trained, 'z.safetensors'), showStudio: false })) as CommandFailure;
        assert.match(refused.error, says);
      }
      assert.equal(api.studio.currentState.training?.id, before, 'no training run was started');
      assert.ok(!existsSync(join(trained, 'x.safetensors')) && !existsSync(join(trained, 'y.safetensors')) && !existsSync(join(trained, 'z.safetensors')));
      assert.equal((await vscode.workspace.fs.readFile(vscode.Uri.file(existing))).toString(), 'keep me');
    });
  });
}
