import assert from 'node:assert/strict';
import type { GenerationBackend, GenerationEvent, GenerationModelRef, GenerationParams } from '../../../src/generation/backend';
import { EventChannel, channelRun } from '../../../src/generation/eventChannel';
import { ReferenceBackend } from '../../../src/generation/referenceBackend';
import { makeConfig } from '../../../src/model/config';
import { generate } from '../../../src/model/generate';
import { type Model, readModelHeader, writeModel } from '../../../src/model/modelFile';
import { randomModel } from '../../../src/model/random';
import type { HostMessage, RunView, StudioState, TrainingView } from '../../../src/panels/protocol';
import type { PreparedInfo } from '../../../src/train/protocol';
import { defaultSettings } from '../../../src/train/settings';
import { applyRunEvent, tokenTimesOf } from '../../../src/panels/runState';
import type { SelectedModel } from '../../../src/panels/selectedModel';
import { StudioSession, type StudioSessionDeps } from '../../../src/panels/studioSession';
import { GaugeBinding } from '../../../src/views/gauge/gaugeBinding';
import type { GaugeView } from '../../../src/views/viewModels/gaugeView';

const model: Model = randomModel(
  makeConfig({ vocab_size: 40, dim: 8, hidden_dim: 16, n_layers: 2, n_heads: 2, context_length: 32, family: 'story' }),
  5,
);
const header = readModelHeader(writeModel(model));
const selected: SelectedModel = {
  ref: { name: 'story.safetensors', path: '/models/story.safetensors' },
  location: 'models/story.safetensors',
  legacy: false,
  header,
};
const preparedInfo: PreparedInfo = {
  name: 'story-1k', parameterCount: 1016, config: model.config, vocab: [], coverage: 1, unknownTokens: 0, missingChars: [], documents: 10,
  trainTokens: 1000, valTokens: 100, charsPerToken: 1, settings: defaultSettings(20), threads: 1,
};
const params: GenerationParams = { prompt: 'the cat', maxTokens: 12, temperature: 0.9, topK: 0, seed: 77 };

/** A backend the test drives by hand. */
class ManualBackend implements GenerationBackend {
  readonly target = { kind: 'virtual' as const, label: 'Virtual Pico' };
  channel = new EventChannel<GenerationEvent>();
  stopped = 0;
  started: GenerationParams[] = [];
  start(_model: GenerationModelRef, p: GenerationParams) {
    this.started.push(p);
    this.channel = new EventChannel<GenerationEvent>();
    return channelRun(this.channel, () => this.stopped++);
  }
}

interface Harness {
  session: StudioSession;
  messages: HostMessage[];
  warnings: string[];
  clipboard: string[];
  saved: [string, string][];
  picks: number;
  deploys: string[];
  trains: number;
  /** fixRun calls: [action, model path]; the answer is `fixes` (true: try the run again). */
  fixes: [string, string][];
  fixAnswer: boolean;
}

function harness(overrides: Partial<StudioSessionDeps> = {}): Harness {
  const h = { messages: [] as HostMessage[], warnings: [] as string[], clipboard: [] as string[], saved: [] as [string, string][], picks: 0, deploys: [] as string[], trains: 0, fixes: [] as [string, string][], fixAnswer: true as boolean } as Harness;
  // As registerStudio wires it: the reference reports the what-if estimate as its (estimated) heap.
  const reference = new ReferenceBackend({ load: async () => model, sliceMs: 1, memoryFigures: () => h.session.estimatedHeap() });
  h.session = new StudioSession({
    log: { info: () => undefined, warn: (m) => h.warnings.push(m) },
    backend: () => reference,
    writeClipboard: async (text) => void h.clipboard.push(text),
    saveText: async (name, text) => {
      h.saved.push([name, text]);
      return `/tmp/${name}`;
    },
    pickModel: async () => void h.picks++,
    deployModel: async (path) => void h.deploys.push(path),
    trainModel: async () => void h.trains++,
    fixRun: async (action, path) => (h.fixes.push([action, path]), h.fixAnswer),
    random: () => 0.25,
    batchMs: 5,
    ...overrides,
  });
  // postMessage serializes: so does the fake.
  h.session.attach((m) => h.messages.push(structuredClone(m)));
  return h;
}

