// The Telenor sandbox over real HTTP: every endpoint, every documented token-endpoint and API error code
// (docs/sandbox.md), token lifetimes, refresh rotation, logout, the consent page, and robustness.

import * as assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { readFileSync } from 'node:fs';
import { BUILTIN_SPECS, startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/index';
import { API_ERRORS } from '../../src/sandbox/norway/apis';
import { TOKEN_ERRORS } from '../../src/sandbox/norway/oauth';
import { routes } from '../../src/sandbox/server';
import { findUp } from '../../src/sandbox/specs';
import { FAULTS } from '../../src/sandbox/sweden/endpoints';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

type Json = Record<string, unknown>;

function json(r: Reply): Json {
  return JSON.parse(r.text) as Json;
}

function headerOf(r: Reply, name: string): string | undefined {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const bearer = (token: string): string => `Bearer ${token}`;

/** A sandbox plus a client for it; each `describe` starts its own and closes it after. */
class Harness {
  private constructor(
    readonly sandbox: RunningSandbox,
    private readonly agent: Agent,
    readonly clock: { now: number },
  ) {}

  static async start(options: SandboxOptions = {}, fakeClock = false): Promise<Harness> {
    const clock = { now: Date.now() };
    const sandbox = await startSandbox({ port: 0, ...(fakeClock ? { now: () => clock.now } : {}), ...options });
    return new Harness(sandbox, new Agent({ keepAliveTimeout: 1000 }), clock);
  }

  get creds(): RunningSandbox['credentials'] {
    return this.sandbox.credentials;
  }

  async close(): Promise<void> {
    await this.agent.close();
    await this.sandbox.close();
  }

  async call(
    method: string,
    path: string,
    opts: { headers?: Record<string, string>; form?: Record<string, string>; json?: unknown; body?: string | Buffer | Readable } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    let body = opts.body;
    if (opts.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    } else if (opts.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(opts.json);
    }
    const res = await request(`${this.sandbox.url}${path}`, {
      method: method as 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
      dispatcher: this.agent,
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  // --- Norway -------------------------------------------------------------------------------------------

  noToken(form: Record<string, string>, auth = basic(this.creds.no.clientId, this.creds.no.clientSecret), path = '/oauth/v2/token'): Promise<Reply> {
    return this.call('POST', path, { headers: { authorization: auth }, form });
  }

  async passwordToken(extra: Record<string, string> = {}): Promise<Json> {
    const { username, password } = this.creds.no.machineUser;
    const r = await this.noToken({ grant_type: 'password', username, password, ...extra });
    assert.equal(r.status, 200, r.text);
    return json(r);
  }

  async storesToken(): Promise<string> {
    const { clientId, clientSecret } = this.creds.no.storesClient;
    const r = await this.noToken({ grant_type: 'client_credentials' }, basic(clientId, clientSecret));
    assert.equal(r.status, 200, r.text);
    return String(json(r)['access_token']);
  }

  authorizeQuery(params: Record<string, string>): string {
    return `/oauth/v2/authorize?${new URLSearchParams(params).toString()}`;
  }

  /** Opens the consent page and returns its form's request id. */
  async consentRequest(params: Record<string, string> = {}): Promise<{ page: Reply; requestId: string }> {
    const page = await this.call(
      'GET',
      this.authorizeQuery({
        client_id: this.creds.no.clientId,
        redirect_uri: 'http://127.0.0.1:53682/callback',
        state: 'st-123',
        response_type: 'code',
        ...params,
      }),
    );
    assert.equal(page.status, 200, page.text);
    const requestId = /name="request_id" value="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(requestId, 'the consent form carries a request id');
    return { page, requestId };
  }

  /** Answers the consent form; returns the redirect's Location. */
  async decide(requestId: string, decision: 'approve' | 'deny', line = 'kari'): Promise<URL> {
    const r = await this.call('POST', '/oauth/v2/authorize', { form: { request_id: requestId, decision, line } });
    assert.equal(r.status, 302, r.text);
    return new URL(String(headerOf(r, 'location')));
  }

  async authorizationCode(line = 'kari', params: Record<string, string> = {}): Promise<string> {
    const { requestId } = await this.consentRequest(params);
    const location = await this.decide(requestId, 'approve', line);
    return String(location.searchParams.get('code'));
  }

  async codeToken(line = 'kari'): Promise<Json> {
    const code = await this.authorizationCode(line);
    const r = await this.noToken({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:53682/callback' });
    assert.equal(r.status, 200, r.text);
    return json(r);
  }

  api(path: string, token: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.call('GET', path, { headers: { authorization: bearer(token), ...headers } });
  }

  // --- Sweden -------------------------------------------------------------------------------------------

  async seToken(): Promise<string> {
    const r = await this.call('POST', '/openapi/oauth2/token', {
      headers: { authorization: basic(this.creds.se.clientId, this.creds.se.clientSecret) },
      form: { grant_type: 'client_credentials' },
    });
    assert.equal(r.status, 200, r.text);
    return String(json(r)['access_token']);
  }

  hasPermission(token: string, service: string, body: unknown, headers: Record<string, string> = { 'x-transaction-id': 'tx-1' }): Promise<Reply> {
    return this.call('POST', `/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=${encodeURIComponent(service)}`, {
      headers: { authorization: bearer(token), ...headers },
      json: body,
    });
  }

  async xjwt(token: string, service = 'Mobile Subscriptions Administration API'): Promise<string> {
    const { jwt } = this.creds.se;
    const r = await this.hasPermission(token, service, { clientId: jwt.clientId, userId: Number(jwt.userId), password: jwt.password });
    assert.equal(r.status, 200, r.text);
    return String(json(r)['token']);
  }
}

/** Asserts the Norway API error body: exact keys, documented status and code. */
function assertApiError(r: Reply, status: number, errorCode: string): Json {
  assert.equal(r.status, status, r.text);
  const body = json(r);
  assert.deepEqual(Object.keys(body).sort(), ['description', 'errorCode', 'httpMessage', 'httpStatus', 'origin', 'resourceId']);
  assert.equal(body['httpStatus'], status);
  assert.equal(body['errorCode'], errorCode);
  assert.equal(body['origin'], 'sandbox');
  assert.equal(typeof body['description'], 'string');
  return body;
}

/** Asserts a Norway token-endpoint error: status, code and the seed's wording. */
function assertTokenError(r: Reply, status: number, code: number, description: string): void {
  assert.equal(r.status, status, r.text);
  const body = json(r);
  assert.equal(body['error_code'], code);
  assert.equal(body['error_description'], description);
  assert.equal(typeof body['error'], 'string');
}

function assertFault(r: Reply, status: number, errorcode: string): void {
  assert.equal(r.status, status, r.text);
  const fault = json(r)['fault'] as { faultstring: unknown; detail: { errorcode: unknown } };
  assert.equal(fault.detail.errorcode, errorcode);
  assert.equal(typeof fault.faultstring, 'string');
}

const SUBSCRIPTIONS = '/corporate-mobile-subscriptions/v2/mobile-subscriptions';
const DEVICE = '/mobile-device-info/v1/device';
const SERVICE_RULES = '/b2b/mobile-admin/productCatalogManagement/v1/serviceRules';
const OFFERS = '/corporate/fixed-network/product-catalog/product-offers';
const CALLBACK = 'http://127.0.0.1:53682/callback';

// =========================================================================================================

describe('sandbox: Norway token endpoint', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.start({}, true);
  });
  after(() => h.close());

  it('issues client_credentials tokens with a string expires_in, token_type Bearer and no refresh token', async () => {
    const r = await h.noToken({ grant_type: 'client_credentials' });
    assert.equal(r.status, 200);
    const body = json(r);
    assert.equal(body['expires_in'], '3600');
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['refresh_token'], undefined);
    assert.match(String(body['access_token']), /^[A-Za-z0-9_-]{40,}$/);
    assert.equal(headerOf(r, 'cache-control'), 'no-store');
  });

  it('issues password tokens with a refresh token, on /oauth/v2/token and the older /oauth/token', async () => {
    const { username, password } = h.creds.no.machineUser;
    for (const path of ['/oauth/v2/token', '/oauth/token']) {
      const r = await h.noToken({ grant_type: 'password', username, password }, undefined, path);
      assert.equal(r.status, 200, path);
      const body = json(r);
      assert.equal(typeof body['refresh_token'], 'string');
      assert.equal(body['expires_in'], '3600');
    }
  });

  it('hands out random, distinct tokens', async () => {
    const a = await h.passwordToken();
    const b = await h.passwordToken();
    assert.notEqual(a['access_token'], b['access_token']);
    assert.notEqual(a['refresh_token'], b['refresh_token']);
  });

  describe('every documented error code (docs/sandbox.md table)', () => {
    it('400 / 2: missing, unknown or repeated grant_type', async () => {
      assertTokenError(await h.noToken({}), 400, 2, 'Missing or invalid grant_type');
      assertTokenError(await h.noToken({ grant_type: 'implicit' }), 400, 2, 'Missing or invalid grant_type');
      const repeated = await h.call('POST', '/oauth/v2/token', {
        headers: { authorization: basic('sandbox-no-client', 'sandbox-no-secret'), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&grant_type=client_credentials',
      });
      assertTokenError(repeated, 400, 2, 'Missing or invalid grant_type');
    });

    it('401 / 1: unknown client id', async () => {
      assertTokenError(await h.noToken({ grant_type: 'client_credentials' }, basic('nobody', 'x')), 401, 1, 'Invalid client id');
    });

    it('401 / 22: known client id, wrong secret', async () => {
      const r = await h.noToken({ grant_type: 'client_credentials' }, basic('sandbox-no-client', 'wrong'));
      assertTokenError(r, 401, 22, 'Basic Authentication failed, bad username or password.');
    });

    it('401 / 6: no Authorization, not Basic, or not base64 of id:secret', async () => {
      for (const auth of [undefined, 'Bearer abc', 'Basic !!!not-base64!!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Basic']) {
        const r = await h.call('POST', '/oauth/v2/token', { headers: auth === undefined ? {} : { authorization: auth }, form: { grant_type: 'client_credentials' } });
        assertTokenError(r, 401, 6, 'Missing or bad Authorization header');
        assert.ok(headerOf(r, 'www-authenticate')?.startsWith('Basic'), String(auth));
      }
    });

    it('401 / 5, 401 / 9, 500 / 16, 500 / 2: the misconfigured demo apps', async () => {
      const cases: Array<[string, number, number, string]> = [
        ['blocked', 401, 5, 'Not authorized to create access token'],
        ['invalid', 401, 9, 'Invalid Client data'],
        ['attributes', 500, 16, 'Invalid App Attributes.Please contact Telenor Admin'],
        ['error', 500, 2, 'Internal Server Error'],
      ];
      for (const [name, status, code, text] of cases) {
        const r = await h.noToken({ grant_type: 'client_credentials' }, basic(`sandbox-no-${name}`, `sandbox-no-${name}-secret`));
        assertTokenError(r, status, code, text);
      }
    });

    it('401 / 20: unknown machine user, wrong password, or none given', async () => {
      const { username } = h.creds.no.machineUser;
      for (const form of [{ username: 'api0', password: 'x' }, { username, password: 'wrong' }, { username }]) {
        assertTokenError(await h.noToken({ grant_type: 'password', ...form }), 401, 20, 'Invalid resource owner credentials');
      }
    });

    it('401 / 23: a machine user of another company', async () => {
      const r = await h.noToken({ grant_type: 'password', username: 'api0000000001', password: 'other-company-password' });
      assertTokenError(r, 401, 23, 'User credentials does not match granted client credentials');
    });

    it('401 / 21: the stores-only app asking for any grant but client_credentials', async () => {
      const { clientId, clientSecret } = h.creds.no.storesClient;
      const { username, password } = h.creds.no.machineUser;
      for (const form of [{ grant_type: 'password', username, password }, { grant_type: 'authorization_code', code: 'x' }, { grant_type: 'refresh_token', refresh_token: 'x' }]) {
        const r = await h.noToken(form, basic(clientId, clientSecret));
        assertTokenError(r, 401, 21, 'Unsufficient permissions to use requested grant_type');
      }
    });

    it('403 / 8: a scope outside openapi, subscriptions, accounts, device', async () => {
      assertTokenError(await h.noToken({ grant_type: 'client_credentials', scope: 'openapi admin' }), 403, 8, 'Illegal or non authorized scope');
    });

    it('401 / 4: unknown, expired or already used authorization code', async () => {
      const unknown = await h.noToken({ grant_type: 'authorization_code', code: 'nope', redirect_uri: CALLBACK });
      assertTokenError(unknown, 401, 4, 'Invalid authorization code');

      const code = await h.authorizationCode();
      const first = await h.noToken({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK });
      assert.equal(first.status, 200, 'first exchange works');
      const again = await h.noToken({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK });
      assertTokenError(again, 401, 4, 'Invalid authorization code');

      const late = await h.authorizationCode();
      h.clock.now += 61_000;
      const expired = await h.noToken({ grant_type: 'authorization_code', code: late, redirect_uri: CALLBACK });
      assertTokenError(expired, 401, 4, 'Invalid authorization code');
    });

    it('401 / 4: a code exchanged by another client than the one it was issued to', async () => {
      const code = await h.authorizationCode();
      const r = await h.noToken({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, basic('sandbox-no-other', 'sandbox-no-other-secret'));
      assertTokenError(r, 401, 4, 'Invalid authorization code');
    });

    it('403 / 12: a code exchanged with another (or no) redirect_uri than at authorize', async () => {
      for (const redirect of ['http://127.0.0.1:53682/other', undefined]) {
        const code = await h.authorizationCode();
        const form: Record<string, string> = { grant_type: 'authorization_code', code };
        if (redirect !== undefined) form['redirect_uri'] = redirect;
        assertTokenError(await h.noToken(form), 403, 12, 'Invalid RedirectURI');
      }
    });

    it('401 / 7: unknown refresh token, or one from another client', async () => {
      assertTokenError(await h.noToken({ grant_type: 'refresh_token', refresh_token: 'nope' }), 401, 7, 'Invalid refresh_token');
      const { refresh_token } = await h.passwordToken();
      const r = await h.noToken({ grant_type: 'refresh_token', refresh_token: String(refresh_token) }, basic('sandbox-no-other', 'sandbox-no-other-secret'));
      assertTokenError(r, 401, 7, 'Invalid refresh_token');
    });
  });

  it('rotates refresh tokens: the old one dies, the new one works, the session keeps its user', async () => {
    const first = await h.passwordToken();
    const r1 = await h.noToken({ grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) });
    assert.equal(r1.status, 200, r1.text);
    const second = json(r1);
    assert.equal(second['expires_in'], '3600');
    assert.notEqual(second['refresh_token'], first['refresh_token']);
    assert.notEqual(second['access_token'], first['access_token']);

    const replay = await h.noToken({ grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) });
    assertTokenError(replay, 401, 7, 'Invalid refresh_token');

    const r2 = await h.noToken({ grant_type: 'refresh_token', refresh_token: String(second['refresh_token']) });
    assert.equal(r2.status, 200);
    // Still a password-grant session: the subscriptions API accepts the refreshed token.
    assert.equal((await h.api('/organizations/v1/organizations', String(json(r2)['access_token']))).status, 200);
  });

  it('refresh may narrow the scope but not widen it', async () => {
    const narrow = await h.passwordToken({ scope: 'accounts' });
    const wider = await h.noToken({ grant_type: 'refresh_token', refresh_token: String(narrow['refresh_token']), scope: 'accounts subscriptions' });
    assertTokenError(wider, 403, 8, 'Illegal or non authorized scope');
  });

  describe('logout', () => {
    it('answers 200 OK! as text/plain and kills the token and its refresh token', async () => {
      const t = await h.passwordToken();
      const token = String(t['access_token']);
      assert.equal((await h.api('/organizations/v1/organizations', token)).status, 200);
      const r = await h.call('GET', '/oauth/v2/logout', { headers: { authorization: bearer(token) } });
      assert.equal(r.status, 200);
      assert.equal(r.text, 'OK!');
      assert.match(String(headerOf(r, 'content-type')), /^text\/plain/);
      assertApiError(await h.api('/organizations/v1/organizations', token), 401, '40105');
      assertTokenError(await h.noToken({ grant_type: 'refresh_token', refresh_token: String(t['refresh_token']) }), 401, 7, 'Invalid refresh_token');
    });

    it('401 / 2 for an unknown (or already logged out) token, 401 / 6 without a Bearer header', async () => {
      const unknown = await h.call('GET', '/oauth/v2/logout', { headers: { authorization: bearer('nope') } });
      assertTokenError(unknown, 401, 2, 'Invalid access token');
      assertTokenError(await h.call('GET', '/oauth/v2/logout'), 401, 6, 'Missing or bad Authorization header');
      assertTokenError(await h.call('GET', '/oauth/v2/logout', { headers: { authorization: basic('a', 'b') } }), 401, 6, 'Missing or bad Authorization header');
    });
  });
});

// =========================================================================================================

describe('sandbox: Norway consent (authorization code)', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.start({}, true);
  });
  after(() => h.close());

  it('shows an accessible consent page with a strict CSP, the app, the access asked for, and Approve / Deny', async () => {
    const { page } = await h.consentRequest({ scope: 'device' });
    assert.match(String(headerOf(page, 'content-type')), /^text\/html/);
    const csp = String(headerOf(page, 'content-security-policy'));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'nonce-[A-Za-z0-9_-]{16,}'/);
    assert.match(csp, /form-action 'self' http:\/\/127\.0\.0\.1:53682/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = page.text;
    assert.doesNotMatch(html, /<script/i, 'no JavaScript needed');
    assert.doesNotMatch(html, /(src|href)="https?:/i, 'no external resources');
    assert.match(html, /<html lang="en">/);
    assert.match(html, /Sandbox Demo App/);
    assert.match(html, /sandbox-no-client/);
    assert.match(html, /See which mobile device is used on your line/);
    assert.match(html, /<form method="post" action="\/oauth\/v2\/authorize">/);
    assert.match(html, /<button[^>]*name="decision" value="approve"[^>]*>Approve<\/button>/);
    assert.match(html, /<button[^>]*name="decision" value="deny"[^>]*>Deny<\/button>/);
    assert.match(html, /<legend>Your mobile line<\/legend>/);
    // Each radio button sits inside its label, so the label names it.
    assert.match(html, /<label class="line"><input type="radio" name="line" value="kari" checked>/);
  });

  it('escapes what the request carries into the page', async () => {
    const { page } = await h.consentRequest({ state: '"><script>alert(1)</script>' });
    assert.doesNotMatch(page.text, /<script>/);
  });

  it('Approve redirects to redirect_uri with code and state; the code buys a token with a refresh token', async () => {
    const { requestId } = await h.consentRequest({ state: 'abc 123' });
    const location = await h.decide(requestId, 'approve');
    assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
    assert.equal(location.searchParams.get('state'), 'abc 123');
    const code = String(location.searchParams.get('code'));
    assert.match(code, /^[A-Za-z0-9_-]{32,}$/);
    const r = await h.noToken({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK });
    assert.equal(r.status, 200);
    const body = json(r);
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(typeof body['refresh_token'], 'string');
    assert.equal(body['expires_in'], '3600');
  });

  it('Deny redirects with error=access_denied, the documented description (%20-encoded) and state', async () => {
    const { requestId } = await h.consentRequest({ state: 'xyz' });
    const r = await h.call('POST', '/oauth/v2/authorize', { form: { request_id: requestId, decision: 'deny' } });
    assert.equal(r.status, 302);
    assert.equal(
      headerOf(r, 'location'),
      `${CALLBACK}?error=access_denied&error_description=The%20resource%20owner%20denied%20the%20request&state=xyz`,
    );
  });

  it('keeps a query the redirect_uri already has', async () => {
    const { requestId } = await h.consentRequest({ redirect_uri: 'http://localhost:9999/cb?session=7' });
    const r = await h.call('POST', '/oauth/v2/authorize', { form: { request_id: requestId, decision: 'approve', line: 'ola' } });
    const location = new URL(String(headerOf(r, 'location')));
    assert.equal(location.host, 'localhost:9999');
    assert.equal(location.searchParams.get('session'), '7');
    assert.ok(location.searchParams.get('code'));
  });

  it('a consent request answers once; a missing decision keeps it open', async () => {
    const { requestId } = await h.consentRequest();
    const undecided = await h.call('POST', '/oauth/v2/authorize', { form: { request_id: requestId } });
    assert.equal(undecided.status, 400);
    await h.decide(requestId, 'deny');
    const replay = await h.call('POST', '/oauth/v2/authorize', { form: { request_id: requestId, decision: 'approve' } });
    assert.equal(replay.status, 400);
    assert.equal(headerOf(replay, 'location'), undefined);
    assert.match(replay.text, /consent request has ended/);
  });

  describe('bad authorize requests show an HTML error page and never redirect', () => {
    const cases: Array<[string, Record<string, string>, number, number]> = [
      ['unknown client → 401 / 1', { client_id: 'nobody' }, 401, 1],
      ['non-loopback redirect_uri → 403 / 12', { redirect_uri: 'https://evil.example/cb' }, 403, 12],
      ['https loopback redirect_uri → 403 / 12', { redirect_uri: 'https://127.0.0.1:5000/cb' }, 403, 12],
      ['redirect_uri with a fragment → 403 / 12', { redirect_uri: 'http://127.0.0.1:5000/cb#x' }, 403, 12],
      ['redirect_uri with userinfo → 403 / 12', { redirect_uri: 'http://127.0.0.1@evil.example/cb' }, 403, 12],
      ['response_type=token → 403 / 15', { response_type: 'token' }, 403, 15],
      ['stores-only app → 401 / 21', { client_id: 'sandbox-no-stores' }, 401, 21],
      ['unknown scope → 403 / 8', { scope: 'everything' }, 403, 8],
    ];
    for (const [name, params, status, code] of cases) {
      it(name, async () => {
        const query = {
          client_id: 'sandbox-no-client',
          redirect_uri: CALLBACK,
          state: 's',
          response_type: 'code',
          ...params,
        };
        const r = await h.call('GET', h.authorizeQuery(query));
        assert.equal(r.status, status);
        assert.equal(headerOf(r, 'location'), undefined);
        assert.match(String(headerOf(r, 'content-type')), /^text\/html/);
        assert.match(r.text, new RegExp(`Error code ${code}\\b`));
      });
    }

    it('a missing redirect_uri → 403 / 12', async () => {
      const r = await h.call('GET', h.authorizeQuery({ client_id: 'sandbox-no-client', response_type: 'code' }));
      assert.equal(r.status, 403);
      assert.match(r.text, /Error code 12\b/);
    });
  });
});

// =========================================================================================================

describe('sandbox: Norway APIs', function () {
  let h: Harness;
  let password: string;
  before(async () => {
    h = await Harness.start({}, true);
    password = String((await h.passwordToken())['access_token']);
  });
  after(() => h.close());

  it('Mobile Subscription Info API: subscriptions with paging and filters', async () => {
    const first = json(await h.api(`${SUBSCRIPTIONS}?pageSize=1000`, password));
    assert.equal(first['page'], 0);
    assert.equal(first['pageSize'], 1000);
    const total = Number(first['totalElements']);
    assert.ok(total > 1000, 'more than one page at the largest page size');
    assert.equal(first['totalPages'], Math.ceil(total / 1000));
    const items = first['mobileSubscriptions'] as Array<Json>;
    assert.equal(items.length, 1000);
    const second = json(await h.api(`${SUBSCRIPTIONS}?pageSize=1000&page=1`, password));
    assert.equal((second['mobileSubscriptions'] as unknown[]).length, total - 1000);

    const s = items[0] as Json;
    assert.match(String(s['msisdn']), /^47[49]\d{7}$/);
    for (const key of ['subscriptionId', 'status', 'productId', 'productName', 'accountId', 'agreementId', 'user', 'simCard', 'lastModified']) {
      assert.ok(key in s, key);
    }

    const filtered = json(await h.api(`${SUBSCRIPTIONS}?productId=M2M_1GB&since=2024-06-01&ascending=false&pageSize=50`, password));
    const list = filtered['mobileSubscriptions'] as Array<{ productId: string; lastModified: string }>;
    assert.ok(list.length > 0);
    assert.ok(list.every((x) => x.productId === 'M2M_1GB' && x.lastModified >= '2024-06-01'));
    const times = list.map((x) => x.lastModified);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  });

  it('serves the same data on every start', async () => {
    const other = await Harness.start();
    try {
      const t = String((await other.passwordToken())['access_token']);
      const a = await h.api(`${SUBSCRIPTIONS}?pageSize=5`, password);
      const b = await other.api(`${SUBSCRIPTIONS}?pageSize=5`, t);
      assert.equal(a.text, b.text);
    } finally {
      await other.close();
    }
  });

  it('rejects out-of-range query parameters with 400', async () => {
    for (const q of ['pageSize=0', 'pageSize=1001', 'page=-1', 'ascending=maybe', 'since=yesterday']) {
      assertApiError(await h.api(`${SUBSCRIPTIONS}?${q}`, password), 400, '40000');
    }
  });

  it('accounts, one account, agreements and organisations', async () => {
    const accounts = JSON.parse((await h.api('/corporate-accounts/v2/accounts', password)).text) as Array<Json>;
    assert.ok(accounts.length >= 3);
    const id = String(accounts[0]?.['accountId']);
    const one = await h.api(`/corporate-accounts/v2/accounts/${id}`, password);
    assert.equal(one.status, 200);
    assert.equal(json(one)['accountId'], id);
    const agreements = JSON.parse((await h.api('/corporate-agreements/v2/agreements', password)).text) as unknown[];
    assert.ok(agreements.length >= 1);
    const orgs = await h.api('/organizations/v1/organizations', password);
    assert.deepEqual(JSON.parse(orgs.text), [{ orgNumber: '914742315', name: 'TELENOR' }]);
  });

  it('Telenor Stores API with a client_credentials token: list, filter, detail', async () => {
    const token = await h.storesToken();
    const all = JSON.parse((await h.api('/telenor-stores/v1/stores', token)).text) as Array<{ storeId: string; address: { city: string } }>;
    assert.ok(all.length >= 5);
    const bergen = JSON.parse((await h.api('/telenor-stores/v1/stores?city=bergen', token)).text) as typeof all;
    assert.ok(bergen.length >= 1 && bergen.every((s) => s.address.city === 'Bergen'));
    const one = await h.api(`/telenor-stores/v1/stores/${all[0]?.storeId ?? ''}`, token);
    assert.equal(json(one)['storeId'], all[0]?.storeId);
  });

  it("Mobile Device Info API returns the consenting line's device (with or without enduserId)", async () => {
    const token = String((await h.codeToken('ola'))['access_token']);
    const device = json(await h.api(DEVICE, token));
    assert.equal(device['msisdn'], '4748234567');
    assert.match(String(device['imei']), /^\d{15}$/);
    const same = await h.api(`${DEVICE}?enduserId=${encodeURIComponent('tel:+4748234567')}`, token);
    assert.equal(same.status, 200);
  });

  describe('every documented error code', () => {
    it('401 / 40102: no Authorization header, or one that is not Bearer or Basic', async () => {
      assertApiError(await h.call('GET', SUBSCRIPTIONS), 401, '40102');
      assertApiError(await h.call('GET', SUBSCRIPTIONS, { headers: { authorization: 'Token abc' } }), 401, '40102');
    });

    it('401 / 40105: unknown token, logged-out token, Sweden token; WWW-Authenticate says invalid_token', async () => {
      const r = await h.api(SUBSCRIPTIONS, 'not-a-token');
      assertApiError(r, 401, '40105');
      assert.match(String(headerOf(r, 'www-authenticate')), /error="invalid_token"/);
      assertApiError(await h.api(SUBSCRIPTIONS, await h.seToken()), 401, '40105');
    });

    it('401 / 40106: expired token', async () => {
      const t = String((await h.passwordToken())['access_token']);
      h.clock.now += 3601_000;
      const r = await h.api('/organizations/v1/organizations', t);
      const body = assertApiError(r, 401, '40106');
      assert.equal(body['description'], 'Access token expired');
      assert.equal(body['httpMessage'], 'Unauthorized');
      assert.equal(body['resourceId'], '/organizations/v1/organizations');
      assert.match(String(headerOf(r, 'www-authenticate')), /error="invalid_token"/);
      password = String((await h.passwordToken())['access_token']);
    });

    it('401 / 40107: Basic with valid client credentials; 401 / 40108 with wrong ones', async () => {
      const good = await h.call('GET', SUBSCRIPTIONS, { headers: { authorization: basic('sandbox-no-client', 'sandbox-no-secret') } });
      assertApiError(good, 401, '40107');
      const bad = await h.call('GET', SUBSCRIPTIONS, { headers: { authorization: basic('sandbox-no-client', 'nope') } });
      assertApiError(bad, 401, '40108');
    });

    it('401 / 40103: a token from an app without the API product', async () => {
      assertApiError(await h.api(SUBSCRIPTIONS, await h.storesToken()), 401, '40103');
    });

    it('401 / 40101: a token from the wrong grant for the API; no invalid_token challenge', async () => {
      const cc = json(await h.noToken({ grant_type: 'client_credentials' }));
      const r = await h.api(SUBSCRIPTIONS, String(cc['access_token']));
      assertApiError(r, 401, '40101');
      assert.doesNotMatch(String(headerOf(r, 'www-authenticate')), /invalid_token/);
      assertApiError(await h.api(DEVICE, password), 401, '40101');
    });

    it('403 / 40301: a token whose scope does not cover the resource', async () => {
      const t = String((await h.passwordToken({ scope: 'accounts' }))['access_token']);
      assert.equal((await h.api('/corporate-accounts/v2/accounts', t)).status, 200);
      assertApiError(await h.api(SUBSCRIPTIONS, t), 403, '40301');
    });

    it('404 / 40401: unknown path under an API, or a method it does not have', async () => {
      assertApiError(await h.api('/corporate-accounts/v2/nothing-here', password), 404, '40401');
      const post = await h.call('POST', '/corporate-accounts/v2/accounts', { headers: { authorization: bearer(password) } });
      assertApiError(post, 404, '40401');
      assert.equal(headerOf(post, 'allow'), 'GET, HEAD');
    });

    it('404 / 4042000: unknown account or store id', async () => {
      assertApiError(await h.api('/corporate-accounts/v2/accounts/12345678', password), 404, '4042000');
      assertApiError(await h.api('/telenor-stores/v1/stores/9999', await h.storesToken()), 404, '4042000');
    });

    it('400 / 40001: malformed enduserId; 401 / 40104: another line than the one that consented', async () => {
      const token = String((await h.codeToken('kari'))['access_token']);
      assertApiError(await h.api(`${DEVICE}?enduserId=abc`, token), 400, '40001');
      assertApiError(await h.api(`${DEVICE}?enduserId=`, token), 400, '40001');
      const other = await h.api(`${DEVICE}?enduserId=${encodeURIComponent('tel:+4748234567')}`, token);
      assertApiError(other, 401, '40104');
      assert.doesNotMatch(String(headerOf(other, 'www-authenticate')), /invalid_token/);
    });

    it('500 / 50001: the reserved failing account; 50002 and 50003: the test lines on the consent page', async () => {
      assertApiError(await h.api('/corporate-accounts/v2/accounts/99999999', password), 500, '50001');
      const weak = String((await h.codeToken('weak-auth'))['access_token']);
      assertApiError(await h.api(DEVICE, weak), 500, '50002');
      const ended = String((await h.codeToken('terminated'))['access_token']);
      assertApiError(await h.api(DEVICE, ended), 500, '50003');
    });
  });
});

describe('sandbox: Norway traffic policies', function () {
  it('429 / 42901 past the quota, with Retry-After; a new window lets calls through again', async () => {
    const h = await Harness.start({ rateLimit: { quota: { limit: 3, windowSeconds: 60 }, spikeArrest: false } }, true);
    try {
      const t = String((await h.passwordToken())['access_token']);
      for (let i = 0; i < 3; i++) assert.equal((await h.api('/organizations/v1/organizations', t)).status, 200);
      const r = await h.api('/organizations/v1/organizations', t);
      assertApiError(r, 429, '42901');
      assert.ok(Number(headerOf(r, 'retry-after')) > 0);
      h.clock.now += 60_000;
      assert.equal((await h.api('/organizations/v1/organizations', t)).status, 200);
    } finally {
      await h.close();
    }
  });

  it('429 / 42902 for a burst above the spike arrest rate', async () => {
    const h = await Harness.start({ rateLimit: { quota: false, spikeArrest: { perSecond: 2 } } }, true);
    try {
      const t = await h.storesToken();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await h.api('/telenor-stores/v1/stores', t));
      assert.deepEqual(statuses.slice(0, 2).map((r) => r.status), [200, 200]);
      assertApiError(statuses[2] as Reply, 429, '42902');
    } finally {
      await h.close();
    }
  });

  it('rateLimit: false lets a load test through', async () => {
    const h = await Harness.start({ rateLimit: false });
    try {
      const t = await h.storesToken();
      const replies = await Promise.all(Array.from({ length: 150 }, () => h.api('/telenor-stores/v1/stores/1001', t)));
      assert.ok(replies.every((r) => r.status === 200));
    } finally {
      await h.close();
    }
  });
});

