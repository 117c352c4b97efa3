// The raw REPL, as mpremote drives it (CircuitPython and MicroPython alike):
//   host: \r\x03 (and another \x03)   interrupt whatever runs        board: ... "Press any key" or ">>> "
//   host: \r\x01                      enter the raw REPL             board: "raw REPL; CTRL-B to exit\r\n>"
//   host: <code> \x04                 run it                         board: "OK" <stdout> \x04 <traceback> \x04 ">"
//   host: \x02                        back to the friendly REPL      board: banner, ">>> "
//   host: \x04                        soft reboot: code.py runs again
// RawReplResponse parses the board's answer to one "<code> \x04", fed in any chunking.

export const CTRL_A = '\x01'; // enter raw REPL
export const CTRL_B = '\x02'; // leave raw REPL
export const CTRL_C = '\x03'; // interrupt
export const CTRL_D = '\x04'; // end of code / soft reboot
export const RAW_REPL_BANNER = 'raw REPL; CTRL-B to exit\r\n>';
const END = '\x04';

export type RawReplPhase = 'ok' | 'stdout' | 'stderr' | 'prompt' | 'done' | 'failed';

/** More than this before "OK" means the board is not answering as a raw REPL does. */
const MAX_BEFORE_OK = 512;

export class RawReplResponse {
  phase: RawReplPhase = 'ok';
  stdout = '';
  stderr = '';
  /** Why the exchange failed (phase 'failed'). */
  failure: string | undefined;
  private pending = '';

  /** Consumes board output; returns what came after the final ">" (belongs to whatever follows). */
  feed(text: string): string {
    this.pending += text;
    for (;;) {
      switch (this.phase) {
        case 'ok': {
          const at = this.pending.indexOf('OK');
          if (at < 0) {
            if (this.pending.includes('raw REPL; CTRL-B to exit') || this.pending.length > MAX_BEFORE_OK) {
              return this.fail(`the board did not accept the code (it answered ${JSON.stringify(this.pending.slice(0, 80))})`);
            }
            return '';
          }
          this.pending = this.pending.slice(at + 2);
          this.phase = 'stdout';
          break;
        }
        case 'stdout':
        case 'stderr': {
          const at = this.pending.indexOf(END);
          if (at < 0) {
            // Keep output flowing into the result as it arrives.
            if (this.phase === 'stdout') this.stdout += this.pending;
            else this.stderr += this.pending;
            this.pending = '';
            return '';
          }
          if (this.phase === 'stdout') this.stdout += this.pending.slice(0, at);
          else this.stderr += this.pending.slice(0, at);
          this.pending = this.pending.slice(at + 1);
          this.phase = this.phase === 'stdout' ? 'stderr' : 'prompt';
          break;
        }
        case 'prompt': {
          const at = this.pending.indexOf('>');
          if (at < 0) return '';
          const rest = this.pending.slice(at + 1);
          this.pending = '';
          this.phase = 'done';
          return rest;
        }
        case 'done':
        case 'failed': {
          const rest = this.pending;
          this.pending = '';
          return rest;
        }
      }
    }
  }

  get complete(): boolean {
    return this.phase === 'done' || this.phase === 'failed';
  }

  private fail(reason: string): string {
    this.phase = 'failed';
    this.failure = reason;
    this.pending = '';
    return '';
  }
}