const states = (h: Harness): StudioState[] => h.messages.flatMap((m) => (m.type === 'didChangeState' ? [m.state] : []));
const lastState = (h: Harness): StudioState => {
  const all = states(h);
  assert.ok(all.length > 0, 'a state was posted');
  return all[all.length - 1];
};

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** What a webview sees: the last full state's run, with the streamed events applied after it. */
function webviewRun(h: Harness): RunView | null {
  let run: RunView | null = null;
  let times: number[] = [];
  for (const m of h.messages) {
    if (m.type === 'didChangeState') {
      run = structuredClone(m.state.run);
      times = run ? tokenTimesOf(run) : [];
    } else if (m.type === 'didGenerate' && run && run.id === m.runId) {
      for (const e of m.events) applyRunEvent(run, e, times);
    }
  }
  return run;
}

describe('Studio session', () => {
  it('replays its whole state when the webview says ready', async () => {
    const h = harness();
    h.session.setDefaults({ maxTokens: 32, temperature: 0.5, topK: 4, seed: 9 });
    h.messages.length = 0;
    await h.session.handle({ type: 'ready' });
    assert.equal(h.messages.length, 1);
    const state = lastState(h);
    assert.equal(state.model, null);
    assert.equal(state.target.kind, 'reference');
    assert.deepEqual(state.defaults, { maxTokens: 32, temperature: 0.5, topK: 4, seed: 9 });
    assert.ok(state.boards.some((b) => b.id === 'pico-cp9') && state.boards.some((b) => b.id === 'custom'));
  });

  it('shows the selected model with its estimate for the selected board and deployed dtype', () => {
    const h = harness();
    let changes = 0;
    h.session.onDidChange(() => changes++);
    h.session.setBoard({ boardId: 'pico-w-cp9', customHeapKB: 140, deployDtype: 'I8' });
    h.session.setModel(selected);
    const state = lastState(h);
    assert.equal(state.model?.name, 'story.safetensors', 'named by its file');
    assert.equal(state.model?.ownName, 'story-1.6k');
    assert.deepEqual(state.whatIf, { boardId: 'pico-w-cp9', customHeapKB: 140, contextLength: 32, dtype: 'I8', mode: 'auto', kvCache: 'float32' });
    assert.ok(state.memory && state.memory.boardLabel.includes('Pico W'));
    assert.ok(state.memory.segments.some((s) => s.key === 'scales'), 'estimated as int8');
    assert.equal(changes, 2);
    assert.ok(h.session.gaugeEstimate()?.estimate);
  });

  it('a model file that cannot be used is refused with its reason; the current model stays; the note goes on success', () => {
    const h = harness();
    h.session.setModel(selected);
    h.session.refuseModel('models/broken.safetensors', 'header_json: the header is not valid JSON');
    const refused = lastState(h);
    assert.equal(refused.model?.name, 'story.safetensors', 'the current model stays');
    assert.ok(refused.memory, 'and its estimate');
    assert.equal(refused.modelError, 'broken.safetensors cannot be used: header_json: the header is not valid JSON. story.safetensors is still the Studio\'s model.');
    h.session.setModel(selected);
    assert.equal(lastState(h).modelError, null, 'a stale note clears when a model is chosen');
    const empty = harness();
    empty.session.refuseModel('models/broken.safetensors', 'truncated');
    assert.equal(lastState(empty).modelError, 'broken.safetensors cannot be used: truncated.');
    assert.equal(lastState(empty).model, null);
  });

  it('what-if changes answer at once; a context longer than the model is explained, not thrown', async () => {
    const h = harness();
    h.session.setModel(selected);
    const before = lastState(h).memory;
    const whatIf = { ...(lastState(h).whatIf as NonNullable<StudioState['whatIf']>) };
    await h.session.handle({ type: 'changeWhatIf', whatIf: { ...whatIf, contextLength: 8, mode: 'streamed', dtype: 'F32' } });
    const after = lastState(h).memory;
    const kv = (m: typeof before) => m?.segments.find((s) => s.key === 'kvCache')?.bytes ?? 0;
    assert.ok(kv(after) < kv(before), 'shorter context, smaller KV cache');
    assert.ok(after?.segments.some((s) => s.key === 'streamBuffer'));
    assert.match(after?.modeText ?? '', /^streamed/);
    await h.session.handle({ type: 'changeWhatIf', whatIf: { ...whatIf, kvCache: 'int8' } });
    const int8 = lastState(h).memory;
    assert.ok(kv(int8) < kv(before) / 2, `the int8 KV cache: ${kv(int8)} against ${kv(before)}`); // dim 8: scales and array headers weigh
    assert.equal(lastState(h).whatIf?.kvCache, 'int8');
    await h.session.handle({ type: 'changeWhatIf', whatIf: { ...whatIf, contextLength: 100 } });
    assert.equal(lastState(h).memory, null);
    assert.match(lastState(h).memoryError ?? '', /Context length must be a whole number in 1\.\.32/);
    await h.session.handle({ type: 'changeWhatIf', whatIf: { ...whatIf, boardId: 'custom', customHeapKB: 64 } });
    assert.match(lastState(h).memory?.boardLabel ?? '', /Custom board \(64 KB heap\)/);
  });

  it('ignores and logs malformed or unknown messages, never acting on them', async () => {
    const h = harness();
    h.session.setModel(selected);
    h.messages.length = 0;
    const bad = [
      null,
      'ready',
      { type: 'runShell', command: 'rm -rf /' },
      { type: 'generate', params: { ...params, maxTokens: -1 } },
      { type: 'generate' },
      { type: 'changeWhatIf', whatIf: { boardId: 'pico-9000', customHeapKB: 140, contextLength: 8, dtype: 'I8', mode: 'auto', kvCache: 'int8' } },
    ];
    for (const raw of bad) await h.session.handle(raw);
    assert.deepEqual(h.messages, []);
    assert.equal(h.warnings.length, bad.length);
    assert.match(h.warnings[2], /unknown message type "runShell"/);
    assert.match(h.warnings[5], /unknown board "pico-9000"/);
    assert.equal(lastStateOrNull(h), null);
  });

  it('streams a run: the webview ends with exactly the host run, and the text is generate()\'s', async () => {
    const h = harness();
    h.session.setModel(selected);
    await h.session.handle({ type: 'generate', params: { ...params, seed: 0 } });
    await until(() => h.session.currentState.run?.status !== 'running', 'the run to end');
    const run = h.session.currentState.run as RunView;
    const seed = 1 + Math.floor(0.25 * 0x7ffffffe);
    assert.equal(run.params.seed, seed, 'seed 0 became a recorded random seed');
    const expected = generate(model, params.prompt, { ...params, seed });
    assert.equal(run.text, expected.text);
    assert.equal(run.tokens, expected.ids.length);
    assert.equal(run.status, 'done');
    assert.match(run.summary ?? '', /tokens\/s decode · [\d.]+ characters per token, [\d.]+ characters\/s$/);
    assert.ok(h.messages.some((m) => m.type === 'didGenerate'), 'tokens were streamed');
    assert.deepEqual(webviewRun(h), run);
    assert.ok(run.heap.length > 0 && run.heap.every((p) => p.estimated), 'reference heap figures are marked estimated');
  });

  it('a reloaded webview mid-run gets the run so far, then the rest', async () => {
    const backend = new ManualBackend();
    const h = harness({ backend: () => backend });
    h.session.setModel(selected);
    await h.session.handle({ type: 'generate', params });
    backend.channel.push({ type: 'start', promptTokens: 3, truncated: 0, unknown: 0, seed: 77 });
    backend.channel.push({ type: 'token', id: 5, text: 'ab', index: 0, elapsedMs: 10 });
    await until(() => h.session.currentState.run?.text === 'ab', 'the first token');
    // The panel is closed and reopened: a new page, a new ready.
    h.session.attach(undefined);
    const reopened: HostMessage[] = [];
    h.session.attach((m) => reopened.push(structuredClone(m)));
    await h.session.handle({ type: 'ready' });
    assert.equal(reopened.length, 1);
    assert.ok(reopened[0].type === 'didChangeState' && reopened[0].state.run?.text === 'ab');
    backend.channel.push({ type: 'token', id: 6, text: 'c', index: 1, elapsedMs: 20 });
    backend.channel.push({ type: 'done', reason: 'max_tokens', tokens: 2, promptTokens: 3, ms: 20, tokensPerSecond: 100 });
    backend.channel.close();
    await until(() => h.session.currentState.run?.status === 'done', 'the end');
    h.messages.splice(0, h.messages.length, ...reopened);
    assert.equal(webviewRun(h)?.text, 'abc');
    assert.equal(webviewRun(h)?.target.kind, 'virtual');
  });

  it('one run at a time; stop ends it as stopped', async () => {
    const backend = new ManualBackend();
    const h = harness({ backend: () => backend });
    h.session.setModel(selected);
    await h.session.handle({ type: 'generate', params });
    await h.session.handle({ type: 'generate', params });
    assert.equal(backend.started.length, 1);
    assert.ok(h.messages.some((m) => m.type === 'didNotify' && m.level === 'error' && /already running/.test(m.text)));
    await h.session.handle({ type: 'stop' });
    assert.equal(backend.stopped, 1);
    backend.channel.push({ type: 'done', reason: 'stopped', tokens: 0, promptTokens: 1, ms: 1, tokensPerSecond: 0 });
    backend.channel.close();
    await until(() => h.session.currentState.run?.status === 'stopped', 'stopped');
  });

  it("a failed run's button fixes the problem and tries the same run again; a button it did not offer is ignored", async () => {
    const backend = new ManualBackend();
    const h = harness({ backend: () => backend });
    h.session.setModel(selected);
    await h.session.handle({ type: 'generate', params: { ...params, seed: 0 } });
    backend.channel.push({ type: 'error', code: 'not_deployed', message: 'story.safetensors is not on the virtual Pico yet.' });
    backend.channel.close();
    await until(() => h.session.currentState.run?.status === 'error', 'the failure');
    await h.session.handle({ type: 'runErrorAction', action: 'restartVirtualPico' });
    assert.deepEqual(h.fixes, [], 'not offered for a model that is not on the board');
    assert.match(h.warnings.at(-1) ?? '', /does not offer it/);
    await h.session.handle({ type: 'runErrorAction', action: 'deployModel' });
    assert.deepEqual(h.fixes, [['deployModel', selected.ref.path]]);
    assert.equal(backend.started.length, 2, 'deployed: the run is tried again');
    assert.equal(backend.started[1].prompt, params.prompt);
    assert.equal(h.session.currentState.run?.status, 'running', 'the failed run was replaced: its error is gone');
    // A fix that does not call for a retry (the user cancelled the deploy) leaves the failed run as it is.
    backend.channel.push({ type: 'error', code: 'not_deployed', message: 'still not there' });
    backend.channel.close();
    await until(() => h.session.currentState.run?.status === 'error', 'the second failure');
    h.fixAnswer = false;
    await h.session.handle({ type: 'runErrorAction', action: 'deployModel' });
    assert.equal(backend.started.length, 2);
  });

  it('a model that does not fit the board is not offered Deploy now when it is missing there (the deploy would be refused): it says why and offers another model', async () => {
    const big = randomModel(makeConfig({ vocab_size: 64, dim: 96, hidden_dim: 384, n_layers: 4, n_heads: 4, context_length: 64, family: 'story' }), 5);
    const bigHeader = readModelHeader(writeModel(big));
    const backend = new ManualBackend();
    const h = harness({ backend: () => backend });
    h.session.setModel({ ref: { name: 'big.safetensors', path: '/models/big.safetensors' }, location: 'models/big.safetensors', legacy: false, header: bigHeader });
    assert.equal(h.session.gaugeEstimate()?.estimate?.zone, 'impossible', 'the test model does not fit a Pico');
    await h.session.handle({ type: 'generate', params });
    backend.channel.push({ type: 'error', code: 'not_deployed', message: 'big.safetensors is not on the virtual Pico yet: deploy it to generate there.' });
    backend.channel.close();
    await until(() => h.session.currentState.run?.status === 'error', 'the failure');
    const error = h.session.currentState.run?.error;
    assert.equal(error?.code, 'does_not_fit');
    assert.match(error?.message ?? '', /^big\.safetensors is not on the virtual Pico, and it cannot be deployed there: it does not fit on Raspberry Pi Pico/);
    assert.match(error?.message ?? '', /Choose a smaller model\.$/);
    await h.session.handle({ type: 'runErrorAction', action: 'deployModel' });
    assert.deepEqual(h.fixes, [], 'Deploy now is not offered');
    await h.session.handle({ type: 'runErrorAction', action: 'chooseModel' });
    assert.equal(h.picks, 1, 'Choose another model opens the model pick');
    assert.equal(backend.started.length, 1, 'nothing is retried');
    // A model that fits keeps Deploy now for the same failure.
    h.session.setModel(selected);
    await h.session.handle({ type: 'generate', params });
    backend.channel.push({ type: 'error', code: 'not_deployed', message: 'story.safetensors is not on the virtual Pico yet.' });
    backend.channel.close();
    await until(() => h.session.currentState.run?.status === 'error' && backend.started.length === 2, 'the second failure');
    assert.equal(h.session.currentState.run?.error?.code, 'not_deployed');
  });

  it('a run carries the predicted speed on a real Pico when a speed model gives one, and nothing otherwise', async () => {
    const without = harness({ backend: () => new ManualBackend() });
    without.session.setModel(selected);
    await without.session.handle({ type: 'generate', params });
    assert.equal(without.session.currentState.run?.predictedPicoTokensPerSecond, null);
    const seen: string[] = [];
    const withModel = harness({
      backend: () => new ManualBackend(),
      predictPicoSpeed: (m, board) => (seen.push(`${m.config.dim} on ${board.id}`), 3.2),
    });
    withModel.session.setModel(selected);
    await withModel.session.handle({ type: 'generate', params });
    assert.equal(withModel.session.currentState.run?.predictedPicoTokensPerSecond, 3.2);
    assert.deepEqual(seen, ['8 on pico-cp9']);
  });

  it('generate without a model explains instead of starting', async () => {
    const h = harness();
    await h.session.handle({ type: 'generate', params });
    assert.ok(h.messages.some((m) => m.type === 'didNotify' && /Choose a model first/.test(m.text)));
    assert.equal(h.session.currentState.run, null);
  });

  it('errors from the backend are shown in the run, in place', async () => {
    const failing = new ReferenceBackend({ load: () => Promise.reject(new Error('file vanished')) });
    const h = harness({ backend: () => failing });
    h.session.setModel(selected);
    await h.session.handle({ type: 'generate', params });
    await until(() => h.session.currentState.run?.status === 'error', 'the error');
    assert.deepEqual(h.session.currentState.run?.error, { code: 'load_failed', message: 'could not load story.safetensors: file vanished' });
    assert.equal(webviewRun(h)?.status, 'error');
  });

  it('copies and saves the transcript through the host', async () => {
    const h = harness();
    h.session.setModel(selected);
    await h.session.handle({ type: 'copyTranscript' });
    assert.ok(h.messages.some((m) => m.type === 'didNotify' && /Nothing to copy yet/.test(m.text)));
    await h.session.handle({ type: 'generate', params });
    await until(() => h.session.currentState.run?.status !== 'running', 'the run');
    await h.session.handle({ type: 'copyTranscript' });
    const text = h.clipboard[0];
    assert.match(text, /^Picoformer transcript\nModel: story\.safetensors \(model story-1\.6k, models\/story\.safetensors\)\nTarget: TypeScript reference/);
    assert.match(text, /seed 77/);
    assert.ok(text.includes(`--- prompt ---\nthe cat\n--- generated ---\n${h.session.currentState.run?.text}\n---`));
    await h.session.handle({ type: 'saveTranscript' });
    assert.equal(h.saved[0][0], 'story-transcript.txt');
    assert.equal(h.saved[0][1], text);
    assert.ok(h.messages.some((m) => m.type === 'didNotify' && m.text === 'Transcript saved to /tmp/story-transcript.txt.'));
  });

  it('asks the host to pick a model', async () => {
    const h = harness();
    await h.session.handle({ type: 'pickModel' });
    assert.equal(h.picks, 1);
  });

  it('asks the host to deploy the selected model, and says so when there is none', async () => {
    const h = harness();
    await h.session.handle({ type: 'deployModel' });
    assert.deepEqual(h.deploys, []);
    assert.ok(h.messages.some((m) => m.type === 'didNotify' && /Choose a model first/.test(m.text)));
    h.session.setModel(selected);
    await h.session.handle({ type: 'deployModel' });
    assert.deepEqual(h.deploys, ['/models/story.safetensors']);
  });

  it('shows a training run: the whole view on each status change, progress batched, Cancel from the panel', async () => {
    const h = harness({ trainingBatchMs: 5 });
    let cancels = 0;
    const feed = h.session.trackTraining('corpus/stories.txt', 'models/story-1k.safetensors', () => cancels++);
    const trains = (): TrainingView[] => h.messages.flatMap((m) => (m.type === 'didTrain' ? [m.training] : []));
    assert.equal(trains().at(-1)?.status, 'preparing');
    assert.ok(h.session.isTraining);
    feed.event({ type: 'prepared', info: preparedInfo });
    assert.equal(trains().at(-1)?.status, 'running', 'a status change is sent at once');
    const before = trains().length;
    for (let step = 1; step <= 20; step++) {
      feed.event({ type: 'progress', point: { step, totalSteps: 20, trainLoss: 3 - step / 10, valLoss: null, lr: 1e-3, tokensPerSecond: 1000, elapsedMs: step, gradNorm: 1 } });
    }
    assert.equal(trains().length, before, 'progress waits for the batch');
    await until(() => trains().length > before, 'the batched progress');
    assert.equal(trains().at(-1)?.points.length, 20);
    assert.ok(trains().length <= before + 2, `${trains().length - before} messages for 20 progress events`);
    // A Train request while training explains; Cancel reaches the run once.
    await h.session.handle({ type: 'trainModel' });
    assert.equal(h.trains, 0);
    assert.ok(h.messages.some((m) => m.type === 'didNotify' && /A training run is going on/.test(m.text)));
    await h.session.handle({ type: 'cancelTraining' });
    assert.equal(cancels, 1);
    // The state replay (a reloaded webview) carries the run.
    await h.session.handle({ type: 'ready' });
    const replay = h.messages.filter((m) => m.type === 'didChangeState').at(-1);
    assert.equal(replay?.type === 'didChangeState' ? replay.state.training?.points.length : -1, 20);
    feed.fail('the training thread stopped unexpectedly (exit code 1)');
    assert.equal(trains().at(-1)?.status, 'error');
    assert.ok(!h.session.isTraining);
    await h.session.handle({ type: 'cancelTraining' });
    assert.equal(cancels, 1, 'nothing to cancel once it ended');
    feed.sample('once upon a time');
    assert.equal(trains().at(-1)?.sample, 'once upon a time', 'the sample is sent at once');
    await h.session.handle({ type: 'trainModel' });
    assert.equal(h.trains, 1);
  });

  it('a new training run replaces the last; the old run\'s late events are ignored', () => {
    const h = harness();
    const first = h.session.trackTraining('a.txt', 'a.safetensors', () => undefined);
    first.fail('stopped');
    h.session.trackTraining('b.txt', 'b.safetensors', () => undefined);
    const count = h.messages.length;
    first.event({ type: 'prepared', info: preparedInfo });
    first.sample('late');
    assert.equal(h.messages.length, count);
    assert.equal(h.session.currentState.training?.corpus, 'b.txt');
  });
});

