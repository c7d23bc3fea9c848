/**
 * What an API error answer means. No Telenor page shows the JSON that carries its error codes, so this
 * reads every form seen or inferred (telenor-facts.md, "Error bodies") tolerantly:
 * - Norway codes 40001…50003 anywhere in a JSON body (`errorCode`, `code`, nested) or in plain text;
 * - Apigee faults (`fault.detail.errorcode` = `keymanagement.service.access_token_expired` …);
 * - CAMARA bodies `{"status":401,"code":"UNAUTHENTICATED","message":…}`;
 * - OAuth bearer errors (`{"error":"invalid_token"}`, `WWW-Authenticate: Bearer error="invalid_token"`);
 * - plain text that says the token expired.
 */
import type { ApiErrorInfo } from './types';

interface CodeFact {
  status: number;
  meaning: string;
  hint: string;
  tokenProblem?: 'expired' | 'invalid';
}

/** Norway API error codes with the reference pages' wording. */
const NORWAY_CODES: ReadonlyMap<string, CodeFact> = new Map<string, CodeFact>([
  ['40001', { status: 400, meaning: 'missing or invalid enduserId', hint: 'Pass a valid enduserId (the end user or MSISDN the API asks for).' }],
  ['40101', { status: 401, meaning: 'invalid resource', hint: 'Check the path and that your app has access to this API.' }],
  ['40102', { status: 401, meaning: 'missing authorization header', hint: 'Sign in for this API so requests carry "Authorization: Bearer <token>".' }],
  ['40103', { status: 401, meaning: 'no API product found', hint: 'Add this API product to your app in the Telenor developer portal (Applications), then get a new token.' }],
  ['40104', { status: 401, meaning: 'not authorized to use given MSISDN', hint: 'Use a number that belongs to your company or to the user who gave consent.' }],
  ['40105', { status: 401, meaning: 'invalid access token', hint: 'Sign in again to get a new access token.', tokenProblem: 'invalid' }],
  ['40106', { status: 401, meaning: 'access token expired', hint: 'Get a new access token (the extension renews it once by itself).', tokenProblem: 'expired' }],
  ['40107', { status: 401, meaning: 'basic auth not allowed', hint: 'This API takes a Bearer token, not Basic authentication: sign in and send the token.' }],
  ['40108', { status: 401, meaning: 'invalid client id or secret for basic auth', hint: 'Check the client id and secret stored for this environment.' }],
  ['40301', { status: 403, meaning: 'invalid scope', hint: 'Request a token with the scope this API needs (check the profile\'s scope), then try again.' }],
  ['40401', { status: 404, meaning: 'path or method not found', hint: 'Check the method, the path and the environment\'s base URL against the spec.' }],
  ['4042000', { status: 404, meaning: 'not found on back-end', hint: 'The back-end has no such resource: check the ids in the path and query.' }],
  ['42901', { status: 429, meaning: 'rate limit quota violation', hint: 'The quota is used up: wait (see Retry-After) before calling again.' }],
  ['42902', { status: 429, meaning: 'spike arrest violation', hint: 'Too many calls in a short time: space the requests out.' }],
  ['50001', { status: 500, meaning: 'internal server error', hint: 'Telenor\'s side failed: try again later, and contact Telenor if it persists.' }],
  ['50002', { status: 500, meaning: 'failed to validate acr', hint: 'The end user\'s authentication level (acr) was not accepted: sign in again with line authentication.' }],
  ['50003', { status: 500, meaning: 'failed to validate subscription', hint: 'The subscription could not be validated: check the MSISDN and that it is active.' }],
]);

/** A Norway code inside free text; longest alternative first so 4042000 is not read as 40420. */
const NORWAY_CODE_IN_TEXT = /(?<![\d.])(4042000|40001|4010[1-8]|40301|40401|4290[12]|5000[1-3])(?![\d.])/;

const EXPIRED_TEXT = /\b(?:access[ _-]?)?(?:token|jwt)\b[^.\n]{0,40}\bexpired\b|\bexpired\b[^.\n]{0,30}\b(?:access[ _-]?)?(?:token|jwt)\b/i;
const INVALID_TOKEN_TEXT = /\binvalid[ _-](?:access[ _-]?)?(?:token|jwt)\b|\b(?:token|jwt)\b[^.\n]{0,20}\b(?:is )?(?:invalid|not valid)\b/i;

/** Keys that name a code, looked at before any other value so `"amount": 40001` is not read as an error. */
const CODE_KEYS = /^(?:error_?code|code|fault_?code|status_?code|error|errorcode|sub_?code)$/i;

const MAX_WALK_NODES = 2_000;

