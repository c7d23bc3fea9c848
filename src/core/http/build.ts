/**
 * From an operation and what the user filled in to a request ready to send: URL (server + path template +
 * query, serialized per OpenAPI `style`/`explode`), headers, cookies and body with its content type.
 * Auth headers are not added here (see send.ts): a built request holds no secret unless the user typed one.
 *
 * Hand-written: the libraries that serialize OpenAPI parameters want the whole spec and a schema per
 * parameter, while we have the worker's small `OperationInfo` summary and form values as strings.
 */
import { TelenorError } from '../errors';
import type { OperationInfo, ParameterInfo } from '../spec/types';
import type { Headers, PreparedRequest, RequestValues } from './types';

export interface MissingParameter {
  name: string;
  in: ParameterInfo['in'] | 'body';
}

/** A required parameter (or the body) was left empty. `missing` names each one. */
export class MissingParametersError extends TelenorError {
  constructor(
    readonly missing: readonly MissingParameter[],
    operationLabel: string,
  ) {
    super('input', `${operationLabel}: missing required ${describeMissing(missing)}.`, {
      hint: 'Fill in the required fields (marked *) and send again.',
    });
    this.name = 'MissingParametersError';
  }
}

function describeMissing(missing: readonly MissingParameter[]): string {
  const parts = missing.map((m) => (m.in === 'body' ? 'request body' : `${m.in} parameter "${m.name}"`));
  return parts.join(', ');
}

/** A value is "filled in" when it is not empty; `0` and `false` typed as text are values. */
function isEmpty(v: string | readonly string[] | undefined): boolean {
  if (v === undefined) return true;
  if (typeof v === 'string') return v === '';
  return v.length === 0 || v.every((x) => x === '');
}

/** RFC 3986 unreserved characters stay; everything else is percent-encoded (also `!'()*`). */
export function encodeComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function buildRequest(operation: OperationInfo, values: RequestValues): PreparedRequest {
  const missing: MissingParameter[] = [];
  const declared = new Map<string, ParameterInfo>();
  for (const p of operation.parameters) declared.set(`${p.in}:${p.name}`, p);

  const path = buildPath(operation, values, declared, missing);
  const query = buildQuery(operation, values, missing);
  const headers = buildHeaders(operation, values, missing);
  const cookie = buildCookies(operation, values, missing);
  if (cookie !== '') setHeader(headers, 'cookie', cookie);

  const hasBody = values.body !== undefined && values.body !== '';
  if (operation.requestBody?.required === true && !hasBody) missing.push({ name: 'body', in: 'body' });

  if (missing.length > 0) {
    throw new MissingParametersError(missing, `${operation.method.toUpperCase()} ${operation.path}`);
  }

  const url = joinUrl(values.serverUrl, path) + (query === '' ? '' : `?${query}`);
  const prepared: PreparedRequest = { method: operation.method.toUpperCase(), url, headers };

  if (hasBody) {
    const declaredType = operation.requestBody?.contents[0]?.mediaType;
    const contentType =
      getHeader(headers, 'content-type') ?? values.contentType ?? declaredType ?? guessContentType(values.body ?? '');
    setHeader(headers, 'content-type', contentType);
    prepared.body = serializeBody(values.body ?? '', contentType);
  }

  if (getHeader(headers, 'accept') === undefined) {
    const accept = acceptFor(operation);
    if (accept !== undefined) setHeader(headers, 'accept', accept);
  }
  return prepared;
}

function joinUrl(serverUrl: string, path: string): string {
  const base = serverUrl.trim().replace(/\/+$/, '');
  if (base === '') {
    throw new TelenorError('input', 'No server URL to send the request to.', {
      hint: 'Pick an environment with a base URL for this API, or add a server to the spec.',
    });
  }
  return base + (path.startsWith('/') ? path : `/${path}`);
}

// ---- path ----------------------------------------------------------------------------------------------

function buildPath(
  operation: OperationInfo,
  values: RequestValues,
  declared: ReadonlyMap<string, ParameterInfo>,
  missing: MissingParameter[],
): string {
  // Only names in the template count: a declared path parameter the template lacks is a spec mistake.
  return operation.path.replace(/\{([^{}]+)\}/g, (_m, name: string) => {
    const value = values.path[name];
    const param = declared.get(`path:${name}`);
    if (value === undefined || value === '') {
      missing.push({ name, in: 'path' });
      return `{${name}}`;
    }
    return serializePathValue(name, value, param);
  });
}

/** `simple` (default) `a,b`; `label` `.a.b` / `.a,b`; `matrix` `;id=a;id=b` / `;id=a,b`. */
function serializePathValue(name: string, value: string, param: ParameterInfo | undefined): string {
  const style = param?.style ?? 'simple';
  const explode = param?.explode ?? false;
  const items = param?.type === 'array' ? splitList(value) : [value];
  const enc = items.map(encodeComponent);
  switch (style) {
    case 'label':
      return `.${enc.join(explode ? '.' : ',')}`;
    case 'matrix':
      return explode ? enc.map((v) => `;${name}=${v}`).join('') : `;${name}=${enc.join(',')}`;
    default:
      return enc.join(',');
  }
}

/** Array values typed into one text box: comma separated, spaces around items ignored. */
function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

