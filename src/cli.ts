// The `picoformer` command line: argument parsing and output only; the work is done by the shared modules.
import { runCli } from './cli/main';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`picoformer: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
