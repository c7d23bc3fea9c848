/**
 * Token-endpoint errors: the HTTP status and Telenor error code (1–23) of an answer from the OAuth
 * service, turned into a `TelenorError` that quotes the seeds' exact wording (so it can be matched with
 * Telenor's documentation) and adds what it means for this user and what to do.
 *
 * Norway sends the code in a JSON body (the field name is not documented: we accept `error_code`,
 * `errorCode` and `code`, numbers or numeric strings, also inside an `error` object, and "Error code N"
 * in plain text). Sweden answers plain OAuth (`{"error": "invalid_client", …}`).
 */
import { TelenorError } from '../errors';
import { excerpt, scrubText, type Secret } from './redact';

export type Region = 'se' | 'no';

/** Which endpoint answered; it changes what a code means (code 2 is three different things). */
export type AuthEndpoint = 'token' | 'logout' | 'hasPermission' | 'authorize';

/** What we were doing when the error came back, to make the explanation specific. No secrets here. */
export interface TokenErrorContext {
  endpoint: AuthEndpoint;
  region?: Region;
  /** The `grant_type` we sent. */
  grantType?: string;
  redirectUri?: string;
  scope?: string;
  /** X-JWT: the API name sent as `service`. */
  service?: string;
  /** Values known to be secret (what we just sent): masked in anything the server echoed. */
  secrets?: readonly Secret[];
}

interface SeedEntry {
  status: number;
  code: number;
  /** Verbatim from the seeds (001 and 004), including their spelling and punctuation. */
  wording: string;
  explain(ctx: TokenErrorContext): { meaning: string; hint: string };
}

function clientWords(ctx: TokenErrorContext): { id: string; secret: string } {
  return ctx.region === 'se'
    ? { id: 'consumer key', secret: 'consumer secret' }
    : { id: 'client id', secret: 'client secret' };
}

function grantName(grantType: string | undefined): string {
  switch (grantType) {
    case 'client_credentials':
      return 'client credentials';
    case 'password':
      return 'password (machine user)';
    case 'authorization_code':
      return 'authorization code';
    case 'refresh_token':
      return 'refresh token';
    default:
      return grantType ? `“${grantType}”` : 'requested';
  }
}

const DASHBOARD = 'under “Applications” in the Telenor developer dashboard';
const SET_CREDENTIALS = 'store it again with “Telenor: Set Credentials”';

