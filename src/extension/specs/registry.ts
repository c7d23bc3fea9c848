// STUB — replaced by the specs feature.
import * as vscode from 'vscode';
import type { SpecCatalog } from '../../core/spec/catalog';
import type { ApiIndex, OperationInfo } from '../../core/spec/types';
import type { SpecEntry, SpecRegistry } from '../contracts';
import type { Log } from '../log';
import type { Settings } from '../settings';

export interface SpecRegistryDeps {
  catalog: SpecCatalog;
  settings: Settings;
  /** Remembers the files and URLs the person added. */
  state: vscode.Memento;
  /** Folder of the built-in specs (dist/specs). */
  builtinDir: string;
  log: Log;
}

export class SpecRegistryImpl implements SpecRegistry, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  readonly catalog: SpecCatalog;
  constructor(readonly deps: SpecRegistryDeps) {
    this.catalog = deps.catalog;
  }
  entries(): readonly SpecEntry[] {
    return [];
  }
  apis(): readonly ApiIndex[] {
    return [];
  }
  api(_apiId: string): ApiIndex | undefined {
    return undefined;
  }
  operation(_apiId: string, _operationId: string): OperationInfo | undefined {
    return undefined;
  }
  async whenSettled(): Promise<void> {}
  dispose(): void {
    this.emitter.dispose();
  }
}
