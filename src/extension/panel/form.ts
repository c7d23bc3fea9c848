/**
 * The request form's model, pure (no vscode, no DOM, no Node): the host uses it to build requests and the
 * webview bundle imports it for inline validation, so both sides agree on what "valid" and "secret" mean.
 */
import type { PreparedRequest, RequestValues } from '../../core/http/types';
import type { ApiSummary, OperationInfo, ParameterInfo } from '../../core/spec/types';
import { emptyForm, type FieldIssue, type FormValues, type OperationView, type ParameterLocation, type ParameterView } from '../../protocol';

/**
 * Parameter and header names whose value is a credential, compared without case, `-` and `_`: the OAuth and
 * Telenor ones (`access_token`, `X-JWT`, `Authorization`, `Cookie`) and the usual API-key spellings
 * (`api_key`, `X-Api-Key`, `subscription-key`). Never kept in webview state, history or logged URLs.
 */
const SECRET_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xjwt',
  'jwt',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'clientsecret',
  'clientassertion',
  'password',
  'passwd',
  'secret',
  'code',
  'state',
  'apikey',
  'xapikey',
  'key',
  'subscriptionkey',
  'ocpapimsubscriptionkey',
  'signature',
  'sessionid',
]);

/** `extra`: names the spec declares as apiKey security schemes (see `OperationView.secretNames`). */
export function isSecretName(name: string, extra: readonly string[] = []): boolean {
  const bare = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_NAMES.has(bare) || extra.some((n) => n.toLowerCase() === name.toLowerCase());
}

/** A URL fit for history and logs: values of secret-named query parameters replaced by `***`. */
export function withoutSecretQuery(url: string, extra: readonly string[] = []): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  let changed = false;
  for (const name of new Set(parsed.searchParams.keys())) {
    if (isSecretName(name, extra)) {
      parsed.searchParams.set(name, '***');
      changed = true;
    }
  }
  return changed ? parsed.href : url;
}

/**
 * For a masked copy (curl, snippets): values of secret-named headers and query parameters that the snippet
 * generator would not know to mask (`X-Api-Key`, `api_key`, a spec's own apiKey names) become `<secret>`.
 */
export function maskSecretInputs(prepared: PreparedRequest, extra: readonly string[] = []): PreparedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(prepared.headers)) headers[k] = isSecretName(k, extra) && v !== '' ? '<secret>' : v;
  return { ...prepared, headers, url: withoutSecretQuery(prepared.url, extra).replace(/=\*\*\*(?=&|#|$)/g, '=%3Csecret%3E') };
}

/** Any value shown as text: strings as is, everything else as JSON (`true`, `100`, `["a","b"]`). */
export function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) return v.join(',');
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

/** The webview's picture of an operation. `examples` are `SpecCatalog.parameterExamples` (keyed `in:name`). */
/** Names of apiKey security schemes (query, header or cookie): their values are credentials. */
export function apiKeyNames(api: Pick<ApiSummary, 'securitySchemes'>): string[] {
  return Object.values(api.securitySchemes)
    .filter((s) => s.type === 'apiKey' && typeof s.name === 'string' && s.name !== '')
    .map((s) => s.name as string);
}

export function operationView(apiId: string, apiTitle: string, op: OperationInfo, examples: Record<string, unknown> = {}, secretNames: string[] = []): OperationView {
  const view: OperationView = {
    apiId,
    operationId: op.id,
    apiTitle,
    method: op.method.toUpperCase(),
    path: op.path,
    deprecated: op.deprecated,
    parameters: op.parameters.map((p) => parameterView(p, examples[`${p.in}:${p.name}`])),
  };
  if (secretNames.length > 0) view.secretNames = secretNames;
  if (op.summary) view.summary = op.summary;
  if (op.description) view.description = op.description;
  if (op.requestBody && op.requestBody.contents.length > 0) {
    view.body = { required: op.requestBody.required, mediaTypes: op.requestBody.contents.map((c) => c.mediaType) };
    if (op.requestBody.description) view.body.description = op.requestBody.description;
  } else if (op.requestBody) {
    view.body = { required: op.requestBody.required, mediaTypes: [] };
  }
  return view;
}

function parameterView(p: ParameterInfo, example: unknown): ParameterView {
  const v: ParameterView = { name: p.name, in: p.in, required: p.required || p.in === 'path' };
  if (p.type) v.type = p.type;
  if (p.format) v.format = p.format;
  if (p.description) v.description = p.description;
  if (p.deprecated) v.deprecated = true;
  const values = p.enum ?? (p.type === 'boolean' ? [true, false] : undefined);
  if (values) v.enum = values.map(asText).filter((x): x is string => x !== undefined);
  const def = asText(p.default);
  if (def !== undefined) v.default = def;
  const ex = asText(example ?? p.example);
  if (ex !== undefined) v.example = ex;
  if (p.items?.type) v.itemsType = p.items.type;
  if (p.pattern) v.pattern = p.pattern;
  if (p.minimum !== undefined) v.minimum = p.minimum;
  if (p.maximum !== undefined) v.maximum = p.maximum;
  return v;
}

/** Form values from (partial) request values: a hover's concrete URL, a command's arguments, history. */
export function formFromValues(values: Partial<Pick<RequestValues, 'path' | 'query' | 'headers' | 'body' | 'cookies' | 'contentType'>> | undefined, mediaType = ''): FormValues {
  const form = emptyForm(mediaType);
  if (!values) return form;
  for (const [k, v] of Object.entries(values.path ?? {})) form.path[k] = String(v);
  for (const [k, v] of Object.entries(values.query ?? {})) form.query[k] = Array.isArray(v) ? v.join(',') : String(v);
  for (const [k, v] of Object.entries(values.headers ?? {})) form.headers[k] = String(v);
  for (const [k, v] of Object.entries(values.cookies ?? {})) form.cookies[k] = String(v);
  if (typeof values.body === 'string') form.body = values.body;
  if (typeof values.contentType === 'string' && values.contentType !== '') form.mediaType = values.contentType;
  return form;
}

function nonEmpty(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (v !== '') out[k] = v;
  return out;
}

/** What `buildRequest` takes: empty fields left out (an empty optional parameter is not sent). */
export function toRequestValues(form: FormValues, serverUrl: string, hasBody: boolean): RequestValues {
  const values: RequestValues = {
    serverUrl,
    path: nonEmpty(form.path),
    query: nonEmpty(form.query),
    headers: nonEmpty(form.headers),
  };
  const cookies = nonEmpty(form.cookies);
  if (Object.keys(cookies).length > 0) values.cookies = cookies;
  if ((hasBody || form.body.trim() !== '') && form.body !== '') {
    values.body = form.body;
    if (form.mediaType !== '') values.contentType = form.mediaType;
  }
  return values;
}

function formRecord(form: FormValues, where: ParameterLocation): Record<string, string> {
  switch (where) {
    case 'path':
      return form.path;
    case 'query':
      return form.query;
    case 'header':
      return form.headers;
    case 'cookie':
      return form.cookies;
  }
}

export function formValue(form: FormValues, where: ParameterLocation, name: string): string {
  const record = formRecord(form, where);
  if (where === 'header') {
    const lower = name.toLowerCase();
    for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === lower) return v;
    return '';
  }
  return record[name] ?? '';
}