/** Every token-endpoint error the seeds list, keyed by status and code. */
const SEED_ERRORS: readonly SeedEntry[] = [
  {
    status: 400,
    code: 2,
    wording: 'Missing or invalid grant_type',
    explain: (ctx) => ({
      meaning: `The token endpoint did not accept the ${grantName(ctx.grantType)} grant type in the request.`,
      hint: 'This is a problem in how the request was built, not in your credentials: check that the token URL belongs to the right country, and report it if it persists.',
    }),
  },
  {
    status: 401,
    code: 1,
    wording: 'Invalid client id',
    explain: (ctx) => ({
      meaning: `Telenor does not know this ${clientWords(ctx).id} in this environment.`,
      hint: `Copy the ${clientWords(ctx).id} from your app ${DASHBOARD} and ${SET_CREDENTIALS}. Test and production apps have different ids.`,
    }),
  },
  {
    status: 401,
    code: 2,
    wording: 'Invalid access token',
    explain: () => ({
      meaning: 'The access token is not valid any more (it expired or was already logged out).',
      hint: 'Nothing to do: sign in again when you next need a token.',
    }),
  },
  {
    status: 401,
    code: 4,
    wording: 'Invalid authorization code',
    explain: () => ({
      meaning: 'The one-time code from the sign-in page was unknown, expired or already used.',
      hint: 'Sign in again; codes are valid for a short time and only once.',
    }),
  },
  {
    status: 401,
    code: 5,
    wording: 'Not authorized to create access token',
    explain: () => ({
      meaning: 'Your app is registered but not allowed to create access tokens.',
      hint: 'Ask your company’s API administrator, or Telenor, to enable the app for this API.',
    }),
  },
  {
    status: 401,
    code: 6,
    wording: 'Missing or bad Authorization header',
    explain: (ctx) => ({
      meaning:
        ctx.endpoint === 'logout'
          ? 'The logout request had no usable Bearer token.'
          : `The token request’s Basic authorization (${clientWords(ctx).id} and ${clientWords(ctx).secret}) was missing or malformed.`,
      hint:
        ctx.endpoint === 'logout'
          ? 'Nothing to do: the token is forgotten locally.'
          : `Check that the stored ${clientWords(ctx).id} and ${clientWords(ctx).secret} are complete (no missing characters or extra spaces) and ${SET_CREDENTIALS}.`,
    }),
  },
  {
    status: 401,
    code: 7,
    wording: 'Invalid refresh_token',
    explain: () => ({
      meaning: 'The refresh token was unknown or already used, so the session cannot be renewed silently.',
      hint: 'Sign in again to get a new token.',
    }),
  },
  {
    status: 401,
    code: 9,
    wording: 'Invalid Client data',
    explain: () => ({
      meaning: 'Telenor considers your app’s registration data invalid.',
      hint: `Check the app ${DASHBOARD}, or contact Telenor.`,
    }),
  },
  {
    status: 401,
    code: 20,
    wording: 'Invalid resource owner credentials',
    explain: () => ({
      meaning: 'The machine user’s username or password is wrong.',
      hint: 'Check them in Min Bedrift (under APIs, with admin rights; an administrator can send a new password to your mobile) and store them again with “Telenor: Set Credentials”. The username looks like api7813371375 and is not your personal Min Bedrift login.',
    }),
  },
  {
    status: 401,
    code: 21,
    wording: 'Unsufficient permissions to use requested grant_type',
    explain: (ctx) => ({
      meaning: `Your app is not allowed to use the ${grantName(ctx.grantType)} grant.`,
      hint: `Use the app that was set up for this API (an app for the Telenor Stores API, for example, may only use client credentials), or ask Telenor to allow this grant for the app ${DASHBOARD}.`,
    }),
  },
  {
    status: 401,
    code: 22,
    wording: 'Basic Authentication failed, bad username or password.',
    explain: (ctx) => ({
      meaning: `Telenor knows the ${clientWords(ctx).id}, but the ${clientWords(ctx).secret} does not match it.`,
      hint: `Copy the ${clientWords(ctx).secret} again from your app ${DASHBOARD} and ${SET_CREDENTIALS}. Test and production have different secrets.`,
    }),
  },
  {
    status: 401,
    code: 23,
    wording: 'User credentials does not match granted client credentials',
    explain: () => ({
      meaning: 'The machine user belongs to a different company or app than this client id.',
      hint: 'Use the machine user created in Min Bedrift for the company that owns this app, or the client id of that company’s app.',
    }),
  },
  {
    status: 403,
    code: 8,
    wording: 'Illegal or non authorized scope',
    explain: (ctx) => ({
      meaning: ctx.scope
        ? `The scope “${ctx.scope}” is not allowed for your app.`
        : 'The requested scope is not allowed for your app.',
      hint: 'Remove the scope from the auth settings, or use one the app was granted.',
    }),
  },
  {
    status: 403,
    code: 12,
    wording: 'Invalid RedirectURI',
    explain: (ctx) => ({
      meaning: ctx.redirectUri
        ? `Telenor does not accept the callback URL ${ctx.redirectUri} for your app.`
        : 'Telenor does not accept the callback URL for your app.',
      hint: ctx.redirectUri
        ? `Register exactly ${ctx.redirectUri} as a callback URL for the app ${DASHBOARD}, then sign in again.`
        : `Register the callback URL for the app ${DASHBOARD}, then sign in again.`,
    }),
  },
  {
    status: 403,
    code: 15,
    wording: 'Illegal Response Type',
    explain: () => ({
      meaning: 'The sign-in page was asked for a response type other than `code`.',
      hint: 'This is a problem in how the sign-in URL was built; report it.',
    }),
  },
  {
    status: 500,
    code: 16,
    wording: 'Invalid App Attributes.Please contact Telenor Admin',
    explain: () => ({
      meaning: 'Your app’s settings at Telenor are incomplete or inconsistent.',
      hint: 'Contact Telenor (the API team or your key account manager) and quote this error code.',
    }),
  },
  {
    status: 500,
    code: 2,
    wording: 'Internal Server Error',
    explain: () => ({
      meaning: 'Telenor’s OAuth service failed while handling the request.',
      hint: 'Try again in a little while; if it persists, contact Telenor and quote this error code.',
    }),
  },
];

