// Norway's OAuth endpoints: `POST /oauth/v2/token` (every grant, every documented error code) and
// `GET /oauth/v2/logout`. The error wording is the seeds' (001 and 004), including their spelling.

import type { ServerResponse } from 'node:http';
import { NORWAY_SCOPES, sameSecret, type NorwayClient } from '../clients';
import { after, bodyOr413, type Exchange, type SandboxContext } from '../context';
import { parseAuthorization, parseForm, sendJson, sendText, single } from '../http';
import type { NorwayGrant } from '../store';

export interface TokenErrorDef {
  status: number;
  code: number;
  error: string;
  description: string;
}

/** The documented token-endpoint errors (docs/sandbox.md lists the input behind each one). */
export const TOKEN_ERRORS = {
  invalidClientId: { status: 401, code: 1, error: 'invalid_client', description: 'Invalid client id' },
  missingGrantType: { status: 400, code: 2, error: 'invalid_request', description: 'Missing or invalid grant_type' },
  unsupportedGrantType: { status: 400, code: 2, error: 'unsupported_grant_type', description: 'Missing or invalid grant_type' },
  invalidCode: { status: 401, code: 4, error: 'invalid_grant', description: 'Invalid authorization code' },
  notAuthorized: { status: 401, code: 5, error: 'unauthorized_client', description: 'Not authorized to create access token' },
  badAuthorizationHeader: { status: 401, code: 6, error: 'invalid_client', description: 'Missing or bad Authorization header' },
  invalidRefreshToken: { status: 401, code: 7, error: 'invalid_grant', description: 'Invalid refresh_token' },
  illegalScope: { status: 403, code: 8, error: 'invalid_scope', description: 'Illegal or non authorized scope' },
  invalidClientData: { status: 401, code: 9, error: 'invalid_client', description: 'Invalid Client data' },
  invalidRedirectUri: { status: 403, code: 12, error: 'invalid_request', description: 'Invalid RedirectURI' },
  illegalResponseType: { status: 403, code: 15, error: 'unsupported_response_type', description: 'Illegal Response Type' },
  invalidAppAttributes: { status: 500, code: 16, error: 'server_error', description: 'Invalid App Attributes.Please contact Telenor Admin' },
  internalError: { status: 500, code: 2, error: 'server_error', description: 'Internal Server Error' },
  invalidOwnerCredentials: { status: 401, code: 20, error: 'invalid_grant', description: 'Invalid resource owner credentials' },
  grantNotPermitted: { status: 401, code: 21, error: 'unauthorized_client', description: 'Unsufficient permissions to use requested grant_type' },
  basicAuthFailed: { status: 401, code: 22, error: 'invalid_client', description: 'Basic Authentication failed, bad username or password.' },
  userNotOfClient: { status: 401, code: 23, error: 'invalid_grant', description: 'User credentials does not match granted client credentials' },
  // Logout's own uses of codes 2 and 6 (seed 001, "Logout").
  invalidAccessToken: { status: 401, code: 2, error: 'invalid_token', description: 'Invalid access token' },
} as const satisfies Record<string, TokenErrorDef>;

export function sendTokenError(res: ServerResponse, e: TokenErrorDef): void {
  const headers = e.status === 401 ? { 'WWW-Authenticate': 'Basic realm="api.telenor.no"' } : {};
  sendJson(res, e.status, { error: e.error, error_description: e.description, error_code: e.code }, headers);
}

type Outcome = { ok: true; body: Record<string, string> } | { ok: false; error: TokenErrorDef };

const fail = (error: TokenErrorDef): Outcome => ({ ok: false, error });

/** The client named by the Basic header, with its secret checked; an error otherwise. */
export function authenticateClient(
  x: Exchange,
): { ok: true; client: NorwayClient } | { ok: false; error: TokenErrorDef } {
  const auth = parseAuthorization(x.req);
  if (auth.kind !== 'basic') return { ok: false, error: TOKEN_ERRORS.badAuthorizationHeader };
  const client = x.ctx.registry.norway.get(auth.id);
  if (client === undefined) return { ok: false, error: TOKEN_ERRORS.invalidClientId };
  if (!sameSecret(auth.secret, client.secret)) return { ok: false, error: TOKEN_ERRORS.basicAuthFailed };
  return { ok: true, client };
}

/**
 * Parses `scope`: space-separated, each one known. `undefined` = not asked for; `null` = illegal (an unknown
 * scope, or the parameter repeated, which OAuth forbids).
 */
export function parseScopes(values: string[]): readonly string[] | undefined | null {
  if (values.length > 1) return null;
  const words = (values[0] ?? '').split(' ').filter((w) => w !== '');
  if (words.length === 0) return undefined;
  return words.every((w) => (NORWAY_SCOPES as readonly string[]).includes(w)) ? [...new Set(words)] : null;
}

const FAULT_ERRORS: Record<NonNullable<NorwayClient['fault']>, TokenErrorDef> = {
  blocked: TOKEN_ERRORS.notAuthorized,
  'invalid-data': TOKEN_ERRORS.invalidClientData,
  'bad-attributes': TOKEN_ERRORS.invalidAppAttributes,
  'server-error': TOKEN_ERRORS.internalError,
};

type GrantType = NorwayGrant | 'refresh_token';
const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'password', 'client_credentials', 'refresh_token'];

export async function norwayToken(x: Exchange): Promise<void> {
  const body = await bodyOr413(x);
  if (body === undefined) return;
  const outcome = tokenOutcome(x, parseForm(x.req, body));
  if (outcome.ok) sendJson(x.res, 200, outcome.body);
  else sendTokenError(x.res, outcome.error);
}