export function setFormValue(form: FormValues, where: ParameterLocation, name: string, value: string): void {
  formRecord(form, where)[name] = value;
}

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Problems to show next to the fields before sending. Errors (a required value missing, a JSON body that does
 * not parse) block Send; type mismatches are warnings, so a developer can still probe the server's own checks.
 */
export function validateForm(form: FormValues, op: OperationView): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const p of op.parameters) {
    const value = formValue(form, p.in, p.name);
    if (value === '') {
      if (p.required) issues.push({ in: p.in, name: p.name, severity: 'error', message: `${p.name} is required.` });
      continue;
    }
    const typeProblem = checkType(value, p);
    if (typeProblem) issues.push({ in: p.in, name: p.name, severity: 'warning', message: typeProblem });
  }
  if (op.body) {
    if (op.body.required && form.body.trim() === '') {
      issues.push({ in: 'body', name: 'body', severity: 'error', message: 'A request body is required.' });
    } else if (form.body.trim() !== '' && isJsonMediaType(form.mediaType || op.body.mediaTypes[0] || '')) {
      const problem = jsonSyntaxProblem(form.body);
      if (problem) issues.push({ in: 'body', name: 'body', severity: 'error', message: problem });
    }
  }
  return issues;
}

function checkType(value: string, p: ParameterView): string | undefined {
  const items = p.type === 'array' ? value.split(',').map((s) => s.trim()) : [value];
  const type = p.type === 'array' ? p.itemsType : p.type;
  for (const item of items) {
    if (type === 'integer' && !INTEGER.test(item.trim())) return `${p.name} should be a whole number.`;
    if (type === 'number' && !NUMBER.test(item.trim())) return `${p.name} should be a number.`;
    if (type === 'boolean' && item !== 'true' && item !== 'false') return `${p.name} should be true or false.`;
  }
  if (p.enum && p.enum.length > 0 && p.type !== 'array' && !p.enum.includes(value)) return `${p.name} should be one of ${p.enum.join(', ')}.`;
  if (p.pattern && type === 'string' && !matchesPattern(value, p.pattern)) return `${p.name} should match the pattern ${p.pattern}.`;
  if ((type === 'integer' || type === 'number') && p.type !== 'array') {
    const n = Number(value);
    if (p.minimum !== undefined && n < p.minimum) return `${p.name} should be at least ${p.minimum}.`;
    if (p.maximum !== undefined && n > p.maximum) return `${p.name} should be at most ${p.maximum}.`;
  }
  return undefined;
}

/** A spec's pattern is ECMA-262 by the OpenAPI spec; one that does not compile is not held against the value. */
function matchesPattern(value: string, pattern: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}

