/**
 * A prepared request as a HAR request (what @readme/httpsnippet reads, and what a HAR viewer shows), with
 * secrets replaced by named placeholders unless the user asked for them.
 *
 * Placeholders are written `<name>` here; the snippet generator turns them into environment variables for
 * shell targets (`$TELENOR_TOKEN`) and into tab stops for editor insertion.
 */
import { randomUUID } from 'node:crypto';
import type { Headers, PreparedRequest } from '../http/types';
import type { Redactor } from '../util/redact';

export interface HarNameValue {
  name: string;
  value: string;
}

/** The HAR 1.2 request fields httpsnippet reads. */
export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: HarNameValue[];
  queryString: HarNameValue[];
  cookies: HarNameValue[];
  headersSize: number;
  bodySize: number;
  postData?: { mimeType: string; text?: string; params?: HarNameValue[] };
}

export interface HarOptions {
  /** Replace secrets with placeholders (`<access_token>`…). Default true. */
  maskSecrets?: boolean;
  /** Auth headers to include (from the AuthHeaderProvider); `PreparedRequest` holds none. */
  authHeaders?: Headers;
  /** With `maskSecrets`: values containing a registered secret are masked even where no rule names them. */
  redactor?: Redactor;
}

/** A secret's placeholder: `<name>` in code, `$env` in shell code. */
export interface PlaceholderInfo {
  name: string;
  env: string;
}

/** What each kind of secret becomes. Field names are matched case-insensitively. */
const PLACEHOLDERS: Readonly<Record<string, PlaceholderInfo>> = {
  access_token: { name: 'access_token', env: 'TELENOR_TOKEN' },
  token: { name: 'token', env: 'TELENOR_TOKEN' },
  jwt: { name: 'jwt', env: 'TELENOR_JWT' },
  basic_credentials: { name: 'basic_credentials', env: 'TELENOR_BASIC_CREDENTIALS' },
  credentials: { name: 'credentials', env: 'TELENOR_CREDENTIALS' },
  cookie: { name: 'cookie', env: 'TELENOR_COOKIE' },
  refresh_token: { name: 'refresh_token', env: 'TELENOR_REFRESH_TOKEN' },
  id_token: { name: 'id_token', env: 'TELENOR_ID_TOKEN' },
  client_secret: { name: 'client_secret', env: 'TELENOR_CLIENT_SECRET' },
  clientsecret: { name: 'client_secret', env: 'TELENOR_CLIENT_SECRET' },
  password: { name: 'password', env: 'TELENOR_PASSWORD' },
  code: { name: 'code', env: 'TELENOR_AUTH_CODE' },
  state: { name: 'state', env: 'TELENOR_STATE' },
  transaction_id: { name: 'transaction_id', env: 'TELENOR_TRANSACTION_ID' },
  secret: { name: 'secret', env: 'TELENOR_SECRET' },
};

/** Every placeholder the masking can produce, by its `<name>` text. */
export const PLACEHOLDER_BY_TEXT: ReadonlyMap<string, PlaceholderInfo> = new Map(
  Object.values(PLACEHOLDERS).map((p) => [`<${p.name}>`, p]),
);

function placeholder(kind: string): string {
  return `<${(PLACEHOLDERS[kind] ?? PLACEHOLDERS['secret'])?.name ?? 'secret'}>`;
}

/** Query and form fields that carry secrets. */
const SECRET_PARAMS: ReadonlySet<string> = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'password',
  'token',
  'code',
  'state',
]);
/** JSON properties that carry secrets (the hasPermission body's `password` among them). */
const SECRET_JSON_KEYS: ReadonlySet<string> = new Set([...SECRET_PARAMS, 'clientsecret', 'jwt', 'secret']);

function isPlaceholder(v: string): boolean {
  return /^<[\w.-]+>$/.test(v.trim());
}

