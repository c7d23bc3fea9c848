// Every grant against the real sandbox over real HTTP: Sweden client credentials and X-JWT, Norway client
// credentials, password, authorization code (the consent form driven with plain HTTP, approve and deny),
// refresh with rotation, logout, every documented token-endpoint error with the seeds' wording, expiry and
// refresh-ahead with a 2-second TTL, single flight counted at the sandbox, and no secret in any record.
import * as assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { isErrorKind, isTelenorError } from '../../src/core/errors';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index';
import { sendRequest } from '../../src/core/http/send';
import {
  AuthService,
  exchangeAuthorizationCode,
  isTokenEndpointError,
  logout,
  postTokenRequest,
  refreshAccessToken,
  requestClientCredentialsToken,
  requestPasswordToken,
  resolveAuthProfile,
  runLoopbackSignIn,
  sendAuthRequest,
  tokenEndpointError,
  type AuthHttpOptions,
  type AuthProfile,
  type CredentialSet,
  type InteractiveSignIn,
  type TokenExchangeRecord,
  type TokenSet,
} from '../../src/core/auth';
import type { ApiSummary } from '../../src/core/spec/types';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function header(a: Answer, name: string): string {
  const v = a.headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

async function call(url: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Answer> {
  const res = await request(url, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

/** A spec summary carrying only what profiles look at. */
function api(title: string, xTelenor: Record<string, string>, security: ApiSummary['security'] = []): ApiSummary {
  return {
    id: title,
    source: { kind: 'text', text: '', origin: title },
    origin: title,
    title,
    version: '1',
    specVersion: '3.0',
    servers: [],
    securitySchemes: {},
    security,
    extensions: { 'x-telenor': xTelenor },
    tags: [],
    operationCount: 0,
  };
}

/**
 * The person in the browser: follow /start to Telenor's (the sandbox's) consent page, submit the form with
 * `decision` as plain HTTP, and follow the redirect back to the loopback callback.
 */
async function consent(startUrl: string, decision: 'approve' | 'deny', line = 'kari'): Promise<Answer> {
  const start = await call(startUrl);
  assert.equal(start.status, 302, 'the loopback start page redirects');
  const authorizeUrl = header(start, 'location');
  const page = await call(authorizeUrl);
  assert.equal(page.status, 200, `consent page: ${page.body.slice(0, 200)}`);
  const requestId = /name="request_id" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(requestId, 'the consent form carries a request id');
  const posted = await call(
    new URL('/oauth/v2/authorize', authorizeUrl).href,
    { 'content-type': 'application/x-www-form-urlencoded' },
    'POST',
    new URLSearchParams({ request_id: requestId, decision, line }).toString(),
  );
  assert.equal(posted.status, 302, 'the consent form redirects to the callback');
  return call(header(posted, 'location'));
}

describe('auth against the sandbox', function () {
  this.timeout(20_000);
  let sandbox: RunningSandbox;
  let shortLived: RunningSandbox;
  let agent: Agent;
  const sandboxLog: string[] = [];
  /** Every record and error text produced in this file, and every secret value seen: checked after each test. */
  const shown: string[] = [];
  const secrets = new Set<string>();
  const services: AuthService[] = [];

  const remember = (t: TokenSet): TokenSet => {
    secrets.add(t.accessToken);
    if (t.refreshToken) secrets.add(t.refreshToken);
    if (t.jwt) secrets.add(t.jwt.token);
    return t;
  };
  const http = (): AuthHttpOptions => ({ dispatcher: agent, onExchange: (r) => shown.push(JSON.stringify(r)) });
  const capture = async <T>(p: Promise<T>): Promise<unknown> => {
    try {
      await p;
    } catch (e) {
      if (isTelenorError(e)) shown.push(`${e.message} ${e.hint}`);
      return e;
    }
    assert.fail('expected a rejection');
  };

  function service(credentials: CredentialSet, extra: { now?: () => number; interactive?: InteractiveSignIn } = {}): AuthService {
    const s = new AuthService({ credentials: async () => credentials, http: { dispatcher: agent }, ...extra });
    s.onDidExchange((r: TokenExchangeRecord) => shown.push(JSON.stringify(r)));
    s.onDidChangeToken((c) => c.token && remember(c.token));
    services.push(s);
    return s;
  }

  function profileFor(target: RunningSandbox, summary: ApiSummary): AuthProfile {
    const decision = resolveAuthProfile(summary, { se: target.url, no: target.url });
    assert.deepEqual(decision.warnings, []);
    assert.ok(decision.profile, 'a profile is found');
    return decision.profile;
  }

  before(async () => {
    sandbox = await startSandbox({ port: 0, logger: (l) => sandboxLog.push(l) });
    shortLived = await startSandbox({ port: 0, tokenTtlSeconds: 2 });
    agent = new Agent();
    const c = sandbox.credentials;
    for (const s of [c.se.clientSecret, c.se.jwt.password, c.no.clientSecret, c.no.machineUser.password, c.no.storesClient.clientSecret]) secrets.add(s);
    secrets.add(Buffer.from(`${c.no.clientId}:${c.no.clientSecret}`).toString('base64'));
    secrets.add(Buffer.from(`${c.se.clientId}:${c.se.clientSecret}`).toString('base64'));
  });
  afterEach(() => {
    for (const text of shown) {
      for (const s of secrets) assert.ok(!text.includes(s), `a secret (${s.slice(0, 3)}…) leaked into: ${text.slice(0, 400)}`);
    }
  });
  after(async () => {
    for (const s of services) s.dispose();
    await agent.close();
    await Promise.all([sandbox.close(), shortLived.close()]);
  });

  const seCreds = (): CredentialSet => ({ client: { clientId: sandbox.credentials.se.clientId, clientSecret: sandbox.credentials.se.clientSecret }, jwt: sandbox.credentials.se.jwt });
  const noCreds = (): CredentialSet => ({
    client: { clientId: sandbox.credentials.no.clientId, clientSecret: sandbox.credentials.no.clientSecret },
    machineUser: sandbox.credentials.no.machineUser,
  });

  describe('grants', () => {
    it('Sweden client credentials: string expires_in, no token_type → Bearer, and the token works', async () => {
      const profile = profileFor(sandbox, api('Product Catalog API', { region: 'se', grant: 'se-client-credentials' }));
      assert.equal(profile.tokenUrl, `${sandbox.url}/openapi/oauth2/token`);
      const svc = service(seCreds());
      const token = remember(await svc.token(profile, 'sandbox'));
      assert.equal(token.tokenType, 'Bearer');
      assert.equal(token.expiresAt - token.obtainedAt, 3599_000);
      assert.equal(token.scope, 'openapi');
      const headers = await svc.authHeaders(profile, 'sandbox');
      assert.deepEqual(Object.keys(headers), ['Authorization']);
      const offers = await call(`${sandbox.url}/corporate/fixed-network/product-catalog/product-offers`, headers);
      assert.equal(offers.status, 200, offers.body);
      // The older documented path answers the same request.
      const older = remember(
        await requestClientCredentialsToken(http(), { tokenUrl: `${sandbox.url}/oauth2/token`, client: seCreds().client!, region: 'se' }),
      );
      assert.ok(older.accessToken);
    });

    it('Sweden X-JWT: fetched after the access token, exp read from the JWT, and accepted by a Communication API', async () => {
      const profile = profileFor(
        sandbox,
        api('Mobile Subscriptions Administration API', { region: 'se', grant: 'se-client-credentials', service: 'Mobile Subscriptions Administration API' }),
      );
      assert.deepEqual(profile.needs, ['client', 'jwt']);
      const svc = service(seCreds());
      const before = Date.now();
      const token = remember(await svc.token(profile, 'sandbox'));
      assert.ok(token.jwt);
      assert.ok(Math.abs(token.jwt.expiresAt - (before + 3600_000)) < 5_000, 'JWT exp is the token lifetime');
      const headers = await svc.authHeaders(profile, 'sandbox');
      assert.equal(headers['X-JWT'], token.jwt.token);
      const rules = await call(`${sandbox.url}/b2b/mobile-admin/productCatalogManagement/v1/serviceRules`, {
        ...headers,
        'x-transaction-id': 'test-transaction-1',
      });
      assert.equal(rules.status, 200, rules.body);

      const wrong = service({ ...seCreds(), jwt: { ...sandbox.credentials.se.jwt, password: 'wrong-jwt-password' } });
      const e = await capture(wrong.token(profile, 'sandbox'));
      assert.ok(isTokenEndpointError(e));
      assert.equal(e.httpStatus, 401);
      assert.match(e.message, /X-JWT/);
      assert.ok(!e.message.includes('wrong-jwt-password'));

      const unknownService = profileFor(sandbox, api('Nope API', { region: 'se', grant: 'se-client-credentials', service: 'No Such API' }));
      const e403 = await capture(service(seCreds()).token(unknownService, 'sandbox'));
      assert.ok(isTokenEndpointError(e403));
      assert.equal(e403.httpStatus, 403);
      assert.match(e403.message, /No Such API/);
    });

    it('Norway client credentials (Telenor Stores): a token that the Stores API accepts', async () => {
      const profile = profileFor(sandbox, api('Telenor Stores API', { region: 'no', grant: 'no-client-credentials' }));
      const stores = sandbox.credentials.no.storesClient;
      const svc = service({ client: stores });
      const token = remember(await svc.token(profile, 'sandbox'));
      assert.equal(token.tokenType, 'Bearer');
      assert.equal(token.expiresAt - token.obtainedAt, 3600_000);
      const res = await call(`${sandbox.url}/telenor-stores/v1/stores`, await svc.authHeaders(profile, 'sandbox'));
      assert.equal(res.status, 200, res.body);
    });

    it('Norway password grant: machine user token with a refresh token, accepted by Mobile Subscription Info', async () => {
      const profile = profileFor(sandbox, api('Mobile Subscription Info API', { region: 'no', grant: 'no-password' }, [{ telenorOAuth: ['subscriptions', 'accounts'] }]));
      assert.deepEqual(profile.needs, ['client', 'machineUser']);
      const svc = service(noCreds());
      const token = remember(await svc.token(profile, 'sandbox'));
      assert.ok(token.refreshToken);
      const orgs = await call(`${sandbox.url}/organizations/v1/organizations`, await svc.authHeaders(profile, 'sandbox'));
      assert.equal(orgs.status, 200, orgs.body);
      assert.match(orgs.body, /TELENOR/);
    });

    it('authorization code, approved: loopback, consent form, code exchange; the token reads the device', async () => {
      const profile = profileFor(sandbox, api('Mobile Device Info API', { region: 'no', grant: 'no-authorization-code' }));
      assert.equal(profile.authorizeUrl, `${sandbox.url}/oauth/v2/authorize`);
      const pages: Answer[] = [];
      const codes: string[] = [];
      const svc = service(noCreds(), {
        interactive: {
          timeoutMs: 10_000,
          openBrowser: async (startUrl) => {
            pages.push(await consent(startUrl, 'approve'));
          },
          onAuthorizationCode: (code) => codes.push(code),
        },
      });
      const token = remember(await svc.token(profile, 'sandbox'));
      assert.ok(token.refreshToken, 'authorization code tokens come with a refresh token');
      // The host hears of the code before the exchange (to mask it), and it is the one the sandbox issued.
      assert.equal(codes.length, 1);
      assert.match(codes[0] ?? '', /^[\w-]{16,}$/);
      assert.equal(pages[0]?.status, 200);
      assert.match(pages[0]?.body ?? '', /Signed in to Telenor/);
      const device = await call(`${sandbox.url}/mobile-device-info/v1/device`, await svc.authHeaders(profile, 'sandbox'));
      assert.equal(device.status, 200, device.body);
      assert.match(device.body, /iPhone 15 Pro/);
    });

    it('authorization code, denied: the person sees what it means and the caller gets consent-denied', async () => {
      const profile = profileFor(sandbox, api('Mobile Device Info API', { region: 'no', grant: 'no-authorization-code' }));
      let browser: Promise<Answer> | undefined;
      const svc = service(noCreds(), {
        interactive: {
          timeoutMs: 10_000,
          openBrowser: (startUrl) => (browser = consent(startUrl, 'deny')),
        },
      });
      const e = await capture(svc.token(profile, 'sandbox'));
      assert.ok(isErrorKind(e, 'consent-denied'));
      assert.match(e.message, /The resource owner denied the request/);
      // The sign-in settles as soon as the page is sent; the "browser" may still be reading it.
      const page = await browser;
      assert.match(page?.body ?? '', /Consent was not given/);
      assert.match(page?.body ?? '', /What this means/);
      assert.match(page?.body ?? '', /close this tab/);
    });

    it('refresh token: rotated on every refresh; the old one is then refused with code 7', async () => {
      const client = noCreds().client!;
      const first = remember(
        await requestPasswordToken(http(), { tokenUrl: `${sandbox.url}/oauth/v2/token`, client, machineUser: sandbox.credentials.no.machineUser }),
      );
      assert.ok(first.refreshToken);
      const second = remember(
        await refreshAccessToken(http(), { tokenUrl: `${sandbox.url}/oauth/v2/token`, client, refreshToken: first.refreshToken, region: 'no' }),
      );
      assert.ok(second.refreshToken);
      assert.notEqual(second.refreshToken, first.refreshToken);
      assert.notEqual(second.accessToken, first.accessToken);
      const again = await capture(
        refreshAccessToken(http(), { tokenUrl: `${sandbox.url}/oauth/v2/token`, client, refreshToken: first.refreshToken, region: 'no' }),
      );
      assert.ok(isTokenEndpointError(again));
      assert.equal(again.code, 7);
      assert.equal(again.seedText, 'Error code 7 - Invalid refresh_token');
    });

    it('logout: OK! and the token is dead; sign-out forgets it; a second logout is code 2', async () => {
      const profile = profileFor(sandbox, api('Mobile Subscription Info API', { region: 'no', grant: 'no-password' }));
      const svc = service(noCreds());
      const token = remember(await svc.token(profile, 'sandbox'));
      const orgsUrl = `${sandbox.url}/organizations/v1/organizations`;
      assert.equal((await call(orgsUrl, { Authorization: `Bearer ${token.accessToken}` })).status, 200);
      assert.deepEqual(await svc.signOut(profile, 'sandbox'), { outcome: 'logged-out' });
      const dead = await call(orgsUrl, { Authorization: `Bearer ${token.accessToken}` });
      assert.equal(dead.status, 401);
      assert.match(dead.body, /40105/);
      assert.equal(await svc.peek(profile, 'sandbox'), undefined);
      const e = await capture(logout(http(), { logoutUrl: `${sandbox.url}/oauth/v2/logout`, token }));
      assert.ok(isTokenEndpointError(e));
      assert.equal(e.httpStatus, 401);
      assert.equal(e.seedText, 'Error code 2 - Invalid access token');
      // A fresh token after signing out.
      const next = remember(await svc.token(profile, 'sandbox'));
      assert.notEqual(next.accessToken, token.accessToken);
    });
  });

  describe('token-endpoint errors: every documented code, mapped to the seeds’ wording', () => {
    const tokenUrl = (): string => `${sandbox.url}/oauth/v2/token`;
    const client = (id: string, secret: string): { clientId: string; clientSecret: string } => ({ clientId: id, clientSecret: secret });

    async function expectCode(p: Promise<unknown>, status: number, code: number, seedText: string): Promise<void> {
      const e = await capture(p);
      assert.ok(isTokenEndpointError(e), `expected a token-endpoint error, got ${String(e)}`);
      assert.equal(e.httpStatus, status);
      assert.equal(e.code, code);
      assert.equal(e.seedText, seedText);
      assert.ok(e.message.includes(seedText));
      assert.ok(e.explanation.length > 0 && e.hint.length > 0);
    }

    /** A code from a real approved consent, and the redirect_uri it was issued for. */
    async function approvedCode(): Promise<{ code: string; redirectUri: string }> {
      return runLoopbackSignIn({
        timeoutMs: 10_000,
        prepare: (local) => {
          const u = new URL(`${sandbox.url}/oauth/v2/authorize`);
          u.search = new URLSearchParams({ client_id: sandbox.credentials.no.clientId, redirect_uri: local, response_type: 'code', state: 'st-0123456789' }).toString();
          return { authorizeUrl: u.href, state: 'st-0123456789', redirectUri: local };
        },
        openBrowser: async (start) => {
          await consent(start, 'approve');
        },
      });
    }

    it('400 code 2 (grant_type), 401 codes 1, 5, 9, 22 and 500 codes 16, 2 (the client)', async () => {
      const no = sandbox.credentials.no;
      await expectCode(
        postTokenRequest(http(), { tokenUrl: tokenUrl(), client: client(no.clientId, no.clientSecret), form: { grant_type: 'magic' }, errorContext: { endpoint: 'token', region: 'no' } }),
        400,
        2,
        'Error code 2 - Missing or invalid grant_type',
      );
      const cc = (id: string, secret: string): Promise<TokenSet> =>
        requestClientCredentialsToken(http(), { tokenUrl: tokenUrl(), client: client(id, secret), region: 'no' });
      await expectCode(cc('nobody-knows-me', 'whatever-secret'), 401, 1, 'Error code 1 - Invalid client id');
      await expectCode(cc('sandbox-no-blocked', 'sandbox-no-blocked-secret'), 401, 5, 'Error code 5 - Not authorized to create access token');
      await expectCode(cc('sandbox-no-invalid', 'sandbox-no-invalid-secret'), 401, 9, 'Error code 9 - Invalid Client data');
      await expectCode(cc(no.clientId, 'not-the-right-secret'), 401, 22, 'Error code 22 - Basic Authentication failed, bad username or password.');
      await expectCode(cc('sandbox-no-attributes', 'sandbox-no-attributes-secret'), 500, 16, 'Error code 16 - Invalid App Attributes.Please contact Telenor Admin');
      await expectCode(cc('sandbox-no-error', 'sandbox-no-error-secret'), 500, 2, 'Error code 2 - Internal Server Error');
    });

    it('401 codes 6, 20, 21, 23 and 403 code 8 (the request and the machine user)', async () => {
      const no = sandbox.credentials.no;
      // Code 6 needs a request without Basic auth, which no grant sends: post it raw and map the real answer.
      const raw = await sendAuthRequest(http(), {
        method: 'POST',
        url: tokenUrl(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
        secrets: [],
        label: 'token endpoint',
      });
      const e6 = tokenEndpointError(raw.status, raw.text, { endpoint: 'token', region: 'no' });
      assert.equal(e6.httpStatus, 401);
      assert.equal(e6.code, 6);
      assert.equal(e6.seedText, 'Error code 6 - Missing or bad Authorization header');

      const pw = (c: { clientId: string; clientSecret: string }, username: string, password: string, scope?: string): Promise<TokenSet> =>
        requestPasswordToken(http(), { tokenUrl: tokenUrl(), client: c, machineUser: { username, password }, ...(scope ? { scope } : {}) });
      const main = client(no.clientId, no.clientSecret);
      await expectCode(pw(main, no.machineUser.username, 'wrong-machine-password'), 401, 20, 'Error code 20 - Invalid resource owner credentials');
      await expectCode(
        pw(client(no.storesClient.clientId, no.storesClient.clientSecret), no.machineUser.username, no.machineUser.password),
        401,
        21,
        'Error code 21 - Unsufficient permissions to use requested grant_type',
      );
      await expectCode(pw(main, 'api0000000001', 'other-company-password'), 401, 23, 'Error code 23 - User credentials does not match granted client credentials');
      await expectCode(pw(main, no.machineUser.username, no.machineUser.password, 'everything'), 403, 8, 'Error code 8 - Illegal or non authorized scope');
      const e20 = await capture(pw(main, no.machineUser.username, 'wrong-machine-password'));
      assert.ok(isTokenEndpointError(e20));
      assert.match(e20.explanation, /machine user’s username or password is wrong/);
      assert.match(e20.hint, /Min Bedrift/);
    });

    it('401 code 4 (bad or reused code), 403 code 12 (redirect_uri), 403 code 15 (response_type)', async () => {
      const no = sandbox.credentials.no;
      const main = client(no.clientId, no.clientSecret);
      await expectCode(
        exchangeAuthorizationCode(http(), { tokenUrl: tokenUrl(), client: main, code: 'made-up-code-0123456789', redirectUri: 'http://127.0.0.1:1/callback' }),
        401,
        4,
        'Error code 4 - Invalid authorization code',
      );
      const first = await approvedCode();
      secrets.add(first.code);
      const e12 = await capture(
        exchangeAuthorizationCode(http(), { tokenUrl: tokenUrl(), client: main, code: first.code, redirectUri: 'http://127.0.0.1:1/other-callback' }),
      );
      assert.ok(isTokenEndpointError(e12));
      assert.equal(e12.httpStatus, 403);
      assert.equal(e12.code, 12);
      assert.equal(e12.seedText, 'Error code 12 - Invalid RedirectURI');
      assert.match(e12.hint, /Register exactly http:\/\/127\.0\.0\.1:1\/other-callback/);

      const second = await approvedCode();
      secrets.add(second.code);
      remember(await exchangeAuthorizationCode(http(), { tokenUrl: tokenUrl(), client: main, code: second.code, redirectUri: second.redirectUri }));
      await expectCode(
        exchangeAuthorizationCode(http(), { tokenUrl: tokenUrl(), client: main, code: second.code, redirectUri: second.redirectUri }),
        401,
        4,
        'Error code 4 - Invalid authorization code',
      );

      // Code 15 is shown by the authorize page in the browser; its HTML still maps to the seed wording.
      const page = await call(`${sandbox.url}/oauth/v2/authorize?client_id=${no.clientId}&redirect_uri=http://127.0.0.1:1/cb&response_type=token&state=s`);
      const e15 = tokenEndpointError(page.status, page.body, { endpoint: 'authorize', region: 'no' });
      assert.equal(e15.httpStatus, 403);
      assert.equal(e15.seedText, 'Error code 15 - Illegal Response Type');
    });

    it('logout: 401 code 2 for an unknown token and code 6 without a Bearer header', async () => {
      await expectCode(
        logout(http(), { logoutUrl: `${sandbox.url}/oauth/v2/logout`, token: { accessToken: 'no-such-token-0123456789', tokenType: 'Bearer' } }),
        401,
        2,
        'Error code 2 - Invalid access token',
      );
      const raw = await sendAuthRequest(http(), { method: 'GET', url: `${sandbox.url}/oauth/v2/logout`, headers: {}, secrets: [], label: 'logout endpoint' });
      const e6 = tokenEndpointError(raw.status, raw.text, { endpoint: 'logout', region: 'no' });
      assert.equal(e6.code, 6);
      assert.equal(e6.seedText, 'Error code 6 - Missing or bad Authorization header');
    });

    it('Sweden answers plain OAuth errors: invalid_client for a wrong secret', async () => {
      const e = await capture(
        requestClientCredentialsToken(http(), {
          tokenUrl: `${sandbox.url}/openapi/oauth2/token`,
          client: client(sandbox.credentials.se.clientId, 'not-the-se-secret'),
          region: 'se',
        }),
      );
      assert.ok(isTokenEndpointError(e));
      assert.equal(e.httpStatus, 401);
      assert.equal(e.oauthError, 'invalid_client');
      assert.equal(e.code, undefined);
      assert.match(e.explanation, /consumer key and consumer secret/);
      assert.ok(!e.message.includes('not-the-se-secret'));
    });
  });

  describe('cache, expiry and refresh-ahead', () => {
    it('200 concurrent callers make exactly one token request (counted at the sandbox)', async () => {
      const profile = profileFor(sandbox, api('Mobile Subscription Info API', { region: 'no', grant: 'no-password' }));
      const svc = service(noCreds());
      const before = sandboxLog.filter((l) => / POST \/oauth\/v2\/token /.test(l)).length;
      const all = await Promise.all(Array.from({ length: 200 }, () => svc.authHeaders(profile, 'sandbox')));
      const after = sandboxLog.filter((l) => / POST \/oauth\/v2\/token /.test(l)).length;
      assert.equal(after - before, 1);
      assert.equal(new Set(all.map((h) => h['Authorization'])).size, 1);
    });

    it('200 sends rejected at once (token killed at the sandbox) renew the token exactly once', async () => {
      // Its own sandbox with rate limits off: 400 requests in a burst would otherwise meet spike arrest.
      const log: string[] = [];
      const sb = await startSandbox({ port: 0, rateLimit: false, logger: (l) => log.push(l) });
      try {
        const profile = profileFor(sb, api('Mobile Subscription Info API', { region: 'no', grant: 'no-password' }));
        const svc = service(noCreds());
        const provider = svc.headerProvider(profile, 'sandbox');
        const dead = remember(await svc.token(profile, 'sandbox'));
        // Log the token out behind the cache's back: every send's first attempt gets 401/40105.
        assert.equal((await call(`${sb.url}/oauth/v2/logout`, { Authorization: `Bearer ${dead.accessToken}` })).status, 200);
        const tokenRequests = (): number => log.filter((l) => / POST \/oauth\/v2\/token /.test(l)).length;
        const before = tokenRequests();
        const url = `${sb.url}/organizations/v1/organizations`;
        const results = await Promise.all(
          Array.from({ length: 200 }, () => sendRequest({ method: 'GET', url, headers: {} }, { timeoutMs: 20_000, maxBodyBytes: 65_536, auth: provider })),
        );
        assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
        assert.ok(results.every((r) => r.retriedAfter401), 'every send was first rejected, then retried');
        // One renewal for the whole burst: a rejected send must not drop a token another send already renewed.
        assert.equal(tokenRequests() - before, 1);
      } finally {
        await sb.close();
      }
    });

    it('with a 2-second TTL: the token dies at the sandbox and the cache fetches a new one', async () => {
      const profile = profileFor(shortLived, api('Product Catalog API', { region: 'se', grant: 'se-client-credentials' }));
      const svc = service(seCreds());
      const offers = `${shortLived.url}/corporate/fixed-network/product-catalog/product-offers`;
      const first = remember(await svc.token(profile, 'sandbox'));
      assert.equal(first.expiresAt - first.obtainedAt, 1_000, 'Sweden says ttl-1 seconds');
      assert.equal((await call(offers, { Authorization: `Bearer ${first.accessToken}` })).status, 200);
      await new Promise((r) => setTimeout(r, 2_100));
      const expired = await call(offers, { Authorization: `Bearer ${first.accessToken}` });
      assert.equal(expired.status, 401);
      assert.match(expired.body, /access_token_expired/);
      const second = remember(await svc.token(profile, 'sandbox'));
      assert.notEqual(second.accessToken, first.accessToken);
      assert.equal((await call(offers, { Authorization: `Bearer ${second.accessToken}` })).status, 200);
    });

    it('refresh-ahead with an injected clock: no request before 2/3 of the lifetime, a refresh_token grant after', async () => {
      const profile = profileFor(shortLived, api('Mobile Subscription Info API', { region: 'no', grant: 'no-password' }));
      const start = Date.now();
      let clock = start;
      const svc = service(noCreds(), { now: () => clock });
      const grants: string[] = [];
      svc.onDidExchange((r) => grants.push(new URLSearchParams(r.request.body ?? '').get('grant_type') ?? '?'));
      const first = remember(await svc.token(profile, 'sandbox'));
      assert.equal(first.expiresAt - first.obtainedAt, 2_000);
      clock = start + 1_300; // before 2/3 of 2 s
      assert.equal((await svc.token(profile, 'sandbox')).accessToken, first.accessToken);
      assert.deepEqual(grants, ['password']);
      clock = start + 1_400; // after 2/3: renew with the refresh token, ahead of expiry
      const renewed = remember(await svc.token(profile, 'sandbox'));
      assert.notEqual(renewed.accessToken, first.accessToken);
      assert.notEqual(renewed.refreshToken, first.refreshToken);
      assert.deepEqual(grants, ['password', 'refresh_token']);
      const orgs = await call(`${shortLived.url}/organizations/v1/organizations`, await svc.authHeaders(profile, 'sandbox'));
      assert.equal(orgs.status, 200, orgs.body);
    });
  });

  describe('secrets', () => {
    it('no secret appeared in any token-exchange record or error message in this file', () => {
      // The afterEach hook checked each test; this makes sure it had a meaningful amount to check.
      assert.ok(shown.length > 40, `only ${shown.length} records and messages were collected`);
      assert.ok(secrets.size > 20);
      assert.ok(shown.some((t) => t.includes('"Authorization":"Basic ***"')));
      assert.ok(shown.some((t) => t.includes('password=***')));
      // Records are collected as JSON, so the response body's quotes appear escaped.
      assert.ok(shown.some((t) => /\\"access_token\\":\\"[A-Za-z0-9_-]{4}…\\"/.test(t)));
    });
  });
});
