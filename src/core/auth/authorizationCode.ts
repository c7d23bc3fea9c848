/**
 * Authorization code with line authentication (Norway, seed 002): the authorize URL, the `state` that ties
 * the callback to the sign-in we started, reading the callback, and the code exchange.
 */
import { randomBytes as nodeRandomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { TelenorError } from '../errors';
import type { ClientCredentials, TokenSet } from './types';
import { excerpt, scrubText } from './redact';
import { postTokenRequest, type AuthHttpOptions } from './transport';

/** 32 random bytes, base64url: 256 bits, URL-safe without escaping. */
export function createState(randomBytes: (size: number) => Buffer = nodeRandomBytes): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison. Both sides are hashed first so that `timingSafeEqual` gets equal lengths and
 * the comparison does not reveal the expected state's length either.
 */
export function statesMatch(expected: string, received: string): boolean {
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(received, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

export interface AuthorizeUrlInput {
  /** `{base}/oauth/v2/authorize`. */
  authorizeUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scope?: string;
}

export function buildAuthorizeUrl(input: AuthorizeUrlInput): string {
  const u = new URL(input.authorizeUrl);
  u.searchParams.set('client_id', input.clientId);
  u.searchParams.set('redirect_uri', input.redirectUri);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('state', input.state);
  if (input.scope !== undefined && input.scope.trim() !== '') u.searchParams.set('scope', input.scope.trim());
  return u.href;
}

export interface AuthorizationCallback {
  code: string;
  state: string;
}

/** What a callback turned out to be; the loopback server picks its page from `outcome`. */
export type CallbackResult =
  | { outcome: 'code'; callback: AuthorizationCallback }
  /** `error=access_denied`: the person said no. `description` is Telenor's text, scrubbed and short. */
  | { outcome: 'denied'; error: TelenorError; description: string | undefined }
  /** Another OAuth `error` from the sign-in page. */
  | { outcome: 'error'; error: TelenorError; oauthError: string; description: string | undefined }
  /** Not our callback: `state` missing or different. The sign-in keeps waiting for the right one. */
  | { outcome: 'foreign'; error: TelenorError }
  /** Our `state`, but neither `code` nor `error`. */
  | { outcome: 'incomplete'; error: TelenorError };

function toParams(input: string | URL | URLSearchParams): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (input instanceof URL) return input.searchParams;
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      return new URL(text).searchParams;
    } catch {
      return new URLSearchParams();
    }
  }
  const q = text.indexOf('?');
  return new URLSearchParams(q >= 0 ? text.slice(q + 1) : text);
}

function nonEmpty(v: string | null): string | undefined {
  return v !== null && v.trim() !== '' ? v.trim() : undefined;
}

const CALLBACK_ERROR_HINTS: Readonly<Record<string, string>> = {
  invalid_request: 'The sign-in request was malformed; check the authorize URL for this environment and report it if it persists.',
  unauthorized_client: 'Your app is not allowed to use sign-in with authorization code; ask Telenor to enable it for the app.',
  unsupported_response_type: 'The sign-in page does not accept response_type=code here; check the authorize URL for this environment.',
  invalid_scope: 'Remove the scope from the auth settings, or use one the app was granted.',
  server_error: 'Telenor’s sign-in service failed; try again in a little while.',
  temporarily_unavailable: 'Telenor’s sign-in service is busy; try again in a little while.',
};

/** Sort out a callback without throwing. `expectedState` is the one we put in the authorize URL. */
export function classifyCallback(input: string | URL | URLSearchParams, expectedState: string): CallbackResult {
  const params = toParams(input);
  // OAuth forbids repeating a parameter (RFC 6749 §3.1). A callback with two states or two codes was
  // tampered with (a code injected in front of the real one would be taken first): never ours.
  const repeated = ['state', 'code', 'error'].find((name) => params.getAll(name).length > 1);
  if (repeated !== undefined) {
    return {
      outcome: 'foreign',
      error: new TelenorError('callback', `The sign-in callback carried \`${repeated}\` more than once, so it was not accepted.`, {
        hint: 'Start the sign-in again from VS Code and finish it in the browser tab it opens.',
      }),
    };
  }
  const state = nonEmpty(params.get('state'));
  const error = nonEmpty(params.get('error'));
  const rawDescription = nonEmpty(params.get('error_description'));
  const description = rawDescription === undefined ? undefined : excerpt(scrubText(rawDescription), 200);

  // An error callback without `state` is still shown for what it is: the seed does not promise that Telenor
  // echoes `state` on a refusal, and an error grants nothing, so honouring it cannot let anyone in.
  // A callback with a *different* state is never ours, error or not.
  if (state !== undefined ? !statesMatch(expectedState, state) : error === undefined) {
    return {
      outcome: 'foreign',
      error: new TelenorError(
        'callback',
        state === undefined
          ? 'The sign-in callback carried no state, so it cannot be matched to the sign-in VS Code started.'
          : 'The sign-in callback belongs to a different sign-in (its state does not match).',
        { hint: 'Start the sign-in again from VS Code and finish it in the browser tab it opens.' },
      ),
    };
  }
  if (error === 'access_denied') {
    return {
      outcome: 'denied',
      description,
      error: new TelenorError(
        'consent-denied',
        `Consent was not given on Telenor’s page${description ? ` (Telenor said: “${description}”)` : ''}, so Telenor API Explorer did not get access. Calls to APIs that need this consent will not work until someone signs in again and approves.`,
        { hint: 'Sign in again and approve on Telenor’s page to use these APIs.' },
      ),
    };
  }
  if (error !== undefined) {
    const shownError = excerpt(scrubText(error), 60);
    return {
      outcome: 'error',
      oauthError: shownError,
      description,
      error: new TelenorError(
        'token-endpoint',
        `Telenor’s sign-in page returned the error “${shownError}”${description ? `: ${description}` : ''}. No access was granted.`,
        { hint: CALLBACK_ERROR_HINTS[error] ?? 'Try signing in again; if it keeps failing, check the app’s settings in the Telenor developer dashboard.' },
      ),
    };
  }
  const code = nonEmpty(params.get('code'));
  if (code === undefined || state === undefined) {
    return {
      outcome: 'incomplete',
      error: new TelenorError('callback', 'The sign-in callback carried neither an authorization code nor an error.', {
        hint: 'Start the sign-in again; if it keeps happening, check the callback URL registered for the app.',
      }),
    };
  }
  return { outcome: 'code', callback: { code, state } };
}

/** The code from a callback URL or query; throws the typed error for every other outcome. */
export function parseCallback(input: string | URL | URLSearchParams, expectedState: string): AuthorizationCallback {
  const result = classifyCallback(input, expectedState);
  if (result.outcome === 'code') return result.callback;
  throw result.error;
}

export interface CodeExchangeInput {
  /** `{base}/oauth/v2/token`. */
  tokenUrl: string;
  client: ClientCredentials;
  code: string;
  /** Exactly the `redirect_uri` sent to the authorize endpoint. */
  redirectUri: string;
  signal?: AbortSignal;
}

export function exchangeAuthorizationCode(http: AuthHttpOptions, input: CodeExchangeInput): Promise<TokenSet> {
  return postTokenRequest(http, {
    tokenUrl: input.tokenUrl,
    client: input.client,
    form: { grant_type: 'authorization_code', code: input.code, redirect_uri: input.redirectUri },
    secrets: [{ value: input.code, kind: 'token' }],
    errorContext: { endpoint: 'token', region: 'no', grantType: 'authorization_code', redirectUri: input.redirectUri },
    ...(input.signal ? { signal: input.signal } : {}),
  });
}
