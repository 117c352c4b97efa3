// `picoformer <command> [options]`: finds the command in the table and turns every failure into a message + exit code.
import pkg from '../../package.json';
import { ModelFormatError } from '../model/errors';
import { type CliCommand, type CliIo, UsageError } from './command';
import { commands } from './commands/index';
import { printableIo } from './printable';

export type { CliIo } from './command';

const stdio: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `picoformer ${pkg.version} — tiny transformer models for the Raspberry Pi Pico

Usage: picoformer <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     show this help (picoformer <command> --help: that command's)
  -v, --version  print the version
`;
}

/** Runs the CLI with the given arguments and returns the process exit code. */
export async function runCli(args: readonly string[], io: CliIo = stdio): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === '-h' || first === '--help') {
    io.out(usage());
    return 0;
  }
  if (first === '-v' || first === '--version') {
    io.out(`${pkg.version}\n`);
    return 0;
  }
  if (first === 'help') {
    const command = rest[0] === undefined ? undefined : find(rest[0]);
    io.out(command?.usage ?? usage());
    return 0;
  }
  const command = find(first);
  if (command === undefined) {
    printableIo(io).err(`picoformer: unknown command "${first}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.out(command.usage);
    return 0;
  }
  const shown = command.rawTerminal ? io : printableIo(io);
  try {
    return await command.run(rest, shown);
  } catch (err) {
    return report(command, err, printableIo(io));
  }
}

function find(name: string): CliCommand | undefined {
  return commands.find((c) => c.name === name);
}

function report(command: CliCommand, err: unknown, io: CliIo): number {
  const prefix = `picoformer ${command.name}`;
  if (err instanceof UsageError) {
    io.err(`${prefix}: ${err.message}\n\n${command.usage}`);
    return 2;
  }
  if (err instanceof ModelFormatError) {
    io.err(`${prefix}: ${err.message} [${err.code}]\n`);
    return 1;
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const path = (err as NodeJS.ErrnoException | undefined)?.path;
  if (typeof code === 'string' && path !== undefined) {
    const why: Record<string, string> = { ENOENT: 'no such file or folder', EACCES: 'permission denied', EISDIR: 'it is a folder', ENOTDIR: 'not a folder' };
    io.err(`${prefix}: cannot use ${path}: ${why[code] ?? code}\n`);
    return 1;
  }
  io.err(`${prefix}: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}
