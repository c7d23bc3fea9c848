/** Request and response shapes for the send path and the snippet generator. */

export type Headers = Record<string, string>;

/** What the user filled in for one operation (the request panel's form, a hover, a test). */
export interface RequestValues {
  /** Base URL to call (a server from the spec or the environment's base URL). */
  serverUrl: string;
  path: Record<string, string>;
  /** Repeated keys as arrays. */
  query: Record<string, string | string[]>;
  headers: Headers;
  body?: string;
  contentType?: string;
  /** Cookie parameters (`in: cookie`), sent together in one `Cookie` header. */
  cookies?: Record<string, string>;
}

/** A fully built request, before auth headers are added. */
export interface PreparedRequest {
  method: string;
  url: string;
  headers: Headers;
  body?: string | Uint8Array;
}

/**
 * Supplies auth headers for a request. `invalidate(rejected)` is called once when the API answers a 401
 * that means "expired or invalid token", with the headers that were rejected; the next `headers()` must
 * then return a fresh token. Passing the rejected headers matters under concurrency: when many requests
 * are rejected at once, only the token they used may be dropped — not the one another request has
 * already fetched in the meantime (that would turn one renewal into one per request).
 */
export interface AuthHeaderProvider {
  headers(signal?: AbortSignal): Promise<Headers>;
  invalidate(rejected?: Headers): void;
}

export interface SendOptions {
  /** Whole request (connect + headers + body) must finish within this. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep at most this many body bytes for display; the rest is counted and discarded. */
  maxBodyBytes: number;
  auth?: AuthHeaderProvider;
}

/**
 * What an API error response means, from any of the body forms Telenor's gateways use (Norway codes,
 * Apigee faults, CAMARA bodies, plain text). See `classifyApiError` in `apiErrors.ts`.
 */
export interface ApiErrorInfo {
  /** The code found: a Norway code (`"40106"`), an Apigee error code, a CAMARA code, an OAuth error. */
  code?: string;
  /** What happened, in the documentation's words where it has some. */
  meaning: string;
  /** What to do about it. */
  hint: string;
  /** Set when the answer says the access token (or X-JWT) is expired or not valid: renewing may help. */
  tokenProblem?: 'expired' | 'invalid';
}

export interface ResponseTimings {
  /** ms from start to response headers. */
  headersMs: number;
  /** ms from start to the end of the body. */
  totalMs: number;
}

export interface SendResult {
  request: PreparedRequest;
  status: number;
  statusText: string;
  /** Header names lower-cased; repeated headers joined with ", " (set-cookie kept as array items). */
  headers: Array<[string, string]>;
  contentType?: string;
  /** Decoded text of at most `maxBodyBytes`. */
  body: string;
  /** Total bytes received (may exceed `maxBodyBytes`). */
  bodyBytes: number;
  truncated: boolean;
  timings: ResponseTimings;
  /** True when the first answer was a 401 "expired/invalid token" and this is the retry. */
  retriedAfter401: boolean;
  /** The URL that answered, after redirects (equals `request.url` when there were none). */
  finalUrl?: string;
  /** Each URL redirected to, in order. */
  redirects?: string[];
  /** Bytes on the wire when the body was compressed (`bodyBytes` counts the decoded bytes). */
  encodedBytes?: number;
  /** For status >= 400: what the error body means (Norway code, Apigee fault, CAMARA body…). */
  apiError?: ApiErrorInfo;
}
