import * as vscode from 'vscode';
import type { ApiSummary } from '../core/spec/types';
import type { ActiveApi } from './contracts';

export class ActiveApiTracker implements ActiveApi, vscode.Disposable {
  private api: ApiSummary | undefined;
  private readonly emitter = new vscode.EventEmitter<ApiSummary | undefined>();
  readonly onDidChange = this.emitter.event;

  get current(): ApiSummary | undefined {
    return this.api;
  }

  set(api: ApiSummary | undefined): void {
    if (api?.id === this.api?.id) return;
    this.api = api;
    this.emitter.fire(api);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