/** Plain OAuth 2 errors (Sweden, and Norway's `error` field). */
const OAUTH_ERRORS: Readonly<Record<string, (ctx: TokenErrorContext) => { meaning: string; hint: string }>> = {
  invalid_client: (ctx) => ({
    meaning: `Telenor did not accept the ${clientWords(ctx).id} and ${clientWords(ctx).secret}.`,
    hint: `Check both against your agreement’s credentials for this environment (test and production differ) and ${SET_CREDENTIALS}.`,
  }),
  unsupported_grant_type: (ctx) => ({
    meaning: `The token endpoint does not support the ${grantName(ctx.grantType)} grant.`,
    hint: 'Check that the API uses the token URL of the right country; report it if it persists.',
  }),
  unauthorized_client: (ctx) => ({
    meaning: `Your app is not allowed to use the ${grantName(ctx.grantType)} grant.`,
    hint: 'Ask Telenor which grant the app was set up for.',
  }),
  invalid_grant: () => ({
    meaning: 'The code, refresh token or user credentials were not accepted (wrong, expired or already used).',
    hint: 'Sign in again, or check the stored user credentials.',
  }),
  invalid_scope: (ctx) => ({
    meaning: ctx.scope ? `The scope “${ctx.scope}” is not allowed.` : 'The requested scope is not allowed.',
    hint: 'Remove the scope from the auth settings, or use one the app was granted.',
  }),
  invalid_request: () => ({
    meaning: 'The token endpoint found the request malformed.',
    hint: 'Check the token URL for this environment; report it if it persists.',
  }),
  access_denied: () => ({
    meaning: 'The request was refused.',
    hint: 'Check that your credentials are allowed to use this API.',
  }),
  server_error: () => ({
    meaning: 'Telenor’s OAuth service failed while handling the request.',
    hint: 'Try again in a little while.',
  }),
  temporarily_unavailable: () => ({
    meaning: 'Telenor’s OAuth service is temporarily unavailable.',
    hint: 'Try again in a little while.',
  }),
};

function byStatus(status: number, ctx: TokenErrorContext): { meaning: string; hint: string } {
  if (ctx.endpoint === 'hasPermission' && (status === 401 || status === 403)) {
    return {
      meaning: `The X-JWT request for “${ctx.service ?? 'this API'}” was refused: the JWT clientId, userId or password is wrong, or they are not allowed to use this API.`,
      hint: 'Check the Communication API credentials you received from Telenor and store them again with “Telenor: Set Credentials”.',
    };
  }
  if (status >= 300 && status < 400) {
    return {
      meaning: 'The endpoint redirected instead of answering; credentials are never sent on to another address.',
      hint: 'Check the base URL for this environment (it may point at a login page or an old address).',
    };
  }
  if (status === 404) {
    return {
      meaning: 'There is no such endpoint at this address.',
      hint: 'Check the base URL configured for this environment and country.',
    };
  }
  if (status === 429) return { meaning: 'Too many requests.', hint: 'Wait a moment and try again.' };
  if (status >= 500) return { meaning: 'Telenor’s service failed.', hint: 'Try again in a little while.' };
  if (status === 401) {
    return { meaning: 'The credentials were refused.', hint: 'Check the stored credentials for this environment.' };
  }
  if (status === 403) return { meaning: 'The request is not permitted.', hint: 'Check that your app may use this API.' };
  return { meaning: 'The request was refused.', hint: 'Check the credentials and the auth settings for this API.' };
}

/** The seed entry for a status and code; the code alone when the status is unusual. */
export function seedErrorFor(status: number, code: number): { wording: string; seedText: string } | undefined {
  const entry = findSeed(status, code);
  return entry ? { wording: entry.wording, seedText: `Error code ${entry.code} - ${entry.wording}` } : undefined;
}

function findSeed(status: number, code: number): SeedEntry | undefined {
  return SEED_ERRORS.find((e) => e.status === status && e.code === code) ?? SEED_ERRORS.find((e) => e.code === code);
}

/** Every (status, code) the seeds document, for tests and for the docs. */
export function documentedTokenErrors(): Array<{ status: number; code: number; seedText: string }> {
  return SEED_ERRORS.map((e) => ({ status: e.status, code: e.code, seedText: `Error code ${e.code} - ${e.wording}` }));
}

/** The fields that identify a token-endpoint error; also the structural check across bundles. */
export interface TokenEndpointErrorFields {
  readonly kind: 'token-endpoint';
  readonly httpStatus: number;
  /** Telenor's numeric code, when the answer carried one. */
  readonly code: number | undefined;
  /** The OAuth `error` value, when present (`invalid_client`, …). */
  readonly oauthError: string | undefined;
  /** The seeds' exact wording with its code, e.g. `Error code 22 - Basic Authentication failed, …`. */
  readonly seedText: string | undefined;
  /** What it means for this user (also part of `message`). */
  readonly explanation: string;
}

export class TokenEndpointError extends TelenorError implements TokenEndpointErrorFields {
  declare readonly kind: 'token-endpoint';
  readonly httpStatus: number;
  readonly code: number | undefined;
  readonly oauthError: string | undefined;
  readonly seedText: string | undefined;
  readonly explanation: string;