// =========================================================================================================

describe('sandbox: Sweden', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.start({}, true);
  });
  after(() => h.close());

  it('token: string expires_in one second short, scope openapi, no token_type; also on /oauth2/token', async () => {
    for (const path of ['/openapi/oauth2/token', '/oauth2/token']) {
      const r = await h.call('POST', path, {
        headers: { authorization: basic('sandbox-se-key', 'sandbox-se-secret'), accept: 'application/json' },
        form: { grant_type: 'client_credentials' },
      });
      assert.equal(r.status, 200, path);
      const body = json(r);
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope']);
      assert.equal(body['expires_in'], '3599');
      assert.equal(body['scope'], 'openapi');
      assert.match(String(body['access_token']), /^[A-Za-z0-9]{28}$/);
    }
  });

  it('token errors: 401 invalid_client, 400 unsupported_grant_type / invalid_request', async () => {
    const wrong = await h.call('POST', '/openapi/oauth2/token', { headers: { authorization: basic('sandbox-se-key', 'x') }, form: { grant_type: 'client_credentials' } });
    assert.equal(wrong.status, 401);
    assert.equal(json(wrong)['error'], 'invalid_client');
    const none = await h.call('POST', '/openapi/oauth2/token', { form: { grant_type: 'client_credentials' } });
    assert.equal(json(none)['error'], 'invalid_client');
    const norwayClient = await h.call('POST', '/openapi/oauth2/token', { headers: { authorization: basic('sandbox-no-client', 'sandbox-no-secret') }, form: { grant_type: 'client_credentials' } });
    assert.equal(norwayClient.status, 401);
    const auth = { authorization: basic('sandbox-se-key', 'sandbox-se-secret') };
    const grant = await h.call('POST', '/openapi/oauth2/token', { headers: auth, form: { grant_type: 'password' } });
    assert.equal(grant.status, 400);
    assert.equal(json(grant)['error'], 'unsupported_grant_type');
    const missing = await h.call('POST', '/openapi/oauth2/token', { headers: auth, form: {} });
    assert.equal(missing.status, 400);
    assert.equal(json(missing)['error'], 'invalid_request');
  });

  it('product offers with a Bearer token; 401 faults for none, invalid and Norway tokens', async () => {
    const token = await h.seToken();
    const offers = JSON.parse((await h.api(OFFERS, token)).text) as Array<{ category: string; monthlyFee: { currency: string } }>;
    assert.ok(offers.length >= 3);
    assert.ok(offers.every((o) => o.monthlyFee.currency === 'SEK'));
    const broadband = JSON.parse((await h.api(`${OFFERS}?category=BROADBAND`, token)).text) as typeof offers;
    assert.ok(broadband.length > 0 && broadband.every((o) => o.category === 'BROADBAND'));
    assertFault(await h.call('GET', OFFERS), 401, 'oauth.v2.InvalidAccessToken');
    assertFault(await h.api(OFFERS, 'garbage'), 401, 'keymanagement.service.invalid_access_token');
    const norway = await h.storesToken();
    assertFault(await h.api(OFFERS, norway), 401, 'keymanagement.service.invalid_access_token');
  });

  it('hasPermission returns a real HS256 JWT with sub, clientId, service and exp', async () => {
    const token = await h.seToken();
    const jwt = await h.xjwt(token);
    const [head, payload, sig] = jwt.split('.');
    assert.ok(sig && sig.length > 20);
    assert.deepEqual(JSON.parse(Buffer.from(String(head), 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(String(payload), 'base64url').toString()) as Json;
    assert.equal(claims['sub'], '1234567');
    assert.equal(claims['clientId'], 'sandbox-jwt-client');
    assert.equal(claims['service'], 'Mobile Subscriptions Administration API');
    const exp = Number(claims['exp']);
    assert.ok(Math.abs(exp - (h.clock.now / 1000 + 3600)) <= 1, 'exp = now + token lifetime');
  });

  it('hasPermission accepts userId as a digit string too, and echoes X-Transaction-Id', async () => {
    const token = await h.seToken();
    const { jwt } = h.creds.se;
    const r = await h.hasPermission(token, 'Mobile Subscriptions Administration API', { ...jwt });
    assert.equal(r.status, 200, r.text);
    assert.equal(headerOf(r, 'x-transaction-id'), 'tx-1');
  });

  it('hasPermission checks every input', async () => {
    const token = await h.seToken();
    const { jwt } = h.creds.se;
    const good = { clientId: jwt.clientId, userId: 1234567, password: jwt.password };
    const service = 'Mobile Subscriptions Administration API';
    assertFault(await h.hasPermission(token, service, good, {}), 400, 'sandbox.MissingTransactionId');
    assertFault(await h.hasPermission(token, service, { ...good, password: 'wrong' }), 401, 'sandbox.InvalidUserCredentials');
    assertFault(await h.hasPermission(token, service, { ...good, userId: 7654321 }), 401, 'sandbox.InvalidUserCredentials');
    assertFault(await h.hasPermission(token, service, { ...good, clientId: 'other' }), 401, 'sandbox.InvalidUserCredentials');
    assertFault(await h.hasPermission(token, 'Unknown API', good), 403, 'sandbox.ServiceNotPermitted');
    assertFault(await h.hasPermission(token, '', good), 400, 'sandbox.MissingService');
    assertFault(await h.hasPermission(token, service, { clientId: jwt.clientId }), 400, 'sandbox.InvalidRequestBody');
    assertFault(await h.hasPermission(token, service, [1, 2]), 400, 'sandbox.InvalidRequestBody');
    assertFault(await h.hasPermission(token, service, { ...good, userId: 'abc' }), 400, 'sandbox.InvalidRequestBody');
    const badJson = await h.call('POST', `/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=${encodeURIComponent(service)}`, {
      headers: { authorization: bearer(token), 'x-transaction-id': 't', 'content-type': 'application/json' },
      body: '{"clientId": ',
    });
    assertFault(badJson, 400, 'sandbox.InvalidRequestBody');
    assertFault(await h.hasPermission('nope', service, good), 401, 'keymanagement.service.invalid_access_token');
  });

  it('serviceRules needs Bearer, X-JWT for the right service and x-transaction-id', async () => {
    const token = await h.seToken();
    const jwt = await h.xjwt(token);
    const ok = await h.api(SERVICE_RULES, token, { 'x-jwt': jwt, 'x-transaction-id': 'tx-9' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(headerOf(ok, 'x-transaction-id'), 'tx-9');
    const rules = JSON.parse(ok.text) as Array<{ serviceCode: string; requires: unknown[]; excludes: unknown[] }>;
    assert.ok(rules.length >= 5 && rules.every((r) => Array.isArray(r.requires) && Array.isArray(r.excludes)));

    assertFault(await h.api(SERVICE_RULES, token, { 'x-transaction-id': 't' }), 401, 'steps.jwt.FailedToResolveVariable');
    assertFault(await h.api(SERVICE_RULES, token, { 'x-jwt': jwt }), 400, 'sandbox.MissingTransactionId');
    const [head, payload] = jwt.split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ sub: '1', clientId: 'x', service: 'Mobile Subscriptions Administration API', exp: 9e9 })).toString('base64url')}.${jwt.split('.')[2]}`;
    assertFault(await h.api(SERVICE_RULES, token, { 'x-jwt': forged, 'x-transaction-id': 't' }), 401, 'steps.jwt.InvalidToken');
    assertFault(await h.api(SERVICE_RULES, token, { 'x-jwt': `${head}.${payload}`, 'x-transaction-id': 't' }), 401, 'steps.jwt.InvalidToken');
    const otherService = await h.xjwt(token, 'Mobile Subscriptions Information API');
    assertFault(await h.api(SERVICE_RULES, token, { 'x-jwt': otherService, 'x-transaction-id': 't' }), 403, 'steps.jwt.InvalidClaim');
    assertFault(await h.call('GET', SERVICE_RULES, { headers: { 'x-jwt': jwt, 'x-transaction-id': 't' } }), 401, 'oauth.v2.InvalidAccessToken');
  });

  it('an expired access token or X-JWT answers 401 with the Apigee "expired" fault', async () => {
    const token = await h.seToken();
    const jwt = await h.xjwt(token);
    h.clock.now += 3601_000;
    const expired = await h.api(OFFERS, token);
    assertFault(expired, 401, 'keymanagement.service.access_token_expired');
    assert.equal((json(expired)['fault'] as Json)['faultstring'], 'Access Token expired');
    const fresh = await h.seToken();
    assertFault(await h.api(SERVICE_RULES, fresh, { 'x-jwt': jwt, 'x-transaction-id': 't' }), 401, 'steps.jwt.TokenExpired');
  });
});

// =========================================================================================================

describe('sandbox: token lifetime on the real clock', function () {
  this.slow(4000);
  it('tokens from a 1 s TTL work at once and answer "expired" after it (Norway 40106, Sweden fault)', async () => {
    const h = await Harness.start({ tokenTtlSeconds: 1 });
    try {
      const no = await h.passwordToken();
      assert.equal(no['expires_in'], '1');
      const se = await h.seToken();
      const noToken = String(no['access_token']);
      assert.equal((await h.api('/organizations/v1/organizations', noToken)).status, 200);
      assert.equal((await h.api(OFFERS, se)).status, 200);
      await new Promise((r) => setTimeout(r, 1100));
      assertApiError(await h.api('/organizations/v1/organizations', noToken), 401, '40106');
      assertFault(await h.api(OFFERS, se), 401, 'keymanagement.service.access_token_expired');
    } finally {
      await h.close();
    }
  });
});

// =========================================================================================================

describe('sandbox: index, specs, routing and robustness', function () {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ maxBodyBytes: 4096 });
  });
  after(() => h.close());

  it('listens on 127.0.0.1 with the url it reports', () => {
    assert.match(h.sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(h.sandbox.url, `http://127.0.0.1:${h.sandbox.port}`);
  });

  it('GET / describes the sandbox as JSON, or as HTML to a browser', async () => {
    const body = json(await h.call('GET', '/'));
    assert.deepEqual(body['demoCredentials'], h.creds);
    const endpoints = body['endpoints'] as Array<{ path: string }>;
    for (const p of ['/oauth/v2/token', '/openapi/oauth2/token', SUBSCRIPTIONS, DEVICE, SERVICE_RULES]) {
      assert.ok(endpoints.some((e) => e.path === p), p);
    }
    const html = await h.call('GET', '/', { headers: { accept: 'text/html' } });
    assert.match(String(headerOf(html, 'content-type')), /^text\/html/);
    assert.match(String(headerOf(html, 'content-security-policy')), /default-src 'none'/);
    assert.match(html.text, /sandbox-no-client/);
  });

  it('GET /specs/ lists the shipped specs and /specs/<file> serves each', async () => {
    const list = JSON.parse((await h.call('GET', '/specs/')).text) as Array<{ file: string }>;
    assert.deepEqual(list.map((s) => s.file), BUILTIN_SPECS.map((s) => s.file));
    for (const spec of BUILTIN_SPECS) {
      const r = await h.call('GET', `/specs/${spec.file}`);
      assert.equal(r.status, 200, spec.file);
      assert.match(r.text, /x-telenor/);
    }
    assert.equal((await h.call('GET', '/specs/..%2Fpackage.json')).status, 404);
    assert.equal((await h.call('GET', '/specs/../../package.json')).status, 404);
  });

  it('405 with Allow for a wrong method; OPTIONS answers 204 with Allow; HEAD works where GET does', async () => {
    const get = await h.call('GET', '/oauth/v2/token');
    assert.equal(get.status, 405);
    assert.equal(headerOf(get, 'allow'), 'POST');
    const post = await h.call('POST', '/oauth/v2/logout');
    assert.equal(post.status, 405);
    assert.equal(headerOf(post, 'allow'), 'GET, HEAD');
    const del = await h.call('DELETE', '/oauth/v2/authorize');
    assert.equal(headerOf(del, 'allow'), 'GET, HEAD, POST');
    const options = await h.call('OPTIONS', '/openapi/oauth2/token');
    assert.equal(options.status, 204);
    assert.equal(headerOf(options, 'allow'), 'POST');
    const head = await h.call('HEAD', '/');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });

  it('404 JSON for unknown paths (including ones that look like hosts)', async () => {
    for (const p of ['/nope', '//evil.example/x', '/oauth/v3/token']) {
      const r = await h.call('GET', p);
      assert.equal(r.status, 404, p);
      assert.equal(json(r)['error'], 'not_found');
    }
  });

  it('413 for a body over the cap, and keeps serving', async () => {
    const big = Buffer.alloc(200_000, 'a');
    const r = await h.call('POST', '/oauth/v2/token', { headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('sandbox-no-client', 'sandbox-no-secret') }, body: big });
    assert.equal(r.status, 413);
    assert.equal(json(r)['error'], 'payload_too_large');
    const ok = await h.noToken({ grant_type: 'client_credentials' });
    assert.equal(ok.status, 200);
  });

  it('413 for a chunked body over the cap', async () => {
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 20; i++) yield Buffer.alloc(1024, 'b');
    }
    const r = await h.call('POST', '/oauth/v2/authorize', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Readable.from(chunks()) });
    assert.equal(r.status, 413);
    assert.equal(headerOf(r, 'content-length'), String(Buffer.byteLength(r.text)));
  });

  it('garbage bodies get 4xx answers, never a crash', async () => {
    const auth = { authorization: basic('sandbox-no-client', 'sandbox-no-secret') };
    const binary = Buffer.from([0, 255, 254, 10, 13, 37, 37, 61]);
    assertTokenError(await h.call('POST', '/oauth/v2/token', { headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: binary }), 400, 2, 'Missing or invalid grant_type');
    assertTokenError(await h.call('POST', '/oauth/v2/token', { headers: auth, json: { grant_type: 'client_credentials' } }), 400, 2, 'Missing or invalid grant_type');
    const consent = await h.call('POST', '/oauth/v2/authorize', { headers: { 'content-type': 'application/json' }, body: '{{{' });
    assert.equal(consent.status, 400);
    const oddPath = await h.call('GET', '/corporate-accounts/v2/accounts/%E0%A4%A', { headers: { authorization: bearer('x') } });
    assert.equal(oddPath.status, 401);
  });

  it('answers malformed HTTP with 400 and stays up', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(h.sandbox.port, '127.0.0.1', () => socket.write('THIS IS NOT HTTP\r\n\r\n'));
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 400/);
    assert.equal((await h.call('GET', '/')).status, 200);
  });

  it('survives random requests (fast-check): always a well-formed answer below 500', async function () {
    this.timeout(20_000);
    const paths = ['/', '/oauth/v2/token', '/oauth/token', '/oauth/v2/authorize', '/oauth/v2/logout', '/openapi/oauth2/token', SUBSCRIPTIONS, DEVICE, SERVICE_RULES, OFFERS, '/b2b/corporate/auth/right/v2/hasPermission/corporate/', '/telenor-stores/v1/stores/1', '/specs/x'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
        fc.constantFrom(...paths),
        fc.string({ maxLength: 40 }),
        fc.constantFrom('', 'Bearer x', 'Basic', 'Basic Og==', basic('sandbox-no-client', 'sandbox-no-secret'), 'Bearer'),
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'),
        fc.string({ maxLength: 200 }),
        async (method, path, query, auth, type, body) => {
          const headers: Record<string, string> = { 'content-type': type, 'x-transaction-id': 't' };
          if (auth !== '') headers['authorization'] = auth;
          const r = await h.call(method, `${path}?q=${encodeURIComponent(query)}`, { headers, ...(method === 'GET' ? {} : { body }) });
          assert.ok(r.status >= 200 && r.status < 500, `${method} ${path} → ${r.status} ${r.text}`);
        },
      ),
      { numRuns: 150 },
    );
    assert.equal((await h.call('GET', '/')).status, 200);
  });
});

