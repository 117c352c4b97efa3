// Helpers for the virtual Pico tests: temporary drive folders, the board runtime copied onto one with a small
// generated model, and a console reader that waits for text.

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeConfig } from '../../src/model/config';
import { writeModel } from '../../src/model/modelFile';
import { convertModel } from '../../src/model/quantize';
import { randomModel } from '../../src/model/random';
import { AnsiStripper } from '../../src/device/protocol/ansi';
import { ExpectBuffer } from '../../src/device/serial/expect';
import type { Disposable, Transport } from '../../src/device/transport';

const REPO = join(__dirname, '..', '..');

export const SIM_MODEL = 'tiny-i8.safetensors';

/** A temporary drive folder holding `files` (paths relative, with /). */
export function makeDrive(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'vpico-drive-'));
  for (const [path, content] of Object.entries(files)) writeDriveFile(dir, path, content);
  return dir;
}

export function writeDriveFile(dir: string, path: string, content: string | Uint8Array): void {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
}

export function removeDrive(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A ~1.7K-parameter int8 model with a long context and no EOS, so generations run as long as asked. */
export function tinyModelBytes(seed = 7): Uint8Array {
  const config = makeConfig({ vocab_size: 48, dim: 8, hidden_dim: 24, n_layers: 1, n_heads: 2, context_length: 256, eos_id: null });
  return writeModel(convertModel(randomModel(config, seed), 'I8'));
}

/** A drive with the board runtime (board/code.py, board/lib) and one small model in /models. */
export function runtimeDrive(): string {
  const dir = makeDrive();
  cpSync(join(REPO, 'board', 'code.py'), join(dir, 'code.py'));
  cpSync(join(REPO, 'board', 'lib'), join(dir, 'lib'), { recursive: true });
  writeDriveFile(dir, `models/${SIM_MODEL}`, tinyModelBytes());
  return dir;
}

/** Reads a transport's console as plain text and waits for strings in it. */
export class ConsoleReader {
  readonly expect = new ExpectBuffer();
  private readonly stripper = new AnsiStripper();
  private readonly decoder = new TextDecoder();
  private readonly subscription: Disposable;
  all = '';

  constructor(transport: Transport) {
    this.subscription = transport.onData((bytes) => {
      const text = this.stripper.push(this.decoder.decode(bytes, { stream: true }));
      this.all += text;
      this.expect.append(text);
    });
  }

  /** Resolves with the text before `pattern` (consumed through it). */
  async waitFor(pattern: string, ms = 10_000): Promise<string> {
    return (await this.expect.waitFor(pattern, ms)).before;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
