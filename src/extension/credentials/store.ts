// STUB — replaced by the credentials feature.
import type * as vscode from 'vscode';
import type { Redactor } from '../../core/util/redact';
import type { Log } from '../log';

export interface CredentialStoreDeps {
  secrets: vscode.SecretStorage;
  redactor: Redactor;
  log: Log;
}

export class CredentialStore implements vscode.Disposable {
  constructor(readonly deps: CredentialStoreDeps) {}
  dispose(): void {}
}
