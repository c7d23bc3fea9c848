// STUB — replaced by the environments feature.
import type * as vscode from 'vscode';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import type { Settings } from '../settings';

export interface SandboxControllerDeps {
  lazy: LazyModules;
  settings: Settings;
  log: Log;
}

export class SandboxController implements vscode.Disposable {
  constructor(readonly deps: SandboxControllerDeps) {}
  dispose(): void {}
}
