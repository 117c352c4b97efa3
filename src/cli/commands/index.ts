// The command table: add a command by writing commands/<name>.ts and listing it here.
import type { CliCommand } from '../command';
import { estimateCommand } from './estimate';
import { generateCommand } from './generate';
import { importCommand } from './import';
import { info } from './info';
import { quantizeCommand } from './quantize';

export const commands: readonly CliCommand[] = [info, importCommand, quantizeCommand, generateCommand, estimateCommand];
