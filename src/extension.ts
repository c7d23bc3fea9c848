import type * as vscode from 'vscode';

// Placeholder: the real activate() arrives with the explorer (see docs/architecture.md).
export function activate(_context: vscode.ExtensionContext): void {}

export function deactivate(): void {}