/** Statuses people meet most, with what to do, for bodies that carry no code we know. */
const STATUS_HINTS: Readonly<Record<number, string>> = {
  400: 'Check the parameters and body against the spec.',
  401: 'The API did not accept the credentials: sign in again, or check that this API uses the profile you signed in with.',
  403: 'Your app or user is not allowed to do this: check the scope and the API products of your app.',
  404: 'Check the path, the ids in it and the environment\'s base URL.',
  405: 'Check the method against the spec.',
  415: 'Check the Content-Type of the body.',
  429: 'Too many calls: wait (see Retry-After) and try again.',
  500: 'The server failed: try again later.',
  502: 'A gateway could not reach the back-end: try again later.',
  503: 'The service is unavailable: try again later.',
  504: 'A gateway timed out waiting for the back-end: try again later.',
};

/**
 * What an error answer means, or `undefined` for a status below 400. `wwwAuthenticate` is the
 * `WWW-Authenticate` response header, when there was one.
 */
export function classifyApiError(status: number, body: string, wwwAuthenticate?: string): ApiErrorInfo | undefined {
  if (status < 400) return undefined;
  const json = parseJson(body);
  return (
    (json === undefined ? undefined : fromJson(json)) ??
    fromText(body) ??
    fromWwwAuthenticate(wwwAuthenticate) ??
    generic(status)
  );
}

/**
 * True when a 401 means "this token is expired or not valid, get a new one": any of the forms above, a
 * bare 401 with an empty body, or `WWW-Authenticate: Bearer error="invalid_token"`. A 401 that says
 * anything else (for example 40104, not authorized for that MSISDN) would fail again with a new token.
 */
export function isTokenRejection(status: number, body: string, wwwAuthenticate?: string): boolean {
  if (status !== 401) return false;
  if (body.trim() === '') return true;
  if (fromWwwAuthenticate(wwwAuthenticate)?.tokenProblem !== undefined) return true;
  return classifyApiError(status, body, wwwAuthenticate)?.tokenProblem !== undefined;
}

function parseJson(body: string): unknown {
  const t = body.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

function fromJson(json: unknown): ApiErrorInfo | undefined {
  return apigee(json) ?? camara(json) ?? norwayInJson(json) ?? oauthBearer(json);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `{"fault":{"faultstring":"…","detail":{"errorcode":"keymanagement.service.access_token_expired"}}}` */
function apigee(json: unknown): ApiErrorInfo | undefined {
  if (!isRecord(json) || !isRecord(json['fault'])) return undefined;
  const fault = json['fault'];
  const detail = isRecord(fault['detail']) ? fault['detail'] : {};
  const errorcode = str(detail['errorcode']) ?? str(detail['errorCode']) ?? '';
  const faultstring = str(fault['faultstring']) ?? '';
  const code = errorcode || undefined;
  const base = code === undefined ? {} : { code };
  if (/access_?token_?expired|token_?expired/i.test(errorcode) || EXPIRED_TEXT.test(faultstring)) {
    return { ...base, meaning: faultstring || 'access token expired', hint: NORWAY_CODES.get('40106')?.hint ?? '', tokenProblem: 'expired' };
  }
  if (/invalid_?access_?token|invalid_?token/i.test(errorcode) || INVALID_TOKEN_TEXT.test(faultstring)) {
    return { ...base, meaning: faultstring || 'invalid access token', hint: NORWAY_CODES.get('40105')?.hint ?? '', tokenProblem: 'invalid' };
  }
  const norway = norwayInJson(json);
  if (norway) return norway;
  return { ...base, meaning: faultstring || 'API gateway fault', hint: 'The API gateway refused the call: see the fault code.' };
}

/** CAMARA: `{"status":401,"code":"UNAUTHENTICATED","message":…}` (and its other codes). */
function camara(json: unknown): ApiErrorInfo | undefined {
  if (!isRecord(json)) return undefined;
  const code = str(json['code']);
  const status = json['status'];
  if (code === undefined || !/^[A-Z][A-Z_.]+$/.test(code) || (typeof status !== 'number' && typeof status !== 'string')) {
    return undefined;
  }
  const message = str(json['message']) ?? '';
  if (code === 'UNAUTHENTICATED' || code === 'AUTHENTICATION_REQUIRED' || code === 'INVALID_TOKEN') {
    const expired = EXPIRED_TEXT.test(message);
    return {
      code,
      meaning: message || 'request not authenticated',
      hint: expired ? (NORWAY_CODES.get('40106')?.hint ?? '') : 'Sign in again to get a new access token.',
      tokenProblem: expired ? 'expired' : 'invalid',
    };
  }
  const hints: Record<string, string> = {
    PERMISSION_DENIED: 'The token does not allow this operation: check the scope and the consent behind it.',
    INVALID_TOKEN_CONTEXT: 'The token was issued for another user or device than the one in the request.',
    INVALID_ARGUMENT: 'Check the parameters and body against the spec.',
    NOT_FOUND: 'Check the ids in the request.',
    QUOTA_EXCEEDED: 'The quota is used up: wait before calling again.',
    TOO_MANY_REQUESTS: 'Too many calls: wait (see Retry-After) and try again.',
  };
  return { code, meaning: message || code, hint: hints[code] ?? 'See the code and message in the response.' };
}

/** A Norway code under a code-like key first (at any depth), then as any value, then inside any string. */
function norwayInJson(json: unknown): ApiErrorInfo | undefined {
  let keyed: string | undefined;
  let loose: string | undefined;
  let inText: string | undefined;
  let visited = 0;
  const stack: Array<{ key: string; value: unknown }> = [{ key: '', value: json }];
  while (stack.length > 0 && visited < MAX_WALK_NODES && keyed === undefined) {
    const { key, value } = stack.pop() as { key: string; value: unknown };
    visited++;
    if (typeof value === 'number' || typeof value === 'string') {
      const s = String(value).trim();
      if (NORWAY_CODES.has(s)) {
        if (CODE_KEYS.test(key)) keyed = s;
        else loose ??= s;
      } else if (typeof value === 'string') {
        inText ??= NORWAY_CODE_IN_TEXT.exec(value)?.[1];
      }
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ key, value: value[i] });
    } else if (isRecord(value)) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i] as [string, unknown];
        stack.push({ key: k, value: v });
      }
    }
  }
  const code = keyed ?? loose ?? inText;
  return code === undefined ? undefined : norway(code);
}

