// STUB — replaced by the request panel feature.
import type * as vscode from 'vscode';
import type { Redactor } from '../../core/util/redact';
import type { ActiveApi, AuthController, EnvironmentService, OperationTarget, RequestPanels, SpecRegistry } from '../contracts';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import type { Settings } from '../settings';

export interface RequestPanelDeps {
  context: vscode.ExtensionContext;
  lazy: LazyModules;
  specs: SpecRegistry;
  environments: EnvironmentService;
  auth: AuthController;
  activeApi: ActiveApi;
  settings: Settings;
  redactor: Redactor;
  log: Log;
}

export class RequestPanelManager implements RequestPanels, vscode.Disposable {
  constructor(readonly deps: RequestPanelDeps) {}
  async open(_target: OperationTarget): Promise<void> {}
  dispose(): void {}
}
