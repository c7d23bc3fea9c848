// The sandbox's HTTP server: one node:http server on 127.0.0.1 for both countries (their paths do not
// overlap), a route table, and the safety net that keeps any input from crashing or hanging it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Exchange, Handler, SandboxContext } from './context';
import { indexPage } from './html';
import { header, parseAuthorization, sendHtml, sendJson, sendText } from './http';
import { findApi, norwayApis, serveNorwayApi } from './norway/apis';
import { authorizeGet, authorizePost } from './norway/authorize';
import { norwayLogout, norwayToken } from './norway/oauth';
import { BUILTIN_SPECS, serveSpec } from './specs';
import { hasPermission, productOffers, serviceRules, swedenToken } from './sweden/endpoints';

interface Route {
  path: string;
  what: string;
  methods: Partial<Record<'GET' | 'POST', Handler>>;
}

/** Every fixed endpoint; the index page and the docs table are written from the same list. */
export function routes(): Route[] {
  return [
    { path: '/', what: 'This page (HTML for browsers, JSON otherwise)', methods: { GET: serveIndex } },
    { path: '/specs', what: 'The shipped OpenAPI specs: the list, and /specs/<file>', methods: { GET: serveSpec } },
    { path: '/openapi/oauth2/token', what: 'Sweden: client-credentials token', methods: { POST: swedenToken } },
    { path: '/oauth2/token', what: 'Sweden: same, older path', methods: { POST: swedenToken } },
    {
      path: '/b2b/corporate/auth/right/v2/hasPermission/corporate',
      what: 'Sweden: X-JWT for a Communication API (?service=<API name>)',
      methods: { POST: hasPermission },
    },
    { path: '/corporate/fixed-network/product-catalog/product-offers', what: 'Sweden: fixed-network product offers (Bearer)', methods: { GET: productOffers } },
    { path: '/b2b/mobile-admin/productCatalogManagement/v1/serviceRules', what: 'Sweden: mobile service rules (Bearer + X-JWT)', methods: { GET: serviceRules } },
    { path: '/oauth/v2/token', what: 'Norway: token (client_credentials, password, authorization_code, refresh_token)', methods: { POST: norwayToken } },
    { path: '/oauth/token', what: 'Norway: same, older path', methods: { POST: norwayToken } },
    { path: '/oauth/v2/logout', what: 'Norway: end the Bearer token', methods: { GET: norwayLogout } },
    { path: '/oauth/v2/authorize', what: 'Norway: consent page (GET) and its form (POST)', methods: { GET: authorizeGet, POST: authorizePost } },
  ];
}

const API_ENDPOINTS = [
  ['/corporate-mobile-subscriptions/v2/mobile-subscriptions', 'Norway: mobile subscriptions (password grant)'],
  ['/corporate-accounts/v2/accounts', 'Norway: accounts (password grant)'],
  ['/corporate-accounts/v2/accounts/{accountId}', 'Norway: one account (password grant)'],
  ['/corporate-agreements/v2/agreements', 'Norway: agreements (password grant)'],
  ['/organizations/v1/organizations', 'Norway: organisations (password grant)'],
  ['/telenor-stores/v1/stores', 'Norway: Telenor stores (?city=)'],
  ['/telenor-stores/v1/stores/{storeId}', 'Norway: one store'],
  ['/mobile-device-info/v1/device', "Norway: the consenting line's device (authorization-code grant)"],
] as const;

function serveIndex(x: Exchange): void {
  const { credentials: c } = x.ctx.registry;
  const url = `http://${x.req.headers.host ?? '127.0.0.1'}`;
  const view = {
    url,
    endpoints: [
      ...routes().flatMap((r) => Object.keys(r.methods).map((m) => ({ method: m, path: r.path, what: r.what }))),
      ...API_ENDPOINTS.map(([path, what]) => ({ method: 'GET', path, what })),
    ],
    credentials: [
      { what: 'Sweden consumer key', value: c.se.clientId },
      { what: 'Sweden consumer secret', value: c.se.clientSecret },
      { what: 'Sweden JWT clientId / userId / password', value: `${c.se.jwt.clientId} / ${c.se.jwt.userId} / ${c.se.jwt.password}` },
      { what: 'Norway client id / secret', value: `${c.no.clientId} / ${c.no.clientSecret}` },
      { what: 'Norway machine user / password', value: `${c.no.machineUser.username} / ${c.no.machineUser.password}` },
      { what: 'Norway stores-only client id / secret', value: `${c.no.storesClient.clientId} / ${c.no.storesClient.clientSecret}` },
    ],
    specs: BUILTIN_SPECS.map((s) => ({ file: s.file, title: s.title })),
  };
  if ((x.req.headers.accept ?? '').includes('text/html')) {
    const { html, csp } = indexPage(view, x.ctx.random.base64url(18));
    return sendHtml(x.res, 200, html, csp);
  }
  sendJson(x.res, 200, { name: 'Telenor API sandbox', ...view, demoCredentials: c, docs: 'docs/sandbox.md' });
}