// ---- query ---------------------------------------------------------------------------------------------

function buildQuery(operation: OperationInfo, values: RequestValues, missing: MissingParameter[]): string {
  const parts: string[] = [];
  const used = new Set<string>();
  for (const p of operation.parameters) {
    if (p.in !== 'query') continue;
    used.add(p.name);
    const raw = values.query[p.name];
    if (isEmpty(raw)) {
      if (p.required) missing.push({ name: p.name, in: 'query' });
      continue;
    }
    parts.push(...serializeQuery(p, raw as string | string[]));
  }
  // Extra query parameters the user added by hand (not in the spec) are sent as given.
  for (const [name, raw] of Object.entries(values.query)) {
    if (used.has(name) || isEmpty(raw)) continue;
    for (const v of typeof raw === 'string' ? [raw] : raw) parts.push(`${encodeComponent(name)}=${encodeComponent(v)}`);
  }
  return parts.join('&');
}

function serializeQuery(p: ParameterInfo, raw: string | string[]): string[] {
  const style = p.style ?? 'form';
  const explode = p.explode ?? style === 'form';
  const name = encodeComponent(p.name);

  const object = p.type === 'object' && typeof raw === 'string' ? parseObject(raw) : undefined;
  if (object !== undefined) {
    const entries = Object.entries(object).filter(([, v]) => v !== '');
    if (style === 'deepObject') return entries.map(([k, v]) => `${name}%5B${encodeComponent(k)}%5D=${encodeComponent(v)}`);
    if (explode) return entries.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`);
    return [`${name}=${entries.map(([k, v]) => `${encodeComponent(k)},${encodeComponent(v)}`).join(',')}`];
  }

  const items = (typeof raw === 'string' ? (p.type === 'array' ? splitList(raw) : [raw]) : raw).filter((v) => v !== '');
  if (items.length === 0) return [];
  if (p.type !== 'array' && items.length === 1) return [`${name}=${encodeComponent(items[0] ?? '')}`];
  if (explode) return items.map((v) => `${name}=${encodeComponent(v)}`);
  const sep = style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '|' : ',';
  return [`${name}=${items.map(encodeComponent).join(sep)}`];
}

/** Object-typed values come from the form as JSON text; flat string/number/boolean members only. */
function parseObject(raw: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

// ---- headers and cookies -------------------------------------------------------------------------------

function buildHeaders(operation: OperationInfo, values: RequestValues, missing: MissingParameter[]): Headers {
  const headers: Headers = {};
  for (const [name, value] of Object.entries(values.headers)) {
    if (value !== '') setHeader(headers, name, value);
  }
  for (const p of operation.parameters) {
    if (p.in !== 'header') continue;
    const value = getHeader(headers, p.name);
    if (value === undefined || value === '') {
      if (p.required) missing.push({ name: p.name, in: 'header' });
      continue;
    }
    if (p.type === 'array') setHeader(headers, p.name, splitList(value).join(','));
  }
  return headers;
}

function buildCookies(operation: OperationInfo, values: RequestValues, missing: MissingParameter[]): string {
  const given = values.cookies ?? {};
  const pairs: string[] = [];
  const used = new Set<string>();
  for (const p of operation.parameters) {
    if (p.in !== 'cookie') continue;
    used.add(p.name);
    const value = given[p.name];
    if (value === undefined || value === '') {
      if (p.required) missing.push({ name: p.name, in: 'cookie' });
      continue;
    }
    pairs.push(`${p.name}=${encodeComponent(value)}`);
  }
  for (const [name, value] of Object.entries(given)) {
    if (!used.has(name) && value !== '') pairs.push(`${name}=${encodeComponent(value)}`);
  }
  return pairs.join('; ');
}

/** Header names are case-insensitive: find the existing spelling so a value never appears twice. */
export function getHeader(headers: Readonly<Headers>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function setHeader(headers: Headers, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) {
    if (k.toLowerCase() === lower) {
      headers[k] = value;
      return;
    }
  }
  headers[name] = value;
}

// ---- body ----------------------------------------------------------------------------------------------

function guessContentType(body: string): string {
  const t = body.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      JSON.parse(t);
      return 'application/json';
    } catch {
      // Not JSON: plain text below.
    }
  }
  return 'text/plain; charset=utf-8';
}

/**
 * JSON and text go as typed. A form body may be typed as `a=1&b=2` (sent as is) or as a JSON object (the
 * request panel's field editor), which is encoded here.
 */
function serializeBody(body: string, contentType: string): string {
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) return body;
  const object = body.trim().startsWith('{') ? parseObject(body) : undefined;
  if (object === undefined) return body;
  return Object.entries(object)
    .map(([k, v]) => `${encodeForm(k)}=${encodeForm(v)}`)
    .join('&');
}

function encodeForm(s: string): string {
  return encodeComponent(s).replace(/%20/g, '+');
}

/** Prefer JSON when the operation can answer it; else every media type it declares. */
function acceptFor(operation: OperationInfo): string | undefined {
  const types = new Set<string>();
  for (const r of operation.responses) for (const t of r.mediaTypes) types.add(t);
  if (types.size === 0) return undefined;
  for (const t of types) if (/[/+]json\b/i.test(t)) return t;
  return [...types].join(', ');
}
