// Norway's API gateway and the APIs behind it. The gateway runs the checks in the order a gateway would
// (credentials → API product → grant → scope → traffic policies → route → back-end) and answers every
// documented error code (40001 … 50003) in the body format Telenor's client library builds.

import type { OutgoingHttpHeaders } from 'node:http';
import { sameSecret, type NorwayScope, type ProductId } from '../clients';
import type { Exchange } from '../context';
import { parseAuthorization, sendJson, statusText } from '../http';
import type { AccessTokenRecord, NorwayGrant } from '../store';
import type { NorwayData } from './data';

export interface ApiError {
  status: number;
  errorCode: string;
  description: string;
}

/** The documented Norway API error codes, with their documented meaning as the description. */
export const API_ERRORS = {
  invalidEnduserId: { status: 400, errorCode: '40001', description: 'Missing or invalid enduserId' },
  invalidParameter: { status: 400, errorCode: '40000', description: 'Invalid request parameter' },
  invalidResource: { status: 401, errorCode: '40101', description: 'Invalid resource' },
  missingAuthorization: { status: 401, errorCode: '40102', description: 'Missing authorization header' },
  noApiProduct: { status: 401, errorCode: '40103', description: 'No API product found' },
  msisdnNotAuthorized: { status: 401, errorCode: '40104', description: 'Not authorized to use given MSISDN' },
  invalidToken: { status: 401, errorCode: '40105', description: 'Invalid access token' },
  expiredToken: { status: 401, errorCode: '40106', description: 'Access token expired' },
  basicNotAllowed: { status: 401, errorCode: '40107', description: 'Basic auth not allowed' },
  basicInvalid: { status: 401, errorCode: '40108', description: 'Invalid client id or secret for basic auth' },
  invalidScope: { status: 403, errorCode: '40301', description: 'Invalid scope' },
  pathNotFound: { status: 404, errorCode: '40401', description: 'Path or method not found' },
  notFoundOnBackend: { status: 404, errorCode: '4042000', description: 'Not found on back-end' },
  quotaViolation: { status: 429, errorCode: '42901', description: 'Rate limit quota violation' },
  spikeArrest: { status: 429, errorCode: '42902', description: 'Spike arrest violation' },
  internalError: { status: 500, errorCode: '50001', description: 'Internal server error' },
  acrFailed: { status: 500, errorCode: '50002', description: 'Failed to validate acr' },
  subscriptionFailed: { status: 500, errorCode: '50003', description: 'Failed to validate subscription' },
} as const satisfies Record<string, ApiError>;

/** A documented error with a detail appended, for the cases where the bare meaning would not say enough. */
const detailed = (e: ApiError, detail: string): ApiError => ({ ...e, description: `${e.description}: ${detail}` });

/**
 * RFC 6750 challenge. `error="invalid_token"` only where a new token helps (40105, 40106): clients renew
 * on it, and renewing after, say, 40104 (wrong MSISDN) would just fail again.
 */
function challenge(e: ApiError): string | undefined {
  if (e.errorCode === API_ERRORS.invalidToken.errorCode || e.errorCode === API_ERRORS.expiredToken.errorCode) {
    return `Bearer realm="api.telenor.no", error="invalid_token", error_description="${e.description}"`;
  }
  if (e.errorCode === API_ERRORS.invalidScope.errorCode) return 'Bearer realm="api.telenor.no", error="insufficient_scope"';
  return e.status === 401 ? 'Bearer realm="api.telenor.no"' : undefined;
}

export function sendApiError(x: Exchange, e: ApiError, headers: OutgoingHttpHeaders = {}): void {
  const extra: OutgoingHttpHeaders = { ...headers };
  const wwwAuthenticate = challenge(e);
  if (wwwAuthenticate !== undefined) extra['WWW-Authenticate'] = wwwAuthenticate;
  sendJson(
    x.res,
    e.status,
    {
      httpStatus: e.status,
      httpMessage: statusText(e.status),
      errorCode: e.errorCode,
      description: e.description,
      resourceId: x.url.pathname,
      origin: 'sandbox',
    },
    extra,
  );
}

type Reply = { ok: true; body: unknown } | { ok: false; error: ApiError };
const ok = (body: unknown): Reply => ({ ok: true, body });
const err = (error: ApiError): Reply => ({ ok: false, error });

interface ApiCall {
  params: Record<string, string>;
  query: URLSearchParams;
  token: AccessTokenRecord;
  data: NorwayData;
}

interface ApiRoute {
  /** Full path, `:name` segments are parameters. */
  pattern: string;
  scope: NorwayScope;
  handle(call: ApiCall): Reply;
}

export interface NorwayApi {
  product: ProductId;
  /** Path prefixes the API owns: anything under them that no route matches is 40401. */
  prefixes: readonly string[];
  /** Grants whose tokens this API accepts (others: 40101); `undefined` accepts any. */
  grants?: readonly NorwayGrant[];
  routes: readonly ApiRoute[];
}

