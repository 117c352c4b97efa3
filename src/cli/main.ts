import pkg from '../../package.json';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

const Usage = `picoformer ${pkg.version} — tiny transformer models for the Raspberry Pi Pico

Usage: picoformer <command> [options]

Commands:
  (more commands arrive with the model, device and training work)

Options:
  -h, --help     show this help
  -v, --version  print the version
`;

/** Runs the CLI with the given arguments and returns the process exit code. */
export async function runCli(args: readonly string[], io: CliIo = stdio): Promise<number> {
  const [first] = args;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.out(Usage);
    return 0;
  }
  if (first === '-v' || first === '--version') {
    io.out(`${pkg.version}\n`);
    return 0;
  }
  io.err(`picoformer: unknown command "${first}"\n\n${Usage}`);
  return 2;
}
