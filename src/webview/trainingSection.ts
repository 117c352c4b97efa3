// The training section: the run's model (name, parameters, shape), data, progress with time left, the live loss
// curve (training loss at every report, validation loss as dots), Cancel (keeps the best weights) and, once done,
// the result with the model's memory zone. Shows the host's TrainingView as it is; the host sends it whole.
import type { StudioState, TrainingStatus, TrainingView } from '../panels/protocol';
import { lossChartRange } from '../panels/lossChartRange';
import { drawSeries } from './chart';
import { formatClock, formatCount } from '../views/viewModels/format';
import { custom, el, svg } from './dom';

type Button = HTMLElement & { disabled: boolean };

export interface TrainingActions {
  train(): void;
  cancel(): void;
}

const StatusText: Readonly<Record<TrainingStatus, string>> = {
  preparing: 'Preparing the data…',
  running: 'Training',
  completed: 'Finished',
  cancelled: 'Stopped early: the best weights so far were saved',
  error: 'Failed',
};

export class TrainingSection {
  readonly root: HTMLElement;
  private readonly intro = el('p', { class: 'hint training-intro' }, 'Train a model of the architecture the board runs, on a text file, a folder or the sample corpus. Its loss curve appears here as it trains.');
  private readonly name = el('strong', { class: 'training-name' });
  private readonly plan = el('p', { class: 'training-plan' });
  private readonly data = el('p', { class: 'training-data hint' });
  private readonly files = el('p', { class: 'training-files hint' });
  private readonly bar = el('progress', { class: 'training-progress', max: 1, value: 0, 'aria-label': 'Training progress' });
  // Not a live region: it changes several times a second; the status word (below) is the one announced.
  private readonly progress = el('p', { class: 'training-stats' });
  private readonly statusWord = el('span', { class: 'training-status', role: 'status' });
  private readonly chart = svg('svg', { class: 'chart loss-chart' });
  private readonly result = el('p', { class: 'training-result' });
  private readonly sample = el('pre', { class: 'training-sample', 'aria-label': 'What the trained model generates', hidden: true });
  private readonly error = el('p', { class: 'error training-error', role: 'alert', hidden: true });
  private readonly cancelButton: Button;
  private readonly trainButton: Button;
  private readonly ring = custom('vscode-progress-ring', { 'aria-label': 'Training', hidden: true });
  private readonly details: HTMLElement;
  private shownId: number | null = null;

  constructor(actions: TrainingActions) {
    this.trainButton = custom('vscode-button', { id: 'train-new' }, 'Train Tiny Model…') as Button;
    this.cancelButton = custom('vscode-button', { id: 'train-cancel', secondary: true, disabled: true }, 'Cancel training') as Button;
    this.trainButton.addEventListener('click', () => {
      if (!this.trainButton.disabled) actions.train();
    });
    this.cancelButton.addEventListener('click', () => {
      if (this.cancelButton.disabled) return;
      this.cancelButton.disabled = true;
      actions.cancel();
    });
    this.details = el(
      'div',
      { class: 'training-details', hidden: true },
      el('p', { class: 'training-heading' }, this.name, ' ', this.statusWord),
      this.plan,
      this.data,
      this.files,
      this.bar,
      this.progress,
      el('figure', { class: 'loss-figure' }, this.chart),
      this.result,
      this.sample,
      this.error,
    );
    this.root = el('div', { class: 'training-section' }, this.intro, this.details, el('div', { class: 'actions' }, this.trainButton, this.cancelButton, this.ring));
    this.draw(null);
  }

  render(state: StudioState): void {
    this.show(state.training);
  }

  show(view: TrainingView | null): void {
    const active = view !== null && (view.status === 'preparing' || view.status === 'running');
    this.trainButton.disabled = active;
    this.cancelButton.disabled = !active;
    this.ring.hidden = !active;
    this.details.hidden = view === null;
    this.intro.hidden = view !== null;
    if (view === null) return;
    // A run that has just started: bring the section (it is the panel's last) into view.
    if (view.id !== this.shownId && active) this.root.scrollIntoView({ block: 'start' });
    this.shownId = view.id;
    this.statusWord.className = `training-status training-status-${view.status}`;
    this.statusWord.textContent = StatusText[view.status];
    this.name.textContent = view.name ?? 'New model';
    this.plan.textContent = view.plan ?? '';
    this.data.textContent = view.data ?? '';
    this.files.textContent = `${view.corpus} → ${view.output}`;
    this.bar.max = Math.max(1, view.totalSteps);
    this.bar.value = view.step;
    this.progress.textContent = statsText(view);
    this.result.replaceChildren(...resultNodes(view));
    this.sample.hidden = view.sample === null;
    this.sample.textContent = view.sample === null ? '' : `Sample (empty prompt, seed 2024): ${view.sample}`;
    this.error.hidden = view.error === null;
    this.error.textContent = view.error === null ? '' : `Training failed: ${view.error}`;
    this.draw(view);
  }

  private draw(view: TrainingView | null): void {
    const points = view?.points ?? [];
    drawSeries(
      this.chart,
      [
        { name: 'train', points: points.map((p) => ({ x: p.step, y: p.train })), className: 'chart-line-train' },
        { name: 'validation', points: points.filter((p) => p.val !== null).map((p) => ({ x: p.step, y: p.val as number })), className: 'chart-line-val', markers: true },
      ],
      {
        title: 'Loss (nats per token)',
        format: (y) => y.toFixed(3),
        empty: view?.status === 'preparing' ? 'preparing the data…' : 'no steps yet',
        ...(view && lossChartRange(view) ? { xRange: lossChartRange(view) } : {}),
      },
    );
  }
}

function statsText(v: TrainingView): string {
  if (v.status === 'preparing') return 'Building the vocabulary and the training windows…';
  const parts = [`step ${formatCount(v.step)} of ${formatCount(v.totalSteps)}`];
  if (v.tokensPerSecond > 0) parts.push(`${formatCount(v.tokensPerSecond)} tokens/s`);
  parts.push(`${formatClock(v.elapsedMs)} elapsed`);
  if (v.remainingMs !== null) parts.push(`about ${formatClock(v.remainingMs)} left`);
  if (v.bestValLoss !== null) parts.push(`best validation loss ${v.bestValLoss.toFixed(3)}`);
  return parts.join(' · ');
}

function resultNodes(v: TrainingView): (Node | string)[] {
  if (v.summary === null) return [];
  const nodes: (Node | string)[] = [v.summary];
  if (v.zone !== null && v.zoneText !== null) nodes.push(' ', el('span', { class: `zone zone-${v.zone}` }, v.zoneText));
  return nodes;
}
