// The memory headroom section: the selected model, what-if controls, the stacked bar of the heap, the zone (word
// and colour), the headroom and the comparison with the old runtime. What-if changes go to the host, which answers
// with a new state at once (the estimate takes well under a millisecond).
import type { BoardOption, StudioState, WhatIf, WhatIfDtype, WhatIfKvCache, WhatIfMode } from '../panels/protocol';
import { WhatIfDtypes, WhatIfKvCaches, WhatIfModes } from '../panels/protocol';
import { custom, el } from './dom';

type Select = HTMLElement & { value: string };
type TextField = HTMLElement & { value: string; invalid: boolean; max?: number };

const DtypeLabels: Record<WhatIfDtype, string> = { stored: 'As stored in the file', I8: 'int8 (deployed default)', F16: 'float16', F32: 'float32' };
const ModeLabels: Record<WhatIfMode, string> = { auto: 'Auto (resident if it fits)', resident: 'Resident', streamed: 'Streamed from the drive' };
const KvCacheLabels: Record<WhatIfKvCache, string> = { int8: 'int8 (a quarter of float32)', float32: 'float32' };

export class MemorySection {
  readonly root: HTMLElement;
  private readonly modelLine = el('div', { class: 'model-line' });
  private readonly controls: HTMLElement;
  private readonly board: Select;
  private readonly customHeap: TextField;
  private readonly customHeapRow: HTMLElement;
  private readonly context: TextField;
  private readonly contextHint = el('span', { class: 'hint', id: 'whatif-context-hint' });
  private readonly heapHint = el('span', { class: 'hint', id: 'whatif-heap-hint' });
  /** Shown while a field is invalid: the figures are for the last valid choice. */
  private readonly staleNote = el('p', { class: 'stale-note', role: 'status', hidden: true });
  private readonly dtype: Select;
  private readonly mode: Select;
  private readonly kvCache: Select;
  private readonly result = el('div', { class: 'memory-result' });
  private boardIds = '';
  private whatIf: WhatIf | null = null;

  constructor(
    private readonly onWhatIf: (whatIf: WhatIf) => void,
    private readonly onPickModel: () => void,
    private readonly onDeploy: () => void,
  ) {
    this.board = custom('vscode-single-select', { id: 'whatif-board', 'aria-label': 'Board profile' }) as Select;
    this.customHeap = custom('vscode-textfield', { id: 'whatif-heap', type: 'number', min: 16, max: 8192, step: 1, label: 'Custom heap in KB' }) as TextField;
    this.context = custom('vscode-textfield', { id: 'whatif-context', type: 'number', min: 1, step: 1, label: 'Context length in tokens' }) as TextField;
    this.dtype = options('whatif-dtype', 'Weight type', WhatIfDtypes.map((d) => [d, DtypeLabels[d]]));
    this.mode = options('whatif-mode', 'Load mode', WhatIfModes.map((m) => [m, ModeLabels[m]]));
    this.kvCache = options('whatif-kv', 'KV cache', WhatIfKvCaches.map((k) => [k, KvCacheLabels[k]]));
    this.customHeapRow = field('whatif-heap', 'Custom heap (KB)', this.customHeap, this.heapHint);
    const boardField = field('whatif-board', 'Board', this.board);
    boardField.classList.add('field-board');
    this.controls = el(
      'div',
      { class: 'whatif', role: 'group', 'aria-label': 'What if' },
      boardField,
      this.customHeapRow,
      field('whatif-context', 'Context length', this.context, this.contextHint),
      field('whatif-dtype', 'Weights', this.dtype),
      field('whatif-mode', 'Load mode', this.mode),
      field('whatif-kv', 'KV cache', this.kvCache),
    );
    for (const control of [this.board, this.dtype, this.mode, this.kvCache]) control.addEventListener('change', () => this.send());
    for (const control of [this.context, this.customHeap]) control.addEventListener('input', () => this.send());
    this.root = el('div', { class: 'memory-section' }, this.modelLine, this.controls, this.staleNote, this.result);
  }

