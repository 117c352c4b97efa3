// The lines CircuitPython's supervisor prints around code.py and the REPL (CircuitPython 9.x main.c, pyexec.c),
// recognised by the console parser and reproduced by the virtual Pico. Each is printed on a line of its own.

export const BOARD_TEXT = {
  autoReloadOn: 'Auto-reload is on. Simply save files over USB to run them or enter REPL to disable.',
  autoReloadOff: 'Auto-reload is off.',
  codeDone: 'Code done running.',
  pressAnyKey: 'Press any key to enter the REPL. Use CTRL-D to reload.',
  softReboot: 'soft reboot',
  autoReloadStopped: 'Code stopped by auto-reload. Reloading soon.',
  rawReplBanner: 'raw REPL; CTRL-B to exit',
  tracebackStart: 'Traceback (most recent call last):',
  replPrompt: '>>> ',
} as const;

export type BoardMessageKind =
  | 'auto-reload-on'
  | 'auto-reload-off'
  | 'code-output' // "code.py output:" (also main.py, code.txt, ...): code is about to run
  | 'code-done'
  | 'press-any-key'
  | 'soft-reboot'
  | 'auto-reload-stopped'
  | 'raw-repl'
  | 'banner' // "Adafruit CircuitPython 9.2.8 on 2025-05-28; Raspberry Pi Pico with rp2040" (or MicroPython's): the REPL is starting
  | 'safe-mode';

export interface BoardMessage {
  kind: BoardMessageKind;
  /** For banner: the CircuitPython (or MicroPython) version. */
  version?: string;
  /** For banner: "Raspberry Pi Pico with rp2040". */
  board?: string;
  /** For code-output: the file about to run. */
  file?: string;
}

const BANNER = /^(?:Adafruit CircuitPython|MicroPython) v?(\S+) on \S+; (.+)$/;
const CODE_OUTPUT = /^((?:code|main)\.(?:py|txt)) output:$/;

/** What a console line says about the board's state, if anything. */
export function recogniseBoardLine(line: string): BoardMessage | undefined {
  const text = line.trim();
  switch (text) {
    case BOARD_TEXT.autoReloadOn:
      return { kind: 'auto-reload-on' };
    case BOARD_TEXT.autoReloadOff:
      return { kind: 'auto-reload-off' };
    case BOARD_TEXT.codeDone:
      return { kind: 'code-done' };
    case BOARD_TEXT.pressAnyKey:
      return { kind: 'press-any-key' };
    case BOARD_TEXT.softReboot:
      return { kind: 'soft-reboot' };
    case BOARD_TEXT.autoReloadStopped:
      return { kind: 'auto-reload-stopped' };
    case BOARD_TEXT.rawReplBanner:
      return { kind: 'raw-repl' };
  }
  const banner = BANNER.exec(text);
  if (banner) return { kind: 'banner', version: banner[1], board: banner[2] };
  const output = CODE_OUTPUT.exec(text);
  if (output) return { kind: 'code-output', file: output[1] };
  if (/^You are in safe mode/.test(text)) return { kind: 'safe-mode' };
  return undefined;
}
