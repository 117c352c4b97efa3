// Console transcripts of a Raspberry Pi Pico running CircuitPython 9.2.8 and the Picoformer runtime, as the board
// sends them (CRLF line ends, the window-title escape sequences, the supervisor's messages). Reconstructed from
// CircuitPython's supervisor (main.c, pyexec.c) and the runtime's protocol (docs/protocol.md), not captured from
// hardware: no board was available when they were written. Replace them with captures when one is.

export const TITLE_CODE = '\x1b]0;\u{1F40D}code.py | 9.2.8\x1b\\';
export const TITLE_DONE = '\x1b]0;\u{1F40D}Done | 9.2.8\x1b\\';
export const TITLE_REPL = '\x1b]0;\u{1F40D}REPL | 9.2.8\x1b\\';
export const BANNER = 'Adafruit CircuitPython 9.2.8 on 2025-05-28; Raspberry Pi Pico with rp2040';

export const READY_HUMAN =
  '@pf {"ev": "ready", "runtime": "picoformer", "version": "0.1.0", "protocol": 1, "impl": "circuitpython", "impl_version": "9.2.8", "machine": "Raspberry Pi Pico with rp2040", "ulab": true, "mem_free": 121664, "mem_alloc": 38016, "heap_limit": null, "models_dir": "/models", "host": false}\r\n';

/** From Ctrl-D at the REPL until the runtime is up (human mode). */
export const SOFT_REBOOT_TO_RUNTIME =
  '\r\nsoft reboot\r\n' +
  '\r\nAuto-reload is on. Simply save files over USB to run them or enter REPL to disable.\r\n' +
  `${TITLE_CODE}code.py output:\r\n` +
  READY_HUMAN +
  'Picoformer 0.1.0 on circuitpython 9.2.8. Free heap 118.8 KB.\r\n' +
  '  story-1k.safetensors    1240 params I8    fits resident\r\n' +
  'Loading story-1k.safetensors (resident)... done in 412 ms. Type a prompt (/help for commands).\r\n';

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
export const CTRL_C_WHILE_IDLE =
  'Traceback (most recent call last):\r\n' +
  '  File "code.py", line 4, in <module>\r\n' +
  '  File "/lib/picoformer/app.py", line 388, in main\r\n' +
  'KeyboardInterrupt: \r\n' +
  `${TITLE_DONE}\r\nCode done running.\r\n` +
  '\r\nPress any key to enter the REPL. Use CTRL-D to reload.\r\n';

/** The key pressed at "Press any key", up to the prompt. */
export const ENTER_REPL = `${TITLE_REPL}\r\n${BANNER}\r\n>>> `;

/** Ctrl-A at the prompt. */
export const RAW_REPL_ENTER = '\r\nraw REPL; CTRL-B to exit\r\n>';

/** The raw REPL's answer to "print(1+1)\x04". */
export const RAW_REPL_PRINT_2 = 'OK2\r\n\x04\x04>';

/** The raw REPL's answer to code that raises. */
export const RAW_REPL_NAME_ERROR =
  'OK\x04Traceback (most recent call last):\r\n  File "<stdin>", line 1, in <module>\r\nNameError: name \'nope\' isn\'t defined\r\n\x04>';

/** Ctrl-B in the raw REPL. */
export const RAW_REPL_EXIT = `\r\n${BANNER}\r\n>>> `;

/** A file saved on the drive while code.py runs. */
export const AUTO_RELOAD = '\r\nCode stopped by auto-reload. Reloading soon.\r\n';