  render(state: StudioState): void {
    this.renderModel(state);
    this.controls.hidden = state.model === null;
    this.whatIf = state.whatIf;
    if (state.whatIf && state.model) this.renderControls(state.boards, state.whatIf, state.model.contextLength);
    this.renderResult(state);
    if (state.whatIf && state.model) this.validate();
    else this.staleNote.hidden = true;
  }

  private renderModel(state: StudioState): void {
    const pick = custom('vscode-button', { secondary: true }, state.model ? 'Choose another model…' : 'Choose a model…');
    pick.addEventListener('click', () => this.onPickModel());
    const parts: (Node | string)[] = [];
    if (state.model) {
      parts.push(
        el('span', { class: 'model-name' }, state.model.name),
        el('span', { class: 'model-detail' }, state.model.detail),
        el('span', { class: 'model-location' }, state.model.location),
      );
    } else {
      parts.push(el('span', { class: 'model-none' }, 'No model selected. Choose one here or from the Models view.'));
    }
    if (state.modelError) parts.push(el('p', { class: 'error model-error', role: 'alert' }, state.modelError));
    parts.push(pick);
    if (state.model) {
      const deploy = custom('vscode-button', { id: 'deploy-model' }, 'Deploy to Pico…');
      deploy.addEventListener('click', () => this.onDeploy());
      parts.push(deploy);
    }
    this.modelLine.replaceChildren(...parts);
  }

  private renderControls(boards: readonly BoardOption[], w: WhatIf, maxContext: number): void {
    const ids = boards.map((b) => b.id).join(',');
    if (ids !== this.boardIds) {
      this.boardIds = ids;
      this.board.replaceChildren(...boards.map((b) => custom('vscode-option', { value: b.id }, b.label)));
    }
    setValue(this.board, w.boardId);
    setValue(this.customHeap, String(w.customHeapKB));
    this.customHeapRow.hidden = w.boardId !== 'custom';
    this.context.setAttribute('max', String(maxContext));
    setValue(this.context, String(w.contextLength));
    setValue(this.dtype, w.dtype);
    setValue(this.mode, w.mode);
    setValue(this.kvCache, w.kvCache);
  }

  private renderResult(state: StudioState): void {
    const m = state.memory;
    if (!state.model) {
      this.result.replaceChildren();
      return;
    }
    if (!m) {
      this.result.replaceChildren(el('p', { class: 'error', role: 'alert' }, state.memoryError ?? 'No estimate.'));
      return;
    }
    const scale = Math.max(m.heapBytes, m.requiredBytes);
    const bar = el('div', {
      class: 'heap-bar',
      role: 'img',
      'aria-label': `Needs ${m.requiredText} of ${m.heapText}: ${m.segments.map((s) => `${s.label} ${s.text}`).join(', ')}`,
    });
    for (const s of m.segments) {
      const part = el('span', { class: `segment seg-${s.key}`, title: `${s.label}: ${s.text}. ${s.description}` });
      part.style.width = `${((s.bytes / scale) * 100).toFixed(3)}%`;
      bar.append(part);
    }
    const limit = el('span', { class: 'heap-limit', title: `Usable heap: ${m.heapText}` });
    limit.style.left = `${((m.heapBytes / scale) * 100).toFixed(3)}%`;
    bar.append(limit);
    const legend = el(
      'ul',
      { class: 'legend' },
      ...m.segments.map((s) => el('li', { title: s.description }, el('span', { class: `swatch seg-${s.key}`, 'aria-hidden': 'true' }), `${s.label} `, el('span', { class: 'figure' }, s.text))),
    );
    const percent = m.heapBytes > 0 ? Math.round((m.requiredBytes / m.heapBytes) * 100) : 0;
    const summary = el(
      'div',
      { class: 'memory-summary' },
      el('span', { class: `zone zone-${m.zone}` }, m.zoneLabel),
      el('span', { class: 'headroom' }, m.headroomText),
      el('span', { class: 'needs' }, `Needs ${m.requiredText} of ${m.heapText} (${percent}%) on ${m.boardLabel}`),
    );
    const extra: Node[] = [
      el('p', { class: 'zone-meaning' }, `${m.zoneLabel}: ${m.zoneMeaning}. Load mode: ${m.modeText}.`),
      ...(m.speedText ? [el('p', { class: 'speed' }, m.speedText)] : []),
      el('p', { class: `legacy zone-text-${m.legacyZone}` }, m.legacyText),
    ];
    if (m.notes.length) extra.push(el('ul', { class: 'notes' }, ...m.notes.map((n) => el('li', {}, n))));
    this.result.replaceChildren(summary, bar, el('div', { class: 'heap-scale', 'aria-hidden': 'true' }, el('span', {}, '0'), el('span', {}, m.heapText)), legend, ...extra);
  }