describe('sandbox: lifecycle', function () {
  it('close() drops keep-alive connections at once, is safe to call twice, and frees the port', async () => {
    const sandbox = await startSandbox({ port: 0 });
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    const r = await request(`${sandbox.url}/`, { dispatcher: agent });
    await r.body.text();
    const started = Date.now();
    await Promise.all([sandbox.close(), sandbox.close()]);
    assert.ok(Date.now() - started < 1000, 'did not wait for the keep-alive socket to time out');
    await agent.close();
    const again = await startSandbox({ port: sandbox.port });
    await again.close();
  });

  it('rejects a taken port with a TelenorError of kind network', async () => {
    const first = await startSandbox({ port: 0 });
    try {
      await assert.rejects(startSandbox({ port: first.port }), (e: unknown) => {
        const err = e as { kind?: string; hint?: string };
        return err.kind === 'network' && typeof err.hint === 'string' && err.hint.length > 0;
      });
    } finally {
      await first.close();
    }
  });

  it('rejects nonsense options with a TelenorError, before listening', async () => {
    for (const options of [{ tokenTtlSeconds: 0 }, { port: -1 }, { tokenTtlSeconds: 1.5 }, { rateLimit: { quota: { limit: 0, windowSeconds: 1 } } }]) {
      await assert.rejects(startSandbox(options as SandboxOptions), (e: unknown) => (e as { isTelenorError?: boolean }).isTelenorError === true);
    }
  });

  it('logs one line per request with secrets masked', async () => {
    const lines: string[] = [];
    const h = await Harness.start({ logger: (l) => lines.push(l) });
    try {
      const t = await h.passwordToken();
      await h.api('/organizations/v1/organizations', String(t['access_token']));
      const code = await h.authorizationCode();
      await h.call('GET', `/oauth/v2/authorize?client_id=sandbox-no-client&state=secret-state&code=${code}`);
      assert.equal(lines.length, 5);
      const all = lines.join('\n');
      for (const secret of [String(t['access_token']), String(t['refresh_token']), 'sandbox-machine-password', 'sandbox-no-secret', code, 'secret-state']) {
        assert.ok(!all.includes(secret), `log leaks ${secret.slice(0, 4)}…`);
      }
      assert.match(all, /POST \/oauth\/v2\/token → 200 \d+ms auth=Basic \*\*\*/);
      assert.match(all, /GET \/organizations\/v1\/organizations → 200/);
    } finally {
      await h.close();
    }
  });
});

