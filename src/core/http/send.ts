/**
 * Send a prepared request with undici: auth headers, one renewal on a token 401, redirects, deadlines,
 * cancellation, a size-capped streamed body, decompression, charset decoding and timing.
 *
 * Built on undici's `dispatch()` handler API rather than `request()` or `fetch()`: the body chunks arrive in
 * a callback where they are counted, capped and kept without a stream in between, and the request is
 * aborted through its controller instead of an AbortSignal (undici's per-request signal listener alone
 * costs about a fifth of a loopback round trip). That keeps the overhead over a bare `request()` small.
 *
 * Redirects are followed here rather than with undici's redirect interceptor because we must drop
 * credentials on a change of origin, re-check our transport policy on every hop and name a loop as such.
 * Decompression uses node:zlib here rather than undici's decompress interceptor so that wire bytes and
 * decoded bytes are both counted, raw deflate (sent by some servers as "deflate") is understood and a
 * decompression bomb stops at our hard limit with what was read so far instead of failing.
 */
import { randomUUID as cryptoRandomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { getGlobalDispatcher, type Dispatcher } from 'undici';
import { isTelenorError, TelenorError } from '../errors';
import { classifyApiError, isTokenRejection } from './apiErrors';
import { TLS_TRUST_CODES, TLS_TRUST_HINT } from './tlsTrust';
import { checkTransportPolicy } from './transport';
import type { Headers, PreparedRequest, SendOptions, SendResult } from './types';

export interface SendRequestOptions extends SendOptions {
  /** From `createDispatcher()`; undici's global dispatcher when absent. */
  dispatcher?: Dispatcher;
  /** Clock seam for timings, in ms. Default `performance.now`. */
  now?: () => number;
  /** Randomness seam for `X-Transaction-Id`. Default `crypto.randomUUID`. */
  randomUUID?: () => string;
  /** Plain http to non-loopback hosts (the `telenor.request.allowInsecureHttp` setting). Default false. */
  allowInsecureHttp?: boolean;
  /** Redirects followed before giving up. Default 5; 0 returns the 3xx answer itself. */
  maxRedirects?: number;
  /**
   * Stop reading (and abort) an answer after this many decoded bytes, so an endless or bomb-like body
   * cannot run forever. Default 128 MiB (at least `maxBodyBytes`).
   */
  hardLimitBytes?: number;
  /** Time allowed for the response headers / between body chunks. Default `timeoutMs`. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

const DEFAULT_HARD_LIMIT = 128 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Dropped when a redirect leaves the origin the credentials were meant for. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-jwt', 'cookie', 'proxy-authorization']);

export async function sendRequest(prepared: PreparedRequest, options: SendRequestOptions): Promise<SendResult> {
  const firstUrl = checkTransportPolicy(prepared.url, options);
  const deadline = new Deadline(options.timeoutMs, options.signal);
  try {
    const auth = options.auth;
    let renewed = false;
    for (;;) {
      deadline.throwIfEnded();
      deadline.phase = 'token';
      const authHeaders = auth === undefined ? undefined : await deadline.race(auth.headers(deadline.signal));
      deadline.phase = 'request';
      const result = await attempt(prepared, firstUrl, authHeaders, options, deadline);
      if (auth !== undefined && !renewed && result.status === 401) {
        const www = headerValue(result.headers, 'www-authenticate');
        if (isTokenRejection(result.status, result.body, www)) {
          // One renewal, never more: a second rejection of a brand-new token will not change on a third try.
          auth.invalidate(authHeaders);
          renewed = true;
          continue;
        }
      }
      result.retriedAfter401 = renewed;
      if (renewed && result.status === 401 && result.apiError !== undefined) {
        result.apiError = {
          ...result.apiError,
          hint:
            'A freshly issued token was rejected too: check that this API belongs to the credentials and scope ' +
            'you signed in with (and, for Sweden Communication APIs, the X-JWT service name).',
        };
      }
      return result;
    }
  } catch (e) {
    throw toTelenorError(e, deadline, firstUrl);
  } finally {
    deadline.dispose();
  }
}

interface Hop {
  url: URL;
  method: string;
  body: string | Uint8Array | undefined;
  headers: Headers;
}

async function attempt(
  prepared: PreparedRequest,
  firstUrl: URL,
  authHeaders: Headers | undefined,
  options: SendRequestOptions,
  deadline: Deadline,
): Promise<SendResult> {
  const now = options.now ?? (() => performance.now());
  let headers = prepared.headers;
  if (authHeaders !== undefined) {
    headers = { ...prepared.headers };
    let hasJwt = false;
    for (const [name, value] of Object.entries(authHeaders)) {
      replaceHeader(headers, name, value);
      if (name.toLowerCase() === 'x-jwt') hasJwt = true;
    }
    // Sweden: every call with an X-JWT carries its own transaction id, also a retry.
    if (hasJwt) replaceHeader(headers, 'x-transaction-id', (options.randomUUID ?? cryptoRandomUUID)());
  }

  let hop: Hop = { url: firstUrl, method: prepared.method.toUpperCase(), body: prepared.body, headers };
  const maxRedirects = Math.max(0, options.maxRedirects ?? 5);
  let visited: Set<string> | undefined;
  const redirects: string[] = [];
  const dispatcher = options.dispatcher ?? getGlobalDispatcher();
  const start = now();

  for (;;) {
    const follow = redirects.length < maxRedirects;
    const res = await dispatchHop(dispatcher, hop, options, deadline, now, follow);
    const location = REDIRECT_STATUSES.has(res.status) ? firstHeader(res.headers['location']) : undefined;
    if (location !== undefined && maxRedirects > 0) {
      if (!follow) {
        throw new TelenorError('protocol', `Too many redirects (more than ${maxRedirects}) starting at ${firstUrl.host}.`, {
          hint: 'Check the base URL: it may point at a login page or an old address that keeps redirecting.',
        });
      }
      visited ??= new Set([`${hop.method} ${hop.url.href}`]);
      hop = nextHop(hop, res.status, location, firstUrl, visited, options);
      redirects.push(hop.url.href);
      continue;
    }
    const contentType = firstHeader(res.headers['content-type']);
    const body = decode(res.body, contentType);
    const result: SendResult = {
      request: prepared,
      status: res.status,
      statusText: res.statusText,
      headers: flattenHeaders(res.headers),
      body,
      bodyBytes: res.body.total,
      truncated: res.body.truncated,
      timings: { headersMs: res.headersAt - start, totalMs: res.endAt - start },
      retriedAfter401: false,
      finalUrl: hop.url.href,
    };
    if (contentType !== undefined) result.contentType = contentType;
    if (redirects.length > 0) result.redirects = redirects;
    if (res.body.encoded) result.encodedBytes = res.body.wire;
    if (res.status >= 400) {
      const info = classifyApiError(res.status, body, firstHeader(res.headers['www-authenticate']));
      if (info !== undefined) result.apiError = info;
    }
    return result;
  }
}

function nextHop(
  hop: Hop,
  status: number,
  location: string,
  firstUrl: URL,
  visited: Set<string>,
  options: SendRequestOptions,
): Hop {
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch (e) {
    throw new TelenorError('protocol', `${hop.url.host} redirected to an invalid address.`, {
      hint: 'The server sent a broken Location header; report it to the API owner.',
      cause: e,
    });
  }
  checkTransportPolicy(url, options);
  // As browsers do: 303 always, and 301/302 after a POST, continue as a GET without the body.
  const toGet = (status === 303 && hop.method !== 'HEAD') || ((status === 301 || status === 302) && hop.method === 'POST');
  const method = toGet ? 'GET' : hop.method;
  const headers: Headers = {};
  const sameOrigin = url.origin === firstUrl.origin;
  for (const [name, value] of Object.entries(hop.headers)) {
    const key = name.toLowerCase();
    if (!sameOrigin && CREDENTIAL_HEADERS.has(key)) continue;
    if (toGet && (key === 'content-type' || key === 'content-length')) continue;
    headers[name] = value;
  }
  const key = `${method} ${url.href}`;
  if (visited.has(key)) {
    throw new TelenorError('protocol', `Redirect loop: ${url.host}${url.pathname} redirects back to an address already visited.`, {
      hint: 'The server is misconfigured (or wants a cookie or login we cannot give); check the URL in a browser.',
    });
  }
  visited.add(key);
  // Built from the previous hop's headers: once dropped for another origin, credentials stay dropped.
  return { url, method, body: toGet ? undefined : hop.body, headers };
}

// ---- one hop through undici's dispatch API -------------------------------------------------------------

interface HopResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  headersAt: number;
  endAt: number;
  body: BodySink;
}

/** Marks our own abort at the hard limit, which ends the read successfully. */
class HardLimitReached extends Error {}

function dispatchHop(
  dispatcher: Dispatcher,
  hop: Hop,
  options: SendRequestOptions,
  deadline: Deadline,
  now: () => number,
  followRedirects: boolean,
): Promise<HopResponse> {
  const timeout = options.timeoutMs > 0 && Number.isFinite(options.timeoutMs) ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
  const max = Math.max(0, Math.floor(options.maxBodyBytes) || 0);
  const hardLimit = Math.max(options.hardLimitBytes ?? DEFAULT_HARD_LIMIT, max);
  return new Promise<HopResponse>((resolve, reject) => {
    const handler = new HopHandler(new BodySink(max, hardLimit), now, followRedirects, resolve, reject);
    handler.unlisten = deadline.onEnd((reason) => handler.abort(reason));
    try {
      dispatcher.dispatch(
        {
          origin: hop.url.origin,
          path: hop.url.pathname + hop.url.search,
          method: hop.method as Dispatcher.HttpMethod,
          headers: hop.headers,
          body: hop.body ?? null,
          headersTimeout: options.headersTimeoutMs ?? timeout,
          bodyTimeout: options.bodyTimeoutMs ?? timeout,
        },
        handler,
      );
    } catch (e) {
      handler.fail(e);
    }
  });
}

class HopHandler implements Dispatcher.DispatchHandler {
  unlisten: (() => void) | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: Error | undefined;
  private settled = false;
  private discard = false;
  private status = 0;
  private statusText = '';
  private headers: IncomingHttpHeaders = {};
  private headersAt = 0;
  private encoding = '';
  private decoder: Transform | undefined;

  constructor(
    private readonly sink: BodySink,
    private readonly now: () => number,
    private readonly followRedirects: boolean,
    private readonly resolve: (r: HopResponse) => void,
    private readonly reject: (e: unknown) => void,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason !== undefined) controller.abort(this.abortReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return;
    this.status = statusCode;
    this.statusText = statusMessage ?? '';
    this.headers = headers;
    this.headersAt = this.now();
    // A redirect we will follow: its body is drained, not kept.
    this.discard = this.followRedirects && REDIRECT_STATUSES.has(statusCode) && headers['location'] !== undefined;
    const enc = firstHeader(headers['content-encoding'])?.trim().toLowerCase() ?? '';
    if (enc === 'gzip' || enc === 'x-gzip' || enc === 'br' || enc === 'deflate') this.encoding = enc;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.discard || this.settled) return;
    const sink = this.sink;
    sink.wire += chunk.length;
    if (this.encoding === '') {
      sink.keep(chunk);
      if (sink.full) this.stopAtLimit(controller);
      return;
    }
    const decoder = (this.decoder ??= this.makeDecoder(controller, chunk));
    if (!decoder.write(chunk)) {
      controller.pause();
      decoder.once('drain', () => {
        if (!this.settled) controller.resume();
      });
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    const decoder = this.decoder;
    if (decoder === undefined) {
      this.finish();
      return;
    }
    decoder.once('end', () => this.finish());
    decoder.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (error instanceof HardLimitReached) this.finish();
    else this.fail(error);
  }

  /** The deadline ended: give up now, even if undici has not started the request yet. */
  abort(reason: Error): void {
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.fail(reason);
  }

  fail(e: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.reject(e);
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.resolve({
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
      headersAt: this.headersAt,
      endAt: this.now(),
      body: this.sink,
    });
  }

  private cleanup(): void {
    this.unlisten?.();
    this.decoder?.destroy();
  }

  private stopAtLimit(controller: Dispatcher.DispatchController): void {
    if (this.sink.stopped) return;
    this.sink.stopped = true;
    controller.abort(new HardLimitReached('hard limit reached'));
  }

  private makeDecoder(controller: Dispatcher.DispatchController, first: Buffer): Transform {
    const decoder = makeDecoder(this.encoding, first);
    this.sink.encoded = true;
    decoder.on('data', (d: Buffer) => {
      if (this.settled || this.sink.stopped) return;
      this.sink.keep(d);
      if (this.sink.full) this.stopAtLimit(controller);
    });
    decoder.on('error', (e) => {
      this.fail(e);
      if (!controller.aborted) controller.abort(e);
    });
    return decoder;
  }
}

// ---- body ----------------------------------------------------------------------------------------------

/** Keeps at most `max` bytes, counts everything, and says when the hard limit is reached. */
class BodySink {
  readonly chunks: Buffer[] = [];
  stored = 0;
  /** Decoded bytes seen (counted past the display cap). */
  total = 0;
  /** Bytes on the wire. */
  wire = 0;
  encoded = false;
  truncated = false;
  full = false;
  stopped = false;

  constructor(
    private readonly max: number,
    private readonly hardLimit: number,
  ) {}

  keep(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.stored < this.max) {
      const take = Math.min(chunk.length, this.max - this.stored);
      this.chunks.push(take === chunk.length ? chunk : chunk.subarray(0, take));
      this.stored += take;
    }
    if (this.total > this.max) {
      this.truncated = true;
      if (this.total >= this.hardLimit) this.full = true;
    }
  }
}

/** Deflate is meant to be zlib-wrapped, but some servers send raw deflate: look at the first two bytes. */
function makeDecoder(encoding: string, first: Buffer): Transform {
  if (encoding === 'br') return createBrotliDecompress();
  if (encoding === 'deflate') {
    const b0 = first[0] ?? 0;
    const b1 = first[1] ?? 0;
    const zlibWrapped = (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
    return zlibWrapped ? createInflate() : createInflateRaw();
  }
  return createGunzip();
}

function decode(sink: BodySink, contentType: string | undefined): string {
  if (sink.stored === 0) return '';
  const buf = sink.chunks.length === 1 ? (sink.chunks[0] as Buffer) : Buffer.concat(sink.chunks, sink.stored);
  const charset = contentType === undefined ? undefined : /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  if ((charset === undefined || /^utf-?8$/i.test(charset)) && !sink.truncated) return buf.toString('utf8');
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    // An unknown label: UTF-8 is the web's default and right far more often than Latin-1.
    decoder = new TextDecoder('utf-8');
  }
  // When cut at the cap, `stream` keeps a split multi-byte character out instead of showing U+FFFD.
  return decoder.decode(buf, { stream: sink.truncated });
}

// ---- headers -------------------------------------------------------------------------------------------

function replaceHeader(headers: Headers, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) delete headers[k];
  headers[name] = value;
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(h)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if (Array.isArray(value)) {
      if (key === 'set-cookie') for (const v of value) out.push([key, v]);
      else out.push([key, value.join(', ')]);
    } else {
      out.push([key, value]);
    }
  }
  return out;
}

