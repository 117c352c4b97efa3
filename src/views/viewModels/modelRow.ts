// A row of the Models tree: a parsed model against a board, with its size, peak heap, zone and full breakdown.
import type { BoardProfile } from '../../memory/boards';
import { type EstimateOptions, type MemoryEstimate, estimate } from '../../memory/estimate';
import { estimateModelFromHeader } from '../../memory/input';
import type { Zone } from '../../memory/zones';
import type { ModelHeader } from '../../model/modelFile';
import { summarize } from '../../model/summary';
import { breakdownMarkdown } from './breakdownMarkdown';
import { formatCount, formatKB, formatSize } from './format';
import { escapeMarkdown } from './markdown';
import { zoneStyle } from './zoneStyle';

export interface ModelRowInput {
  /** Where it is, for the tooltip: a workspace-relative path or "CIRCUITPY/models/x.safetensors". */
  location: string;
  header: ModelHeader;
  /** A legacy trio imported on the fly. */
  legacy: boolean;
  /** Label a file named otherwise than its model (story-8k-int8, a stopped run's copy) by its file name, with the
   *  model's name first in the description, so two files of one model can be told apart (the Models tree). */
  labelByFile?: boolean;
}

/** A row's text in the Models tree. */
export interface TreeRowText {
  /** "Safe · story-8k", "Test on the board · default · my-long-file-name" */
  label: string;
  /** "8,216 params · 9.6 KB · peak 88.0 KB" */
  description: string;
}

export interface ModelRow {
  label: string;
  /** "8,216 params · 9.6 KB · peak 88.0 KB · Safe" (pick lists) */
  description: string;
  /** The tree's row. VS Code cuts a row's end (label, then description) at the side bar's edge, so the zone word
   *  starts the label: it stays readable in a narrow side bar and behind any file name, before `extra` (a board's
   *  "default") and the name. Rows without a zone start with what they are ("No estimate", "Unreadable"). */
  treeRow(extra?: string): TreeRowText;
  parameters: number;
  fileBytes: number;
  /** Required heap (peak + reserve) on the board; null when no estimate. */
  peakBytes: number | null;
  zone: Zone | null;
  iconId: string;
  iconColorId: string | undefined;
  tooltipMarkdown: string;
  /** For menus: "model" or "model.legacy" (package.json matches /model/). */
  contextValue: string;
  estimate: MemoryEstimate | null;
}

/** `options` should match the gauge's (the deployed dtype) so the tree and the gauge agree. */
export function modelRow(input: ModelRowInput, board: BoardProfile, options: EstimateOptions = {}): ModelRow {
  const summary = summarize(input.header);
  const stem = input.legacy || !input.labelByFile ? summary.name : fileStem(input.location);
  const label = stem.length > 0 ? stem : summary.name;
  const named = label === summary.name ? '' : `${summary.name} · `;
  const contextValue = input.legacy ? 'model.legacy' : 'model';
  const facts = [
    `${formatCount(summary.parameterCount)} parameters · ${summary.weights} weights · ${formatSize(summary.fileBytes)} file${input.legacy ? ' (converted from the legacy trio)' : ''}`,
    `dim ${summary.config.dim} · ${summary.config.n_layers} layer(s) · ${summary.config.n_heads} head(s) · context ${summary.config.context_length} · vocabulary ${summary.config.vocab_size}`,
  ];
  const head = `**${escapeMarkdown(summary.name)}** · ${escapeMarkdown(input.location)}\n\n${escapeMarkdown(facts.join('\n'))}`;
  let result: MemoryEstimate;
  try {
    result = estimate(estimateModelFromHeader(input.header), board, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      label,
      description: `${named}${formatCount(summary.parameterCount)} params · ${formatSize(summary.fileBytes)}`,
      treeRow: (extra) => ({ label: leading('No estimate', extra, label), description: `${named}${formatCount(summary.parameterCount)} params · ${formatSize(summary.fileBytes)}` }),
      parameters: summary.parameterCount,
      fileBytes: summary.fileBytes,
      peakBytes: null,
      zone: null,
      iconId: 'question',
      iconColorId: undefined,
      tooltipMarkdown: `${head}\n\nNo memory estimate: ${escapeMarkdown(message)}`,
      contextValue,
      estimate: null,
    };
  }
  const style = zoneStyle(result.zone);
  const sizes = `${named}${formatCount(summary.parameterCount)} params · ${formatSize(result.fileBytes)} · peak ${formatKB(result.chosen.required)}`;
  return {
    label,
    description: `${sizes} · ${style.label}`,
    treeRow: (extra) => ({ label: leading(style.label, extra, label), description: sizes }),
    parameters: summary.parameterCount,
    fileBytes: result.fileBytes,
    peakBytes: result.chosen.required,
    zone: result.zone,
    iconId: style.icon,
    iconColorId: style.colorId,
    tooltipMarkdown: `${head}\n\nOn ${escapeMarkdown(board.label)}:\n\n${breakdownMarkdown(result)}`,
    contextValue,
    estimate: result,
  };
}

/** "Safe · default · story-8k": the state word, then what may be cut. */
function leading(state: string, extra: string | undefined, name: string): string {
  return [state, extra, name].filter(Boolean).join(' · ');
}

/** "models/story-8k-int8.safetensors" -> "story-8k-int8". */
function fileStem(location: string): string {
  const name = location.split(/[\\/]/).pop() ?? '';
  return name.replace(/\.safetensors$/i, '');
}

/** A model file that could not be read: the row says why instead of disappearing. */
export function unreadableModelRow(label: string, location: string, problem: string): ModelRow {
  return {
    label,
    description: 'unreadable',
    treeRow: (extra) => ({ label: leading('Unreadable', extra, label), description: '' }),
    parameters: 0,
    fileBytes: 0,
    peakBytes: null,
    zone: null,
    iconId: 'error',
    iconColorId: 'errorForeground',
    tooltipMarkdown: `**${escapeMarkdown(label)}** · ${escapeMarkdown(location)}\n\nCannot be read: ${escapeMarkdown(problem)}`,
    contextValue: 'model.unreadable',
    estimate: null,
  };
}