export function toHar(prepared: PreparedRequest, options: HarOptions = {}): HarRequest {
  const mask = options.maskSecrets ?? true;
  const scrub = (v: string): string => (mask && options.redactor?.containsSecret(v) === true ? options.redactor.redact(v) : v);

  const url = new URL(prepared.url);
  const queryString: HarNameValue[] = [];
  for (const [name, value] of url.searchParams) {
    queryString.push({ name, value: mask && SECRET_PARAMS.has(name.toLowerCase()) && value !== '' ? placeholder(name.toLowerCase()) : scrub(value) });
  }
  const base = `${url.origin}${url.pathname}`;

  const merged: Headers = { ...prepared.headers };
  let hasJwt = false;
  let hasTransactionId = false;
  for (const [name, value] of Object.entries(options.authHeaders ?? {})) {
    for (const k of Object.keys(merged)) if (k.toLowerCase() === name.toLowerCase()) delete merged[k];
    merged[name] = value;
  }
  const headers: HarNameValue[] = [];
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(merged)) {
    const key = name.toLowerCase();
    if (key === 'content-length' || key === 'host') continue;
    if (key === 'content-type') contentType = value;
    if (key === 'x-jwt') hasJwt = true;
    if (key === 'x-transaction-id') hasTransactionId = true;
    headers.push({ name, value: mask ? maskHeader(key, value, scrub) : value });
  }
  // Sweden's Communication APIs want a fresh transaction id with every X-JWT call.
  if (hasJwt && !hasTransactionId) {
    headers.push({ name: 'X-Transaction-Id', value: mask ? placeholder('transaction_id') : randomUUID() });
  }

  const har: HarRequest = {
    method: prepared.method.toUpperCase(),
    url: base,
    httpVersion: 'HTTP/1.1',
    headers,
    queryString,
    cookies: [],
    headersSize: -1,
    bodySize: -1,
  };
  if (prepared.body !== undefined && prepared.body.length > 0) {
    const text = typeof prepared.body === 'string' ? prepared.body : Buffer.from(prepared.body).toString('utf8');
    har.postData = postData(text, contentType ?? 'text/plain', mask, scrub);
    har.bodySize = Buffer.byteLength(har.postData.text ?? '');
  }
  return har;
}

function maskHeader(key: string, value: string, scrub: (v: string) => string): string {
  if (isPlaceholder(value)) return value;
  switch (key) {
    case 'authorization':
    case 'proxy-authorization': {
      const m = /^\s*([A-Za-z][\w-]*)\s+(\S.*)$/.exec(value);
      if (m === null) return placeholder('access_token');
      const scheme = m[1] ?? '';
      if (isPlaceholder(m[2] ?? '')) return value;
      if (/^bearer$/i.test(scheme)) return `${scheme} ${placeholder('access_token')}`;
      if (/^basic$/i.test(scheme)) return `${scheme} ${placeholder('basic_credentials')}`;
      return `${scheme} ${placeholder('credentials')}`;
    }
    case 'x-jwt':
      return placeholder('jwt');
    case 'cookie':
      return placeholder('cookie');
    default:
      return scrub(value);
  }
}

function postData(text: string, mimeType: string, mask: boolean, scrub: (v: string) => string): NonNullable<HarRequest['postData']> {
  if (/^application\/x-www-form-urlencoded\b/i.test(mimeType)) {
    const params: HarNameValue[] = [];
    for (const [name, value] of new URLSearchParams(text)) {
      params.push({ name, value: mask && SECRET_PARAMS.has(name.toLowerCase()) && value !== '' ? placeholder(name.toLowerCase()) : scrub(value) });
    }
    const encoded = params.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(p.value)}`).join('&');
    return { mimeType, params, text: mask ? encoded : text };
  }
  if (mask && /[/+]json\b/i.test(mimeType)) {
    try {
      const parsed = JSON.parse(text) as unknown;
      return { mimeType, text: JSON.stringify(maskJson(parsed, 0, scrub)) };
    } catch {
      // Not valid JSON after all: masked as text below.
    }
  }
  return { mimeType, text: mask ? maskText(text, scrub) : text };
}

function maskJson(value: unknown, depth: number, scrub: (v: string) => string): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => maskJson(v, depth + 1, scrub));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.toLowerCase();
    const secret = SECRET_JSON_KEYS.has(key) && (typeof v === 'string' ? v !== '' && !isPlaceholder(v) && !isErrorCode(key, v) : key === 'password' && typeof v === 'number');
    out[k] = secret ? placeholder(key) : maskJson(v, depth + 1, scrub);
  }
  return out;
}

/** CAMARA-style `"code": "UNAUTHENTICATED"` or a Norway `"code": "40106"` is not a secret. */
function isErrorCode(key: string, v: string): boolean {
  return key === 'code' && /^(?:[A-Z][A-Z_.]*|\d{1,7})$/.test(v);
}

/** Text bodies: `"password": "…"`-style fields the JSON parse could not reach. */
function maskText(text: string, scrub: (v: string) => string): string {
  return scrub(
    text.replace(
      /("(access_token|refresh_token|id_token|client_secret|clientSecret|password|token|jwt|secret)"\s*:\s*")((?:[^"\\]|\\.)*)(")/gi,
      (_m, head: string, name: string, _v: string, tail: string) => `${head}${placeholder(name.toLowerCase())}${tail}`,
    ),
  );
}