function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  for (const [k, v] of headers) if (k === name) return v;
  return undefined;
}

// ---- deadline and errors -------------------------------------------------------------------------------

/**
 * The whole call's end: the caller's signal or the overall time limit, whichever comes first. Listeners
 * rather than an AbortSignal on each hop (see the top of this file); a signal is made only for the auth
 * provider, which takes one.
 */
class Deadline {
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onCallerAbort: () => void;
  private readonly listeners = new Set<(reason: Error) => void>();
  private controller: AbortController | undefined;
  private reason: TelenorError | undefined;
  cancelled = false;
  timedOut = false;
  /** What the call was waiting for: a token (from the auth provider) or the API's answer. */
  phase: 'token' | 'request' = 'request';

  constructor(
    readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    const ms = timeoutMs > 0 && Number.isFinite(timeoutMs) ? timeoutMs : DEFAULT_TIMEOUT_MS;
    this.onCallerAbort = () => {
      this.cancelled = true;
      this.end(cancelledError());
    };
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.end(new TelenorError('timeout', 'The request took too long.'));
    }, ms);
    if (callerSignal?.aborted === true) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  throwIfEnded(): void {
    if (this.reason !== undefined) throw this.reason;
  }

  /** Call `listener` when the deadline ends; returns the unsubscribe function. */
  onEnd(listener: (reason: Error) => void): () => void {
    if (this.reason !== undefined) {
      listener(this.reason);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Settle with `p`, or reject as soon as the deadline ends (for awaits that may ignore the signal). */
  race<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const off = this.onEnd(reject);
      p.then(
        (v) => {
          off();
          resolve(v);
        },
        (e: unknown) => {
          off();
          reject(e as Error);
        },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    this.listeners.clear();
  }

  private end(reason: TelenorError): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller?.abort(reason);
    for (const l of [...this.listeners]) l(reason);
    this.listeners.clear();
  }
}

