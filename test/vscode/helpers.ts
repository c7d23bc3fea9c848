/**
 * Shared helpers for in-host tests: the extension's services (its exports), a sandbox per suite, and
 * polling for asynchronous UI state. No mutable module state: each suite gets its own sandbox.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/extension/services';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index';

export const EXTENSION_ID = 'telenor-devtools.telenor-api-explorer';

/** Activates the extension (once per host) and returns its services. */
export async function services(): Promise<Services> {
  const ext = vscode.extensions.getExtension<Services>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
  return ext.activate();
}

/** A sandbox for one suite: call in `before`, close in `after`. Rate limits off unless asked. */
export function sandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ port: 0, rateLimit: false, ...options });
}

/** Points the extension at `url` as its sandbox and selects the sandbox environment. */
export async function useSandbox(url: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('telenor');
  await config.update('sandbox.url', url, vscode.ConfigurationTarget.Global);
  await config.update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
}

/** Polls `probe` until it returns a value other than undefined/false, or fails with `what`. */
export async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