function tokenOutcome(x: Exchange, form: URLSearchParams): Outcome {
  const authn = authenticateClient(x);
  if (!authn.ok) return fail(authn.error);
  const { client } = authn;
  if (client.fault !== undefined) return fail(FAULT_ERRORS[client.fault]);

  const grantType = single(form, 'grant_type');
  if (grantType === undefined) return fail(TOKEN_ERRORS.missingGrantType);
  if (!(GRANT_TYPES as readonly string[]).includes(grantType)) return fail(TOKEN_ERRORS.unsupportedGrantType);
  const grant = grantType as GrantType;
  const permitted =
    grant === 'refresh_token'
      ? client.grants.has('password') || client.grants.has('authorization_code')
      : client.grants.has(grant);
  if (!permitted) return fail(TOKEN_ERRORS.grantNotPermitted);

  const scopes = parseScopes(form.getAll('scope'));
  if (scopes === null) return fail(TOKEN_ERRORS.illegalScope);

  const input: GrantInput = { ctx: x.ctx, client, form, scopes };
  switch (grant) {
    case 'client_credentials':
      return issue(x.ctx, { clientId: client.id, grant, scopes }, false);
    case 'password':
      return passwordGrant(input);
    case 'authorization_code':
      return codeGrant(input);
    case 'refresh_token':
      return refreshGrant(input);
  }
}

/** What every grant works from: the authenticated client, the form, and the (checked) scope asked for. */
interface GrantInput {
  ctx: SandboxContext;
  client: NorwayClient;
  form: URLSearchParams;
  scopes: readonly string[] | undefined;
}

function passwordGrant({ ctx, client, form, scopes }: GrantInput): Outcome {
  const username = single(form, 'username');
  const password = single(form, 'password');
  const user = username === undefined ? undefined : ctx.registry.machineUsers.get(username);
  if (user === undefined || password === undefined || !sameSecret(password, user.password)) {
    return fail(TOKEN_ERRORS.invalidOwnerCredentials);
  }
  if (!user.clients.has(client.id)) return fail(TOKEN_ERRORS.userNotOfClient);
  return issue(ctx, { clientId: client.id, grant: 'password', scopes, username: user.username }, true);
}

function codeGrant({ ctx, client, form }: GrantInput): Outcome {
  const code = single(form, 'code');
  // Taken, not read: a code is burnt by its first exchange attempt, even a failed one.
  const record = code === undefined ? undefined : ctx.store.codes.take(code);
  if (record === undefined || record.expiresAt <= ctx.now() || record.clientId !== client.id) {
    return fail(TOKEN_ERRORS.invalidCode);
  }
  if (single(form, 'redirect_uri') !== record.redirectUri) return fail(TOKEN_ERRORS.invalidRedirectUri);
  const session = { clientId: client.id, grant: 'authorization_code' as const, scopes: record.scopes, lineId: record.lineId };
  return issue(ctx, session, true);
}

function refreshGrant({ ctx, client, form, scopes }: GrantInput): Outcome {
  const presented = single(form, 'refresh_token');
  const record = presented === undefined ? undefined : ctx.store.refreshTokens.get(presented);
  if (presented === undefined || record === undefined || record.clientId !== client.id || record.expiresAt <= ctx.now()) {
    return fail(TOKEN_ERRORS.invalidRefreshToken);
  }
  // A refresh may narrow the scope, never widen it.
  if (scopes !== undefined && record.scopes !== undefined && !scopes.every((s) => record.scopes?.includes(s))) {
    return fail(TOKEN_ERRORS.illegalScope);
  }
  // Rotation: the presented refresh token dies now; the new one replaces it.
  ctx.store.refreshTokens.delete(presented);
  const { expiresAt: _expired, ...session } = record;
  return issue(ctx, { ...session, scopes: scopes ?? record.scopes }, true);
}

interface Session {
  clientId: string;
  grant: NorwayGrant;
  scopes: readonly string[] | undefined;
  username?: string;
  lineId?: string;
}

function issue(ctx: SandboxContext, session: Session, withRefresh: boolean): Outcome {
  const accessToken = ctx.random.base64url(40);
  const refreshToken = withRefresh ? ctx.random.base64url(40) : undefined;
  ctx.store.accessTokens.set(accessToken, {
    ...session,
    region: 'no',
    issuedAt: ctx.now(),
    expiresAt: after(ctx, ctx.tokenTtlSeconds),
    ...(refreshToken === undefined ? {} : { refreshToken }),
  });
  if (refreshToken !== undefined) {
    ctx.store.refreshTokens.set(refreshToken, { ...session, expiresAt: after(ctx, ctx.refreshTtlSeconds) });
  }
  const body: Record<string, string> = {
    access_token: accessToken,
    // A JSON string, as the real endpoint sends it (clients must accept both).
    expires_in: String(ctx.tokenTtlSeconds),
    token_type: 'Bearer',
  };
  if (refreshToken !== undefined) body['refresh_token'] = refreshToken;
  return { ok: true, body };
}

/** `GET /oauth/v2/logout`: the bearer token (and the refresh token minted with it) stop working at once. */
export function norwayLogout(x: Exchange): void {
  const auth = parseAuthorization(x.req);
  if (auth.kind !== 'bearer') return sendTokenError(x.res, TOKEN_ERRORS.badAuthorizationHeader);
  if (x.ctx.store.lookup(auth.token, 'no', x.ctx.now()).state !== 'live') {
    return sendTokenError(x.res, TOKEN_ERRORS.invalidAccessToken);
  }
  x.ctx.store.revoke(auth.token);
  sendText(x.res, 200, 'OK!');
}
