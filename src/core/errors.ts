/**
 * Typed errors shared by every layer. Each one says what happened (`message`) and what to do (`hint`).
 *
 * Callers branch on `kind` (and the subclass fields), never on message text. The check is structural
 * (`isTelenorError`) rather than `instanceof` because the extension loads the engine from a separate
 * bundle: the same class may exist twice at run time, and `instanceof` would then lie.
 */

export type ErrorKind =
  /** A spec could not be read, parsed or indexed. */
  | 'spec'
  /** The token endpoint answered with an error (Telenor codes 1–23 or an OAuth error). */
  | 'token-endpoint'
  /** An API answered with a Telenor error code (Norway 40001…50003, Apigee faults, CAMARA bodies). */
  | 'api'
  /** The end user (or the consent page) refused: `error=access_denied`. */
  | 'consent-denied'
  /** The authorization callback was not the one we started (wrong/missing `state`, replayed code). */
  | 'callback'
  /** No usable credentials are stored for the environment and kind that the API needs. */
  | 'credentials-missing'
  /** DNS, refused, reset or TLS failure: the request never got an HTTP answer. */
  | 'network'
  /** No answer, or not all of it, within the time limit. */
  | 'timeout'
  /** The user (or a caller) cancelled. */
  | 'cancelled'
  /** The peer answered something we cannot use (not JSON where JSON is required, no access_token…). */
  | 'protocol'
  /** A request was refused by our own transport policy (plain http to a non-loopback host…). */
  | 'policy'
  /** What the user filled in cannot make a request (a required parameter is missing, a path value is empty…). */
  | 'input'
  /** Anything else: a bug on our side. */
  | 'internal';

export interface TelenorErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class TelenorError extends Error {
  /** Marker for the structural check across bundles. */
  readonly isTelenorError = true as const;
  readonly hint: string;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: TelenorErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TelenorError';
    this.hint = options.hint ?? '';
  }
}

export function isTelenorError(e: unknown): e is TelenorError {
  return typeof e === 'object' && e !== null && (e as { isTelenorError?: unknown }).isTelenorError === true;
}

/** Same check narrowed to one kind, for call sites that only care about one case. */
export function isErrorKind<K extends ErrorKind>(e: unknown, kind: K): e is TelenorError & { kind: K } {
  return isTelenorError(e) && e.kind === kind;
}

/** Message + hint as one line for a notification or a log line. Unknown throwables are described, not dropped. */
export function describeError(e: unknown): string {
  if (isTelenorError(e)) return e.hint ? `${e.message} ${e.hint}` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
