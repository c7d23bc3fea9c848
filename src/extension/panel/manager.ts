/**
 * The request panels: one per operation (reopening reveals it), restored after a reload by the webview
 * serializer, and the commands that act on them (send, cancel, copy as curl, open the response, history).
 *
 * Commands take plain arguments `{apiId, operationId, environment?, values?}` so other features and tests
 * can drive them without imports; without arguments they act on the active (or last active) panel.
 */
import * as vscode from 'vscode';
import type { Dispatcher } from 'undici';
import type { Engine } from '../../core/engine';
import type { EnvironmentId } from '../../core/auth/types';
import { TelenorError } from '../../core/errors';
import type { Redactor } from '../../core/util/redact';
import { PANEL_VIEW_TYPE, parsePanelState, type FormValues, type SendOutcome } from '../../protocol';
import type { CommandTable } from '../commands';
import type { ActiveApi, AuthController, EnvironmentService, OperationTarget, RequestPanels, SpecRegistry } from '../contracts';
import type { LazyModules } from '../lazy';
import type { Log } from '../log';
import type { Settings } from '../settings';
import { formFromValues, pickMediaType } from './form';
import { HistoryStore, historyKey } from './history';
import { RequestPanel, type CopyOutcome, type PanelHost } from './panel';

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

/** A command's target, as other features and tests pass it. */
export interface PanelCommandArgs extends OperationTarget {
  environment?: EnvironmentId;
}

const CONTEXT_FOCUSED = 'telenor.requestPanelFocused';
const CONTEXT_IN_FLIGHT = 'telenor.requestInFlight';
const CONTEXT_RESPONSE = 'telenor.responseAvailable';
/** How long a restored panel waits for the specs to load before saying its operation is gone. */
const RESTORE_WAIT_MS = 30_000;

export class RequestPanelManager implements RequestPanels, vscode.Disposable {
  private readonly panels = new Map<string, RequestPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private lastActive: RequestPanel | undefined;
  private ownDispatcher: Dispatcher | undefined;
  readonly history: HistoryStore;
  private readonly panelHost: PanelHost;
  /** Asks before secrets go to the clipboard. Replaceable so in-host tests can answer the modal. */
  confirmSecrets: (detail: string) => Promise<boolean> = async (detail) => {
    const choice = await vscode.window.showWarningMessage('Copy the curl command including secrets?', { modal: true, detail }, 'Copy with Secrets');
    return choice === 'Copy with Secrets';
  };

