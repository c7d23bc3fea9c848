// STUB — replaced by the environments feature.
import * as vscode from 'vscode';
import { TelenorError } from '../../core/errors';
import type { EnvironmentId } from '../../core/auth/types';
import type { ApiSummary } from '../../core/spec/types';
import type { EnvironmentService } from '../contracts';
import type { Log } from '../log';
import type { RegionUrls, Settings } from '../settings';
import type { SandboxController } from './sandboxController';

export interface EnvironmentsDeps {
  settings: Settings;
  sandbox: SandboxController;
  log: Log;
}

export class Environments implements EnvironmentService, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<EnvironmentId>();
  readonly onDidChange = this.emitter.event;
  constructor(readonly deps: EnvironmentsDeps) {}
  get current(): EnvironmentId {
    return this.deps.settings.current.environment;
  }
  async switchTo(_environment: EnvironmentId): Promise<void> {}
  async baseUrls(_environment?: EnvironmentId): Promise<RegionUrls> {
    return {};
  }
  async serverUrl(_api: ApiSummary, _environment?: EnvironmentId): Promise<string> {
    throw new TelenorError('internal', 'Not implemented yet.');
  }
  dispose(): void {
    this.emitter.dispose();
  }
}
