/**
 * Request panel (browser bundle, dist/webview/panel.js). Builds the form from the operation the host sends,
 * validates it inline, asks the host to send / copy / open, and shows the response and the history.
 *
 * Everything shown is built with DOM calls and `textContent` (see dom.ts): no spec text or response data is
 * ever parsed as HTML. Nothing is posted before the listener is installed; then `ready` starts the exchange.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import './panel.css';

import { isSecretName, sanitizeForState, setFormValue, formValue, validateForm } from '../extension/panel/form';
import {
  dispatch,
  emptyForm,
  type AuthView,
  type ErrorView,
  type FieldIssue,
  type FormValues,
  type Handlers,
  type HistoryEntryView,
  type OperationView,
  type PanelAction,
  type PanelState,
  type ParameterLocation,
  type ParameterView,
  type ResponseView,
  type SendOutcome,
  type ServerView,
  type ToHost,
  type ToWebview,
} from '../protocol';
import { advanceFor, JsonLines, looksLikeJson, TextLines, type BodyLines } from './bodyLines';
import { BodyView } from './bodyView';
import { append, clear, formatBytes, formatCountdown, formatDuration, h, rangeHint, uid } from './dom';

interface VsCodeApi {
  postMessage(message: ToHost): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const LOCATIONS: ReadonlyArray<{ in: ParameterLocation; title: string }> = [
  { in: 'path', title: 'Path parameters' },
  { in: 'query', title: 'Query parameters' },
  { in: 'header', title: 'Headers' },
  { in: 'cookie', title: 'Cookies' },
];

const ACTION_LABELS: Record<PanelAction, string> = {
  useDemoCredentials: 'Use demo credentials and send',
  setCredentials: 'Set credentials…',
  signIn: 'Sign in',
  fixServer: 'Configure server…',
  openSettings: 'Open settings',
  showLog: 'Show log',
  retry: 'Retry',
};

/**
 * The longest a body-indexing task may run before the browser gets the thread back: with decoding and the
 * response's own DOM, the message's task stays under the 50 ms that reads as a freeze.
 */
const BODY_SLICE_MS = 25;

function clone(form: FormValues): FormValues {
  return {
    path: { ...form.path },
    query: { ...form.query },
    headers: { ...form.headers },
    cookies: { ...form.cookies },
    body: form.body,
    mediaType: form.mediaType,
  };
}

function sameForm(a: FormValues, b: FormValues): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function savedState(raw: unknown): PanelState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Partial<PanelState>;
  if (typeof s.apiId !== 'string' || typeof s.operationId !== 'string' || typeof s.form !== 'object' || s.form === null) return undefined;
  return { apiId: s.apiId, operationId: s.operationId, form: { ...emptyForm(), ...s.form } };
}

function statusClass(status: number): string {
  if (status >= 500) return 'status-5xx';
  if (status >= 400) return 'status-4xx';
  if (status >= 300) return 'status-3xx';
  if (status >= 200) return 'status-2xx';
  return 'status-1xx';
}

function button(label: string, onClick: () => void, options: { secondary?: boolean; title?: string; id?: string; ariaLabel?: string } = {}): HTMLElement {
  const b = h('vscode-button', {
    text: label,
    attrs: {
      secondary: options.secondary === true,
      title: options.title,
      id: options.id,
      'aria-label': options.ariaLabel,
    },
  });
  b.addEventListener('click', () => {
    if (!b.hasAttribute('disabled')) onClick();
  });
  return b;
}

/** vscode-button takes `disabled` but tells assistive technology nothing: aria-disabled says it. */
function setDisabled(el: HTMLElement, disabled: boolean): void {
  if (disabled) {
    el.setAttribute('disabled', '');
    el.setAttribute('aria-disabled', 'true');
  } else {
    el.removeAttribute('disabled');
    el.removeAttribute('aria-disabled');
  }
}

class PanelApp {
  private op: OperationView | undefined;
  private form: FormValues = emptyForm();
  private server: ServerView = { state: 'loading', environmentLabel: '' };
  private auth: AuthView = { state: 'loading' };
  private authReceivedAt = 0;
  private history: HistoryEntryView[] = [];
  private sendingId: string | undefined;
  private seq = 0;
  /** The example text last put in the body: a body still equal to it may be replaced by another example. */
  private exampleText = '';
  private saveTimer = 0;
  private noticeTimer = 0;
  private bodyView: BodyView | undefined;
  /** Bumped whenever the shown body goes away: a body still being indexed in slices then stops. */
  private bodyJob = 0;