function cancelledError(): TelenorError {
  return new TelenorError('cancelled', 'The request was cancelled.');
}

/** The first `code` along the cause chain (undici wraps socket errors; AggregateError holds several). */
function errorCode(e: unknown, depth = 0): string | undefined {
  if (typeof e !== 'object' || e === null || depth > 5) return undefined;
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof err.code === 'string' ? err.code : undefined;
  // undici's generic socket error says less than the system error it wraps.
  if (own !== undefined && own !== 'UND_ERR_SOCKET') return own;
  const inner = errorCode(err.cause, depth + 1);
  if (inner !== undefined) return inner;
  if (Array.isArray(err.errors)) {
    for (const x of err.errors) {
      const c = errorCode(x, depth + 1);
      if (c !== undefined) return c;
    }
  }
  return own;
}

function toTelenorError(e: unknown, deadline: Deadline, url: URL): TelenorError {
  const host = url.host;
  if (deadline.cancelled) return cancelledError();
  if (deadline.timedOut && deadline.phase === 'token') {
    // The token endpoint, not the API, was too slow: say so, or the person checks the wrong server.
    return new TelenorError('timeout', `No access token within ${Math.round(deadline.timeoutMs / 100) / 10} s, so nothing was sent to ${host}.`, {
      hint: 'The token endpoint is slow or not answering: check the base URL of this environment and your network (or proxy), then try again.',
      cause: e,
    });
  }
  if (deadline.timedOut) {
    return new TelenorError('timeout', `No complete answer from ${host} within ${Math.round(deadline.timeoutMs / 100) / 10} s.`, {
      hint: 'Try again, or raise the time limit (telenor.request.timeoutSeconds) if this API is slow.',
      cause: e,
    });
  }
  if (isTelenorError(e)) return e;
  const code = errorCode(e) ?? '';
  const net = (message: string, hint: string): TelenorError => new TelenorError('network', message, { hint, cause: e });
  if (TLS_TRUST_CODES.has(code)) {
    return net(`The TLS certificate of ${host} is not trusted (${code}).`, TLS_TRUST_HINT);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return net(
        `Connection refused by ${host}.`,
        'Nothing is listening there: check the port in the base URL, and that the server (or the sandbox) is running.',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return net(
        `The host name ${url.hostname} could not be resolved.`,
        'Check the host in the base URL, your network or VPN connection, and the proxy setting (http.proxy).',
      );
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return net(
        `The connection to ${host} was closed before a complete answer arrived.`,
        'Try again. If it keeps happening, a proxy or firewall may be cutting the connection, or the server crashed.',
      );
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return net(`${host} cannot be reached from this network.`, 'Check your network or VPN connection and the proxy setting.');
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return net(
        `Could not connect to ${host} in time.`,
        'A firewall may be dropping the connection: check VPN and the proxy setting (http.proxy).',
      );
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return net(`The TLS certificate of ${host} is expired or not yet valid.`, "Check this computer's clock; otherwise the server's certificate is out of date.");
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return net(`The TLS certificate does not belong to ${url.hostname}.`, 'Check the host name in the base URL (use the name the certificate is issued to).');
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'EPROTO':
      return net(
        `The TLS handshake with ${host} failed.`,
        'The port may speak plain http: check http:// versus https:// and the port in the base URL.',
      );
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new TelenorError('timeout', `${host} sent no response headers in time.`, {
        hint: 'Try again, or raise the time limit (telenor.request.timeoutSeconds) if this API is slow.',
        cause: e,
      });
    case 'UND_ERR_BODY_TIMEOUT':
      return new TelenorError('timeout', `${host} stopped sending the response body.`, {
        hint: 'Try again; if it persists the server or a proxy stalls on large answers.',
        cause: e,
      });
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return cancelledError();
    case 'UND_ERR_INVALID_ARG':
      return new TelenorError('input', 'The request could not be sent: a header or the body is malformed.', {
        hint: 'Check header names and values for line breaks or characters outside Latin-1.',
        cause: e,
      });
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'ERR_BROTLI_DECOMPRESSION_FAILED':
      return new TelenorError('protocol', `${host} sent a compressed body that could not be decompressed.`, {
        hint: 'The Content-Encoding header does not match the body; report it to the API owner.',
        cause: e,
      });
    case 'UND_ERR_HEADERS_OVERFLOW':
    case 'HPE_HEADER_OVERFLOW':
      return new TelenorError('protocol', `${host} sent response headers too large to read.`, {
        hint: 'Report it to the API owner.',
        cause: e,
      });
    default:
      break;
  }
  if (code.startsWith('HPE_')) {
    return new TelenorError('protocol', `${host} sent an answer that is not valid HTTP.`, {
      hint: 'Check that the base URL points at an HTTP API (and the right port).',
      cause: e,
    });
  }
  const detail = e instanceof Error ? e.message : String(e);
  return net(`The request to ${host} failed: ${detail}`, 'Check the base URL, your network connection and the proxy setting.');
}
