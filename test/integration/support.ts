// Shared helpers for the integration suites (they run inside the extension host, with the real `vscode` API).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PicoformerApi } from '../../src/extension';

export const ExtensionId = 'picoformer.picoformer';

export interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}

/** The extension under test, activated. */
export async function activeExtension(): Promise<vscode.Extension<PicoformerApi>> {
  const ext = vscode.extensions.getExtension<PicoformerApi>(ExtensionId);
  assert.ok(ext, `extension ${ExtensionId} is not loaded in this host`);
  await ext.activate();
  return ext;
}

/** The commands the extension's package.json contributes (never empty, or the checks built on it mean nothing). */
export function manifestCommands(ext: vscode.Extension<unknown>): ManifestCommand[] {
  const commands = (ext.packageJSON as { contributes?: { commands?: ManifestCommand[] } }).contributes?.commands;
  assert.ok(Array.isArray(commands) && commands.length > 0, 'package.json contributes no commands');
  return commands;
}

export function delay(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms));
}

/**
 * Runs a command that may show a notification or a quick pick, and returns its result. A message's promise settles
 * only when the message is dismissed, so until the command settles this keeps dismissing notifications and quick
 * inputs; it fails if the command has not settled within `timeoutMs`.
 */
export async function executeAndDismiss(id: string, timeoutMs = 10_000): Promise<unknown> {
  const running = Promise.resolve(vscode.commands.executeCommand(id));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await Promise.race([running.then((value) => ({ value })), delay(250)]);
    if (outcome !== 'timeout') return outcome.value;
    if (Date.now() > deadline) assert.fail(`${id} did not finish within ${timeoutMs / 1000} s, even with its notifications dismissed`);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
}