export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(mediaType.trim()) || /[/+]json\b/i.test(mediaType);
}

/**
 * Undefined when `text` is valid JSON; else where it breaks, as "line L, column C: …". Our own small
 * scanner rather than the engine's message: engines word it differently and V8 often gives no position.
 */
export function jsonSyntaxProblem(text: string): string | undefined {
  const problem = new JsonChecker(text).check();
  if (problem === undefined) return undefined;
  const before = text.slice(0, problem.offset);
  const line = before.split('\n').length;
  const column = problem.offset - before.lastIndexOf('\n');
  return `The body is not valid JSON (line ${line}, column ${column}): ${problem.reason}.`;
}

class JsonChecker {
  private i = 0;
  constructor(private readonly s: string) {}

  check(): { offset: number; reason: string } | undefined {
    try {
      this.ws();
      this.value(0);
      this.ws();
      if (this.i < this.s.length) this.fail('unexpected text after the JSON value');
      return undefined;
    } catch (e) {
      if (e instanceof JsonSyntax) return { offset: e.offset, reason: e.message };
      throw e;
    }
  }

  private fail(reason: string): never {
    throw new JsonSyntax(reason, this.i);
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i] as string)) this.i++;
  }

  private value(depth: number): void {
    if (depth > 512) this.fail('nested too deeply');
    const c = this.s[this.i];
    if (c === undefined) this.fail('the text ends where a value should be');
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    this.fail(`unexpected ${describeChar(c)}`);
  }

  private object(depth: number): void {
    this.members('}', 'object', () => {
      if (this.s[this.i] !== '"') this.fail(this.i >= this.s.length ? 'the object is not closed' : `expected a "quoted" property name, found ${describeChar(this.s[this.i] as string)}`);
      this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':' after the property name");
      this.i++;
      this.ws();
      this.value(depth + 1);
    });
  }

  private array(depth: number): void {
    this.members(']', 'array', () => this.value(depth + 1));
  }

  /** `{…}` or `[…]` after its opening character: members separated by commas, then `close`. */
  private members(close: '}' | ']', what: string, member: () => void): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === close) {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      member();
      this.ws();
      const c = this.s[this.i];
      if (c === ',') {
        const comma = this.i;
        this.i++;
        this.ws();
        if (this.s[this.i] === close) {
          this.i = comma;
          this.fail(`a trailing comma before '${close}' (JSON allows none)`);
        }
        continue;
      }
      if (c === close) {
        this.i++;
        return;
      }
      this.fail(c === undefined ? `the ${what} is not closed` : `expected ',' or '${close}', found ${describeChar(c)}`);
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) this.fail('the string is not closed');
      if (c === '"') {
        this.i++;
        return;
      }
      if (c === '\\') {
        const e = this.s[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.s.slice(this.i + 2, this.i + 6))) this.fail('bad \\u escape');
          this.i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) this.fail('bad escape in a string');
        this.i += 2;
        continue;
      }
      if (c < ' ') this.fail('a line break or control character inside a string (write it as \\n)');
      this.i++;
    }
  }

  private number(): void {
    NUMBER_AT.lastIndex = this.i;
    const m = NUMBER_AT.exec(this.s);
    if (!m) this.fail('bad number');
    this.i += m[0].length;
  }
}

/** Sticky: matches only at `lastIndex`, so no slice per number. */
const NUMBER_AT = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;

class JsonSyntax extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function describeChar(c: string): string {
  return c === "'" ? 'a single quote (JSON needs double quotes)' : `'${c}'`;
}

/** A JSON or form field named like a credential with a non-empty value (`"password": "…"`, `client_secret=…`). */
const SECRET_FIELD =
  /["']?\b(?:access_token|refresh_token|id_token|client_secret|clientSecret|password|token|jwt|secret)\b["']?\s*[:=]\s*(?:["'][^"'\s]|[^\s"'&,}{\[])/i;

export function looksLikeItHoldsSecrets(text: string): boolean {
  return SECRET_FIELD.test(text);
}

/**
 * A copy fit for `setState` (which VS Code keeps on disk): credential headers, cookies, secret-named query
 * values and a body with credential fields (a `hasPermission` body carries a password) are left out.
 */
export function sanitizeForState(form: FormValues, secretNames: readonly string[] = []): FormValues {
  const out = emptyForm(form.mediaType);
  out.path = { ...form.path };
  for (const [k, v] of Object.entries(form.query)) if (!isSecretName(k, secretNames)) out.query[k] = v;
  for (const [k, v] of Object.entries(form.headers)) if (!isSecretName(k, secretNames)) out.headers[k] = v;
  out.body = looksLikeItHoldsSecrets(form.body) ? '' : form.body;
  return out;
}

/** The media type to start with: the one given if the operation declares it, else the first JSON one, else the first. */
export function pickMediaType(mediaTypes: readonly string[], wanted?: string): string {
  if (wanted && mediaTypes.includes(wanted)) return wanted;
  return mediaTypes.find(isJsonMediaType) ?? mediaTypes[0] ?? '';
}
