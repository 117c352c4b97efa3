// Console transcripts of a Raspberry Pi Pico running CircuitPython 9.2.8 and the Picoformer runtime, as the board
// sends them (CRLF line ends, window-title and line-clearing escape sequences, the supervisor's messages).
// Captured from the official firmware on the emulated Pico by scripts/capture-transcripts.ts into
// firmwareTranscripts.json (rerun it when the runtime's console output changes); only AUTO_RELOAD is still
// reconstructed from CircuitPython's supervisor (main.c): the emulator has no USB drive, so nothing can trigger it.

import captured from './firmwareTranscripts.json';

export const TITLE_CODE = '\x1b]0;\u{1F40D}code.py | 9.2.8\x1b\\';
export const TITLE_DONE = '\x1b]0;\u{1F40D}Done | 9.2.8\x1b\\';
export const TITLE_REPL = '\x1b]0;\u{1F40D}REPL | 9.2.8\x1b\\';
export const BANNER = 'Adafruit CircuitPython 9.2.8 on 2025-05-28; Raspberry Pi Pico with rp2040';

/** Power-on until the runtime is up with its default model (human mode). The USB console connects after the
 *  supervisor's first lines, so a host sees it start at the window title. */
export const BOOT_TO_RUNTIME: string = captured.boot;

/** The runtime's ready event line in human mode. */
export const READY_HUMAN: string = `${/@pf \{[^\r\n]*\}\r\n/.exec(captured.boot)?.[0]}`;

/** From Ctrl-D at the REPL until the runtime is up (human mode). */
export const SOFT_REBOOT_TO_RUNTIME: string = captured.softRebootToRuntime;

/** Ctrl-D at the REPL of a board with no code.py: the supervisor has nothing to run. */
export const SOFT_REBOOT_NO_CODE =
  '\r\nsoft reboot\r\n' +
  '\r\nAuto-reload is on. Simply save files over USB to run them or enter REPL to disable.\r\n' +
  `${TITLE_DONE}\r\nCode done running.\r\n` +
  '\r\nPress any key to enter the REPL. Use CTRL-D to reload.\r\n';

/** Ctrl-D at the REPL of a board whose code.py raises before the runtime starts (its library is missing). */
export const SOFT_REBOOT_CODE_RAISES =
  '\r\nsoft reboot\r\n' +
  '\r\nAuto-reload is on. Simply save files over USB to run them or enter REPL to disable.\r\n' +
  `${TITLE_CODE}code.py output:\r\n` +
  'Traceback (most recent call last):\r\n' +
  '  File "code.py", line 3, in <module>\r\n' +
  "ImportError: no module named 'picoformer'\r\n" +
  `${TITLE_DONE}\r\nCode done running.\r\n` +
  '\r\nPress any key to enter the REPL. Use CTRL-D to reload.\r\n';

/** Enter on a line the REPL cannot parse (an "@pf" command typed at the REPL, ended by an empty line). */
export const REPL_SYNTAX_ERROR = 'Traceback (most recent call last):\r\n  File "<stdin>", line 1\r\nSyntaxError: invalid syntax\r\n';

/** Ctrl-C while the runtime is idle: KeyboardInterrupt ends code.py. */
export const CTRL_C_WHILE_IDLE: string = captured.ctrlCWhileIdle;

/** The key pressed at "Press any key", up to the prompt. */
export const ENTER_REPL: string = captured.enterRepl;

/** Ctrl-A at the prompt. */
export const RAW_REPL_ENTER: string = captured.rawReplEnter;

/** The raw REPL's answer to "print(1+1)\x04". */
export const RAW_REPL_PRINT_2: string = captured.rawReplPrint2;

/** The raw REPL's answer to code that raises ("nope\x04"). */
export const RAW_REPL_NAME_ERROR: string = captured.rawReplNameError;

/** Ctrl-B in the raw REPL. */
export const RAW_REPL_EXIT: string = captured.rawReplExit;

/** A file saved on the drive while code.py runs (reconstructed, see above). */
export const AUTO_RELOAD = '\r\nCode stopped by auto-reload. Reloading soon.\r\n';
