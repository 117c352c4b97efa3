// The live generation section: the form (prompt, max tokens, temperature, top-k, seed), Generate/Stop, the target,
// the streamed text (an aria-live log), the status or error in place, live charts of tokens/s and free heap, and
// transcript copy/save (done by the host: clipboard and save dialog).
import type { Tokenizer } from '../model/tokenizer';
import { countPrompt, promptCountText, promptTokenizer, runPromptText } from '../panels/promptCount';
import type { ErrorActionId, GenerationDefaults, ModelView, RunEvent, RunParams, RunView, StudioState, TargetView } from '../panels/protocol';
import { runErrorActions } from '../panels/runErrorActions';
import { applyRunEvent, charactersPerToken, tokenTimesOf } from '../panels/runState';
import { drawChart } from './chart';
import { custom, el, svg } from './dom';

type TextField = HTMLElement & { value: string; invalid: boolean };
type Button = HTMLElement & { disabled: boolean };

export interface GenerationActions {
  generate(params: RunParams): void;
  stop(): void;
  copy(): void;
  save(): void;
  /** A failed run's button (Deploy now, Restart virtual Pico, ...). */
  fixRun(action: ErrorActionId): void;
  /** The form changed (to be remembered). */
  formChanged(form: RunParams): void;
}

export class GenerationSection {
  readonly root: HTMLElement;
  private readonly target = el('p', { class: 'target' });
  private readonly prompt: TextField;
  private readonly maxTokens: TextField;
  private readonly temperature: TextField;
  private readonly topK: TextField;
  private readonly seed: TextField;
  private readonly promptCount = el('p', { class: 'prompt-count', id: 'gen-prompt-count' });
  private readonly formError = el('p', { class: 'error', role: 'alert', hidden: true });
  private readonly generateButton: Button;
  private readonly stopButton: Button;
  private readonly copyButton: Button;
  private readonly saveButton: Button;
  private readonly ring = custom('vscode-progress-ring', { 'aria-label': 'Generating', hidden: true });
  private readonly promptEcho = el('span', { class: 'prompt-echo' });
  private readonly generated = el('span', { class: 'generated' });
  private readonly output: HTMLElement;
  private readonly status = el('p', { class: 'run-status', role: 'status' });
  private readonly runError = el('div', { class: 'run-error', role: 'alert', hidden: true });
  private shownError = '';
  private readonly notice = el('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  private readonly rateChart = svg('svg', { class: 'chart' });
  private readonly heapChart = svg('svg', { class: 'chart' });
  private readonly heapCaption = el('p', { class: 'chart-caption' });
  private readonly rateCaption = el('p', { class: 'chart-caption rate-caption' });
  private run: RunView | null = null;
  private tokenTimes: number[] = [];
  private chartsQueued = false;
  private formFilled = false;
  private hasModel = false;
  private model: ModelView | null = null;
  /** The selected model's tokenizer, built once per model (for the prompt's token count). */
  private tokenizer: { view: ModelView['tokenizer']; tokenizer: Tokenizer } | null = null;

  constructor(
    private readonly actions: GenerationActions,
    savedForm: RunParams | null,
  ) {
    this.prompt = custom('vscode-textarea', { id: 'gen-prompt', rows: 3, resize: 'vertical', label: 'Prompt', placeholder: 'Once upon a time' }) as TextField;
    this.maxTokens = numberField('gen-max', 'Max tokens', 1, 4096, 1);
    this.temperature = numberField('gen-temperature', 'Temperature (0 = greedy)', 0, 5, 0.1);
    this.topK = numberField('gen-topk', 'Top-k (0 = every token)', 0, 65535, 1);
    this.seed = numberField('gen-seed', 'Seed (0 = new each run)', undefined, undefined, 1);
    this.generateButton = custom('vscode-button', { id: 'gen-generate' }, 'Generate') as Button;
    this.stopButton = custom('vscode-button', { id: 'gen-stop', secondary: true, disabled: true }, 'Stop') as Button;
    this.copyButton = custom('vscode-button', { id: 'gen-copy', secondary: true, disabled: true }, 'Copy transcript') as Button;
    this.saveButton = custom('vscode-button', { id: 'gen-save', secondary: true, disabled: true }, 'Save transcript…') as Button;
    this.output = el('pre', { class: 'output', role: 'log', 'aria-live': 'polite', 'aria-label': 'Generated text', tabindex: 0 }, this.promptEcho, this.generated);
    this.generateButton.addEventListener('click', () => this.submit());
    this.stopButton.addEventListener('click', () => this.actions.stop());
    this.copyButton.addEventListener('click', () => this.actions.copy());
    this.saveButton.addEventListener('click', () => this.actions.save());
    this.prompt.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.submit();
      }
    });
    this.prompt.addEventListener('input', () => this.renderPromptCount());
    for (const f of [this.prompt, this.maxTokens, this.temperature, this.topK, this.seed]) {
      f.addEventListener('input', () => {
        const form = this.readForm();
        if (form) this.actions.formChanged(form);
      });
    }
    if (savedForm) this.fill(savedForm);
    this.root = el(
      'div',
      { class: 'generation-section' },
      this.target,
      el('div', { class: 'field prompt-field' }, custom('vscode-label', { for: 'gen-prompt' }, 'Prompt'), this.prompt, this.promptCount),
      el(
        'div',
        { class: 'params', role: 'group', 'aria-label': 'Sampling' },
        labelled('gen-max', 'Max tokens', this.maxTokens),
        labelled('gen-temperature', 'Temperature', this.temperature),
        labelled('gen-topk', 'Top-k', this.topK),
        labelled('gen-seed', 'Seed', this.seed),
      ),
      this.formError,
      el('div', { class: 'actions' }, this.generateButton, this.stopButton, this.ring, el('span', { class: 'hint' }, 'Ctrl+Enter in the prompt generates')),
      this.output,
      this.status,
      this.runError,
      el('div', { class: 'charts' }, el('figure', {}, this.rateChart, this.rateCaption), el('figure', {}, this.heapChart, this.heapCaption)),
      el('div', { class: 'actions' }, this.copyButton, this.saveButton),
      this.notice,
    );
    this.drawCharts();
  }

  /** A full state from the host (first load, replay, or any change but streamed tokens). */
  render(state: StudioState): void {
    if (!this.formFilled) this.fill(state.defaults);
    this.renderTarget(state.target);
    this.hasModel = state.model !== null;
    this.model = state.model;
    this.renderPromptCount();
    this.run = state.run;
    this.tokenTimes = state.run ? tokenTimesOf(state.run) : [];
    this.promptEcho.textContent = state.run ? state.run.params.prompt : '';
    this.generated.textContent = state.run ? state.run.text : '';
    this.renderRunStatus();
    this.drawCharts();
  }

  /** Streamed events of the current run. */
  apply(runId: number, events: readonly RunEvent[]): void {
    const run = this.run;
    if (!run || run.id !== runId) return; // a full state with this run is on its way
    for (const event of events) {
      applyRunEvent(run, event, this.tokenTimes);
      if (event.type === 'token') this.generated.append(document.createTextNode(event.text));
    }
    this.renderRunStatus();
    this.queueCharts();
  }

  notify(level: 'info' | 'error', text: string): void {
    this.notice.textContent = text;
    this.notice.classList.toggle('error', level === 'error');
  }

  private submit(): void {
    const form = this.readForm();
    if (!form || this.generateButton.disabled) return;
    this.notice.textContent = '';
    this.actions.generate(form);
  }

  /** The form as run parameters, or null (with the problem shown) when a field is invalid. */
  private readForm(): RunParams | null {
    const checks: [TextField, number, (n: number) => boolean, string][] = [
      [this.maxTokens, Number(this.maxTokens.value), (n) => Number.isInteger(n) && n >= 1 && n <= 4096, 'Max tokens must be a whole number from 1 to 4096.'],
      [this.temperature, Number(this.temperature.value), (n) => Number.isFinite(n) && n >= 0 && n <= 5, 'Temperature must be a number from 0 to 5.'],
      [this.topK, Number(this.topK.value), (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'Top-k must be a whole number (0 = every token).'],
      [this.seed, Number(this.seed.value), (n) => Number.isSafeInteger(n), 'The seed must be a whole number (0 = a new one each run).'],
    ];
    let problem: string | null = null;
    for (const [field, value, ok, message] of checks) {
      const valid = field.value.trim() !== '' && ok(value);
      field.invalid = !valid;
      if (!valid && problem === null) problem = message;
    }
    this.formError.hidden = problem === null;
    this.formError.textContent = problem ?? '';
    if (problem !== null) return null;
    return {
      prompt: this.prompt.value,
      maxTokens: Number(this.maxTokens.value),
      temperature: Number(this.temperature.value),
      topK: Number(this.topK.value),
      seed: Number(this.seed.value),
    };
  }

  private fill(form: RunParams | GenerationDefaults): void {
    this.formFilled = true;
    if ('prompt' in form) this.prompt.value = form.prompt;
    this.maxTokens.value = String(form.maxTokens);
    this.temperature.value = String(form.temperature);
    this.topK.value = String(form.topK);
    this.seed.value = String(form.seed);
  }

  /** The prompt's tokens for the selected model, counted as it is typed. */
  private renderPromptCount(): void {
    const model = this.model;
    if (model === null) {
      this.promptCount.textContent = '';
      return;
    }
    if (this.tokenizer?.view !== model.tokenizer) this.tokenizer = { view: model.tokenizer, tokenizer: promptTokenizer(model.tokenizer) };
    const count = countPrompt(this.tokenizer.tokenizer, model.tokenizer, model.contextLength, this.prompt.value);
    this.promptCount.textContent = promptCountText(count, model.contextLength);
  }

  private renderTarget(target: TargetView): void {
    const badge = { reference: 'reference', virtual: 'virtual Pico', board: 'board' }[target.kind];
    this.target.replaceChildren('Target: ', el('span', { class: `target-badge target-${target.kind}` }, badge), ' ', target.label);
  }

  private renderRunStatus(): void {
    const run = this.run;
    const running = run?.status === 'running';
    this.stopButton.disabled = !running;
    this.ring.hidden = !running;
    this.generateButton.disabled = running || !this.hasModel;
    this.copyButton.disabled = !run;
    this.saveButton.disabled = !run;
    this.output.setAttribute('aria-busy', running ? 'true' : 'false');
    if (!run) {
      this.status.textContent = 'Nothing generated yet.';
      this.renderRunError(null);
      return;
    }
    const prompt = run.promptTokens === null ? '' : ` · ${runPromptText(run.promptTokens, run.truncated, run.unknown)}`;
    const where = `${run.modelName} on ${run.target.kind === 'virtual' ? 'the virtual Pico' : run.target.label} · seed ${run.params.seed}`;
    // The same decode figure as the chart's header, and where it was measured.
    const hasRate = run.decodeTokensPerSecond !== null && run.decodeTokensPerSecond > 0;
    const perToken = charactersPerToken(run);
    const rate = hasRate ? ` · ${(run.decodeTokensPerSecond as number).toFixed(1)} tokens/s decode, ${((run.decodeTokensPerSecond as number) * perToken).toFixed(1)} characters/s` : '';
    const host = hasRate && run.target.kind !== 'board' ? " (this computer's speed)" : '';
    const predictedChars = perToken > 0 && run.predictedPicoTokensPerSecond !== null ? ` (${(run.predictedPicoTokensPerSecond * perToken).toFixed(1)} characters/s)` : '';
    const predicted = run.predictedPicoTokensPerSecond === null ? '' : ` · about ${run.predictedPicoTokensPerSecond.toFixed(1)} tokens/s${predictedChars} predicted on a Pico`;
    this.status.textContent = running
      ? `Generating… ${run.tokens} tokens${rate}${host} · ${where}${prompt}`
      : run.status === 'error'
        ? `Failed · ${where}${prompt}`
        : `${run.summary ?? run.status}${host}${predicted} · ${where}${prompt}`;
    this.renderRunError(run);
  }

  /** What went wrong, in words (no internal code), with the buttons that fix it; redrawn only when it changes. */
  private renderRunError(run: RunView | null): void {
    const error = run?.error ?? null;
    const key = error && run ? `${run.id}\u0000${error.code}\u0000${error.message}` : '';
    if (key === this.shownError) return;
    this.shownError = key;
    this.runError.hidden = error === null;
    if (!error || !run) return this.runError.replaceChildren();
    const buttons = runErrorActions(error.code, run.target.kind).map((action) => {
      const button = custom('vscode-button', { class: 'fix-action', 'data-action': action.id }, action.label);
      button.addEventListener('click', () => this.actions.fixRun(action.id));
      return button;
    });
    this.runError.replaceChildren(el('p', { class: 'error' }, `Generation failed: ${error.message}`), ...(buttons.length ? [el('div', { class: 'actions' }, ...buttons)] : []));
  }

  private queueCharts(): void {
    if (this.chartsQueued) return;
    this.chartsQueued = true;
    requestAnimationFrame(() => {
      this.chartsQueued = false;
      this.drawCharts();
    });
  }

  private drawCharts(): void {
    const run = this.run;
    drawChart(this.rateChart, (run?.rate ?? []).map((p) => ({ x: p.elapsedMs, y: p.tokensPerSecond })), {
      title: 'Decode tokens/s',
      format: (y) => y.toFixed(y < 100 ? 1 : 0),
      empty: 'no tokens yet',
    });
    const heap = run?.heap ?? [];
    const last = heap[heap.length - 1];
    drawChart(this.heapChart, heap.map((p) => ({ x: p.elapsedMs, y: p.free })), {
      title: last?.estimated ? 'Free heap (estimated)' : 'Free heap',
      format: (y) => `${(y / 1024).toFixed(1)} KB`,
      reference: last ? { y: last.heapLimit, label: `heap ${(last.heapLimit / 1024).toFixed(0)} KB` } : undefined,
      empty: 'no heap figures yet',
    });
    this.rateCaption.textContent = rateCaption(run);
    this.heapCaption.textContent = last?.estimated
      ? 'Estimated: the reference runs on this computer, so these are the estimator\'s figures for the board, not measurements.'
      : last
        ? `Reported by ${run?.target.label ?? 'the board'}.`
        : '';
  }
}

/** What the rate chart measures, and on what: the virtual Pico and the reference run at this computer's speed. */
function rateCaption(run: RunView | null): string {
  if (!run || run.rate.length === 0) return '';
  const what = 'Decode rate: the new tokens after the first, per second (the prompt is excluded).';
  const where =
    run.target.kind === 'board'
      ? ` Measured by ${run.target.label}.`
      : ` ${run.target.kind === 'virtual' ? 'The virtual Pico' : 'The reference'} runs at this computer's speed, not a Pico's.`;
  const predicted = run.predictedPicoTokensPerSecond === null ? '' : ` On a real Pico: about ${run.predictedPicoTokensPerSecond.toFixed(1)} tokens/s (predicted).`;
  return what + where + predicted;
}

function numberField(id: string, label: string, min: number | undefined, max: number | undefined, step: number): TextField {
  return custom('vscode-textfield', { id, type: 'number', min, max, step, label }) as TextField;
}

function labelled(id: string, label: string, control: HTMLElement): HTMLElement {
  return el('div', { class: 'field' }, custom('vscode-label', { for: id }, label), control);
}
