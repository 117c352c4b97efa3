// Helpers for the suites that drive Picoformer's own commands and views: the extension's API, the sample
// workspace, temporary folders, and waiting for asynchronous view updates.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { PicoformerApi } from '../../src/extension';
import { activeExtension } from './support';

export async function picoformer(): Promise<{ api: PicoformerApi; extensionPath: string }> {
  const ext = await activeExtension();
  assert.ok(ext.exports?.services, 'activate() should return the services');
  return { api: ext.exports, extensionPath: ext.extensionPath };
}

/** The sample workspace's models folder (a temporary copy made by the harness). */
export function sampleModels(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the integration suite runs with the sample workspace open');
  return join(folder.uri.fsPath, 'models');
}

export function sampleModel(name: string): string {
  return join(sampleModels(), `${name}.safetensors`);
}

/** The project's shared folder (legacy anchors): PICOFORMER_SHARED, else beside the repository. */
export function sharedDir(extensionPath: string): string {
  return process.env.PICOFORMER_SHARED ? resolve(process.env.PICOFORMER_SHARED) : resolve(extensionPath, '..', 'shared');
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `picoformer-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls `probe` until it returns a value other than undefined (view updates and file watchers are asynchronous). */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Restores a picoformer.* setting to what it was (call in `after`). */
export async function resetSetting(key: string): Promise<void> {
  await vscode.workspace.getConfiguration('picoformer').update(key, undefined, vscode.ConfigurationTarget.Workspace);
}
