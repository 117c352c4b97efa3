// A training run as the Studio shows it, folded from the trainer's events (src/train/protocol.ts). The host keeps
// the view and sends it whole (it is small), so a reloaded webview gets the curve back from the state replay.
import { boardLabel } from '../memory/boards';
import type { PreparedInfo, ProgressPoint, TrainEvent, TrainSummary } from '../train/protocol';
import { formatCount, formatKB, plural } from '../views/viewModels/format';
import { zoneStyle } from '../views/viewModels/zoneStyle';
import type { LossPoint, TrainingView } from './protocol';

/** Long runs keep at most this many points on the curve (every other one is dropped when it fills up). */
export const MaxLossPoints = 400;

/** A new run's view; a continued run brings its curve so far (the checkpoint's history). */
export function newTraining(id: number, corpus: string, output: string, history: readonly ProgressPoint[] = []): TrainingView {
  const points: LossPoint[] = [];
  for (const p of history) addPoint(points, { step: p.step, train: p.trainLoss, val: p.valLoss });
  const vals = history.flatMap((p) => (p.valLoss === null ? [] : [p.valLoss]));
  const last = history[history.length - 1];
  return {
    id,
    status: 'preparing',
    corpus,
    output,
    name: null,
    plan: null,
    data: null,
    step: last?.step ?? 0,
    totalSteps: last?.totalSteps ?? 0,
    points,
    tokensPerSecond: 0,
    elapsedMs: last?.elapsedMs ?? 0,
    remainingMs: null,
    bestValLoss: vals.length > 0 ? Math.min(...vals) : null,
    summary: null,
    sample: null,
    zone: null,
    zoneText: null,
    error: null,
  };
}

export function isTrainingActive(view: TrainingView | null): boolean {
  return view !== null && (view.status === 'preparing' || view.status === 'running');
}

/** Applies one trainer event to `view` (in place). Events after the run has ended are ignored. */
export function applyTrainEvent(view: TrainingView, event: TrainEvent): void {
  if (!isTrainingActive(view)) return;
  switch (event.type) {
    case 'prepared':
      Object.assign(view, preparedFields(event.info), { status: 'running' });
      return;
    case 'progress': {
      const p = event.point;
      view.step = p.step;
      view.totalSteps = p.totalSteps;
      view.tokensPerSecond = p.tokensPerSecond;
      view.elapsedMs = p.elapsedMs;
      view.remainingMs = p.step > 0 && p.step < p.totalSteps ? (p.elapsedMs / p.step) * (p.totalSteps - p.step) : null;
      if (p.valLoss !== null) view.bestValLoss = view.bestValLoss === null ? p.valLoss : Math.min(view.bestValLoss, p.valLoss);
      addPoint(view.points, { step: p.step, train: p.trainLoss, val: p.valLoss });
      return;
    }
    case 'checkpoint':
      return;
    case 'done':
      Object.assign(view, summaryFields(event.summary));
      return;
    case 'error':
      view.status = 'error';
      view.error = event.message;
      view.remainingMs = null;
      return;
  }
}

/** Marks a run that ended without a `done` or `error` event (the trainer's thread died): never left "running". */
export function failTraining(view: TrainingView, message: string): void {
  if (!isTrainingActive(view)) return;
  view.status = 'error';
  view.error = message;
  view.remainingMs = null;
}

function preparedFields(i: PreparedInfo): Partial<TrainingView> {
  const c = i.config;
  const plan = [
    `${formatCount(i.parameterCount)} parameters`,
    `dim ${c.dim}`,
    plural(c.n_layers, 'layer'),
    plural(c.n_heads, 'head'),
    `hidden ${c.hidden_dim}`,
    `context ${c.context_length}`,
  ];
  // Only what differs from the sample models' architecture (picoformer.training.* or the CLI chose it).
  if (c.norm !== 'rmsnorm') plan.push(c.norm);
  if (c.activation !== 'silu') plan.push(c.activation);
  if (c.positional === 'none') plan.push('no position table');
  if (!c.tied_embeddings) plan.push('untied embeddings');
  if (c.tokenizer !== 'char') plan.push('subword vocabulary');
  if (i.fit) plan.push(`the largest that runs ${i.fit.mode} on ${boardLabel(i.fit.board)}`);
  const coverage = i.coverage >= 1 ? 'full coverage' : `${(i.coverage * 100).toFixed(2)}% coverage, ${formatCount(i.unknownTokens)} unknown`;
  const data = [
    `vocabulary ${c.vocab_size} tokens (${coverage}${c.tokenizer === 'char' ? '' : `, ${i.charsPerToken.toFixed(2)} characters per token`})`,
    ...(i.vocabNote ? [i.vocabNote] : []),
    `${formatCount(i.documents)} documents`,
    `${formatCount(i.trainTokens)} training and ${formatCount(i.valTokens)} validation tokens`,
  ];
  const st = i.settings;
  data.push(`${st.batch} window${st.batch === 1 ? '' : 's'} per step, peak learning rate ${st.lr}, seed ${st.seed}, ${plural(i.threads, 'thread')}`);
  if (i.resumed) data.push(`resumed at step ${formatCount(i.resumed.step)}`);
  return { name: i.name, plan: plan.join(' · '), data: data.join(' · '), totalSteps: i.settings.steps, step: i.resumed?.step ?? 0 };
}

function summaryFields(s: TrainSummary): Partial<TrainingView> {
  const seconds = s.elapsedMs / 1000;
  const parts = [
    s.bestValLoss === null ? 'no validation loss' : `val loss ${s.bestValLoss.toFixed(3)} (best, step ${formatCount(s.bestStep)})`,
    s.output.dtype === 'F32' ? 'float32' : `${s.output.dtype === 'I8' ? 'int8' : 'float16'} logit error ${s.quantError.maxAbs.toPrecision(2)}`,
    `${formatCount(s.steps)} steps in ${seconds < 100 ? seconds.toFixed(1) : Math.round(seconds)} s`,
    `${formatCount(s.tokensPerSecond)} tokens/s`,
  ];
  const fit = s.fit;
  return {
    status: s.reason,
    step: s.steps,
    totalSteps: s.totalSteps,
    remainingMs: null,
    elapsedMs: s.elapsedMs,
    bestValLoss: s.bestValLoss,
    summary: parts.join(' · '),
    zone: fit.zone,
    // "Safe on …: runs resident, needs 85 KB"; "Does not fit on …: needs 300 KB" (the zone already says it).
    zoneText: `${zoneStyle(fit.zone).label} on ${boardLabel(fit.board)}: ${fit.mode === null ? '' : `runs ${fit.mode}, `}needs ${formatKB(fit.requiredBytes)}`,
  };
}

/** Appends `point`, halving the curve's resolution when it is full (the first and the newest points stay). */
export function addPoint(points: LossPoint[], point: LossPoint): void {
  points.push(point);
  if (points.length <= MaxLossPoints) return;
  // Keep every validation point (they are few and the curve's most telling part) and every other training point.
  let kept = points.filter((p, i) => i === 0 || i === points.length - 1 || p.val !== null || i % 2 === 0);
  // Validation at nearly every step: halve regardless.
  if (kept.length > (MaxLossPoints * 3) / 4) kept = points.filter((_, i) => i === points.length - 1 || i % 2 === 0);
  points.splice(0, points.length, ...kept);
}