// ---------------------------------------------------------------------------------------------------------

/** Parses the request target; `undefined` for targets no client should send (then: 400). */
function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '/';
  try {
    // Concatenated rather than resolved against a base: `//evil/x` must stay a path, not become a host.
    return target.startsWith('/') ? new URL(`http://sandbox${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

const SENSITIVE_QUERY = /^(code|state|refresh_token|access_token|token|password|client_secret|request_id)$/i;

/** One log line with nothing secret in it: the Authorization scheme only, sensitive query values masked. */
function logLine(req: IncomingMessage, url: URL | undefined, status: number, ms: number): string {
  let target = url?.pathname ?? '(unparseable target)';
  if (url !== undefined && url.search !== '') {
    const parts = [...url.searchParams].map(([k, v]) => `${k}=${SENSITIVE_QUERY.test(k) ? '***' : v}`);
    target += `?${parts.join('&')}`;
  }
  const auth = parseAuthorization(req);
  const authText = auth.kind === 'none' ? '' : ` auth=${auth.kind === 'bearer' ? 'Bearer' : auth.kind === 'other' ? 'other' : 'Basic'} ***`;
  const length = header(req, 'content-length');
  const bodyText = length === undefined || length === '0' ? '' : ` body=${length}B`;
  return `${new Date().toISOString()} ${req.method ?? '?'} ${target} → ${status} ${ms}ms${authText}${bodyText}`;
}

const ALLOW_ORDER = ['GET', 'HEAD', 'POST'];

async function dispatch(x: Exchange, table: readonly Route[], apis: ReturnType<typeof norwayApis>): Promise<void> {
  const path = x.url.pathname.length > 1 ? x.url.pathname.replace(/\/+$/, '') : '/';
  const route = table.find((r) => r.path === path) ?? (path.startsWith('/specs/') ? table.find((r) => r.path === '/specs') : undefined);
  if (route !== undefined) {
    const method = x.req.method === 'HEAD' ? 'GET' : x.req.method;
    const handler = method === 'GET' || method === 'POST' ? route.methods[method] : undefined;
    if (handler !== undefined) return handler(x);
    const allowed = Object.keys(route.methods).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    const allow = ALLOW_ORDER.filter((m) => allowed.includes(m)).join(', ');
    if (x.req.method === 'OPTIONS') {
      x.res.writeHead(204, { Allow: allow, 'Content-Length': 0 });
      return void x.res.end();
    }
    return sendJson(
      x.res,
      405,
      { error: 'method_not_allowed', error_description: `${x.req.method ?? '?'} is not allowed on ${path}; use ${allow}.` },
      { Allow: allow },
    );
  }
  const api = findApi(apis, path);
  if (api !== undefined) return serveNorwayApi(x, api);
  sendJson(x.res, 404, { error: 'not_found', error_description: `The sandbox has no endpoint at ${path}. GET / lists them.` });
}

export interface ServerHooks {
  logger?: (line: string) => void;
}

/** The server, not yet listening. Every request gets its own `Exchange` over the shared instance context. */
export function createSandboxServer(ctx: SandboxContext, hooks: ServerHooks): Server {
  const table = routes();
  const apis = norwayApis();
  const log = (line: () => string): void => {
    if (hooks.logger === undefined) return;
    try {
      hooks.logger(line());
    } catch {
      // A failing logger must not take the request (or the server) down with it.
    }
  };
  const server = createServer(
    {
      // Generous for humans, finite for stuck clients: a half-sent request must not hold a socket forever.
      requestTimeout: 30_000,
      headersTimeout: 15_000,
      keepAliveTimeout: 5_000,
      maxHeaderSize: 32 * 1024,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      const started = performance.now();
      const url = requestUrl(req);
      if (hooks.logger !== undefined) {
        res.once('finish', () => log(() => logLine(req, url, res.statusCode, Math.round(performance.now() - started))));
      }
      if (url === undefined) {
        return sendJson(res, 400, { error: 'invalid_request', error_description: 'The request target is not a valid URL path.' });
      }
      dispatch({ req, res, url, ctx }, table, apis).catch((e: unknown) => {
        log(() => `sandbox bug while answering ${req.method ?? '?'} ${url.pathname}: ${e instanceof Error ? e.name : 'non-Error'}`);
        if (!res.headersSent) {
          sendText(res, 500, 'The sandbox failed to answer this request (a bug in the sandbox, not in your client).');
        } else {
          res.destroy();
        }
      });
    },
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // Malformed HTTP (bad request line, oversized headers, header timeout): answer if the socket can
    // still take it, then drop the connection. Never let it reach 'error' and crash the process.
    if (err.code !== 'ECONNRESET' && socket.writable) {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });
  return server;
}
