import type * as vscode from 'vscode';
import { Services } from './extension/services';

/**
 * Builds the one object that owns everything and hands it to VS Code for disposal. The returned value is
 * the extension's exports: the in-host tests drive the services through it (other extensions should use
 * the "telenor" authentication provider instead).
 */
export function activate(context: vscode.ExtensionContext): Services {
  const services = new Services(context);
  context.subscriptions.push(services);
  return services;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
