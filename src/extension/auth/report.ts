import * as vscode from 'vscode';
import type { SignOutResult } from '../../core/auth/authService';
import { describeError } from '../../core/errors';
import { signOutMessage } from './format';

/** Tell the person how a sign-out went (shared by the command, the contract method and the Accounts menu). */
export function reportSignOut(result: SignOutResult, what: string): void {
  const m = signOutMessage(result.outcome, what, result.error ? describeError(result.error) : undefined);
  if (m.level === 'warning') void vscode.window.showWarningMessage(m.text);
  else void vscode.window.showInformationMessage(m.text);
}
