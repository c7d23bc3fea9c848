/**
 * One request panel: a webview for one operation, and the host side of its protocol (sending, copying as
 * curl, history, the server and token it will use). Lives as long as its WebviewPanel; everything it
 * subscribes to is disposed with it.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Engine } from '../../core/engine';
import type { EnvironmentId } from '../../core/auth/types';
import { describeError, isTelenorError, TelenorError } from '../../core/errors';
import type { Headers, SendResult } from '../../core/http/types';
import type { ApiIndex, OperationInfo } from '../../core/spec/types';
import {
  dispatch,
  parseToHost,
  type AuthView,
  type ErrorView,
  type FormValues,
  type Handlers,
  type OperationView,
  type PanelAction,
  type SendOutcome,
  type ServerView,
  type ToHost,
  type ToWebview,
} from '../../protocol';
import { ENVIRONMENT_LABELS } from '../settings';
import { apiKeyNames, maskSecretInputs, operationView, pickMediaType, toRequestValues, validateForm, withoutSecretQuery } from './form';
import { historyEntry, historyKey, type HistoryStore } from './history';
import { panelHtml } from './html';
import { DOWNLOAD_CAP_BYTES, errorView, forWire, languageFor, prettyBody, responseView } from './response';
import type { RequestPanelDeps } from './manager';

/** What a panel needs from its manager besides the feature deps. */
export interface PanelHost {
  deps: RequestPanelDeps;
  history: HistoryStore;
  /** The dispatcher for API calls (proxy, CAs): the auth controller's, or one made from settings. */
  dispatcher(engine: Engine): ReturnType<Engine['createDispatcher']> | undefined;
  /** Asks before secrets go to the clipboard; a seam so in-host tests can answer. */
  confirmSecrets(what: string): Promise<boolean>;
  /** Context keys follow the active panel. */
  stateChanged(panel: RequestPanel): void;
}

export interface CopyOutcome {
  copied: boolean;
  masked: boolean;
  message: string;
}

const COLLECT_TIMEOUT_MS = 5_000;

/** How long a shown panel's page may take to say `ready` before it is loaded again (see `watchReady`). */
const READY_WAIT_MS = 5000;