describe('sandbox: docs/sandbox.md stays true', function () {
  const docPath = findUp(__dirname, ['docs/sandbox.md']);
  const doc = docPath === undefined ? '' : readFileSync(docPath, 'utf8');
  /** The table rows of the doc: `| a | b | … |` lines split into trimmed cells. */
  const rows = doc
    .split('\n')
    .filter((l) => l.startsWith('|') && !l.startsWith('|---'))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));

  it('documents every Norway API error code with its HTTP status', () => {
    for (const e of Object.values(API_ERRORS)) {
      assert.ok(rows.some((r) => r[0] === String(e.status) && r[1] === e.errorCode), `${e.status} / ${e.errorCode}`);
    }
  });

  it('documents every token-endpoint error with status, code and the seed wording', () => {
    for (const e of Object.values(TOKEN_ERRORS)) {
      if (e.description === 'Invalid access token') continue; // logout's code 2, documented in prose
      assert.ok(rows.some((r) => r[0] === String(e.status) && r[1] === String(e.code)), `${e.status} / ${e.code}`);
    }
    assert.match(doc, /401 code 2 for an unknown\s+token; 401 code 6 without a Bearer header/);
  });

  it('documents every Sweden fault code, and every fixed endpoint', () => {
    for (const f of Object.values(FAULTS)) {
      assert.ok(rows.some((r) => r[0] === String(f.status) && r[1] === `\`${f.errorcode}\``), `${f.status} / ${f.errorcode}`);
    }
    for (const r of routes()) {
      assert.ok(doc.includes(r.path), r.path);
    }
  });
});
