// Generate on Pico… on the virtual Pico in the real extension host: the model is deployed to the virtual drive when
// missing, the run streams through the Studio's session, and the tokens are the TypeScript reference's for the
// same seed (the board runtime and the reference implement the same format).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PicoformerApi } from '../../src/extension';
import { Commands } from '../../src/ids';
import { generate } from '../../src/model/generate';
import { readModelFile } from '../../src/model/modelIo';
import { picoformer, sampleModel } from './picoformer';

interface GenerateResult {
  status?: string;
  text?: string;
  tokens?: number;
  target?: { kind: string; label: string };
  error?: string | { code: string; message: string } | null;
  code?: string;
}

/** Defines the suite; called once mocha's BDD globals exist (see index.ts). */
export function generateCommandTests(): void {
  describe('Picoformer generate', function () {
    this.timeout(120_000);
    let api: PicoformerApi;

    before(async () => {
      let extensionPath: string;
      ({ api, extensionPath } = await picoformer());
      // The bundled extension looks for dist/sim-worker.js; in a development checkout the TypeScript worker works too.
      if (!existsSync(join(extensionPath, 'dist', 'sim-worker.js'))) process.env.PICOFORMER_SIM_WORKER ??= join(extensionPath, 'src', 'sim', 'worker.ts');
    });
    after(async () => {
      await vscode.commands.executeCommand(Commands.stopVirtualPico);
    });

    it('deploys the model to the virtual Pico and streams the same tokens as the reference', async () => {
      const params = { prompt: 'hello', maxTokens: 16, temperature: 1, topK: 0, seed: 171 };
      const result = (await vscode.commands.executeCommand(Commands.generate, sampleModel('chat-8k'), { ...params, target: 'virtual', interactive: false })) as GenerateResult;
      assert.equal(result.status, 'done', JSON.stringify(result));
      assert.equal(result.target?.kind, 'virtual');
      const drive = api.services.virtualPico.ensureDrive();
      assert.ok(existsSync(join(drive, 'models', 'chat-8k.safetensors')), 'the model was deployed to the virtual drive first');
      const reference = generate(await readModelFile(sampleModel('chat-8k')), params.prompt, params);
      assert.equal(result.text, reference.text);
      assert.ok((result.tokens ?? 0) > 0);
      assert.equal(api.services.targets.spec?.kind, 'virtual', 'the virtual Pico stays the Studio’s target');
    });

    it('warns when the board runs another runtime version than the extension ships, and not when they agree', async () => {
      const params = { prompt: '', maxTokens: 2, seed: 5, target: 'virtual', interactive: false };
      await vscode.commands.executeCommand(Commands.generate, sampleModel('chat-8k'), params);
      assert.equal(api.services.targets.runtimeWarning, undefined, 'the bundled runtime on the virtual Pico: no warning');
      const init = join(api.services.virtualPico.ensureDrive(), 'lib', 'picoformer', '__init__.py');
      const original = readFileSync(init, 'utf8');
      try {
        writeFileSync(init, original.replace(/^VERSION\s*=.*$/m, 'VERSION = "0.1.0"'));
        await vscode.commands.executeCommand(Commands.stopVirtualPico);
        await api.services.targets.clear();
        const result = (await vscode.commands.executeCommand(Commands.generate, sampleModel('chat-8k'), params)) as GenerateResult;
        assert.equal(result.status, 'done', 'a stale runtime still runs: the warning does not stop it');
        assert.match(api.services.targets.runtimeWarning ?? '', /^The virtual Pico runs Picoformer runtime 0\.1\.0; this extension ships \d+\.\d+\.\d+\. Deploy the runtime/);
      } finally {
        writeFileSync(init, original);
        await vscode.commands.executeCommand(Commands.stopVirtualPico);
        await api.services.targets.clear();
        await vscode.commands.executeCommand('notifications.clearAll');
      }
    });

    it('a model that does not fit, missing from the board: refused at once with the reason, no deploy tried', async () => {
      const result = (await vscode.commands.executeCommand(Commands.generate, sampleModel('random-100k'), { target: 'virtual', interactive: false, prompt: '' })) as GenerateResult;
      assert.equal(result.code, 'does-not-fit', JSON.stringify(result));
      assert.match(String(result.error), /^random-100k\.safetensors is not on the virtual Pico, and it cannot be deployed there: it does not fit on Raspberry Pi Pico .* Choose a smaller model\.$/);
      assert.equal(existsSync(join(api.services.virtualPico.ensureDrive(), 'models', 'random-100k.safetensors')), false);
    });

    it('stopping the virtual Pico mid-run ends the run saying so (it said "The session was closed.")', async () => {
      // On the session the Studio's runs use. Watched through the Studio, a 2,000-token run was over before a stop
      // sent on its first token took effect; a stop sent as soon as the runtime has the command lands mid-run
      // (greedy chat-8k from an empty prompt: 2,000 tokens, no EOS).
      const params = { prompt: '', maxTokens: 2000, temperature: 0, topK: 0, seed: 9 };
      assert.equal(generate(await readModelFile(sampleModel('chat-8k')), params.prompt, params).ids.length, params.maxTokens);
      await vscode.commands.executeCommand(Commands.generate, sampleModel('chat-8k'), { ...params, maxTokens: 1, target: 'virtual', interactive: false });
      const session = await api.services.targets.hostSession({ kind: 'virtual' });
      const run = await session.generate({ prompt: params.prompt, max_tokens: params.maxTokens, temperature: 0, top_k: 0, seed: params.seed });
      await vscode.commands.executeCommand(Commands.stopVirtualPico);
      const result = await run.result;
      assert.equal(result.error?.code, 'closed', JSON.stringify({ ...result, tokens: result.tokens.length }));
      assert.equal(result.error?.message, 'The virtual Pico was stopped.');
    });

    it('stopping the virtual Pico during a Studio run: the run ends with that reason, as the Studio shows it', async () => {
      const params = { prompt: '', maxTokens: 2000, temperature: 0, topK: 0, seed: 9, target: 'virtual', interactive: false };
      const before = api.studio.currentState.run?.id;
      const run = Promise.resolve(vscode.commands.executeCommand(Commands.generate, sampleModel('chat-8k'), params) as Thenable<GenerateResult>);
      // This run's first token (the state holds the previous run until this one starts).
      const streaming = (): boolean => {
        const current = api.studio.currentState.run;
        return !!current && current.id !== before && current.tokens > 0;
      };
      const deadline = Date.now() + 90_000;
      while (!streaming() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(streaming(), 'the run streams tokens before the stop');
      await vscode.commands.executeCommand(Commands.stopVirtualPico);
      const result = await run;
      assert.equal(result.code, 'closed', JSON.stringify({ ...result, text: undefined }));
      assert.equal(result.error, 'The virtual Pico was stopped.');
      assert.equal(api.studio.currentState.run?.error?.message, 'The virtual Pico was stopped.');
    });

    it('says clearly when the board cannot be reached', async () => {
      const result = (await vscode.commands.executeCommand(Commands.generate, sampleModel('chat-8k'), { target: '/dev/ttyPICOFORMER-MISSING', interactive: false, prompt: '' })) as GenerateResult;
      assert.match(String(result.error), /ttyPICOFORMER-MISSING/);
      await api.services.targets.clear();
    });
  });
}
