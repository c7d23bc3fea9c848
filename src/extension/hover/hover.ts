// STUB — replaced by the hover feature.
import type * as vscode from 'vscode';
import type { RequestPanels, SpecRegistry } from '../contracts';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import type { Settings } from '../settings';

export interface HoverDeps {
  specs: SpecRegistry;
  panels: RequestPanels;
  lazy: LazyModules;
  settings: Settings;
  log: Log;
}

export class HoverFeature implements vscode.Disposable {
  constructor(readonly deps: HoverDeps) {}
  dispose(): void {}
}
