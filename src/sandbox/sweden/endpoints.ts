// Sweden "Telenor Open APIs": the client-credentials token endpoint, the X-JWT `hasPermission` endpoint and
// two example APIs. Gateway errors use the Apigee fault shape the real proxy is inferred to send
// (telenor-facts.md); error codes under `sandbox.` are the sandbox's own, for checks no page documents.

import { SWEDEN_MOBILE_ADMIN_SERVICE, sameSecret } from '../clients';
import { after, bodyOr413, type Exchange } from '../context';
import { header, parseAuthorization, parseForm, parseJson, sendJson, single } from '../http';
import type { AccessTokenRecord } from '../store';
import { signJwt, verifyJwt } from './jwt';

interface Fault {
  status: number;
  faultstring: string;
  errorcode: string;
}

export const FAULTS = {
  missingToken: { status: 401, faultstring: 'Invalid access token: no Bearer token in the Authorization header', errorcode: 'oauth.v2.InvalidAccessToken' },
  invalidToken: { status: 401, faultstring: 'Invalid Access Token', errorcode: 'keymanagement.service.invalid_access_token' },
  expiredToken: { status: 401, faultstring: 'Access Token expired', errorcode: 'keymanagement.service.access_token_expired' },
  missingJwt: { status: 401, faultstring: 'Missing X-JWT header: get one from hasPermission first', errorcode: 'steps.jwt.FailedToResolveVariable' },
  invalidJwt: { status: 401, faultstring: 'Invalid X-JWT', errorcode: 'steps.jwt.InvalidToken' },
  expiredJwt: { status: 401, faultstring: 'X-JWT expired', errorcode: 'steps.jwt.TokenExpired' },
  wrongJwtService: { status: 403, faultstring: 'X-JWT was not issued for this API', errorcode: 'steps.jwt.InvalidClaim' },
  missingTransactionId: { status: 400, faultstring: 'Missing X-Transaction-Id header: send a unique id with every call', errorcode: 'sandbox.MissingTransactionId' },
  missingService: { status: 400, faultstring: 'Missing query parameter service (the API name, e.g. Mobile Subscriptions Administration API)', errorcode: 'sandbox.MissingService' },
  serviceNotPermitted: { status: 403, faultstring: 'The user has no permission for this service', errorcode: 'sandbox.ServiceNotPermitted' },
  invalidBody: { status: 400, faultstring: 'Expected a JSON body {"clientId": string, "userId": number, "password": string}', errorcode: 'sandbox.InvalidRequestBody' },
  invalidUser: { status: 401, faultstring: 'Invalid clientId, userId or password', errorcode: 'sandbox.InvalidUserCredentials' },
} as const satisfies Record<string, Fault>;