  constructor(readonly deps: RequestPanelDeps) {
    this.history = new HistoryStore(deps.context.globalState, (key) => {
      for (const panel of this.panels.values()) if (key === undefined || panel.key === key) panel.historyChanged();
    });
    this.panelHost = {
      deps,
      history: this.history,
      dispatcher: (engine) => this.dispatcher(engine),
      confirmSecrets: (detail) => this.confirmSecrets(detail),
      stateChanged: (panel) => {
        if (panel.panel.active) this.lastActive = panel;
        this.updateContext();
      },
    };
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.restore(panel, state),
      }),
      // Proxy or CA settings changed: the next send makes a new dispatcher.
      deps.settings.onDidChange(() => this.dropDispatcher()),
    );
  }

  // ------------------------------------------------------------------------------------- panels

  async open(target: OperationTarget): Promise<void> {
    await this.openPanel(target);
  }

  /** Opens (or reveals) the panel for an operation and returns it; throws when the operation is unknown. */
  async openPanel(target: OperationTarget, options: { preserveFocus?: boolean } = {}): Promise<RequestPanel> {
    const key = historyKey(target.apiId, target.operationId);
    const existing = this.panels.get(key);
    const values = target.values;
    if (existing) {
      existing.panel.reveal(undefined, options.preserveFocus ?? false);
      if (values) existing.fill(mergeForm(await existing.collectForm(), formFromValues(values)));
      return existing;
    }
    const op = await this.findOperation(target.apiId, target.operationId);
    const mediaType = pickMediaType(op.requestBody?.contents.map((c) => c.mediaType) ?? []);
    const form = formFromValues(values, mediaType);
    const webviewPanel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      `${op.method.toUpperCase()} ${op.path}`,
      // Beside the code the first time; later panels join the request panels' group instead of splitting again.
      { viewColumn: this.activePanel()?.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: options.preserveFocus ?? false },
      { enableScripts: true, enableFindWidget: true, localResourceRoots: [vscode.Uri.joinPath(this.deps.context.extensionUri, 'dist', 'webview')] },
    );
    return this.adopt(webviewPanel, target.apiId, target.operationId, form, values?.body === undefined);
  }

  private async findOperation(apiId: string, operationId: string): Promise<NonNullable<ReturnType<SpecRegistry['operation']>>> {
    let op = this.deps.specs.operation(apiId, operationId);
    if (!op) {
      await this.deps.specs.whenSettled();
      op = this.deps.specs.operation(apiId, operationId);
    }
    if (!op) {
      throw new TelenorError('input', `No operation ${operationId} in the loaded specs.`, {
        hint: 'Refresh the Telenor APIs view; the spec may have changed or failed to load (see Show Spec Problems).',
      });
    }
    return op;
  }

  private adopt(webviewPanel: vscode.WebviewPanel, apiId: string, operationId: string, form: FormValues, fillExample: boolean): RequestPanel {
    const panel = new RequestPanel(webviewPanel, apiId, operationId, form, fillExample, this.panelHost);
    this.panels.set(panel.key, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(panel.key) === panel) this.panels.delete(panel.key);
      if (this.lastActive === panel) this.lastActive = undefined;
      this.updateContext();
    });
    if (webviewPanel.active) this.lastActive = panel;
    this.updateContext();
    return panel;
  }

  /** The serializer: a panel from the last session comes back with its (secret-free) inputs. Public for tests. */
  async restore(webviewPanel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    const state = parsePanelState(raw);
    if (!state.ok) {
      this.deps.log.warn(`request panel: cannot restore a panel (${state.error}); closing it`);
      webviewPanel.dispose();
      return;
    }
    const { apiId, operationId, form } = state.value;
    if (this.panels.has(historyKey(apiId, operationId))) {
      webviewPanel.dispose();
      return;
    }
    if (!(await this.waitForOperation(apiId, operationId, RESTORE_WAIT_MS))) {
      // Keep the tab and say why, rather than make it vanish: the person may want to reopen it from the tree.
      this.deps.log.info(`request panel: ${operationId} is no longer in the loaded specs; its restored panel says so`);
      webviewPanel.webview.options = { enableScripts: false, localResourceRoots: [] };
      webviewPanel.webview.html = unavailableHtml(webviewPanel.webview.cspSource, operationId);
      return;
    }
    if (this.panels.has(historyKey(apiId, operationId))) {
      webviewPanel.dispose();
      return;
    }
    this.adopt(webviewPanel, apiId, operationId, form, false);
  }

  /**
   * After a reload the panel can come back before its spec: built-in specs load at once, workspace specs only
   * once the folder has been searched. Waits for the operation (or the time limit), re-checking on each change.
   */
  private async waitForOperation(apiId: string, operationId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.deps.specs.operation(apiId, operationId)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let sub: vscode.Disposable | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        sub = this.deps.specs.onDidChange(() => resolve());
        // Also wake up after a short while: a spec already loading does not fire again until it settles.
        timer = setTimeout(resolve, Math.min(left, 2_000));
      });
      sub?.dispose();
      clearTimeout(timer);
    }
  }

  /** The dispatcher for API calls: the auth controller's when it shares one, else ours from settings. */
  private dispatcher(engine: Engine): Dispatcher | undefined {
    const shared = this.deps.auth.dispatcher?.();
    if (shared) return shared;
    if (!this.ownDispatcher) {
      const s = this.deps.settings.current;
      if (s.proxy === '' && s.proxyStrictSSL) return undefined;
      this.ownDispatcher = engine.createDispatcher({ proxy: s.proxy, strictSSL: s.proxyStrictSSL, allowInsecureHttp: s.allowInsecureHttp });
    }
    return this.ownDispatcher;
  }

  private dropDispatcher(): void {
    const old = this.ownDispatcher;
    this.ownDispatcher = undefined;
    // In-flight requests finish on the old one; close() waits for them.
    void old?.close().catch(() => undefined);
  }

  /** The active panel, else the one active last. */
  activePanel(): RequestPanel | undefined {
    for (const p of this.panels.values()) if (p.panel.active) return p;
    return this.lastActive && this.panels.has(this.lastActive.key) ? this.lastActive : undefined;
  }

  /** The open panel for an operation (tests and commands). */
  panelFor(target: Pick<OperationTarget, 'apiId' | 'operationId'>): RequestPanel | undefined {
    return this.panels.get(historyKey(target.apiId, target.operationId));
  }

  private updateContext(): void {
    const active = [...this.panels.values()].find((p) => p.panel.active);
    const current = active ?? this.activePanel();
    void vscode.commands.executeCommand('setContext', CONTEXT_FOCUSED, active !== undefined);
    void vscode.commands.executeCommand('setContext', CONTEXT_IN_FLIGHT, current?.isSending === true);
    void vscode.commands.executeCommand('setContext', CONTEXT_RESPONSE, current?.hasResponse === true);
  }

  // ----------------------------------------------------------------------------------- commands

  /**
   * Sends the target's request (opening its panel) with `values` over the panel's current form, and
   * returns the outcome; without a target, sends the active panel's form as typed.
   */
  async sendFor(args?: PanelCommandArgs): Promise<SendOutcome | undefined> {
    const target = parseArgs(args);
    if (target) {
      // Opening fills the target's values into the form (a new panel starts with them).
      const panel = await this.openPanel(target, { preserveFocus: true });
      return panel.sendFromHost(await panel.collectForm(), target.environment);
    }
    const panel = this.requirePanel();
    if (!panel) return undefined;
    return panel.sendFromHost(await panel.collectForm());
  }

  private requirePanel(): RequestPanel | undefined {
    const panel = this.activePanel();
    if (!panel) {
      void vscode.window.showInformationMessage('Open a request panel first: pick an operation in the Telenor APIs view.');
    }
    return panel;
  }

  private async panelForArgs(args: unknown): Promise<RequestPanel | undefined> {
    const target = parseArgs(args);
    if (target) return this.openPanel(target, { preserveFocus: true });
    return this.requirePanel();
  }

  private async copy(args: unknown, withSecrets: boolean): Promise<CopyOutcome | undefined> {
    const target = parseArgs(args);
    const panel = await this.panelForArgs(args);
    if (!panel) return undefined;
    const outcome = await panel.copyAsCurl(await panel.collectForm(), withSecrets, target?.environment);
    if (!outcome.copied && outcome.message !== 'Cancelled.') void vscode.window.showWarningMessage(outcome.message);
    else if (outcome.copied) void vscode.window.showInformationMessage(outcome.message);
    return outcome;
  }

  commands(): CommandTable {
    return {
      'telenor.send': (args) => this.sendFor(args as PanelCommandArgs | undefined),
      'telenor.cancelRequest': (args) => {
        const target = parseArgs(args);
        const panel = target ? this.panelFor(target) : this.activePanel();
        return panel?.cancel() ?? false;
      },
      'telenor.copyAsCurl': (args) => this.copy(args, false),
      'telenor.copyAsCurlWithSecrets': (args) => this.copy(args, true),
      'telenor.openResponseInEditor': async (args) => {
        const target = parseArgs(args);
        const panel = target ? this.panelFor(target) : this.activePanel();
        if (!panel) {
          void vscode.window.showInformationMessage('There is no response to open: send a request from a request panel first.');
          return undefined;
        }
        return panel.openInEditor();
      },
      'telenor.clearHistory': (args) => this.clearHistory(args),
    };
  }

  /** `{apiId, operationId}` clears one operation; `{all: true}` or no panel clears everything. */
  private async clearHistory(args: unknown): Promise<number> {
    const target = parseArgs(args);
    const all = typeof args === 'object' && args !== null && (args as { all?: unknown }).all === true;
    let key: string | undefined;
    if (target) key = historyKey(target.apiId, target.operationId);
    else if (!all) {
      const panel = this.activePanel();
      if (panel) {
        const choice = await vscode.window.showQuickPick(
          [
            { label: 'This operation', description: panel.title(), key: panel.key as string | undefined },
            { label: 'All operations', description: 'every request panel', key: undefined },
          ],
          { title: 'Clear request history', placeHolder: 'Whose history to clear?' },
        );
        if (!choice) return 0;
        key = choice.key;
      }
    }
    const n = await this.history.clear(key);
    void vscode.window.setStatusBarMessage(`$(check) Cleared ${n} history ${n === 1 ? 'entry' : 'entries'}`, 4000);
    return n;
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.dropDispatcher();
  }
}

