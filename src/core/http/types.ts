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
}

/** A fully built request, before auth headers are added. */
export interface PreparedRequest {
  method: string;
  url: string;
  headers: Headers;
  body?: string | Uint8Array;
}

/**
 * Supplies auth headers for a request. `invalidate()` is called once when the API answers a 401 that
 * means "expired or invalid token"; the next `headers()` must then fetch a fresh token.
 */
export interface AuthHeaderProvider {
  headers(signal?: AbortSignal): Promise<Headers>;
  invalidate(): void;
}

export interface SendOptions {
  /** Whole request (connect + headers + body) must finish within this. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep at most this many body bytes for display; the rest is counted and discarded. */
  maxBodyBytes: number;
  auth?: AuthHeaderProvider;
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
}
