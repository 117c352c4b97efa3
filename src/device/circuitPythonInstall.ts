// How to put CircuitPython on a board that does not run it yet: a Pico running MicroPython (USB 2E8A:0005) or one in
// its UF2 bootloader (BOOTSEL: an RPI-RP2 / RP2350 drive, 2E8A:0003 / 000F). The board's page on circuitpython.org
// has the .uf2; copying it onto the bootloader drive installs it (pico-facts.md). Pure.

import { runsPicoformerRuntime } from './compatibility';
import type { BoardDevice } from './types';

const Downloads = 'https://circuitpython.org/board/';

/** A board Picoformer cannot use until CircuitPython is installed on it (never the virtual Pico). */
export function needsCircuitPython(device: BoardDevice): boolean {
  return !runsPicoformerRuntime(device);
}

/** circuitpython.org's board ids for the boards Picoformer knows (usbIds.ts). */
const BoardIds: readonly (readonly [RegExp, string])[] = [
  [/pico 2 w/i, 'raspberry_pi_pico2_w'],
  [/pico 2|rp2350/i, 'raspberry_pi_pico2'],
  [/pico w/i, 'raspberry_pi_pico_w'],
];

/** The board's download page: "https://circuitpython.org/board/raspberry_pi_pico/" unless the board says otherwise. */
export function circuitPythonPage(board?: string): string {
  const id = BoardIds.find(([pattern]) => board && pattern.test(board))?.[1] ?? 'raspberry_pi_pico';
  return `${Downloads}${id}/`;
}

export interface InstallGuide {
  /** Where the .uf2 is. */
  url: string;
  /** The steps, in order, each one sentence. */
  steps: string[];
}

/** `inBootloader`: the board already shows its RPI-RP2 (or RP2350) drive. */
export function installGuide(board: string | undefined, inBootloader: boolean): InstallGuide {
  const url = circuitPythonPage(board);
  const drive = /rp2350|pico 2/i.test(board ?? '') ? 'RP2350' : 'RPI-RP2';
  const steps = [`Download the CircuitPython .uf2 for your board from ${url}${url.endsWith('/raspberry_pi_pico/') ? ' (a Pico W has its own page: raspberry_pi_pico_w)' : ''}.`];
  if (!inBootloader) steps.push(`Unplug the board, hold its BOOTSEL button while plugging it back in, then let go: a drive named ${drive} appears.`);
  steps.push(
    `Drag the .uf2 onto the ${drive} drive. The board restarts by itself with a CIRCUITPY drive (the ${drive} drive goes away).`,
    'Then run "Picoformer: Deploy Runtime to Pico" (or deploy a model, which deploys the runtime too).',
  );
  return { url, steps };
}

/** The guide as one line (a hint, a notification). */
export function installHint(board: string | undefined, inBootloader: boolean): string {
  return installGuide(board, inBootloader)
    .steps.map((s, i) => `${i + 1}. ${s}`)
    .join(' ');
}
