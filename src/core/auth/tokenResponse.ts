/**
 * Tolerant parsing of a token endpoint's 200 answer.
 *
 * Written by hand on purpose: Telenor's documented responses are not strict RFC 6749. Sweden sends
 * `"expires_in": "3599"` (a string) and no `token_type`; Norway sends a string `expires_in` and marks
 * `token_type` and `refresh_token` optional. Strict OAuth clients (oauth4webapi, for one) reject both, so
 * a library would fail exactly the responses this extension exists for.
 */
import { TelenorError } from '../errors';
import type { TokenSet } from './types';
import { excerpt, scrubText } from './redact';
import { tokenEndpointError, type TokenErrorContext } from './errors';

/**
 * Lifetime used when `expires_in` is absent or unreadable: one hour, which is what both countries
 * document for their access tokens. The token cache refreshes ahead of it, and a 401 from an API makes the
 * send path fetch a new token anyway, so a wrong guess costs one retry, never a broken call.
 */
export const DEFAULT_EXPIRES_IN_SECONDS = 3600;

/**
 * Longest lifetime believed: a day. Telenor's tokens live an hour; a server that says `1e12` (31,700
 * years) would otherwise pin a token in the cache for good and put an expiry date past what `Date` can
 * show into the token inspector. Believing less than the server costs at most one extra token request a
 * day; a 401 renews the token anyway.
 */
export const MAX_EXPIRES_IN_SECONDS = 24 * 3600;

export interface ParseTokenOptions {
  /** Epoch ms at which the response arrived. */
  now: number;
  defaultExpiresInSeconds?: number;
  /** For the error if the body turns out to be an OAuth error after all. */
  errorContext?: TokenErrorContext;
}

/** Seconds from a number or a numeric string (`"3599"`, `" 3600 "`, `"3600.0"`); undefined otherwise. */
export function parseExpiresIn(value: unknown): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  return n !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function describeJsonKeys(o: Record<string, unknown>): string {
  const keys = Object.keys(o);
  if (keys.length === 0) return 'an empty JSON object';
  const shown = keys.slice(0, 8).map((k) => excerpt(k, 30));
  return `a JSON object with ${shown.join(', ')}${keys.length > shown.length ? ', …' : ''}`;
}

/**
 * Turn the body of a 2xx token response into a `TokenSet`. A body that is not JSON, or JSON without an
 * `access_token`, is a `protocol` error that says what came back — field names only for JSON (values may
 * be secrets), a scrubbed excerpt for anything else.
 */
export function parseTokenResponse(bodyText: string, contentType: string | undefined, options: ParseTokenOptions): TokenSet {
  const text = bodyText.replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const what = text.trim() === '' ? 'an empty body' : `“${excerpt(scrubText(text, options.errorContext?.secrets ?? []), 80)}”`;
    throw new TelenorError(
      'protocol',
      `The token endpoint answered with ${contentType ? `${excerpt(contentType, 60)} ` : ''}content that is not JSON: ${what}.`,
      {
        hint: 'Check the token URL and base URL for this environment: something other than Telenor’s OAuth service (a proxy or login page, for example) may be answering.',
      },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TelenorError(
      'protocol',
      `The token endpoint answered with JSON that is not an object (${Array.isArray(json) ? 'an array' : typeof json === 'object' ? 'null' : `a ${typeof json}`}).`,
      { hint: 'Check the token URL for this environment.' },
    );
  }
  const o = json as Record<string, unknown>;
  const accessToken = o['access_token'];
  if (typeof accessToken !== 'string' || accessToken.trim() === '') {
    // Some gateways answer 200 with an OAuth error body; report it as the error it is.
    if (typeof o['error'] === 'string' && options.errorContext) {
      throw tokenEndpointError(200, text, options.errorContext);
    }
    throw new TelenorError(
      'protocol',
      `The token endpoint answered 200 but without an access_token: it sent ${describeJsonKeys(o)}.`,
      { hint: 'Check the token URL for this environment; the answer does not look like a token response.' },
    );
  }

  const seconds = Math.min(parseExpiresIn(o['expires_in']) ?? options.defaultExpiresInSeconds ?? DEFAULT_EXPIRES_IN_SECONDS, MAX_EXPIRES_IN_SECONDS);
  const rawType = o['token_type'];
  // RFC 6750 makes the scheme case-insensitive; normalise so headers always read `Bearer`.
  const tokenType =
    typeof rawType === 'string' && rawType.trim() !== ''
      ? /^bearer$/i.test(rawType.trim())
        ? 'Bearer'
        : rawType.trim()
      : 'Bearer';
  const token: TokenSet = {
    accessToken: accessToken.trim(),
    tokenType,
    obtainedAt: options.now,
    expiresAt: options.now + Math.round(seconds * 1000),
  };
  const refresh = o['refresh_token'];
  if (typeof refresh === 'string' && refresh.trim() !== '') token.refreshToken = refresh.trim();
  const scope = o['scope'];
  if (typeof scope === 'string' && scope.trim() !== '') token.scope = scope.trim();
  return token;
}