  /**
   * Checks the typed fields: an invalid one is marked and says why next to it, and the figures say they are for the
   * last valid choice (what the host last estimated). Returns the values when every field that counts is valid.
   */
  private validate(): { context: number; heap: number | undefined } | undefined {
    const w = this.whatIf;
    if (!w) return undefined;
    const context = Number(this.context.value.trim() === '' ? NaN : this.context.value);
    const heap = Number(this.customHeap.value.trim() === '' ? NaN : this.customHeap.value);
    const max = Number(this.context.getAttribute('max'));
    const contextOk = Number.isInteger(context) && context >= 1 && context <= max;
    const custom = (this.board.value || w.boardId) === 'custom';
    const heapOk = Number.isFinite(heap) && heap >= 16 && heap <= 8192;
    this.context.invalid = !contextOk;
    this.customHeap.invalid = custom && !heapOk;
    hint(this.contextHint, contextOk ? `of ${max}` : `A whole number from 1 to ${max} (the model's context)`, !contextOk);
    hint(this.heapHint, !custom || heapOk ? '' : 'A number of KB from 16 to 8192', custom && !heapOk);
    const ok = contextOk && (!custom || heapOk);
    const lastHeap = w.boardId === 'custom' ? `, ${w.customHeapKB} KB heap` : '';
    this.staleNote.hidden = ok;
    this.staleNote.textContent = ok ? '' : `The figures below are for the last valid choice (context ${w.contextLength}${lastHeap}): fix the field marked in red to update them.`;
    return ok ? { context, heap: heapOk ? heap : undefined } : undefined;
  }

  /** Reads the controls; sends only a complete, valid what-if. */
  private send(): void {
    if (!this.whatIf) return;
    const valid = this.validate();
    if (!valid) return;
    const next: WhatIf = {
      boardId: this.board.value || this.whatIf.boardId,
      customHeapKB: valid.heap ?? this.whatIf.customHeapKB,
      contextLength: valid.context,
      dtype: (this.dtype.value || this.whatIf.dtype) as WhatIfDtype,
      mode: (this.mode.value || this.whatIf.mode) as WhatIfMode,
      kvCache: (this.kvCache.value || this.whatIf.kvCache) as WhatIfKvCache,
    };
    this.whatIf = next;
    this.onWhatIf(next);
  }
}

function hint(node: HTMLElement, text: string, error: boolean): void {
  node.textContent = text;
  node.classList.toggle('error', error);
}

function field(id: string, label: string, control: HTMLElement, ...after: Node[]): HTMLElement {
  return el('div', { class: 'field' }, custom('vscode-label', { for: id }, label), control, ...after);
}

function options(id: string, label: string, choices: [string, string][]): Select {
  return custom('vscode-single-select', { id, 'aria-label': label }, ...choices.map(([value, text]) => custom('vscode-option', { value }, text))) as Select;
}

/** Sets a control's value unless the user is editing it (so typing is never overwritten by an echo). */
function setValue(control: HTMLElement & { value: string }, value: string): void {
  if (control.matches(':focus-within') && control.value !== '') return;
  if (control.value !== value) control.value = value;
}
