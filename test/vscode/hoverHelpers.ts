/**
 * Shared by the hover, snippet and docs suites: files of the copied test workspace, and a suite-wide
 * sandbox with the built-in APIs loaded (and in the hover's index) before any test runs.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RunningSandbox } from '../../src/sandbox/index';
import { eventually, sandbox, services, useSandbox } from './helpers';

export function workspaceFile(...parts: string[]): vscode.Uri {
  const root = process.env['TAE_WORKSPACE'];
  assert.ok(root, 'TAE_WORKSPACE is not set');
  return vscode.Uri.file(join(root, ...parts));
}

/** Waits until the extension has loaded the sandbox's five APIs and indexed them for the hover. */
export async function builtinApisLoaded(): Promise<void> {
  const s = await services();
  await s.specs.whenSettled();
  await eventually('the built-in APIs in the hover index', () => !s.hover.operationIndex.isEmpty && s.specs.apis().length >= 5, 30_000);
}

/**
 * Registers hooks in the calling `describe`: a sandbox the extension points at, the built-in APIs loaded.
 * Returns a getter for the running sandbox (set once `before` has run).
 */
export function sandboxWithApis(): () => RunningSandbox {
  let sb: RunningSandbox | undefined;
  before(async () => {
    sb = await sandbox();
    await useSandbox(sb.url);
    await builtinApisLoaded();
  });
  after(async () => {
    await sb?.close();
  });
  return () => {
    assert.ok(sb, 'the sandbox has not started');
    return sb;
  };
}
