/**
 * How auth code talks HTTP: through the send path's `sendRequest` (src/core/http/send.ts), so token
 * requests share its transport policy, injectable dispatcher (proxy, extra CAs), deadlines, cancellation
 * and typed network errors. On top of that this module adds what only auth needs: no redirects (a
 * credential POST must not wander), a hard size limit, and a masked record of every exchange for the token
 * inspector.
 */
import { randomBytes as nodeRandomBytes, randomUUID as nodeRandomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { isTelenorError, TelenorError } from '../errors';
import { sendRequest } from '../http/send';
import type { ClientCredentials, TokenExchangeRecord, TokenSet } from './types';
import { redactorFor, type Secret } from './redact';
import { tokenEndpointError, type TokenErrorContext } from './errors';
import { parseTokenResponse } from './tokenResponse';

/** A token exchange before the caller (the auth service) adds which profile and environment it was for. */
export type ExchangeRecord = Omit<TokenExchangeRecord, 'profileId' | 'environment'>;

/** Seams and settings shared by every grant. Everything is optional; defaults are the real thing. */
export interface AuthHttpOptions {
  /** undici dispatcher from `createDispatcher()` (proxy, extra CAs) or a test agent. Default: undici's global one. */
  dispatcher?: Dispatcher;
  /** Whole exchange (connect, headers, body). Default 30 s. */
  timeoutMs?: number;
  /** Largest answer accepted from an auth endpoint. Default 1 MiB: token responses are a few hundred bytes. */
  maxBodyBytes?: number;
  /** The `telenor.request.allowInsecureHttp` setting: plain http beyond this machine. Default false. */
  allowInsecureHttp?: boolean;
  /** Wall clock, epoch ms (token lifetimes, record timestamps). */
  now?: () => number;
  /** Monotonic ms for durations. */
  elapsed?: () => number;
  randomUUID?: () => string;
  randomBytes?: (size: number) => Buffer;
  /** Every exchange, already masked. */
  onExchange?: (record: ExchangeRecord) => void;
}

export const DEFAULT_AUTH_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function nowOf(http: AuthHttpOptions): number {
  return (http.now ?? Date.now)();
}

export function uuidOf(http: AuthHttpOptions): string {
  return (http.randomUUID ?? nodeRandomUUID)();
}

export function randomBytesOf(http: AuthHttpOptions, size: number): Buffer {
  return (http.randomBytes ?? nodeRandomBytes)(size);
}

export interface AuthRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Values in this request that are secret: masked in records and in anything echoed into errors. */
  secrets: readonly Secret[];
  signal?: AbortSignal;
  /** Names the endpoint in messages. */
  label: string;
}

export interface AuthResponse {
  status: number;
  headers: Record<string, string>;
  contentType: string | undefined;
  text: string;
}

function checkNoUserInfo(url: string, label: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    return; // `sendRequest` reports an invalid URL.
  }
  if (parsed.username || parsed.password) {
    throw new TelenorError('policy', `The ${label} URL contains a user name or password.`, {
      hint: 'Remove them from the base URL; credentials are stored separately with “Telenor: Set Credentials”.',
    });
  }
}

/**
 * Send one request to an auth endpoint. Resolves with any HTTP answer (the caller decides what a status
 * means); rejects with the send path's `network`, `timeout`, `cancelled`, `policy` or `input` errors, or
 * `protocol` when the answer is too large to be an auth response.
 */
export async function sendAuthRequest(http: AuthHttpOptions, req: AuthRequest): Promise<AuthResponse> {
  const redactor = redactorFor(req.secrets);
  const elapsed = http.elapsed ?? (() => performance.now());
  const started = elapsed();
  const record: ExchangeRecord = {
    at: nowOf(http),
    request: {
      method: req.method,
      url: redactor.redact(req.url),
      headers: redactor.redactHeaders(req.headers),
      ...(req.body === undefined ? {} : { body: redactor.redact(req.body) }),
    },
    durationMs: 0,
  };
  const emit = (extra: Partial<ExchangeRecord>): void => {
    if (!http.onExchange) return;
    try {
      http.onExchange({ ...record, ...extra, durationMs: Math.max(0, Math.round(elapsed() - started)) });
    } catch {
      // Recording is best effort: a broken inspector must not break sign-in.
    }
  };

  const maxBodyBytes = http.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let result;
  try {
    checkNoUserInfo(req.url, req.label);
    result = await sendRequest(
      { method: req.method, url: req.url, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) },
      {
        timeoutMs: http.timeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS,
        maxBodyBytes,
        hardLimitBytes: maxBodyBytes + 1,
        maxRedirects: 0,
        ...(req.signal ? { signal: req.signal } : {}),
        ...(http.dispatcher ? { dispatcher: http.dispatcher } : {}),
        ...(http.allowInsecureHttp === undefined ? {} : { allowInsecureHttp: http.allowInsecureHttp }),
        ...(http.randomUUID ? { randomUUID: http.randomUUID } : {}),
      },
    );
  } catch (e) {
    const err = isTelenorError(e)
      ? e
      : new TelenorError('internal', `The ${req.label} request failed unexpectedly.`, { hint: 'Try again.', cause: e });
    emit({ error: redactor.redact(err.message) });
    throw err;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of result.headers) headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  // A body too large for an auth response is not kept in the record: masking a mebibyte of it costs
  // hundreds of milliseconds of the extension host's thread (per exchange) to show nobody anything useful.
  const recordedBody = result.truncated ? `(${result.bodyBytes} bytes, larger than an auth response: not recorded)` : redactor.redact(result.body);
  emit({ response: { status: result.status, headers: redactor.redactHeaders(headers), body: recordedBody } });
  if (result.truncated) {
    throw new TelenorError('protocol', `The ${req.label} sent an answer larger than ${Math.round(maxBodyBytes / 1024)} KiB, too large for an auth response.`, {
      hint: 'Check the base URL for this environment: something other than Telenor’s OAuth service seems to answer.',
    });
  }
  return { status: result.status, headers, contentType: result.contentType, text: result.body };
}

export function basicAuthorization(client: ClientCredentials): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`, 'utf8').toString('base64')}`;
}

export interface TokenRequest {
  tokenUrl: string;
  client: ClientCredentials;
  /** Form fields; `grant_type` first. Values that are undefined are left out. */
  form: Record<string, string | undefined>;
  /** Secret values in `form` besides the client secret (password, code, refresh token). */
  secrets?: readonly Secret[];
  errorContext: TokenErrorContext;
  signal?: AbortSignal;
}

/**
 * POST a form to a token endpoint with HTTP Basic client authentication and turn the answer into a
 * `TokenSet` or a typed error. Every grant goes through here.
 */
export async function postTokenRequest(http: AuthHttpOptions, req: TokenRequest): Promise<TokenSet> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.set(k, v);
  const basic = basicAuthorization(req.client);
  const secrets: Secret[] = [
    { value: req.client.clientSecret, kind: 'password' },
    { value: basic.slice('Basic '.length), kind: 'password' },
    ...(req.secrets ?? []),
  ];
  const errorContext: TokenErrorContext = { ...req.errorContext, secrets };
  const res = await sendAuthRequest(http, {
    method: 'POST',
    url: req.tokenUrl,
    headers: {
      Accept: 'application/json',
      Authorization: basic,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: form.toString(),
    secrets,
    label: 'token endpoint',
    ...(req.signal ? { signal: req.signal } : {}),
  });
  if (res.status < 200 || res.status > 299) throw tokenEndpointError(res.status, res.text, errorContext);
  return parseTokenResponse(res.text, res.contentType, { now: nowOf(http), errorContext });
}