  // DOM built on init.
  private readonly root: HTMLElement;
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
  private readonly issueEls = new Map<string, HTMLElement>();
  private serverEl = h('div');
  private authEl = h('div');
  private countdownEl: HTMLElement | undefined;
  private sendBtn: HTMLElement = h('div');
  private cancelBtn: HTMLElement = h('div');
  private statusEl = h('div');
  private progressEl = h('div');
  private resultEl = h('div');
  private historyEl: HTMLElement = h('div');
  private noticeEl = h('div');
  private bodyInput: HTMLTextAreaElement | undefined;
  private mediaSelect: HTMLSelectElement | undefined;

  constructor(
    private readonly vscode: VsCodeApi,
    root: HTMLElement,
  ) {
    this.root = root;
    window.addEventListener('message', (e: MessageEvent<unknown>) => this.receive(e.data));
    window.setInterval(() => this.tick(), 1000);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.saveNow();
    });
    // The listener is in place: now the host may talk.
    this.post({ type: 'ready' });
  }

  private post(message: ToHost): void {
    this.vscode.postMessage(message);
  }

  private nextId(): string {
    this.seq++;
    return `w-${this.seq}`;
  }

  private receive(data: unknown): void {
    // Messages come only from the host (VS Code filters the webview's message channel), but stay defensive.
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') return;
    if (!Object.hasOwn(this.handlers, (data as { type: string }).type)) return;
    void dispatch(this.handlers, data as ToWebview);
  }

  private readonly handlers: Handlers<ToWebview> = {
    init: (m) => {
      this.op = m.operation;
      const saved = savedState(this.vscode.getState());
      // A webview re-created after being hidden (or restored) keeps what was typed; secrets were never saved.
      this.form = saved && saved.apiId === m.operation.apiId && saved.operationId === m.operation.operationId ? saved.form : clone(m.form);
      if (this.form.mediaType === '' && m.form.mediaType !== '') this.form.mediaType = m.form.mediaType;
      this.exampleText = m.form.body;
      this.server = m.server;
      this.setAuth(m.auth);
      this.history = m.history;
      this.build();
      this.saveNow();
      if (m.sending) this.setSending(m.sending);
      if (m.last) this.showOutcome(m.last);
    },
    operation: (m) => {
      this.op = m.operation;
      this.build();
    },
    server: (m) => {
      this.server = m.server;
      this.renderServer();
    },
    auth: (m) => {
      this.setAuth(m.auth);
      this.renderAuth();
    },
    history: (m) => {
      this.history = m.history;
      this.renderHistory();
    },
    fill: (m) => this.fill(m.form),
    sendStarted: (m) => {
      if (!sameForm(m.form, this.form)) this.fill(m.form);
      this.clearIssues();
      this.setSending(m.requestId);
    },
    sendResult: (m) => {
      // A result for a send that a newer one replaced: the newer one's result follows.
      if (this.sendingId !== undefined && this.sendingId !== m.requestId) return;
      this.setSending(undefined);
      this.showOutcome(m.outcome);
    },
    copyResult: (m) => this.notice(m.message, m.ok ? 'info' : 'error'),
    example: (m) => {
      if (this.form.mediaType !== m.mediaType) return;
      if (this.form.body.trim() === '' || this.form.body === this.exampleText) {
        this.exampleText = m.text;
        this.setBody(m.text);
      }
    },
    collectForm: (m) => this.post({ type: 'formCollected', requestId: m.requestId, form: clone(this.form) }),
    notice: (m) => this.notice(m.message, m.level),
  };

  // -------------------------------------------------------------------------------------- state

  private scheduleSave(): void {
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.saveNow(), 200);
  }

  private saveNow(): void {
    window.clearTimeout(this.saveTimer);
    if (!this.op) return;
    this.vscode.setState({ apiId: this.op.apiId, operationId: this.op.operationId, form: sanitizeForState(this.form, this.op.secretNames) });
  }

  private setAuth(auth: AuthView): void {
    this.auth = auth;
    this.authReceivedAt = Date.now();
  }

  // -------------------------------------------------------------------------------------- build

  private build(): void {
    const op = this.op;
    if (!op) return;
    this.bodyView?.dispose();
    this.bodyView = undefined;
    this.bodyJob++;
    this.inputs.clear();
    this.issueEls.clear();
    clear(this.root);
    this.root.removeAttribute('aria-busy');

    const header = h(
      'header',
      { class: 'op-header' },
      h(
        'h1',
        { class: 'op-title' },
        h('span', { class: `method method-${op.method.toLowerCase()}`, text: op.method }),
        ' ',
        // Break opportunities after each slash: a narrow panel wraps the path between segments, not inside one.
        h('span', { class: 'op-path' }, ...op.path.split(/(?<=\/)/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]))),
      ),
      h(
        'p',
        { class: 'op-sub' },
        h('span', { class: 'api-title', text: op.apiTitle }),
        op.summary ? h('span', { class: 'op-summary', text: ` — ${op.summary}` }) : null,
        op.deprecated ? h('span', { class: 'badge badge-warning', text: 'deprecated' }) : null,
      ),
      op.description && op.description !== op.summary
        ? h('details', { class: 'op-description' }, h('summary', { text: 'Description' }), h('p', { class: 'pre-wrap', text: op.description }))
        : null,
    );

    this.serverEl = h('div', { class: 'context-row', attrs: { id: 'server-row' } });
    this.authEl = h('div', { class: 'context-row', attrs: { id: 'auth-row' } });
    const context = h('section', { class: 'context', attrs: { 'aria-label': 'Where the request goes' } }, this.serverEl, this.authEl);

    const fields = h('div', { class: 'request-form', attrs: { role: 'form', 'aria-label': 'Request parameters' } });
    for (const loc of LOCATIONS) {
      const params = op.parameters.filter((p) => p.in === loc.in);
      if (params.length === 0) continue;
      fields.appendChild(this.fieldset(loc.title, params));
    }
    if (op.body) fields.appendChild(this.bodyEditor(op.body));
    if (fields.childElementCount === 0) fields.appendChild(h('p', { class: 'muted', text: 'This operation takes no parameters and no body.' }));

    this.sendBtn = button('Send', () => this.send(), { id: 'send', title: 'Send the request (Ctrl+Enter / Cmd+Enter)' });
    this.cancelBtn = button('Cancel', () => this.post({ type: 'cancel' }), { secondary: true, id: 'cancel', title: 'Cancel the request (Escape)' });
    setDisabled(this.cancelBtn, true);
    const actions = h(
      'div',
      { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Request actions' } },
      this.sendBtn,
      this.cancelBtn,
      h('span', { class: 'spacer' }),
      button('Copy as curl', () => this.copyCurl(false), { secondary: true, id: 'copy-curl', title: 'Copy as a curl command with secrets as $TELENOR_TOKEN placeholders' }),
      button('Copy with secrets…', () => this.copyCurl(true), { secondary: true, id: 'copy-curl-secrets', title: 'Copy as curl including the access token (asks first)' }),
      button('Insert snippet…', () => this.post({ type: 'insertSnippet', form: clone(this.form) }), { secondary: true, id: 'insert-snippet', title: 'Insert this request as code in the active editor' }),
    );

    this.statusEl = h('div', { class: 'status-line', attrs: { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'response-status' } });
    this.progressEl = h('div', { class: 'progress', attrs: { hidden: true, 'aria-hidden': 'true' } }, h('div', { class: 'progress-bar' }));
    this.resultEl = h('div', { class: 'result' });
    const response = h(
      'section',
      { class: 'response', attrs: { 'aria-labelledby': 'response-heading' } },
      h('h2', { id: 'response-heading', class: 'section-title', text: 'Response' }),
      this.progressEl,
      this.statusEl,
      this.resultEl,
    );

    this.historyEl = h('section', { class: 'history', attrs: { 'aria-label': 'History' } });
    this.noticeEl = h('div', { class: 'notice', attrs: { role: 'status', 'aria-live': 'polite', hidden: true } });

    append(this.root, header, context, fields, actions, this.noticeEl, response, this.historyEl);
    this.renderServer();
    this.renderAuth();
    this.renderHistory();
    this.statusEl.textContent = 'Not sent yet.';
  }

  private fieldKey(where: ParameterLocation | 'body', name: string): string {
    return `${where}:${where === 'header' ? name.toLowerCase() : name}`;
  }

  private fieldset(title: string, params: ParameterView[]): HTMLElement {
    const set = h('fieldset', { class: 'group' }, h('legend', { text: title }));
    for (const p of params) set.appendChild(this.field(p));
    return set;
  }

  private field(p: ParameterView): HTMLElement {
    const id = uid('f');
    const descId = `${id}-desc`;
    const issueId = `${id}-issue`;
    const value = formValue(this.form, p.in, p.name);
    const typeText = [p.type === 'array' && p.itemsType ? `array of ${p.itemsType}` : p.type, p.format].filter(Boolean).join(', ');
    const label = h(
      'label',
      { attrs: { for: id }, class: 'field-label' },
      h('span', { class: 'field-name', text: p.name }),
      p.required ? h('span', { class: 'required', text: '*', attrs: { 'aria-hidden': 'true' } }) : null,
      p.required ? h('span', { class: 'sr-only', text: ' (required)' }) : null,
      typeText ? h('span', { class: 'field-type', text: typeText }) : null,
      p.deprecated ? h('span', { class: 'badge badge-warning', text: 'deprecated' }) : null,
    );
    let control: HTMLInputElement | HTMLSelectElement;
    if (p.enum && p.enum.length > 0 && p.type !== 'array') {
      const select = h('select', { id, attrs: { 'aria-describedby': `${descId} ${issueId}`, 'aria-required': p.required ? 'true' : undefined } });
      const none = p.required ? 'Choose…' : p.default !== undefined ? `(not sent — default ${p.default})` : '(not sent)';
      select.appendChild(h('option', { text: none, attrs: { value: '' } }));
      for (const option of p.enum) select.appendChild(h('option', { text: option, attrs: { value: option } }));
      // A value outside the enum (from history or a hover) stays visible and selectable.
      if (value !== '' && !p.enum.includes(value)) select.appendChild(h('option', { text: value, attrs: { value } }));
      select.value = value;
      control = select;
    } else {
      const placeholder = p.example !== undefined ? `e.g. ${p.example}` : p.default !== undefined ? `default ${p.default}` : p.type === 'array' ? 'comma-separated values' : '';
      const input = h('input', {
        id,
        attrs: {
          type: 'text',
          placeholder,
          spellcheck: 'false',
          autocomplete: 'off',
          inputmode: p.type === 'integer' ? 'numeric' : p.type === 'number' ? 'decimal' : undefined,
          'aria-describedby': `${descId} ${issueId}`,
          'aria-required': p.required ? 'true' : undefined,
        },
      });
      input.value = value;
      control = input;
    }
    control.dataset['in'] = p.in;
    control.dataset['name'] = p.name;
    control.addEventListener('input', () => this.onFieldInput(p, control.value));
    control.addEventListener('change', () => this.onFieldInput(p, control.value));
    const key = this.fieldKey(p.in, p.name);
    this.inputs.set(key, control);

    const hints: string[] = [];
    if (p.description) hints.push(p.description);
    if (p.default !== undefined && !(p.enum && p.enum.length > 0)) hints.push(`Default: ${p.default}.`);
    const range = rangeHint(p.minimum, p.maximum);
    if (range) hints.push(range);
    if (p.pattern) hints.push(`Pattern: ${p.pattern}`);
    const desc = h('div', { id: descId, class: 'field-desc', text: hints.join(' ') });
    const issue = h('div', { id: issueId, class: 'field-issue', attrs: { hidden: true } });
    this.issueEls.set(key, issue);
    return h('div', { class: 'field' }, label, control, desc, issue);
  }

  private onFieldInput(p: ParameterView, value: string): void {
    setFormValue(this.form, p.in, p.name, value);
    this.showIssue(this.fieldKey(p.in, p.name), undefined);
    this.scheduleSave();
  }

  private bodyEditor(body: NonNullable<OperationView['body']>): HTMLElement {
    const id = uid('body');
    const issueId = `${id}-issue`;
    const set = h(
      'fieldset',
      { class: 'group body-group' },
      h('legend', {}, 'Body', body.required ? h('span', { class: 'required', text: '*', attrs: { 'aria-hidden': 'true' } }) : null, body.required ? h('span', { class: 'sr-only', text: ' (required)' }) : null),
    );
    if (body.description) set.appendChild(h('p', { class: 'field-desc', text: body.description }));
    const bar = h('div', { class: 'body-bar' });
    if (body.mediaTypes.length > 1) {
      const selId = uid('media');
      const select = h('select', { id: selId });
      for (const t of body.mediaTypes) select.appendChild(h('option', { text: t, attrs: { value: t } }));
      select.value = this.form.mediaType || body.mediaTypes[0] || '';
      select.addEventListener('change', () => {
        this.form.mediaType = select.value;
        this.scheduleSave();
        if (this.form.body.trim() === '' || this.form.body === this.exampleText) this.post({ type: 'loadExample', requestId: this.nextId(), mediaType: select.value });
      });
      this.mediaSelect = select;
      append(bar, h('label', { attrs: { for: selId }, text: 'Media type' }), select);
    } else if (body.mediaTypes[0]) {
      append(bar, h('span', { class: 'muted', text: `Media type: ${body.mediaTypes[0]}` }));
    }
    bar.appendChild(h('span', { class: 'spacer' }));
    bar.appendChild(
      button('Insert example', () => this.post({ type: 'loadExample', requestId: this.nextId(), mediaType: this.form.mediaType }), {
        secondary: true,
        title: 'Replace the body with the example from the spec',
      }),
    );
    // Force the next example in, even over an edited body.
    bar.lastElementChild?.addEventListener('click', () => {
      this.exampleText = this.form.body;
    });
    const textarea = h('textarea', {
      id,
      class: 'body-input',
      attrs: { rows: 12, spellcheck: 'false', 'aria-label': 'Request body', 'aria-describedby': issueId, 'aria-required': body.required ? 'true' : undefined },
    });
    textarea.value = this.form.body;
    textarea.addEventListener('input', () => {
      this.form.body = textarea.value;
      this.showIssue(this.fieldKey('body', 'body'), undefined);
      this.scheduleSave();
    });
    // Tab inserts two spaces inside the editor (Escape first, then Tab, leaves it: the usual editor convention).
    let escaped = false;
    textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        escaped = true;
        return;
      }
      if (e.key === 'Tab' && !e.shiftKey && !escaped && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        textarea.setRangeText('  ', textarea.selectionStart, textarea.selectionEnd, 'end');
        textarea.dispatchEvent(new Event('input'));
      }
      escaped = false;
    });
    this.bodyInput = textarea;
    this.inputs.set(this.fieldKey('body', 'body'), textarea);
    const issue = h('div', { id: issueId, class: 'field-issue', attrs: { hidden: true } });
    this.issueEls.set(this.fieldKey('body', 'body'), issue);
    append(set, bar, textarea, issue);
    return set;
  }

  private setBody(text: string): void {
    this.form.body = text;
    if (this.bodyInput) this.bodyInput.value = text;
    this.scheduleSave();
  }

  /** New values into the existing controls (no rebuild: focus and scroll stay). */
  private fill(form: FormValues): void {
    this.form = clone(form);
    if (this.op?.body && this.form.mediaType === '') this.form.mediaType = this.mediaSelect?.value ?? this.op.body.mediaTypes[0] ?? '';
    for (const p of this.op?.parameters ?? []) {
      const control = this.inputs.get(this.fieldKey(p.in, p.name));
      if (!control) continue;
      const value = formValue(this.form, p.in, p.name);
      if (control instanceof HTMLSelectElement && value !== '' && ![...control.options].some((o) => o.value === value)) {
        control.appendChild(h('option', { text: value, attrs: { value } }));
      }
      control.value = value;
    }
    if (this.bodyInput) this.bodyInput.value = this.form.body;
    if (this.mediaSelect && this.form.mediaType) this.mediaSelect.value = this.form.mediaType;
    this.clearIssues();
    this.saveNow();
  }

  // ------------------------------------------------------------------------------- server & auth

  private renderServer(): void {
    const s = this.server;
    const el = this.serverEl;
    clear(el);
    el.className = `context-row${s.state === 'error' ? ' context-error' : ''}`;
    // The value wraps beside its label, never under it (a panel beside the code is ~340 px wide).
    const value = h('span', { class: 'context-value' });
    append(el, h('span', { class: 'context-label', text: 'Server' }), value);
    if (s.state === 'loading') {
      append(value, h('span', { class: 'muted', text: 'resolving…' }));
    } else if (s.state === 'ok') {
      append(value, h('code', { class: 'server-url', text: s.url }), h('span', { class: 'muted', text: `(${s.environmentLabel})` }));
    } else {
      append(
        value,
        h(
          'span',
          { class: 'context-message', attrs: { role: 'alert' } },
          h('strong', { text: `${s.environmentLabel}: ${s.message}` }),
          s.hint ? ` ${s.hint}` : '',
        ),
        button(ACTION_LABELS.fixServer, () => this.action('fixServer'), { secondary: true }),
      );
    }
  }

  private renderAuth(): void {
    const a = this.auth;
    const el = this.authEl;
    clear(el);
    this.countdownEl = undefined;
    const value = h('span', { class: 'context-value' });
    append(el, h('span', { class: 'context-label', text: 'Auth' }), value);
    switch (a.state) {
      case 'loading':
        append(value, h('span', { class: 'muted', text: 'checking…' }));
        return;
      case 'none':
        append(value, h('span', { text: 'none — the API declares no security' }));
        return;
      case 'unknown':
        append(value, h('span', { class: 'muted', text: a.message }));
        return;
      case 'profile': {
        // "machine user (password) (Sandbox)" reads as two asides: the environment is one more part of the line.
        append(value, h('span', { text: a.label }), h('span', { class: 'muted', text: `· ${a.environmentLabel}` }));
        this.countdownEl = h('span', { class: 'token-state', attrs: { id: 'token-state' } });
        append(value, this.countdownEl);
        if (!a.token) append(value, button('Sign in now', () => this.action('signIn'), { secondary: true, title: 'Get a token now instead of on Send' }));
        this.tick();
      }
    }
  }

  /** Every second: the token countdown. */
  private tick(): void {
    const a = this.auth;
    const el = this.countdownEl;
    if (!el || a.state !== 'profile') return;
    if (!a.token) {
      el.textContent = '· not signed in — it will sign in on Send';
      el.className = 'token-state token-none';
      return;
    }
    const elapsed = Date.now() - this.authReceivedAt;
    const left = a.token.expiresInMs - elapsed;
    const jwtLeft = a.token.jwtExpiresInMs === undefined ? undefined : a.token.jwtExpiresInMs - elapsed;
    if (left <= 0) {
      el.textContent = '· token expired — it renews on Send';
      el.className = 'token-state token-expired';
      return;
    }
    el.textContent = `· token expires in ${formatCountdown(left)}${jwtLeft !== undefined ? `, X-JWT in ${formatCountdown(jwtLeft)}` : ''}`;
    el.className = `token-state${left < 60_000 ? ' token-soon' : ''}`;
  }

  private action(action: PanelAction): void {
    if (action === 'retry') {
      this.send();
      return;
    }
    this.post({ type: 'action', action });
  }

  // -------------------------------------------------------------------------------- validation

  private showIssue(key: string, issue: FieldIssue | undefined): void {
    const el = this.issueEls.get(key);
    const control = this.inputs.get(key);
    if (el) {
      el.textContent = issue?.message ?? '';
      el.hidden = issue === undefined;
      el.className = `field-issue${issue?.severity === 'warning' ? ' warning' : ''}`;
    }
    if (control) {
      if (issue?.severity === 'error') control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }

  private clearIssues(): void {
    for (const key of this.issueEls.keys()) this.showIssue(key, undefined);
  }

  private showIssues(issues: readonly FieldIssue[]): void {
    this.clearIssues();
    for (const issue of issues) this.showIssue(this.fieldKey(issue.in, issue.name), issue);
  }

  private send(): void {
    if (!this.op) return;
    const issues = validateForm(this.form, this.op);
    this.showIssues(issues);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) {
      this.statusEl.textContent = errors.length === 1 ? `Not sent: ${errors[0]?.message ?? ''}` : `Not sent: ${errors.length} fields need attention.`;
      const first = errors[0];
      if (first) this.inputs.get(this.fieldKey(first.in, first.name))?.focus();
      return;
    }
    const requestId = this.nextId();
    this.setSending(requestId);
    this.post({ type: 'send', requestId, form: clone(this.form) });
  }

  private copyCurl(withSecrets: boolean): void {
    this.post({ type: 'copyCurl', requestId: this.nextId(), form: clone(this.form), withSecrets });
  }

  private setSending(requestId: string | undefined): void {
    this.sendingId = requestId;
    const busy = requestId !== undefined;
    setDisabled(this.sendBtn, busy);
    setDisabled(this.cancelBtn, !busy);
    this.progressEl.hidden = !busy;
    this.resultEl.setAttribute('aria-busy', busy ? 'true' : 'false');
    if (busy) this.statusEl.textContent = 'Sending…';
  }

  // ---------------------------------------------------------------------------------- response

  private showOutcome(outcome: SendOutcome): void {
    this.bodyView?.dispose();
    this.bodyView = undefined;
    this.bodyJob++;
    clear(this.resultEl);
    if (outcome.ok) this.renderResponse(outcome.response);
    else this.renderError(outcome.error);
  }

  private renderError(error: ErrorView): void {
    if (error.kind === 'cancelled') {
      this.statusEl.textContent = 'Cancelled. Nothing was changed; send again when ready.';
      return;
    }
    if (error.fields) this.showIssues(error.fields);
    this.statusEl.textContent = `Not sent: ${error.message}`;
    const actions = h('div', { class: 'error-actions' });
    for (const a of error.actions) actions.appendChild(button(ACTION_LABELS[a], () => this.action(a), { secondary: a !== error.actions[0] }));
    append(
      this.resultEl,
      h(
        'div',
        { class: `error-banner kind-${error.kind}`, attrs: { role: 'alert' } },
        h('p', { class: 'error-message', text: error.message }),
        error.hint ? h('p', { class: 'error-hint', text: error.hint }) : null,
        error.actions.length > 0 ? actions : null,
      ),
    );
  }

  private renderResponse(r: ResponseView): void {
    const status = h('span', { class: `status ${statusClass(r.status)}`, text: `${r.status} ${r.statusText}`.trim() });
    clear(this.statusEl);
    append(
      this.statusEl,
      status,
      h('span', { class: 'meta', text: ` · ${formatDuration(r.durationMs)} · ${formatBytes(r.bodyBytes)}` }),
      r.retriedAfter401 ? h('span', { class: 'badge', text: 'retried after a 401 token renewal' }) : null,
    );
    this.statusEl.setAttribute(
      'aria-label',
      `Response ${r.status} ${r.statusText}, ${formatDuration(r.durationMs)}, ${formatBytes(r.bodyBytes)}${r.retriedAfter401 ? ', retried after a token renewal' : ''}`,
    );

    if (r.apiError) {
      append(
        this.resultEl,
        h(
          'div',
          { class: `api-error ${statusClass(r.status)}`, attrs: { role: 'note' } },
          h('p', {}, h('strong', { text: r.apiError.code ? `${r.apiError.code}: ${r.apiError.meaning}` : r.apiError.meaning })),
          r.apiError.hint ? h('p', { text: r.apiError.hint }) : null,
        ),
      );
    }

    const tabs = h('vscode-tabs', { attrs: { 'aria-label': 'Response parts' } });
    const bodyHeader = h('vscode-tab-header', { attrs: { slot: 'header' }, text: 'Body' });
    const headersHeader = h('vscode-tab-header', { attrs: { slot: 'header' }, text: `Headers (${r.headers.length})` });
    const bodyPanel = h('vscode-tab-panel', {}, this.bodyContent(r));
    const headersPanel = h('vscode-tab-panel', {}, this.headersTable(r.headers));
    append(tabs, bodyHeader, bodyPanel, headersHeader, headersPanel);

    const tools = h('div', { class: 'response-tools' });
    if (r.bodyKind !== 'empty' && r.bodyKind !== 'binary') {
      tools.appendChild(button('Open in editor', () => this.post({ type: 'openInEditor' }), { secondary: true, id: 'open-in-editor', title: 'Open the whole body in an editor tab' }));
    }
    tools.appendChild(h('span', { class: 'muted url', text: r.url }));
    append(this.resultEl, tools, tabs);
  }

  private bodyContent(r: ResponseView): HTMLElement {
    if (r.bodyKind === 'empty') return h('p', { class: 'muted', text: 'No body.' });
    if (r.bodyKind === 'binary') {
      return h('p', { class: 'muted', text: `Binary body (${r.contentType ?? 'unknown type'}, ${formatBytes(r.bodyBytes)}): not shown as text.` });
    }
    const wrap = h('div', { class: 'body-wrap' });
    if (r.displayTruncated) {
      wrap.appendChild(
        h(
          'div',
          { class: 'truncated', attrs: { role: 'note' } },
          `Showing the first ${formatBytes(r.displayLimitBytes)} of ${formatBytes(r.bodyBytes)}${r.downloadTruncated ? ' (the download itself was cut)' : ''}. `,
          button('Open in editor', () => this.post({ type: 'openInEditor' }), { secondary: true }),
        ),
      );
    }
    const raw = r.bodyUtf8 ? new TextDecoder().decode(r.bodyUtf8) : r.body;
    const json = r.bodyKind === 'json' && looksLikeJson(raw);
    // One string and an index of line starts: no line strings until a line is drawn (bodyLines.ts).
    const lines: BodyLines = json ? new JsonLines(raw) : new TextLines(raw);
    const show = (): HTMLElement => {
      this.bodyView = new BodyView(lines, json, `Response body, ${lines.count} lines`);
      return this.bodyView.element;
    };
    const now = (): number => performance.now();
    // Most bodies are indexed within the first slice and shown in this task; a bigger one is indexed in
    // slices of BODY_SLICE_MS with the browser free in between (in code-server this thread is the whole window's).
    if (advanceFor(lines, BODY_SLICE_MS, now)) {
      wrap.appendChild(show());
      return wrap;
    }
    const waiting = h('p', { class: 'muted body-preparing', attrs: { role: 'status' }, text: `Preparing the body (${formatBytes(r.bodyBytes)}) for display…` });
    wrap.appendChild(waiting);
    const job = this.bodyJob;
    const next = (): void => {
      // A newer response, or a rebuilt form, replaced this one.
      if (job !== this.bodyJob) return;
      if (!advanceFor(lines, BODY_SLICE_MS, now)) {
        window.setTimeout(next, 0);
        return;
      }
      waiting.replaceWith(show());
    };
    window.setTimeout(next, 0);
    return wrap;
  }

  private headersTable(headers: ReadonlyArray<[string, string]>): HTMLElement {
    if (headers.length === 0) return h('p', { class: 'muted', text: 'No headers.' });
    const body = h('tbody');
    for (const [name, value] of headers) body.appendChild(h('tr', {}, h('th', { attrs: { scope: 'row' }, text: name }), h('td', { text: value })));
    return h(
      'table',
      { class: 'headers-table' },
      h('caption', { class: 'sr-only', text: 'Response headers' }),
      h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' }, text: 'Name' }), h('th', { attrs: { scope: 'col' }, text: 'Value' }))),
      body,
    );
  }

  // ----------------------------------------------------------------------------------- history

  private renderHistory(): void {
    const el = this.historyEl;
    const wasOpen = el.querySelector('details')?.open ?? false;
    clear(el);
    const details = h('details', { attrs: { open: wasOpen } });
    details.appendChild(h('summary', { text: `History (${this.history.length})` }));
    if (this.history.length === 0) {
      details.appendChild(h('p', { class: 'muted', text: 'Calls you send appear here (without secrets). Pick one to fill the form with its values.' }));
      el.appendChild(details);
      return;
    }
    const list = h('ul', { class: 'history-list' });
    for (const entry of this.history) list.appendChild(this.historyItem(entry));
    const clearBtn = button('Clear history', () => this.post({ type: 'clearHistory' }), { secondary: true });
    append(details, list, h('div', { class: 'history-tools' }, clearBtn));
    el.appendChild(details);
  }

  private historyItem(entry: HistoryEntryView): HTMLElement {
    const time = new Date(entry.at).toLocaleTimeString();
    const outcome = entry.status !== undefined ? String(entry.status) : (entry.errorKind ?? 'failed');
    const fillBtn = h(
      'button',
      {
        class: 'history-fill',
        attrs: { type: 'button', 'aria-label': `Fill the form from ${entry.method} ${entry.url} at ${time}, ${outcome}` },
        on: { click: () => this.fillFromHistory(entry) },
      },
      h('span', { class: `status ${entry.status !== undefined ? statusClass(entry.status) : 'status-failed'}`, text: outcome }),
      h('span', { class: 'history-method', text: entry.method }),
      h('span', { class: 'history-url', text: entry.url }),
      h('span', { class: 'history-time', text: `${time}${entry.durationMs !== undefined ? ` · ${formatDuration(entry.durationMs)}` : ''}` }),
    );
    const rerun = h('button', {
      class: 'history-rerun',
      text: 'Re-run',
      attrs: { type: 'button', 'aria-label': `Send again with the values from ${time}` },
      on: {
        click: () => {
          this.fillFromHistory(entry);
          this.send();
        },
      },
    });
    return h(
      'li',
      {},
      fillBtn,
      rerun,
      entry.dropped.length > 0 ? h('div', { class: 'history-dropped', text: `Not kept (secrets): ${entry.dropped.join(', ')}` }) : null,
    );
  }

  /** The entry's values; secrets it left out are kept from the current form so a re-run still works. */
  private fillFromHistory(entry: HistoryEntryView): void {
    const next = clone(entry.form);
    for (const [k, v] of Object.entries(this.form.headers)) if (isSecretName(k, this.op?.secretNames) && next.headers[k] === undefined) next.headers[k] = v;
    for (const [k, v] of Object.entries(this.form.query)) if (isSecretName(k, this.op?.secretNames) && next.query[k] === undefined) next.query[k] = v;
    for (const [k, v] of Object.entries(this.form.cookies)) if (next.cookies[k] === undefined) next.cookies[k] = v;
    if (next.body === '' && entry.dropped.some((d) => d.startsWith('body'))) next.body = this.form.body;
    this.fill(next);
    this.notice(`Filled the form from the call at ${new Date(entry.at).toLocaleTimeString()}.`, 'info');
  }

  private notice(message: string, level: 'info' | 'error'): void {
    const el = this.noticeEl;
    el.textContent = message;
    el.className = `notice notice-${level}`;
    el.hidden = false;
    window.clearTimeout(this.noticeTimer);
    this.noticeTimer = window.setTimeout(() => {
      el.hidden = true;
    }, 8000);
  }
}

const root = document.getElementById('app');
if (root) new PanelApp(acquireVsCodeApi(), root);
