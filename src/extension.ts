import type * as vscode from 'vscode';
import { Services } from './extension/services';

/**
 * Builds the one object that owns everything and hands it to VS Code for disposal. The returned value is
 * the extension's exports: the in-host tests drive the services through it (other extensions should use
 * the "telenor" authentication provider instead).
 */
export function activate(context: vscode.ExtensionContext): Services & { activationMs: number } {
  const started = performance.now();
  const services = new Services(context);
  context.subscriptions.push(services);
  // How long building everything took, read by the in-host benchmark (bench/host) for the 20 ms budget.
  return Object.assign(services, { activationMs: performance.now() - started });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