// ---------------------------------------------------------------------------------------------------------
// Gateway

type Check<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The bearer token's session, or the documented error for whatever the Authorization header holds. */
function authenticate(x: Exchange): Check<AccessTokenRecord> {
  const auth = parseAuthorization(x.req);
  const fail = (error: ApiError): Check<AccessTokenRecord> => ({ ok: false, error });
  switch (auth.kind) {
    case 'none':
    case 'other':
      return fail(detailed(API_ERRORS.missingAuthorization, 'send Authorization: Bearer <access_token>'));
    case 'basic-malformed':
      return fail(API_ERRORS.basicInvalid);
    case 'basic': {
      const client = x.ctx.registry.norway.get(auth.id);
      if (client === undefined || !sameSecret(auth.secret, client.secret)) return fail(API_ERRORS.basicInvalid);
      return fail(detailed(API_ERRORS.basicNotAllowed, 'get an access token from /oauth/v2/token and send it as Bearer'));
    }
    case 'bearer': {
      const found = x.ctx.store.lookup(auth.token, 'no', x.ctx.now());
      if (found.state === 'live') return { ok: true, value: found.record };
      return fail(found.state === 'expired' ? API_ERRORS.expiredToken : API_ERRORS.invalidToken);
    }
  }
}

function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}

export function findApi(apis: readonly NorwayApi[], path: string): NorwayApi | undefined {
  return apis.find((api) => api.prefixes.some((p) => path === p || path.startsWith(`${p}/`)));
}

/** Runs one call through the gateway checks and the API; answers on `x.res`. */
export function serveNorwayApi(x: Exchange, api: NorwayApi): void {
  const auth = authenticate(x);
  if (!auth.ok) return sendApiError(x, auth.error);
  const token = auth.value;
  const client = x.ctx.registry.norway.get(token.clientId);
  if (client === undefined || !client.products.has(api.product)) {
    return sendApiError(x, detailed(API_ERRORS.noApiProduct, `app ${token.clientId} is not subscribed to ${api.product}`));
  }
  if (api.grants !== undefined && !api.grants.includes(token.grant)) {
    const need = api.grants.join(' or ');
    return sendApiError(x, detailed(API_ERRORS.invalidResource, `this API needs a token from the ${need} grant, not ${token.grant}`));
  }

  // A route is looked up before the scope check only to know which scope applies; 40401 still comes last.
  const path = x.url.pathname.replace(/\/+$/, '') || '/';
  const method = x.req.method ?? 'GET';
  let route: ApiRoute | undefined;
  let params: Record<string, string> = {};
  for (const r of api.routes) {
    const p = matchRoute(r.pattern, path);
    if (p !== undefined) {
      route = r;
      params = p;
      break;
    }
  }
  if (route !== undefined && token.scopes !== undefined && !token.scopes.includes(route.scope)) {
    return sendApiError(x, detailed(API_ERRORS.invalidScope, `this resource needs scope "${route.scope}"`));
  }

  const rate = x.ctx.rateLimiter.check(`${token.clientId}\n${api.product}`, x.ctx.now());
  if (!rate.ok) {
    const e = rate.policy === 'quota' ? API_ERRORS.quotaViolation : API_ERRORS.spikeArrest;
    return sendApiError(x, e, { 'Retry-After': String(rate.retryAfterSeconds) });
  }

  if (route === undefined) return sendApiError(x, detailed(API_ERRORS.pathNotFound, `no resource at ${path}`));
  if (method !== 'GET' && method !== 'HEAD') {
    return sendApiError(x, detailed(API_ERRORS.pathNotFound, `${method} is not supported here (only GET)`), { Allow: 'GET, HEAD' });
  }
  const reply = route.handle({ params, query: x.url.searchParams, token, data: x.ctx.norway });
  if (reply.ok) sendJson(x.res, 200, reply.body);
  else sendApiError(x, reply.error);
}

// ---------------------------------------------------------------------------------------------------------
// Query parameters