function sendFault(x: Exchange, f: Fault): void {
  const headers: Record<string, string> = {};
  const tx = header(x.req, 'x-transaction-id');
  if (tx !== undefined) headers['X-Transaction-Id'] = tx;
  if (f.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="Telenor Open APIs"';
  sendJson(x.res, f.status, { fault: { faultstring: f.faultstring, detail: { errorcode: f.errorcode } } }, headers);
}

type Check<T> = { ok: true; value: T } | { ok: false; fault: Fault };

function bearer(x: Exchange): Check<AccessTokenRecord> {
  const auth = parseAuthorization(x.req);
  if (auth.kind !== 'bearer') return { ok: false, fault: FAULTS.missingToken };
  const found = x.ctx.store.lookup(auth.token, 'se', x.ctx.now());
  if (found.state === 'live') return { ok: true, value: found.record };
  return { ok: false, fault: found.state === 'expired' ? FAULTS.expiredToken : FAULTS.invalidToken };
}

/** Bearer, then (optionally) the transaction id header; answers the fault itself and returns false. */
function gateway(x: Exchange, needsTransactionId: boolean): boolean {
  const token = bearer(x);
  const fault = !token.ok
    ? token.fault
    : needsTransactionId && header(x.req, 'x-transaction-id') === undefined
      ? FAULTS.missingTransactionId
      : undefined;
  if (fault === undefined) return true;
  sendFault(x, fault);
  return false;
}

function sendOk(x: Exchange, body: unknown): void {
  const tx = header(x.req, 'x-transaction-id');
  sendJson(x.res, 200, body, tx === undefined ? {} : { 'X-Transaction-Id': tx });
}

// ---------------------------------------------------------------------------------------------------------

/** `POST /openapi/oauth2/token` (and `/oauth2/token`): client credentials with Basic key:secret. */
export async function swedenToken(x: Exchange): Promise<void> {
  const body = await bodyOr413(x);
  if (body === undefined) return;
  const auth = parseAuthorization(x.req);
  const { clientId, clientSecret } = x.ctx.registry.sweden;
  if (auth.kind !== 'basic' || auth.id !== clientId || !sameSecret(auth.secret, clientSecret)) {
    return sendJson(
      x.res,
      401,
      { error: 'invalid_client', error_description: 'Client authentication failed: send Authorization: Basic base64(consumer key:consumer secret)' },
      { 'WWW-Authenticate': 'Basic realm="Telenor Open APIs"' },
    );
  }
  const grantType = single(parseForm(x.req, body), 'grant_type');
  if (grantType === undefined) {
    return sendJson(x.res, 400, { error: 'invalid_request', error_description: 'Missing grant_type: send grant_type=client_credentials as a form body' });
  }
  if (grantType !== 'client_credentials') {
    return sendJson(x.res, 400, { error: 'unsupported_grant_type', error_description: 'Only grant_type=client_credentials is supported' });
  }
  const ttl = x.ctx.tokenTtlSeconds;
  const accessToken = x.ctx.random.alnum(28);
  x.ctx.store.accessTokens.set(accessToken, {
    region: 'se',
    clientId,
    grant: 'client_credentials',
    scopes: ['openapi'],
    issuedAt: x.ctx.now(),
    expiresAt: after(x.ctx, ttl),
  });
  // Documented shape: `expires_in` a string one second short of the lifetime, and no `token_type`.
  sendJson(x.res, 200, { access_token: accessToken, expires_in: String(Math.max(ttl - 1, 1)), scope: 'openapi' });
}

interface PermissionRequest {
  clientId: string;
  userId: string;
  password: string;
}

function permissionRequest(value: unknown): PermissionRequest | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const userId = v['userId'];
  // The docs send a number; a digit string is accepted too since it is the same id.
  const user =
    typeof userId === 'number' && Number.isSafeInteger(userId) && userId >= 0
      ? String(userId)
      : typeof userId === 'string' && /^\d{1,15}$/.test(userId)
        ? userId
        : undefined;
  if (typeof v['clientId'] !== 'string' || typeof v['password'] !== 'string' || user === undefined) return undefined;
  return { clientId: v['clientId'], userId: user, password: v['password'] };
}

/** `POST /b2b/corporate/auth/right/v2/hasPermission/corporate/?service=<API name>` → `{"token": <X-JWT>}`. */
export async function hasPermission(x: Exchange): Promise<void> {
  const body = await bodyOr413(x);
  if (body === undefined || !gateway(x, true)) return;
  const service = single(x.url.searchParams, 'service');
  if (service === undefined || service.trim() === '') return sendFault(x, FAULTS.missingService);
  if (!x.ctx.registry.swedenServices.has(service)) return sendFault(x, FAULTS.serviceNotPermitted);
  const json = parseJson(x.req, body);
  const request = json.ok ? permissionRequest(json.value) : undefined;
  if (request === undefined) return sendFault(x, FAULTS.invalidBody);
  const user = x.ctx.registry.jwtUser;
  const valid =
    request.clientId === user.clientId && request.userId === user.userId && sameSecret(request.password, user.password);
  if (!valid) return sendFault(x, FAULTS.invalidUser);
  const now = x.ctx.now();
  const token = signJwt(x.ctx.jwtKey, {
    sub: request.userId,
    clientId: request.clientId,
    service,
    iat: Math.floor(now / 1000),
    // Rounded up: a JWT must never expire before the lifetime it was given (it may outlive it by < 1 s).
    exp: Math.ceil(after(x.ctx, x.ctx.tokenTtlSeconds) / 1000),
    jti: x.ctx.random.base64url(12),
  });
  sendOk(x, { token });
}

/** `GET /corporate/fixed-network/product-catalog/product-offers` (Bearer only). */
export function productOffers(x: Exchange): void {
  if (!gateway(x, false)) return;
  const category = x.url.searchParams.get('category');
  const offers = x.ctx.sweden.productOffers;
  sendOk(x, category === null ? offers : offers.filter((o) => o.category === category.toUpperCase()));
}

/** `GET /b2b/mobile-admin/productCatalogManagement/v1/serviceRules` (Bearer + X-JWT + x-transaction-id). */
export function serviceRules(x: Exchange): void {
  if (!gateway(x, true)) return;
  const jwt = header(x.req, 'x-jwt');
  if (jwt === undefined) return sendFault(x, FAULTS.missingJwt);
  const check = verifyJwt(x.ctx.jwtKey, jwt, x.ctx.now());
  if (!check.ok) return sendFault(x, check.reason === 'expired' ? FAULTS.expiredJwt : FAULTS.invalidJwt);
  if (check.claims.service !== SWEDEN_MOBILE_ADMIN_SERVICE) return sendFault(x, FAULTS.wrongJwtService);
  sendOk(x, x.ctx.sweden.serviceRules);
}