describe('gauge binding', () => {
  it('follows the selected model and shows live heap only from boards, cleared on a model change', async () => {
    const backend = new ManualBackend();
    const h = harness({ backend: () => backend });
    const views: GaugeView[] = [];
    const binding = new GaugeBinding(h.session, (v) => views.push(v), 'picoformer.openStudio');
    assert.equal(views[views.length - 1].text, '$(circuit-board) No model');
    h.session.setModel(selected);
    assert.match(views[views.length - 1].text, /^\$\(pass\) story \d+% · [\d.]+ KB left$/);
    await h.session.handle({ type: 'generate', params });
    backend.channel.push({ type: 'memory', free: 60_000, alloc: 80_000, peak: 90_000, heapLimit: 143_360, estimated: true, elapsedMs: 0 });
    backend.channel.push({ type: 'memory', free: 49_459, alloc: 80_000, peak: 93_000, heapLimit: 143_360, estimated: false, elapsedMs: 1 });
    await until(() => views[views.length - 1].text.includes('live'), 'live figures');
    assert.match(views[views.length - 1].text, / · live 48\.3 KB free$/);
    assert.match(views[views.length - 1].tooltipMarkdown, /\*\*Live\*\* \(Virtual Pico\)/);
    h.session.setModel({ ...selected, ref: { name: 'other-1k', path: '/models/other.safetensors' } });
    assert.ok(!views[views.length - 1].text.includes('live'));
    binding.dispose();
  });
});

function lastStateOrNull(h: Harness): StudioState | null {
  const all = states(h);
  return all.length ? all[all.length - 1] : null;
}