export class RequestPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /** Loads of the webview's page since it last said `ready` (see `watchReady`). */
  private loads = 0;
  private readyTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private nextId = 1;
  private readonly collecting = new Map<string, (form: FormValues) => void>();
  private inFlight: { requestId: string; controller: AbortController } | undefined;
  private last: { outcome: SendOutcome; result?: SendResult } | undefined;
  /** The form as last seen (sent, collected or filled): the fallback when the webview cannot answer. */
  private form: FormValues;
  private readonly exampleReady: Promise<void>;
  private examples: Record<string, unknown> | undefined;
  private readonly onDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDisposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly apiId: string,
    readonly operationId: string,
    initialForm: FormValues,
    /** False when the form's body came with the target or the restored state: no example replaces it. */
    fillExample: boolean,
    private readonly host: PanelHost,
  ) {
    this.form = initialForm;
    const { deps } = host;
    const distWebview = vscode.Uri.joinPath(deps.context.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [distWebview] };
    panel.iconPath = vscode.Uri.joinPath(deps.context.extensionUri, 'media', 'activitybar.svg');
    panel.title = this.title();
    this.load();
    this.exampleReady = fillExample ? this.fillExampleBody() : Promise.resolve();

    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (panel.active) {
          const api = this.api();
          if (api) deps.activeApi.set(api);
        }
        // A hidden webview is torn down (no retainContextWhenHidden): wait for its next `ready`.
        if (!panel.visible) this.ready = false;
        else if (!this.ready) this.watchReady();
        host.stateChanged(this);
      }),
      panel.onDidDispose(() => this.dispose()),
      deps.auth.onDidChangeToken(() => void this.pushAuth()),
      deps.environments.onDidChange(() => void this.pushContext()),
      deps.settings.onDidChange(() => void this.pushContext()),
      deps.specs.onDidChange(() => this.pushOperation()),
    );
    if (panel.active) {
      const api = this.api();
      if (api) deps.activeApi.set(api);
    }
  }

  get key(): string {
    return historyKey(this.apiId, this.operationId);
  }

  /** The page, with a fresh nonce each time. */
  private load(): void {
    const distWebview = vscode.Uri.joinPath(this.host.deps.context.extensionUri, 'dist', 'webview');
    const webview = this.panel.webview;
    this.loads++;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(distWebview, 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(distWebview, 'panel.css')).toString(),
      title: this.title(),
    });
    this.watchReady();
  }

  /**
   * VS Code in a browser (code-server) sometimes serves a new webview's script through another webview's
   * service worker, which fetches it from the network and fails ("unexpected service worker controller",
   * seen in CI): the panel would stay blank for good. A shown panel whose page has not said `ready` within
   * READY_WAIT_MS is loaded again, at most twice in a row.
   */
  private watchReady(): void {
    clearTimeout(this.readyTimer);
    this.readyTimer = setTimeout(() => {
      if (this.ready || this.disposed || !this.panel.visible || this.loads > 2) return;
      this.host.deps.log.warn(`request panel ${this.title()}: the page did not start within ${READY_WAIT_MS / 1000} s; loading it again`);
      this.load();
    }, READY_WAIT_MS);
  }

  /** True once the webview said `ready` (and until it is hidden): messages reach it. */
  get isReady(): boolean {
    return this.ready;
  }

  get isSending(): boolean {
    return this.inFlight !== undefined;
  }

  get hasResponse(): boolean {
    return this.last?.result !== undefined;
  }

  /** The last outcome (tests and commands read it). */
  get lastOutcome(): SendOutcome | undefined {
    return this.last?.outcome;
  }

  private api(): ApiIndex | undefined {
    return this.host.deps.specs.api(this.apiId);
  }

  private operation(): OperationInfo | undefined {
    return this.host.deps.specs.operation(this.apiId, this.operationId);
  }

  title(): string {
    const op = this.operation();
    const api = this.api();
    return op ? `${op.method.toUpperCase()} ${op.path} — ${api?.title ?? this.apiId}` : 'Telenor request';
  }

  // ------------------------------------------------------------------------------------ messaging

  private post(message: ToWebview): void {
    if (!this.ready || this.disposed) return;
    void this.panel.webview.postMessage(message).then(undefined, (e: unknown) => this.host.deps.log.debug('postMessage failed:', e));
  }

  private receive(raw: unknown): void {
    const parsed = parseToHost(raw);
    if (!parsed.ok) {
      this.host.deps.log.warn(`request panel: rejected a malformed message from the webview (${parsed.error})`);
      return;
    }
    try {
      const done = dispatch(this.handlers, parsed.value);
      if (done instanceof Promise) done.catch((e: unknown) => this.reportFailure(parsed.value.type, e));
    } catch (e) {
      this.reportFailure(parsed.value.type, e);
    }
  }

  private reportFailure(what: string, e: unknown): void {
    if (isTelenorError(e) && e.kind === 'cancelled') return;
    this.host.deps.log.error(`request panel: ${what} failed:`, e);
    this.post({ type: 'notice', level: 'error', message: describeError(e) });
  }

  private readonly handlers: Handlers<ToHost> = {
    ready: () => this.onReady(),
    send: (m) => this.send(m.form, m.requestId).then(() => undefined),
    cancel: () => void this.cancel(),
    copyCurl: async (m) => {
      const result = await this.copyAsCurl(m.form, m.withSecrets);
      this.post({ type: 'copyResult', requestId: m.requestId, ok: result.copied, message: result.message });
    },
    insertSnippet: (m) => this.insertSnippet(m.form),
    openInEditor: () => this.openInEditor().then(() => undefined),
    loadExample: async (m) => {
      const text = await this.exampleText(m.mediaType);
      this.post({ type: 'example', requestId: m.requestId, mediaType: m.mediaType, text });
    },
    action: (m) => this.runAction(m.action),
    clearHistory: async () => {
      await this.host.history.clear(this.key);
    },
    formCollected: (m) => {
      this.form = m.form;
      this.collecting.get(m.requestId)?.(m.form);
      this.collecting.delete(m.requestId);
    },
  };

  private async onReady(): Promise<void> {
    this.ready = true;
    this.loads = 0;
    clearTimeout(this.readyTimer);
    await this.exampleReady;
    const op = this.operation();
    const api = this.api();
    if (!op || !api) {
      this.post({ type: 'notice', level: 'error', message: 'This operation is no longer in the loaded specs. Close this panel and open the operation again from the tree.' });
      return;
    }
    const init: Extract<ToWebview, { type: 'init' }> = {
      type: 'init',
      operation: await this.operationView(api, op),
      form: this.form,
      history: this.host.history.list(this.key),
      server: { state: 'loading', environmentLabel: this.environmentLabel() },
      auth: { state: 'loading' },
    };
    if (this.last) init.last = forWire(this.last.outcome);
    if (this.inFlight) init.sending = this.inFlight.requestId;
    this.post(init);
    await this.pushContext();
  }

  private async operationView(api: ApiIndex, op: OperationInfo): Promise<OperationView> {
    if (this.examples === undefined) {
      try {
        this.examples = await this.host.deps.specs.catalog.parameterExamples(this.apiId, this.operationId);
      } catch (e) {
        this.host.deps.log.debug('parameter examples unavailable:', e);
        this.examples = {};
      }
    }
    return operationView(this.apiId, api.title, op, this.examples, apiKeyNames(api));
  }

  private pushOperation(): void {
    if (!this.ready) return;
    const op = this.operation();
    const api = this.api();
    if (!op || !api) {
      this.post({ type: 'notice', level: 'error', message: 'This operation was removed from its spec. Sending is no longer possible from this panel.' });
      return;
    }
    this.panel.title = this.title();
    void this.operationView(api, op).then((operation) => this.post({ type: 'operation', operation }));
  }

  private environmentLabel(environment?: EnvironmentId): string {
    return ENVIRONMENT_LABELS[environment ?? this.host.deps.environments.current];
  }

  /** Server and auth, re-sent whenever the environment, settings or token change. */
  private async pushContext(): Promise<void> {
    if (!this.ready) return;
    await Promise.all([this.pushServer(), this.pushAuth()]);
  }

  private async pushServer(): Promise<void> {
    if (!this.ready) return;
    this.post({ type: 'server', server: await this.serverView() });
  }

  private async pushAuth(): Promise<void> {
    if (!this.ready) return;
    this.post({ type: 'auth', auth: await this.authView() });
  }

  async serverView(environment?: EnvironmentId): Promise<ServerView> {
    const api = this.api();
    const environmentLabel = this.environmentLabel(environment);
    if (!api) return { state: 'error', environmentLabel, message: 'The API is no longer loaded.', hint: 'Open the operation again from the tree.' };
    try {
      const op = this.operation();
      const url = await this.host.deps.environments.serverUrl(api, environment, op);
      // The sandbox is local, so a spec's own server there means an API that is not Telenor's (it keeps its
      // own server in every environment): say where the URL comes from instead of "Sandbox".
      const env = environment ?? this.host.deps.environments.current;
      const fromSpec = env === 'sandbox' && [...(op?.servers ?? []), ...api.servers].some((sv) => sv.url.replace(/\/+$/, '') === url.replace(/\/+$/, ''));
      return { state: 'ok', url, environmentLabel: fromSpec ? 'from the spec' : environmentLabel };
    } catch (e) {
      return {
        state: 'error',
        environmentLabel,
        message: isTelenorError(e) ? e.message : describeError(e),
        hint: isTelenorError(e) ? e.hint : '',
      };
    }
  }

  async authView(environment?: EnvironmentId): Promise<AuthView> {
    const api = this.api();
    const op = this.operation();
    if (!api || !op) return { state: 'unknown', message: 'The API is no longer loaded.' };
    const { auth } = this.host.deps;
    try {
      const decision = await auth.profileFor(api, environment);
      if (!decision.profile) {
        if (op.security.length === 0) return { state: 'none' };
        return {
          state: 'unknown',
          message:
            decision.warnings[0] ??
            'Which Telenor grant this API uses could not be told from its spec; set it in telenor.auth.overrides if Send is refused.',
        };
      }
      const view: AuthView = { state: 'profile', label: decision.profile.label, environmentLabel: this.environmentLabel(environment) };
      const status = auth.tokenStatus(api, environment);
      if (status?.token) {
        const now = Date.now();
        view.token = { expiresInMs: status.token.expiresAt - now };
        if (status.token.jwtExpiresAt !== undefined) view.token.jwtExpiresInMs = status.token.jwtExpiresAt - now;
      }
      return view;
    } catch (e) {
      if (op.security.length === 0) return { state: 'none' };
      return { state: 'unknown', message: describeError(e) };
    }
  }

  /** Replaces the form's values (a hover, a command with values). */
  fill(form: FormValues): void {
    this.form = form;
    this.post({ type: 'fill', form });
  }

  /** The form as the webview has it now (falls back to the last known one if the webview cannot answer). */
  async collectForm(): Promise<FormValues> {
    await this.exampleReady;
    if (!this.ready) return this.form;
    const requestId = `h-${this.nextId++}`;
    return await new Promise<FormValues>((resolve) => {
      const timer = setTimeout(() => {
        this.collecting.delete(requestId);
        resolve(this.form);
      }, COLLECT_TIMEOUT_MS);
      this.collecting.set(requestId, (form) => {
        clearTimeout(timer);
        resolve(form);
      });
      this.post({ type: 'collectForm', requestId });
    });
  }

  // ------------------------------------------------------------------------------------------ send

  /** A send started by the host (a command, a keybinding, a test): the webview shows it like its own. */
  sendFromHost(form: FormValues, environment?: EnvironmentId): Promise<SendOutcome> {
    const requestId = `h-${this.nextId++}`;
    this.post({ type: 'sendStarted', requestId, form });
    return this.send(form, requestId, environment);
  }

  async send(form: FormValues, requestId: string, environment?: EnvironmentId): Promise<SendOutcome> {
    this.inFlight?.controller.abort();
    const controller = new AbortController();
    const mine = { requestId, controller };
    this.inFlight = mine;
    this.form = form;
    this.host.stateChanged(this);
    const label = `${this.operation()?.method.toUpperCase() ?? ''} ${this.operation()?.path ?? ''}`.trim();
    let outcome: SendOutcome;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Telenor: sending ${label}` },
        () => this.perform(form, controller.signal, environment),
      );
    } finally {
      if (this.inFlight === mine) this.inFlight = undefined;
      this.host.stateChanged(this);
    }
    this.post({ type: 'sendResult', requestId, outcome: forWire(outcome) });
    return outcome;
  }

  cancel(): boolean {
    if (!this.inFlight) return false;
    this.inFlight.controller.abort();
    return true;
  }

  private async perform(form: FormValues, signal: AbortSignal, environment?: EnvironmentId): Promise<SendOutcome> {
    const { deps } = this.host;
    const api = this.api();
    const op = this.operation();
    if (!api || !op) {
      return { ok: false, error: errorView(new TelenorError('spec', 'This operation is no longer in the loaded specs.', { hint: 'Open it again from the tree.' }), deps.redactor) };
    }
    const issues = validateForm(form, operationView(this.apiId, api.title, op, this.examples)).filter((i) => i.severity === 'error');
    if (issues.length > 0) {
      const error: ErrorView = {
        kind: 'input',
        message: issues.length === 1 ? (issues[0]?.message ?? '') : `${issues.length} fields need attention before sending.`,
        hint: 'Fix the fields marked in the form and send again.',
        actions: [],
        fields: issues,
      };
      return { ok: false, error };
    }

    let serverUrl: string;
    try {
      serverUrl = await deps.environments.serverUrl(api, environment, op);
    } catch (e) {
      return { ok: false, error: errorView(e, deps.redactor, ['fixServer']) };
    }

    const started = Date.now();
    let url = serverUrl + op.path;
    try {
      const engine = deps.lazy.loadEngine();
      const prepared = engine.buildRequest(op, toRequestValues(form, serverUrl, op.requestBody !== undefined));
      url = prepared.url;
      const auth = await deps.auth.headerProvider(api, environment);
      const settings = deps.settings.current;
      const dispatcher = this.host.dispatcher(engine);
      const result = await engine.sendRequest(prepared, {
        timeoutMs: settings.timeoutMs,
        maxBodyBytes: DOWNLOAD_CAP_BYTES,
        signal,
        allowInsecureHttp: settings.allowInsecureHttp,
        ...(auth ? { auth } : {}),
        ...(dispatcher ? { dispatcher } : {}),
      });
      const response = responseView(result, { maxDisplayBytes: settings.maxDisplayBytes, redactor: deps.redactor });
      const outcome: SendOutcome = { ok: true, response };
      this.last = { outcome, result };
      deps.log.info(
        `${prepared.method} ${withoutSecretQuery(prepared.url, apiKeyNames(api))} → ${result.status}${result.retriedAfter401 ? ' (after a token renewal)' : ''} in ${response.durationMs} ms, ${result.bodyBytes} bytes`,
      );
      await this.record(form, prepared.method, prepared.url, started, { status: result.status, durationMs: result.timings.totalMs });
      return outcome;
    } catch (e) {
      // In the sandbox, missing credentials are one click away: its demo set.
      const demo = (environment ?? deps.environments.current) === 'sandbox' && isTelenorError(e) && e.kind === 'credentials-missing';
      const error = errorView(e, deps.redactor, demo ? ['useDemoCredentials'] : []);
      if (error.kind === 'cancelled') {
        deps.log.info(`${op.method.toUpperCase()} ${withoutSecretQuery(url, apiKeyNames(api))} cancelled`);
      } else {
        deps.log.warn(`${op.method.toUpperCase()} ${withoutSecretQuery(url, apiKeyNames(api))} failed:`, e);
        if (!error.fields) await this.record(form, op.method.toUpperCase(), url, started, { errorKind: error.kind, durationMs: Date.now() - started });
      }
      const outcome: SendOutcome = { ok: false, error };
      this.last = { outcome };
      return outcome;
    }
  }

  private async record(form: FormValues, method: string, url: string, started: number, result: { status?: number; errorKind?: string; durationMs: number }): Promise<void> {
    const { deps } = this.host;
    const api = this.api();
    try {
      const entry = historyEntry(
        {
          id: `${started.toString(36)}-${randomBytes(3).toString('hex')}`,
          at: started,
          method,
          url,
          form,
          durationMs: result.durationMs,
          ...(result.status !== undefined ? { status: result.status } : {}),
          ...(result.errorKind !== undefined ? { errorKind: result.errorKind } : {}),
        },
        deps.redactor,
        api ? apiKeyNames(api) : [],
      );
      await this.host.history.add(this.key, entry, deps.settings.current.historyMax);
    } catch (e) {
      // History is a convenience: failing to keep it must not fail the send.
      deps.log.warn('could not record the call in the history:', e);
    }
  }

  /** Pushes the current list (the store calls this through the manager after every change). */
  historyChanged(): void {
    this.post({ type: 'history', history: this.host.history.list(this.key) });
  }

  // ------------------------------------------------------------------------------- curl, snippets

  async copyAsCurl(form: FormValues, withSecrets: boolean, environment?: EnvironmentId): Promise<CopyOutcome> {
    const { deps } = this.host;
    const api = this.api();
    const op = this.operation();
    if (!api || !op) return { copied: false, masked: !withSecrets, message: 'This operation is no longer in the loaded specs.' };
    try {
      const serverUrl = await deps.environments.serverUrl(api, environment, op);
      const engine = deps.lazy.loadEngine();
      const prepared = engine.buildRequest(op, toRequestValues(form, serverUrl, op.requestBody !== undefined));
      let authHeaders: Headers | undefined;
      if (withSecrets) {
        const ok = await this.host.confirmSecrets(
          'The command will hold your access token (and X-JWT) in clear text. Anyone who sees your clipboard or the pasted command can call the API as you until the token expires.',
        );
        if (!ok) return { copied: false, masked: false, message: 'Not copied: copying with secrets was not confirmed.' };
        const provider = await deps.auth.headerProvider(api, environment);
        authHeaders = provider ? await provider.headers() : undefined;
      } else {
        authHeaders = await this.placeholderAuthHeaders(environment);
      }
      const snippet = await engine.generateSnippet(withSecrets ? prepared : maskSecretInputs(prepared, apiKeyNames(api)), 'curl', {
        maskSecrets: !withSecrets,
        redactor: deps.redactor,
        ...(authHeaders ? { authHeaders } : {}),
      });
      await vscode.env.clipboard.writeText(snippet.code);
      const message = withSecrets
        ? 'Copied the curl command WITH secrets. Clear your clipboard when done.'
        : snippet.placeholders.length > 0
          ? `Copied the curl command. Set ${[...new Set(snippet.placeholders.map((p) => p.text))].join(', ')} before running it.`
          : 'Copied the curl command.';
      deps.log.info(`copied ${prepared.method} ${withoutSecretQuery(prepared.url, apiKeyNames(api))} as curl (${withSecrets ? 'with secrets' : 'masked'})`);
      void vscode.window.setStatusBarMessage(`$(check) ${message}`, 5000);
      return { copied: true, masked: !withSecrets, message };
    } catch (e) {
      if (isTelenorError(e) && e.kind === 'cancelled') return { copied: false, masked: !withSecrets, message: 'Cancelled.' };
      deps.log.warn('copy as curl failed:', e);
      return { copied: false, masked: !withSecrets, message: `Not copied: ${deps.redactor.redact(describeError(e))}` };
    }
  }

  /** `Authorization: Bearer <access_token>` (+ X-JWT) for the API's profile, without fetching a token. */
  private async placeholderAuthHeaders(environment?: EnvironmentId): Promise<Headers | undefined> {
    const api = this.api();
    if (!api) return undefined;
    try {
      const decision = await this.host.deps.auth.profileFor(api, environment);
      if (!decision.profile) return undefined;
      const headers: Headers = { Authorization: 'Bearer <access_token>' };
      if (decision.profile.xjwt) headers['X-JWT'] = '<jwt>';
      return headers;
    } catch {
      return undefined;
    }
  }

  async insertSnippet(form: FormValues, environment?: EnvironmentId): Promise<void> {
    const api = this.api();
    const op = this.operation();
    if (!api || !op) return;
    let serverUrl = '';
    try {
      serverUrl = await this.host.deps.environments.serverUrl(api, environment, op);
    } catch {
      // The snippet command reports a missing server URL itself.
    }
    // The panel has the focus: aim at the code editor shown beside it, not whichever editor had input last.
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled');
    await vscode.commands.executeCommand('telenor.insertSnippet', {
      apiId: this.apiId,
      operationId: this.operationId,
      values: toRequestValues(form, serverUrl, op.requestBody !== undefined),
      ...(editor ? { uri: editor.document.uri.toString() } : {}),
    });
  }

  async openInEditor(): Promise<vscode.TextDocument | undefined> {
    const result = this.last?.result;
    if (!result) {
      void vscode.window.showInformationMessage('There is no response to open yet: send the request first.');
      return undefined;
    }
    const view = this.last?.outcome.ok ? this.last.outcome.response : undefined;
    const kind = view?.bodyKind ?? 'text';
    if (kind === 'binary') {
      void vscode.window.showInformationMessage(`The response body is binary (${result.contentType ?? 'unknown type'}, ${result.bodyBytes} bytes) and cannot be shown as text.`);
      return undefined;
    }
    const { redactor } = this.host.deps;
    const body = redactor.containsSecret(result.body) ? redactor.redact(result.body) : result.body;
    const doc = await vscode.workspace.openTextDocument({ language: languageFor(result.contentType, kind), content: prettyBody(body, kind) });
    await vscode.window.showTextDocument(doc, { preview: false });
    if (result.truncated) {
      void vscode.window.showWarningMessage(`The response was larger than ${Math.round(DOWNLOAD_CAP_BYTES / (1024 * 1024))} MB; the editor shows the first part only.`);
    }
    return doc;
  }

  private async exampleText(mediaType: string): Promise<string> {
    try {
      const example = await this.host.deps.specs.catalog.example(this.apiId, this.operationId, mediaType || undefined);
      return example.text;
    } catch (e) {
      this.host.deps.log.debug('no example body:', e);
      return '';
    }
  }

  private async fillExampleBody(): Promise<void> {
    const op = this.operation();
    if (!op?.requestBody || this.form.body !== '') return;
    const mediaType = pickMediaType(op.requestBody.contents.map((c) => c.mediaType), this.form.mediaType);
    const text = await this.exampleText(mediaType);
    this.form = { ...this.form, mediaType, body: text };
  }

  async runAction(action: PanelAction): Promise<void> {
    const { deps } = this.host;
    const environment = deps.environments.current;
    const target = { apiId: this.apiId, operationId: this.operationId, environment };
    switch (action) {
      case 'useDemoCredentials':
        // Stored, then the send the person asked for (the store command reports its own failure).
        if (((await vscode.commands.executeCommand<unknown[] | undefined>('telenor.useSandboxCredentials', { offerSignIn: false })) ?? []).length > 0) {
          await this.sendFromHost(await this.collectForm());
        }
        return;
      case 'setCredentials':
        await vscode.commands.executeCommand('telenor.setCredentials', target);
        return;
      case 'signIn':
        await vscode.commands.executeCommand('telenor.signIn', target);
        return;
      case 'fixServer':
        if (environment === 'sandbox') await vscode.commands.executeCommand('telenor.startSandbox');
        else await vscode.commands.executeCommand('workbench.action.openSettings', 'telenor.environments');
        await this.pushServer();
        return;
      case 'openSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'telenor.request');
        return;
      case 'showLog':
        await vscode.commands.executeCommand('telenor.showLog');
        return;
      case 'retry':
        await this.sendFromHost(await this.collectForm());
        return;
    }
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.readyTimer);
    this.inFlight?.controller.abort();
    this.inFlight = undefined;
    for (const resolve of this.collecting.values()) resolve(this.form);
    this.collecting.clear();
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.onDisposeEmitter.fire();
    this.onDisposeEmitter.dispose();
    this.panel.dispose();
  }
}