  constructor(
    message: string,
    fields: Omit<TokenEndpointErrorFields, 'kind'>,
    options: { hint: string; cause?: unknown },
  ) {
    super('token-endpoint', message, options);
    this.name = 'TokenEndpointError';
    this.httpStatus = fields.httpStatus;
    this.code = fields.code;
    this.oauthError = fields.oauthError;
    this.seedText = fields.seedText;
    this.explanation = fields.explanation;
  }
}

/** Structural check (see `isTelenorError` for why not `instanceof`). */
export function isTokenEndpointError(e: unknown): e is TelenorError & TokenEndpointErrorFields {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as { isTelenorError?: unknown; kind?: unknown; httpStatus?: unknown };
  return o.isTelenorError === true && o.kind === 'token-endpoint' && typeof o.httpStatus === 'number';
}

function asCode(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\s*\d{1,9}\s*$/.test(v)) return Number(v.trim());
  return undefined;
}

function asText(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export interface ParsedErrorBody {
  code?: number;
  oauthError?: string;
  description?: string;
}

/** Pull code, OAuth error and description out of whatever the endpoint sent. Never throws. */
export function parseErrorBody(text: string): ParsedErrorBody {
  const out: ParsedErrorBody = {};
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    json = undefined;
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    const nested = typeof o['error'] === 'object' && o['error'] !== null ? (o['error'] as Record<string, unknown>) : {};
    const code =
      asCode(o['error_code']) ??
      asCode(o['errorCode']) ??
      asCode(o['code']) ??
      asCode(nested['error_code']) ??
      asCode(nested['errorCode']) ??
      asCode(nested['code']);
    if (code !== undefined) out.code = code;
    const oauthError = asText(o['error']) ?? asText(nested['error']);
    if (oauthError !== undefined) out.oauthError = oauthError;
    const description =
      asText(o['error_description']) ??
      asText(o['errorDescription']) ??
      asText(o['description']) ??
      asText(o['message']) ??
      asText(nested['message']) ??
      asText(nested['description']);
    if (description !== undefined) out.description = description;
    return out;
  }
  const m = /error\s*code\s*:?\s*(\d{1,9})/i.exec(text);
  if (m?.[1]) out.code = Number(m[1]);
  const flat = excerpt(text.replace(/<[^>]*>/g, ' '));
  if (flat) out.description = flat;
  return out;
}

function endpointLabel(ctx: TokenErrorContext): string {
  const country = ctx.region === 'se' ? 'Telenor Sweden’s' : ctx.region === 'no' ? 'Telenor Norway’s' : 'Telenor’s';
  switch (ctx.endpoint) {
    case 'logout':
      return `${country} logout endpoint`;
    case 'hasPermission':
      return `${country} X-JWT endpoint (hasPermission)`;
    case 'authorize':
      return `${country} sign-in page`;
    default:
      return `${country} token endpoint`;
  }
}

/** The typed error for a non-2xx answer (or a 2xx that carries `error`) from an auth endpoint. */
export function tokenEndpointError(status: number, bodyText: string, ctx: TokenErrorContext): TokenEndpointError {
  const parsed = parseErrorBody(bodyText);
  const secrets = ctx.secrets ?? [];
  const description = parsed.description === undefined ? undefined : excerpt(scrubText(parsed.description, secrets));
  const seed = parsed.code === undefined ? undefined : findSeed(status, parsed.code);
  const oauthExplain = parsed.oauthError === undefined ? undefined : OAUTH_ERRORS[parsed.oauthError];
  const { meaning, hint } = seed
    ? seed.explain(ctx)
    : oauthExplain
      ? oauthExplain(ctx)
      : byStatus(status, ctx);
  const seedText = seed ? `Error code ${seed.code} - ${seed.wording}` : undefined;

  let what: string;
  if (seedText) what = seedText;
  else if (parsed.code !== undefined) what = `Error code ${parsed.code}${description ? ` - ${description}` : ''}`;
  else if (parsed.oauthError !== undefined)
    what = `${excerpt(scrubText(parsed.oauthError, secrets), 60)}${description ? ` - ${description}` : ''}`;
  else what = description ? `“${description}”` : 'no error details';

  const stop = /[.!?]$/.test(what) ? '' : '.';
  const message = `${endpointLabel(ctx)} answered HTTP ${status}: ${what}${stop} ${meaning}`;
  return new TokenEndpointError(
    message,
    {
      httpStatus: status,
      code: parsed.code,
      oauthError: parsed.oauthError,
      seedText,
      explanation: meaning,
    },
    { hint },
  );
}

/** True when this error means "the refresh token is no good, do a full grant" (Telenor code 7, OAuth invalid_grant). */
export function isInvalidRefreshToken(e: unknown): boolean {
  return isTokenEndpointError(e) && (e.code === 7 || (e.code === undefined && e.oauthError === 'invalid_grant'));
}
