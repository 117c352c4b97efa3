// Generate on Pico… on the virtual Pico in the real extension host: the model is deployed to the virtual drive when
// missing, the run streams through the Studio's session, and the tokens are the TypeScript reference's for the
// same seed (the board runtime and the reference implement the same format).
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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

    it('says clearly when the board cannot be reached', async () => {
      const result = (await vscode.commands.executeCommand(Commands.generate, sampleModel('chat-8k'), { target: '/dev/ttyPICOFORMER-MISSING', interactive: false, prompt: '' })) as GenerateResult;
      assert.match(String(result.error), /ttyPICOFORMER-MISSING/);
      await api.services.targets.clear();
    });
  });
}