/** A static page (no script) for a restored panel whose operation is gone. */
function unavailableHtml(cspSource: string, operationId: string): string {
  const where = operationId.replace(/^#\/paths\//, '').split('/');
  const method = (where.pop() ?? '').toUpperCase();
  const path = (where.join('/') || operationId).replace(/~1/g, '/').replace(/~0/g, '~');
  const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${esc(cspSource)}">
<title>Request unavailable</title></head>
<body><main><h1>${esc(`${method} ${path}`)}</h1>
<p>This operation is no longer in the loaded specs (the spec was removed, renamed or failed to load), so its request panel cannot come back.</p>
<p>Close this tab, then open the operation again from the Telenor APIs view.</p></main></body></html>`;
}

/** Plain command arguments → a target, or undefined when they do not name an operation. */
function parseArgs(args: unknown): PanelCommandArgs | undefined {
  if (typeof args !== 'object' || args === null) return undefined;
  const a = args as Record<string, unknown>;
  if (typeof a['apiId'] !== 'string' || typeof a['operationId'] !== 'string') return undefined;
  const target: PanelCommandArgs = { apiId: a['apiId'], operationId: a['operationId'] };
  const env = a['environment'];
  if (env === 'sandbox' || env === 'test' || env === 'production') target.environment = env;
  if (typeof a['values'] === 'object' && a['values'] !== null) target.values = a['values'] as NonNullable<OperationTarget['values']>;
  return target;
}

/** `over`'s non-empty values on top of `base` (a command's values over what is typed). */
function mergeForm(base: FormValues, over: FormValues): FormValues {
  return {
    path: { ...base.path, ...over.path },
    query: { ...base.query, ...over.query },
    headers: { ...base.headers, ...over.headers },
    cookies: { ...base.cookies, ...over.cookies },
    body: over.body !== '' ? over.body : base.body,
    mediaType: over.mediaType !== '' ? over.mediaType : base.mediaType,
  };
}
