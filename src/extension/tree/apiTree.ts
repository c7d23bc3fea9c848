// STUB — replaced by the tree feature.
import type * as vscode from 'vscode';
import type { ActiveApi, AuthController, EnvironmentService, RequestPanels, SpecRegistry } from '../contracts';
import type { Log } from '../log';

export interface ApiTreeDeps {
  specs: SpecRegistry;
  environments: EnvironmentService;
  auth: AuthController;
  activeApi: ActiveApi;
  panels: RequestPanels;
  log: Log;
}

export class ApiTree implements vscode.Disposable {
  constructor(readonly deps: ApiTreeDeps) {}
  dispose(): void {}
}