/** RFC 6750 bodies: `{"error":"invalid_token","error_description":"The access token expired"}`. */
function oauthBearer(json: unknown): ApiErrorInfo | undefined {
  if (!isRecord(json)) return undefined;
  const error = str(json['error']);
  const description = str(json['error_description']) ?? str(json['message']) ?? '';
  if (error === 'invalid_token' || EXPIRED_TEXT.test(description) || INVALID_TOKEN_TEXT.test(description)) {
    const expired = EXPIRED_TEXT.test(description);
    return {
      ...(error === undefined ? {} : { code: error }),
      meaning: description || (expired ? 'access token expired' : 'invalid access token'),
      hint: NORWAY_CODES.get(expired ? '40106' : '40105')?.hint ?? '',
      tokenProblem: expired ? 'expired' : 'invalid',
    };
  }
  if (error === 'insufficient_scope') {
    return { code: error, meaning: description || 'insufficient scope', hint: NORWAY_CODES.get('40301')?.hint ?? '' };
  }
  return undefined;
}

function fromText(body: string): ApiErrorInfo | undefined {
  const head = body.length > 64_000 ? body.slice(0, 64_000) : body;
  const code = NORWAY_CODE_IN_TEXT.exec(head)?.[1];
  if (code !== undefined) return norway(code);
  if (EXPIRED_TEXT.test(head)) {
    return { meaning: 'access token expired', hint: NORWAY_CODES.get('40106')?.hint ?? '', tokenProblem: 'expired' };
  }
  if (INVALID_TOKEN_TEXT.test(head)) {
    return { meaning: 'invalid access token', hint: NORWAY_CODES.get('40105')?.hint ?? '', tokenProblem: 'invalid' };
  }
  return undefined;
}

/** `Bearer realm="api", error="invalid_token", error_description="The access token expired"` */
function fromWwwAuthenticate(header: string | undefined): ApiErrorInfo | undefined {
  if (header === undefined || !/^\s*bearer\b/i.test(header)) return undefined;
  const error = /\berror\s*=\s*"?([^",\s]+)"?/i.exec(header)?.[1];
  if (error !== 'invalid_token') return undefined;
  const description = /\berror_description\s*=\s*"([^"]*)"/i.exec(header)?.[1] ?? '';
  const expired = EXPIRED_TEXT.test(description);
  return {
    code: error,
    meaning: description || 'invalid access token',
    hint: NORWAY_CODES.get(expired ? '40106' : '40105')?.hint ?? '',
    tokenProblem: expired ? 'expired' : 'invalid',
  };
}

function norway(code: string): ApiErrorInfo {
  const fact = NORWAY_CODES.get(code);
  if (!fact) return { code, meaning: `error ${code}`, hint: 'See the API reference for this code.' };
  return fact.tokenProblem === undefined
    ? { code, meaning: fact.meaning, hint: fact.hint }
    : { code, meaning: fact.meaning, hint: fact.hint, tokenProblem: fact.tokenProblem };
}

function generic(status: number): ApiErrorInfo {
  const hint = STATUS_HINTS[status] ?? (status >= 500 ? 'The server failed: try again later.' : 'See the response body for details.');
  return { meaning: `HTTP ${status}`, hint };
}

/** The documented meaning of a Norway API error code, for hovers and docs. */
export function norwayCodeMeaning(code: string | number): { status: number; meaning: string; hint: string } | undefined {
  const fact = NORWAY_CODES.get(String(code));
  return fact === undefined ? undefined : { status: fact.status, meaning: fact.meaning, hint: fact.hint };
}
