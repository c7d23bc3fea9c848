/**
 * The one protocol between the extension host and the request panel webview. Both sides import this file:
 * the host (Node bundle) and the webview (browser bundle), so it must stay free of Node, DOM and `vscode`.
 *
 * - Discriminated unions for both directions (`ToHost`, `ToWebview`).
 * - Request/response pairs carry a `requestId` chosen by whoever asks (`w…` from the webview, `h…` from the
 *   host), so every reply finds its request even when several are in flight.
 * - A ready handshake: the webview posts `ready` once its listener is installed; the host posts nothing
 *   before that (a message posted earlier would be lost, not queued).
 * - Everything the webview sends is untrusted input (a compromised page could post anything): `parseToHost`
 *   checks every field before a handler sees it, and the host rejects and logs anything else.
 * - `Handlers<M>` maps every message type to a handler, so adding a message without handling it on the
 *   other side is a compile error.
 */

export const PANEL_VIEW_TYPE = 'telenor.request';

// ------------------------------------------------------------------------------------------- shared data

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** What the form holds: every value as typed (text), keyed by parameter name. */
export interface FormValues {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  /** Request body as typed; '' for none. */
  body: string;
  /** The body's media type (one the operation declares); '' when the operation has no body. */
  mediaType: string;
}

export interface ParameterView {
  name: string;
  in: ParameterLocation;
  required: boolean;
  /** JSON type for the control: string, integer, number, boolean, array, object. */
  type?: string;
  format?: string;
  description?: string;
  deprecated?: boolean;
  /** Allowed values as text (a select). */
  enum?: string[];
  /** The spec's default, as text (shown, not sent). */
  default?: string;
  /** An example value as text (the placeholder). */
  example?: string;
  /** For arrays: the item type. */
  itemsType?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

export interface OperationView {
  apiId: string;
  operationId: string;
  apiTitle: string;
  /** Upper case. */
  method: string;
  path: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  parameters: ParameterView[];
  body?: { required: boolean; description?: string; mediaTypes: string[] };
  /** Parameter names the spec declares as API keys: never kept in state or history. */
  secretNames?: string[];
}

/** Where the request will go. */
export type ServerView =
  | { state: 'loading'; environmentLabel: string }
  | { state: 'ok'; url: string; environmentLabel: string }
  | { state: 'error'; environmentLabel: string; message: string; hint: string };

/** Which token the request will use. */
export type AuthView =
  | { state: 'loading' }
  /** The API declares no security: nothing is added. */
  | { state: 'none' }
  /** The profile could not be decided (the message says why); Send will still try. */
  | { state: 'unknown'; message: string }
  | {
      state: 'profile';
      /** The grant, e.g. "Norway password grant". */
      label: string;
      environmentLabel: string;
      /** Absent when no token is held: it will sign in on Send. Relative, because the webview's clock may differ. */
      token?: { expiresInMs: number; jwtExpiresInMs?: number };
    };

/** Buttons an error or a banner can offer; the host runs the matching command. */
export type PanelAction = 'useDemoCredentials' | 'setCredentials' | 'signIn' | 'fixServer' | 'openSettings' | 'showLog' | 'retry';
export const PANEL_ACTIONS: readonly PanelAction[] = ['useDemoCredentials', 'setCredentials', 'signIn', 'fixServer', 'openSettings', 'showLog', 'retry'];

export interface FieldIssue {
  in: ParameterLocation | 'body';
  name: string;
  message: string;
  /** Errors block Send; warnings are shown and sent anyway (to test the server's own validation). */
  severity: 'error' | 'warning';
}

export interface ErrorView {
  /** The TelenorError kind (`network`, `timeout`, `credentials-missing`, `input`…). */
  kind: string;
  /** What happened. */
  message: string;
  /** What to do. */
  hint: string;
  actions: PanelAction[];
  /** For input errors: which fields, shown next to them. */
  fields?: FieldIssue[];
}

export type BodyKind = 'json' | 'text' | 'binary' | 'empty';

export interface ResponseView {
  status: number;
  statusText: string;
  /** Total time to the end of the body, ms. */
  durationMs: number;
  /** Bytes received (decoded). */
  bodyBytes: number;
  /** The URL that answered (secrets masked). */
  url: string;
  retriedAfter401: boolean;
  /** Lower-case names; credential headers masked. */
  headers: Array<[string, string]>;
  contentType?: string;
  bodyKind: BodyKind;
  /** At most `displayLimitBytes` of the body (nothing for binary bodies). */
  body: string;
  /**
   * Large bodies travel as UTF-8 bytes instead (`body` is then ''): VS Code passes typed arrays to the
   * webview as binary, where a multi-megabyte string would be JSON-escaped and parsed on the way.
   */
  bodyUtf8?: Uint8Array;
  /** True when `body` holds less than was received: "Open in editor" shows more. */
  displayTruncated: boolean;
  displayLimitBytes: number;
  /** True when even the editor copy is cut (the body exceeded the download cap). */
  downloadTruncated: boolean;
  /** For 4xx/5xx: what the error body means (Norway code, Apigee fault…) and what to do. */
  apiError?: { code?: string; meaning: string; hint: string };
}

export type SendOutcome = { ok: true; response: ResponseView } | { ok: false; error: ErrorView };

export interface HistoryEntryView {
  id: string;
  /** Epoch ms. */
  at: number;
  method: string;
  /** Secrets masked. */
  url: string;
  status?: number;
  /** Set when the send failed before an answer (`network`, `timeout`…). */
  errorKind?: string;
  durationMs?: number;
  /** The inputs without secrets: re-fill the form with these. */
  form: FormValues;
  /** Names of inputs left out because they held (or looked like) secrets. */
  dropped: string[];
}

/** What `getState`/`setState` keep in the webview (and the serializer gets back): never a secret. */
export interface PanelState {
  apiId: string;
  operationId: string;
  form: FormValues;
}

// ----------------------------------------------------------------------------------------------- messages

/** Webview → host. */
export type ToHost =
  | { type: 'ready' }
  | { type: 'send'; requestId: string; form: FormValues }
  | { type: 'cancel' }
  | { type: 'copyCurl'; requestId: string; form: FormValues; withSecrets: boolean }
  | { type: 'insertSnippet'; form: FormValues }
  | { type: 'openInEditor' }
  | { type: 'loadExample'; requestId: string; mediaType: string }
  | { type: 'action'; action: PanelAction }
  | { type: 'clearHistory' }
  /** Reply to `collectForm`. */
  | { type: 'formCollected'; requestId: string; form: FormValues };

/** Host → webview. */
export type ToWebview =
  | {
      type: 'init';
      operation: OperationView;
      form: FormValues;
      history: HistoryEntryView[];
      server: ServerView;
      auth: AuthView;
      /** The last outcome, so a webview re-created after being hidden shows the response again. */
      last?: SendOutcome;
      /** Set while a send is in flight (its request id). */
      sending?: string;
    }
  /** The spec changed: re-render the form for this operation, keeping what was typed. */
  | { type: 'operation'; operation: OperationView }
  | { type: 'server'; server: ServerView }
  | { type: 'auth'; auth: AuthView }
  | { type: 'history'; history: HistoryEntryView[] }
  /** Replace the form's values (a hover on a concrete URL, a command with values). */
  | { type: 'fill'; form: FormValues }
  /** A send the host started (command, keybinding): show progress and the values it uses. */
  | { type: 'sendStarted'; requestId: string; form: FormValues }
  | { type: 'sendResult'; requestId: string; outcome: SendOutcome }
  | { type: 'copyResult'; requestId: string; ok: boolean; message: string }
  | { type: 'example'; requestId: string; mediaType: string; text: string }
  /** Ask for the form as it is now; answered by `formCollected`. */
  | { type: 'collectForm'; requestId: string }
  | { type: 'notice'; level: 'info' | 'error'; message: string };

/** One handler per message type; a missing one is a compile error. */
export type Handlers<M extends { type: string }> = { [K in M['type']]: (message: Extract<M, { type: K }>) => void | Promise<void> };

export function dispatch<M extends { type: string }>(handlers: Handlers<M>, message: M): void | Promise<void> {
  const handler = handlers[message.type as M['type']] as (m: M) => void | Promise<void>;
  return handler(message);
}

// ----------------------------------------------------------------------------------------- validation

/** Limits on what the webview may send: generous for real use, small enough that garbage cannot hurt. */
export const LIMITS = {
  /** Parameters per location. */
  maxFields: 500,
  /** One parameter name or value. */
  maxValueChars: 64 * 1024,
  /** A request body typed or pasted into the editor. */
  maxBodyChars: 16 * 1024 * 1024,
  maxIdChars: 64,
} as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

type Check<T> = (v: unknown, at: string) => T;

class Invalid extends Error {}

function fail(at: string, what: string): never {
  throw new Invalid(`${at}: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str =
  (max: number): Check<string> =>
  (v, at) => {
    if (typeof v !== 'string') fail(at, `expected a string, got ${describe(v)}`);
    if (v.length > max) fail(at, `longer than ${max} characters`);
    return v;
  };

const requestId: Check<string> = (v, at) => {
  const s = str(LIMITS.maxIdChars)(v, at);
  if (!/^[wh]-\d+$/.test(s)) fail(at, 'not a request id');
  return s;
};

const bool: Check<boolean> = (v, at) => {
  if (typeof v !== 'boolean') fail(at, `expected true or false, got ${describe(v)}`);
  return v;
};

function oneOf<T extends string>(values: readonly T[]): Check<T> {
  return (v, at) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) fail(at, `expected one of ${values.join(', ')}`);
    return v as T;
  };
}

/** A flat record of strings, the shape every parameter location has in the form. */
const stringRecord: Check<Record<string, string>> = (v, at) => {
  if (!isRecord(v)) fail(at, `expected an object, got ${describe(v)}`);
  const keys = Object.keys(v);
  if (keys.length > LIMITS.maxFields) fail(at, `more than ${LIMITS.maxFields} entries`);
  // A null prototype: a key named `__proto__` stays a plain key instead of replacing the prototype.
  const out = Object.create(null) as Record<string, string>;
  for (const k of keys) {
    if (k.length === 0 || k.length > 1024) fail(at, 'a field name is empty or too long');
    out[k] = str(LIMITS.maxValueChars)(v[k], `${at}.${k}`);
  }
  return { ...out };
};

const formValues: Check<FormValues> = (v, at) => {
  if (!isRecord(v)) fail(at, `expected an object, got ${describe(v)}`);
  return {
    path: stringRecord(v['path'], `${at}.path`),
    query: stringRecord(v['query'], `${at}.query`),
    headers: stringRecord(v['headers'], `${at}.headers`),
    cookies: stringRecord(v['cookies'], `${at}.cookies`),
    body: str(LIMITS.maxBodyChars)(v['body'], `${at}.body`),
    mediaType: str(256)(v['mediaType'], `${at}.mediaType`),
  };
};

/** Field checks per webview message type (besides `type`). Exhaustive over `ToHost` by its type. */
const TO_HOST_FIELDS: { [K in ToHost['type']]: Record<Exclude<keyof Extract<ToHost, { type: K }>, 'type'>, Check<unknown>> } = {
  ready: {},
  send: { requestId, form: formValues },
  cancel: {},
  copyCurl: { requestId, form: formValues, withSecrets: bool },
  insertSnippet: { form: formValues },
  openInEditor: {},
  loadExample: { requestId, mediaType: str(256) },
  action: { action: oneOf(PANEL_ACTIONS) },
  clearHistory: {},
  formCollected: { requestId, form: formValues },
};

/**
 * Checks a message from the webview. Unknown types, missing or extra fields and wrong shapes are rejected
 * with a short reason (for the log; the reason never echoes values, which could be secrets).
 */
export function parseToHost(raw: unknown): Parsed<ToHost> {
  try {
    if (!isRecord(raw)) fail('message', `expected an object, got ${describe(raw)}`);
    const type = raw['type'];
    if (typeof type !== 'string' || !Object.hasOwn(TO_HOST_FIELDS, type)) {
      fail('message', `unknown type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : describe(type)}`);
    }
    const fields = TO_HOST_FIELDS[type as ToHost['type']] as Record<string, Check<unknown>>;
    const out: Record<string, unknown> = { type };
    for (const key of Object.keys(raw)) {
      if (key !== 'type' && !Object.hasOwn(fields, key)) fail(type, `unexpected field ${JSON.stringify(key.slice(0, 40))}`);
    }
    for (const [key, check] of Object.entries(fields)) {
      if (!Object.hasOwn(raw, key)) fail(type, `missing field ${key}`);
      out[key] = check(raw[key], `${type}.${key}`);
    }
    return { ok: true, value: out as ToHost };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** Checks what the serializer hands back (the webview wrote it, so it is checked like a message). */
export function parsePanelState(raw: unknown): Parsed<PanelState> {
  try {
    if (!isRecord(raw)) fail('state', `expected an object, got ${describe(raw)}`);
    return {
      ok: true,
      value: {
        apiId: str(4096)(raw['apiId'], 'state.apiId'),
        operationId: str(4096)(raw['operationId'], 'state.operationId'),
        form: formValues(raw['form'], 'state.form'),
      },
    };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}

/** An empty form (no values, no body). */
export function emptyForm(mediaType = ''): FormValues {
  return { path: {}, query: {}, headers: {}, cookies: {}, body: '', mediaType };
}
