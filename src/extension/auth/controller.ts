// STUB — replaced by the auth feature.
import * as vscode from 'vscode';
import { TelenorError } from '../../core/errors';
import type { EnvironmentId, TokenExchangeRecord } from '../../core/auth/types';
import type { ProfileDecision } from '../../core/auth/profiles';
import type { AuthHeaderProvider } from '../../core/http/types';
import type { ApiSummary } from '../../core/spec/types';
import type { Redactor } from '../../core/util/redact';
import type { ActiveApi, AuthController, SpecRegistry, TokenStatus } from '../contracts';
import type { CredentialStore } from '../credentials/store';
import type { Environments } from '../environment/environments';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import type { Settings } from '../settings';

export interface AuthControllerDeps {
  lazy: LazyModules;
  credentials: CredentialStore;
  environments: Environments;
  settings: Settings;
  specs: SpecRegistry;
  activeApi: ActiveApi;
  redactor: Redactor;
  log: Log;
}

export class AuthControllerImpl implements AuthController, vscode.Disposable {
  private readonly tokenEmitter = new vscode.EventEmitter<void>();
  private readonly exchangeEmitter = new vscode.EventEmitter<TokenExchangeRecord>();
  readonly onDidChangeToken = this.tokenEmitter.event;
  readonly onDidExchange = this.exchangeEmitter.event;
  constructor(readonly deps: AuthControllerDeps) {}
  async profileFor(_api: ApiSummary, _environment?: EnvironmentId): Promise<ProfileDecision> {
    throw new TelenorError('internal', 'Not implemented yet.');
  }
  async headerProvider(_api: ApiSummary, _environment?: EnvironmentId): Promise<AuthHeaderProvider | undefined> {
    return undefined;
  }
  tokenStatus(_api: ApiSummary, _environment?: EnvironmentId): TokenStatus | undefined {
    return undefined;
  }
  async signIn(_api: ApiSummary, _environment?: EnvironmentId): Promise<void> {}
  async signOut(_api: ApiSummary, _environment?: EnvironmentId): Promise<void> {}
  dispose(): void {
    this.tokenEmitter.dispose();
    this.exchangeEmitter.dispose();
  }
}