function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number | ApiError {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    return detailed(API_ERRORS.invalidParameter, `${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

// ---------------------------------------------------------------------------------------------------------
// The APIs

/** Reserved account id whose back-end call fails (documented trigger for 500 / 50001). */
export const FAILING_ACCOUNT_ID = '99999999';

function listSubscriptions({ query, data }: ApiCall): Reply {
  const page = intParam(query, 'page', 0, 0, 1_000_000);
  if (typeof page !== 'number') return err(page);
  const pageSize = intParam(query, 'pageSize', 100, 1, 1000);
  if (typeof pageSize !== 'number') return err(pageSize);
  const ascendingRaw = query.get('ascending') ?? 'true';
  if (ascendingRaw !== 'true' && ascendingRaw !== 'false') {
    return err(detailed(API_ERRORS.invalidParameter, 'ascending must be true or false'));
  }
  const since = query.get('since');
  let sinceMs = -Infinity;
  if (since !== null) {
    sinceMs = ISO_DATE.test(since) ? Date.parse(since) : NaN;
    if (Number.isNaN(sinceMs)) {
      return err(detailed(API_ERRORS.invalidParameter, 'since must be an ISO 8601 date or date-time, e.g. 2024-01-31'));
    }
  }
  const productId = query.get('productId');
  let items = data.subscriptions.filter(
    (s) => (productId === null || s.productId === productId) && Date.parse(s.lastModified) >= sinceMs,
  );
  if (ascendingRaw === 'false') items = [...items].reverse();
  return ok({
    page,
    pageSize,
    totalElements: items.length,
    totalPages: Math.ceil(items.length / pageSize),
    mobileSubscriptions: items.slice(page * pageSize, (page + 1) * pageSize),
  });
}

function getAccount({ params, data }: ApiCall): Reply {
  const id = params['accountId'] ?? '';
  if (id === FAILING_ACCOUNT_ID) {
    return err(detailed(API_ERRORS.internalError, 'the billing back-end did not answer (sandbox trigger)'));
  }
  const account = data.accounts.find((a) => a.accountId === id);
  return account ? ok(account) : err(detailed(API_ERRORS.notFoundOnBackend, `no account ${id}`));
}

function listStores({ query, data }: ApiCall): Reply {
  const city = query.get('city')?.trim().toLocaleLowerCase('nb');
  return ok(city ? data.stores.filter((s) => s.address.city.toLocaleLowerCase('nb') === city) : data.stores);
}

function getStore({ params, data }: ApiCall): Reply {
  const id = params['storeId'] ?? '';
  const store = data.stores.find((s) => s.storeId === id);
  return store ? ok(store) : err(detailed(API_ERRORS.notFoundOnBackend, `no store ${id}`));
}

/** `tel:+4791512345`, `+4791512345`, `4791512345` or `91512345` → `4791512345`; anything else → undefined. */
export function normalizeMsisdn(raw: string): string | undefined {
  const compact = raw.replace(/^tel:/i, '').replace(/[\s-]/g, '').replace(/^\+/, '').replace(/^00/, '');
  const full = /^[2-9]\d{7}$/.test(compact) ? `47${compact}` : compact;
  return /^47[2-9]\d{7}$/.test(full) ? full : undefined;
}

function getDevice({ query, token, data }: ApiCall): Reply {
  const line = data.lines.find((l) => l.id === token.lineId);
  if (line === undefined) return err(detailed(API_ERRORS.invalidEnduserId, 'the token carries no end user'));
  const asked = query.getAll('enduserId');
  if (asked.length > 0) {
    const msisdn = asked.length === 1 ? normalizeMsisdn(asked[0] ?? '') : undefined;
    if (msisdn === undefined) return err(detailed(API_ERRORS.invalidEnduserId, 'expected one MSISDN such as tel:+4791512345'));
    if (msisdn !== line.msisdn) {
      return err(detailed(API_ERRORS.msisdnNotAuthorized, 'the end user consented for another line'));
    }
  }
  if (line.failure !== undefined) {
    const e = line.failure.errorCode === '50002' ? API_ERRORS.acrFailed : API_ERRORS.subscriptionFailed;
    return err({ ...e, description: line.failure.description });
  }
  return ok(line.device);
}

export function norwayApis(): NorwayApi[] {
  return [
    {
      product: 'mobile-subscription-info',
      prefixes: ['/corporate-mobile-subscriptions/v2', '/corporate-accounts/v2', '/corporate-agreements/v2', '/organizations/v1'],
      grants: ['password'],
      routes: [
        { pattern: '/corporate-mobile-subscriptions/v2/mobile-subscriptions', scope: 'subscriptions', handle: listSubscriptions },
        { pattern: '/corporate-accounts/v2/accounts', scope: 'accounts', handle: ({ data }) => ok(data.accounts) },
        { pattern: '/corporate-accounts/v2/accounts/:accountId', scope: 'accounts', handle: getAccount },
        { pattern: '/corporate-agreements/v2/agreements', scope: 'accounts', handle: ({ data }) => ok(data.agreements) },
        { pattern: '/organizations/v1/organizations', scope: 'accounts', handle: ({ data }) => ok(data.organizations) },
      ],
    },
    {
      product: 'telenor-stores',
      prefixes: ['/telenor-stores/v1'],
      routes: [
        { pattern: '/telenor-stores/v1/stores', scope: 'openapi', handle: listStores },
        { pattern: '/telenor-stores/v1/stores/:storeId', scope: 'openapi', handle: getStore },
      ],
    },
    {
      product: 'mobile-device-info',
      prefixes: ['/mobile-device-info/v1'],
      grants: ['authorization_code'],
      routes: [{ pattern: '/mobile-device-info/v1/device', scope: 'device', handle: getDevice }],
    },
  ];
}
