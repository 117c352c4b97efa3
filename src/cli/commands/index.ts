// The command table: add a command by writing commands/<name>.ts and listing it here.
import type { CliCommand } from '../command';
import { deployCommandDefault } from './deploy';
import { devicesCommandDefault } from './devices';
import { estimateCommand } from './estimate';
import { generateCommand } from './generate';
import { importCommand } from './import';
import { info } from './info';
import { quantizeCommand } from './quantize';
import { trainCommand } from './train';
import { corpusCommand } from './corpus';
import { runCommandDefault } from './run';
import { simCommandDefault } from './sim';

export const commands: readonly CliCommand[] = [
  info,
  importCommand,
  quantizeCommand,
  generateCommand,
  estimateCommand,
  devicesCommandDefault,
  deployCommandDefault,
  simCommandDefault,
  runCommandDefault,
  trainCommand,
  corpusCommand,
];
