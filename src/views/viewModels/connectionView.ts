// What the status bar's connection item shows (beside the memory gauge): which board the extension talks to and
// whether it is connected; a click picks a board or a port. Pure: the item (connectionItem.ts) only draws it.
import { escapeIcons, escapeMarkdown, markdownTable } from './markdown';
import { formatKB } from './format';

export type ConnectionStateView = 'none' | 'idle' | 'connecting' | 'connected' | 'disconnected';

export interface ConnectionInput {
  /** The chosen board: "Virtual Pico", "Raspberry Pi Pico on /dev/ttyACM0"; undefined when none is chosen. */
  board?: { label: string; virtual: boolean };
  state: ConnectionStateView;
  /** The virtual Pico's machine is running (its state, when it is the chosen board and no session is open yet). */
  virtualRunning: boolean;
  /** What the runtime said about itself (its `ready`), when connected. */
  runtime?: { version: string; impl: string; impl_version: string };
  /** The board's last reported free heap, in bytes. */
  freeHeap?: number;
  /** Physical boards detected (with a console), to say so when none is chosen. */
  boardsFound: number;
  command: string;
}

export interface ConnectionView {
  text: string;
  tooltipMarkdown: string;
  ariaLabel: string;
  command: string;
}

const Words: Record<ConnectionStateView, string> = {
  none: 'no board chosen',
  idle: 'not connected',
  connecting: 'connecting',
  connected: 'connected',
  disconnected: 'disconnected',
};

export function connectionView(input: ConnectionInput): ConnectionView {
  const { board, state } = input;
  const pick = 'Click to pick a board, a serial port or the virtual Pico.';
  if (!board || state === 'none') {
    const found = input.boardsFound === 1 ? '1 board found' : `${input.boardsFound} boards found`;
    const text = input.boardsFound > 0 ? `$(plug) Pico: ${found}` : '$(plug) No board';
    const why = 'No board chosen: generation runs on this computer (the TypeScript reference).';
    return { text, tooltipMarkdown: `${why}\n\n${pick}`, ariaLabel: `Picoformer board: none chosen, ${found}. ${pick}`, command: input.command };
  }
  // A running virtual Pico that no session talks to yet is "running": it connects on first use.
  const word = board.virtual && state === 'idle' ? (input.virtualRunning ? 'running' : 'stopped') : Words[state];
  const icon = state === 'connecting' ? 'sync~spin' : state === 'connected' ? (board.virtual ? 'vm-active' : 'circuit-board') : state === 'disconnected' || word === 'stopped' ? 'debug-disconnect' : board.virtual ? 'vm' : 'circuit-board';
  const rows: [string, string][] = [
    ['Board', board.label + (board.virtual ? ' (simulated on this computer)' : '')],
    ['Connection', word],
  ];
  if (input.runtime) rows.push(['Runtime', `Picoformer ${input.runtime.version} on ${input.runtime.impl} ${input.runtime.impl_version}`]);
  if (input.freeHeap !== undefined) rows.push(['Free heap', formatKB(input.freeHeap)]);
  return {
    text: `$(${icon}) ${escapeIcons(board.label)}: ${word}`,
    tooltipMarkdown: `**${escapeMarkdown(board.label)}**\n\n${markdownTable(['', ''], rows)}\n\n${pick}`,
    ariaLabel: `Picoformer board: ${board.label}, ${word}. ${pick}`,
    command: input.command,
  };
}
