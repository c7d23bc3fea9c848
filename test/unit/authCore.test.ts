// Auth core without the sandbox: tolerant token parsing, token-endpoint error mapping, masking, profiles,
// authorization-code helpers, and the token cache (single flight, failures, refresh-ahead) against small
// purpose-built node:http servers that count what they receive.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { isTelenorError, isErrorKind, TelenorError } from '../../src/core/errors';
import {
  AuthService,
  buildAuthorizeUrl,
  classifyCallback,
  createState,
  credentialFingerprint,
  documentedTokenErrors,
  hasPermissionRequestUrl,
  isTokenEndpointError,
  jwtExpiry,
  jwtUserId,
  parseCallback,
  parseErrorBody,
  parseTokenResponse,
  postTokenRequest,
  refreshAt,
  resolveAuthProfile,
  statesMatch,
  TokenCache,
  tokenCacheKey,
  tokenEndpointError,
  type AuthProfile,
  type CredentialSet,
  type TokenExchangeRecord,
  type TokenSet,
} from '../../src/core/auth';
import type { ApiSummary } from '../../src/core/spec/types';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Reply = { status: number; body: string; type?: string; delayMs?: number };

/** A token server on 127.0.0.1 whose answer the test sets per request; records everything it receives. */
class FakeTokenServer {
  readonly seen: Seen[] = [];
  reply: (req: Seen) => Reply = () => ({ status: 500, body: 'not configured' });
  private readonly server: Server = createServer((req, res) => this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  count(pred: (s: Seen) => boolean = () => true): number {
    return this.seen.filter(pred).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      this.seen.push(seen);
      const r = this.reply(seen);
      const send = (): void => {
        res.writeHead(r.status, { 'content-type': r.type ?? 'application/json' });
        res.end(r.body);
      };
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  }
}

const CLIENT = { clientId: 'core-client', clientSecret: 'core-client-secret-value' };
const MACHINE = { username: 'api7813371375', password: 'core-machine-password' };
const NOW = 1_700_000_000_000;

const json = (v: unknown): string => JSON.stringify(v);
const form = (s: Seen): URLSearchParams => new URLSearchParams(s.body);

function profile(tokenUrl: string, over: Partial<AuthProfile> = {}): AuthProfile {
  return { id: 'no-password', label: 'Norway · machine user', grant: 'no-password', tokenUrl, needs: ['client', 'machineUser'], ...over };
}

/** Every string a test must never find in a record or an error. */
const SECRETS = [CLIENT.clientSecret, MACHINE.password, Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')];

function assertNoSecrets(text: string, extra: string[] = []): void {
  for (const s of [...SECRETS, ...extra]) assert.ok(!text.includes(s), `found a secret in: ${text.slice(0, 300)}`);
}

describe('auth core', () => {
  let server: FakeTokenServer;
  let agent: Agent;

  before(async () => {
    server = await new FakeTokenServer().start();
    agent = new Agent();
  });
  after(async () => {
    await agent.close();
    await server.close();
  });
  beforeEach(() => {
    server.seen.length = 0;
  });

  describe('parseTokenResponse (tolerant)', () => {
    const parse = (body: unknown, type = 'application/json'): TokenSet =>
      parseTokenResponse(typeof body === 'string' ? body : json(body), type, { now: NOW });

    it('accepts Sweden’s string expires_in and missing token_type', () => {
      const t = parse({ access_token: 'iLsXI22AbszY1J3cA7lYusO0PAbG', expires_in: '3599', scope: 'openapi' });
      assert.equal(t.accessToken, 'iLsXI22AbszY1J3cA7lYusO0PAbG');
      assert.equal(t.tokenType, 'Bearer');
      assert.equal(t.expiresAt, NOW + 3_599_000);
      assert.equal(t.obtainedAt, NOW);
      assert.equal(t.scope, 'openapi');
      assert.equal(t.refreshToken, undefined);
    });

    it('accepts a number expires_in, a lower-case token_type and a refresh_token; ignores extra fields', () => {
      const t = parse({ access_token: 'abc', expires_in: 120, token_type: 'bearer', refresh_token: 'r1', extra: { x: 1 } });
      assert.equal(t.expiresAt, NOW + 120_000);
      assert.equal(t.tokenType, 'Bearer');
      assert.equal(t.refreshToken, 'r1');
    });

    it('uses the documented default (3600 s) when expires_in is absent or unreadable', () => {
      assert.equal(parse({ access_token: 'a' }).expiresAt, NOW + 3_600_000);
      assert.equal(parse({ access_token: 'a', expires_in: 'soon' }).expiresAt, NOW + 3_600_000);
      assert.equal(parse({ access_token: 'a', expires_in: -5 }).expiresAt, NOW + 3_600_000);
      assert.equal(parseTokenResponse(json({ access_token: 'a' }), undefined, { now: NOW, defaultExpiresInSeconds: 10 }).expiresAt, NOW + 10_000);
    });

    it('a non-JSON 200 is a protocol error that quotes what came back, scrubbed', () => {
      const secret = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl';
      try {
        parse(`<html><body>Login required token=${secret}</body></html>`, 'text/html');
        assert.fail('should throw');
      } catch (e) {
        assert.ok(isErrorKind(e, 'protocol'));
        assert.match(e.message, /text\/html/);
        assert.match(e.message, /Login required/);
        assert.ok(!e.message.includes(secret));
        assert.ok(e.hint.length > 0);
      }
    });

    it('a 200 without access_token names the fields it had, never their values', () => {
      try {
        parse({ token_type: 'Bearer', refresh_token: 'very-secret-refresh-token-value' });
        assert.fail('should throw');
      } catch (e) {
        assert.ok(isErrorKind(e, 'protocol'));
        assert.match(e.message, /token_type, refresh_token/);
        assert.ok(!e.message.includes('very-secret-refresh-token-value'));
      }
      assert.throws(() => parse('[]'), (e) => isErrorKind(e, 'protocol'));
      assert.throws(() => parse(''), (e) => isErrorKind(e, 'protocol') && /empty body/.test(e.message));
    });

    it('over HTTP: string, number and missing expires_in and missing token_type from a real server', async () => {
      const cases: Array<[unknown, number, string]> = [
        [{ access_token: 'tok-string', expires_in: '42' }, 42_000, 'Bearer'],
        [{ access_token: 'tok-number', expires_in: 42, token_type: 'Bearer' }, 42_000, 'Bearer'],
        [{ access_token: 'tok-missing' }, 3_600_000, 'Bearer'],
      ];
      for (const [body, lifetime, type] of cases) {
        server.reply = () => ({ status: 200, body: json(body), type: 'application/json;charset=UTF-8' });
        const t = await postTokenRequest(
          { dispatcher: agent, now: () => NOW },
          { tokenUrl: `${server.url}/oauth/v2/token`, client: CLIENT, form: { grant_type: 'client_credentials' }, errorContext: { endpoint: 'token' } },
        );
        assert.equal(t.expiresAt - t.obtainedAt, lifetime);
        assert.equal(t.tokenType, type);
      }
      const sent = server.seen[0];
      assert.ok(sent);
      assert.equal(sent.headers['authorization'], `Basic ${Buffer.from('core-client:core-client-secret-value').toString('base64')}`);
      assert.equal(sent.headers['accept'], 'application/json');
      assert.equal(sent.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(sent.body, 'grant_type=client_credentials');
    });
  });

  describe('token-endpoint errors', () => {
    it('finds the code in error_code, errorCode and code, as numbers or strings, and in plain text', () => {
      assert.equal(parseErrorBody(json({ error_code: 22 })).code, 22);
      assert.equal(parseErrorBody(json({ errorCode: '20' })).code, 20);
      assert.equal(parseErrorBody(json({ code: ' 7 ' })).code, 7);
      assert.equal(parseErrorBody(json({ error: { code: 12 } })).code, 12);
      assert.equal(parseErrorBody('Error code 21 - Unsufficient permissions').code, 21);
      const oauth = parseErrorBody(json({ error: 'invalid_client', error_description: 'Client authentication failed' }));
      assert.equal(oauth.code, undefined);
      assert.equal(oauth.oauthError, 'invalid_client');
      assert.equal(oauth.description, 'Client authentication failed');
    });

    it('every documented status and code maps to the seeds’ exact wording with an explanation and a hint', () => {
      const all = documentedTokenErrors();
      assert.equal(all.length, 17);
      for (const { status, code, seedText } of all) {
        const e = tokenEndpointError(status, json({ error: 'x', error_description: 'whatever', error_code: code }), {
          endpoint: status === 401 && code === 2 ? 'logout' : 'token',
          region: 'no',
        });
        assert.ok(isTokenEndpointError(e));
        assert.equal(e.kind, 'token-endpoint');
        assert.equal(e.httpStatus, status);
        assert.equal(e.code, code);
        assert.equal(e.seedText, seedText);
        assert.ok(e.message.includes(seedText), e.message);
        assert.ok(e.explanation.length > 10 && e.hint.length > 10);
      }
      const e22 = tokenEndpointError(401, json({ errorCode: '22' }), { endpoint: 'token', region: 'no' });
      assert.equal(e22.seedText, 'Error code 22 - Basic Authentication failed, bad username or password.');
      const e20 = tokenEndpointError(401, json({ code: 20 }), { endpoint: 'token', region: 'no', grantType: 'password' });
      assert.match(e20.explanation, /machine user’s username or password is wrong/);
      assert.match(e20.hint, /Min Bedrift/);
      const e21 = tokenEndpointError(401, json({ error_code: 21 }), { endpoint: 'token', region: 'no', grantType: 'password' });
      assert.match(e21.explanation, /not allowed to use the password \(machine user\) grant/);
      const e12 = tokenEndpointError(403, json({ error_code: 12 }), { endpoint: 'token', region: 'no', redirectUri: 'http://127.0.0.1:5000/callback' });
      assert.match(e12.hint, /Register exactly http:\/\/127\.0\.0\.1:5000\/callback/);
      // Code 2 means three things; the status tells them apart.
      assert.equal(tokenEndpointError(400, json({ error_code: 2 }), { endpoint: 'token' }).seedText, 'Error code 2 - Missing or invalid grant_type');
      assert.equal(tokenEndpointError(500, json({ error_code: 2 }), { endpoint: 'token' }).seedText, 'Error code 2 - Internal Server Error');
      assert.equal(tokenEndpointError(401, json({ error_code: 2 }), { endpoint: 'logout' }).seedText, 'Error code 2 - Invalid access token');
    });

    it('plain OAuth errors (Sweden) are explained; unknown bodies still give status and a hint; echoed secrets are masked', () => {
      const se = tokenEndpointError(401, json({ error: 'invalid_client', error_description: 'bad' }), { endpoint: 'token', region: 'se' });
      assert.equal(se.code, undefined);
      assert.equal(se.oauthError, 'invalid_client');
      assert.match(se.message, /consumer key and consumer secret/);
      const html = tokenEndpointError(502, '<html><h1>Bad gateway</h1></html>', { endpoint: 'token' });
      assert.equal(html.httpStatus, 502);
      assert.match(html.message, /Bad gateway/);
      assert.ok(html.hint.length > 0);
      const echo = tokenEndpointError(400, json({ error: 'invalid_request', error_description: `bad password ${MACHINE.password}` }), {
        endpoint: 'token',
        secrets: [{ value: MACHINE.password, kind: 'password' }],
      });
      assertNoSecrets(echo.message);
    });
  });

  describe('authorization code helpers', () => {
    it('state is URL-safe with at least 128 bits, and compared in constant time', () => {
      const a = createState();
      const b = createState();
      assert.notEqual(a, b);
      assert.match(a, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(statesMatch(a, a));
      assert.ok(!statesMatch(a, b));
      assert.ok(!statesMatch(a, `${a}x`));
      assert.ok(!statesMatch('', ''));
    });

    it('builds the authorize URL with client_id, redirect_uri, response_type=code, state and scope', () => {
      const u = new URL(
        buildAuthorizeUrl({ authorizeUrl: 'https://api.example/oauth/v2/authorize', clientId: 'c', redirectUri: 'http://127.0.0.1:1/cb', state: 's', scope: 'openapi' }),
      );
      assert.equal(u.searchParams.get('client_id'), 'c');
      assert.equal(u.searchParams.get('redirect_uri'), 'http://127.0.0.1:1/cb');
      assert.equal(u.searchParams.get('response_type'), 'code');
      assert.equal(u.searchParams.get('state'), 's');
      assert.equal(u.searchParams.get('scope'), 'openapi');
    });

    it('parses callbacks: code, access_denied for a person, other errors, wrong or missing state, missing code', () => {
      assert.deepEqual(parseCallback('http://127.0.0.1:1/cb?code=abc&state=s1', 's1'), { code: 'abc', state: 's1' });
      assert.deepEqual(parseCallback('?code=abc&state=s1', 's1'), { code: 'abc', state: 's1' });
      assert.throws(
        () => parseCallback('?error=access_denied&error_description=The+resource+owner+denied+the+request&state=s1', 's1'),
        (e) => isErrorKind(e, 'consent-denied') && /Consent was not given/.test(e.message) && /resource owner denied/.test(e.message) && /will not work/.test(e.message),
      );
      assert.throws(() => parseCallback('?error=server_error&state=s1', 's1'), (e) => isTelenorError(e) && /server_error/.test(e.message));
      assert.throws(() => parseCallback('?code=abc&state=other', 's1'), (e) => isErrorKind(e, 'callback'));
      assert.throws(() => parseCallback('?code=abc', 's1'), (e) => isErrorKind(e, 'callback'));
      assert.throws(() => parseCallback('?state=s1', 's1'), (e) => isErrorKind(e, 'callback') && /neither/.test(e.message));
      assert.equal(classifyCallback('?error=access_denied&state=wrong', 's1').outcome, 'foreign');
    });
  });

  describe('X-JWT helpers', () => {
    it('encodes the service with %20, sends an all-digit userId as a number, and reads exp without verifying', () => {
      assert.equal(
        hasPermissionRequestUrl('https://x.example/b2b/corporate/auth/right/v2/hasPermission/corporate/', 'Mobile Subscriptions Administration API'),
        'https://x.example/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=Mobile%20Subscriptions%20Administration%20API',
      );
      assert.equal(jwtUserId('1234567'), 1234567);
      assert.equal(jwtUserId('u-1'), 'u-1');
      assert.equal(jwtUserId('99999999999999999999'), '99999999999999999999');
      const payload = Buffer.from(json({ sub: '1', exp: 1716239022 })).toString('base64url');
      assert.equal(jwtExpiry(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`), 1716239022_000);
      assert.equal(jwtExpiry('not-a-jwt'), undefined);
    });
  });

  describe('profiles', () => {
    const base = { se: 'http://127.0.0.1:4711', no: 'http://127.0.0.1:4711/prefix' };
    const api = (over: Partial<ApiSummary>): ApiSummary => ({
      id: 'a',
      source: { kind: 'text', text: '', origin: 't' },
      origin: 't',
      title: 'Mobile Subscriptions Administration API',
      version: '1',
      specVersion: '3.0',
      servers: [],
      securitySchemes: {},
      security: [],
      extensions: {},
      tags: [],
      operationCount: 0,
      ...over,
    });

    it('x-telenor decides first-class: region, grant and X-JWT service', () => {
      const d = resolveAuthProfile(api({ extensions: { 'x-telenor': { region: 'se', grant: 'client_credentials', service: 'Mobile Subscriptions Administration API' } } }), base);
      assert.equal(d.source, 'x-telenor');
      assert.equal(d.profile?.grant, 'se-client-credentials');
      assert.equal(d.profile?.tokenUrl, 'http://127.0.0.1:4711/openapi/oauth2/token');
      assert.deepEqual(d.profile?.xjwt, {
        hasPermissionUrl: 'http://127.0.0.1:4711/b2b/corporate/auth/right/v2/hasPermission/corporate/',
        service: 'Mobile Subscriptions Administration API',
      });
      assert.deepEqual(d.profile?.needs, ['client', 'jwt']);
    });

    it('securitySchemes: token URL path gives the region, flow gives the grant, URLs rebased on the environment', () => {
      const d = resolveAuthProfile(
        api({
          securitySchemes: { oauth: { type: 'oauth2', flows: { password: { tokenUrl: 'https://api.telenor.no/oauth/token', scopes: {} } } } },
          security: [{ oauth: [] }],
        }),
        base,
      );
      assert.equal(d.source, 'securitySchemes');
      assert.equal(d.profile?.grant, 'no-password');
      assert.equal(d.profile?.tokenUrl, 'http://127.0.0.1:4711/prefix/oauth/token');
      assert.equal(d.profile?.logoutUrl, 'http://127.0.0.1:4711/prefix/oauth/v2/logout');
      assert.deepEqual(d.profile?.needs, ['client', 'machineUser']);

      const code = resolveAuthProfile(
        api({
          securitySchemes: {
            oauth: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://api.telenor.no/oauth/v2/authorize', tokenUrl: 'https://api.telenor.no/oauth/v2/token', scopes: {} } } },
          },
        }),
        base,
      );
      assert.equal(code.profile?.grant, 'no-authorization-code');
      assert.equal(code.profile?.authorizeUrl, 'http://127.0.0.1:4711/prefix/oauth/v2/authorize');

      const se = resolveAuthProfile(
        api({
          securitySchemes: {
            oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://x/openapi/oauth2/token', scopes: {} } } },
            jwt: { type: 'apiKey', in: 'header', name: 'X-JWT' },
          },
          security: [{ oauth: [], jwt: [] }],
        }),
        base,
      );
      assert.equal(se.profile?.grant, 'se-client-credentials');
      assert.equal(se.profile?.xjwt?.service, 'Mobile Subscriptions Administration API');

      // The same grant spelled two ways shares one profile id (and so one cached token).
      const viaExtension = resolveAuthProfile(api({ extensions: { 'x-telenor': { region: 'se', grant: 'se-client-credentials' } } }), base);
      const viaScheme = resolveAuthProfile(
        api({ securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/openapi/oauth2/token', scopes: {} } } } } }),
        base,
      );
      assert.equal(viaExtension.profile?.id, viaScheme.profile?.id);
      assert.notEqual(viaExtension.profile?.id, se.profile?.id);
    });

    it('the settings override wins, bad values become warnings, and no auth gives no profile', () => {
      const d = resolveAuthProfile(
        api({ extensions: { 'x-telenor': { region: 'no', grant: 'password' } } }),
        base,
        { grant: 'client_credentials', scope: 'openapi', region: 'mars' },
      );
      assert.equal(d.source, 'override');
      assert.equal(d.profile?.grant, 'no-client-credentials');
      assert.equal(d.profile?.scope, 'openapi');
      assert.equal(d.warnings.length, 1);
      assert.match(d.warnings[0] ?? '', /mars/);
      assert.equal(resolveAuthProfile(api({}), base).profile, undefined);
      const bad = resolveAuthProfile(api({ extensions: { 'x-telenor': { region: 'se', grant: 'password' } } }), base);
      assert.equal(bad.profile, undefined);
      assert.equal(bad.warnings.length, 1);
    });
  });

  describe('token cache', () => {
    const key = tokenCacheKey('sandbox', 'p', { client: CLIENT });

    it('keys hold a fingerprint of the credentials, never the values', () => {
      assert.ok(!key.includes(CLIENT.clientSecret));
      assert.ok(key.includes(credentialFingerprint({ client: CLIENT })));
      assert.notEqual(key, tokenCacheKey('sandbox', 'p', { client: { ...CLIENT, clientSecret: 'other' } }));
      assert.notEqual(key, tokenCacheKey('test', 'p', { client: CLIENT }));
    });

    it('refreshes at max(60 s, 10 %) before expiry, but not before 2/3 of the lifetime', () => {
      const t = (lifetimeMs: number): TokenSet => ({ accessToken: 'a', tokenType: 'Bearer', obtainedAt: 0, expiresAt: lifetimeMs });
      assert.equal(refreshAt(t(3_600_000)), 3_240_000);
      assert.equal(refreshAt(t(300_000)), 240_000);
      assert.equal(refreshAt(t(2_000)), 2_000 - 2_000 / 3);
    });

    it('200 concurrent callers cause exactly one token request', async () => {
      server.reply = () => ({ status: 200, body: json({ access_token: 'single-flight-token', expires_in: '3600' }), delayMs: 50 });
      const service = new AuthService({ credentials: async () => ({ client: CLIENT, machineUser: MACHINE }), http: { dispatcher: agent } });
      try {
        const p = profile(`${server.url}/oauth/v2/token`);
        const results = await Promise.all(Array.from({ length: 200 }, () => service.authHeaders(p, 'sandbox')));
        assert.equal(server.count(), 1);
        assert.ok(results.every((h) => h['Authorization'] === 'Bearer single-flight-token'));
        const sent = form(server.seen[0] as Seen);
        assert.equal(sent.get('grant_type'), 'password');
        assert.equal(sent.get('username'), MACHINE.username);
        assert.equal(sent.get('password'), MACHINE.password);
      } finally {
        service.dispose();
      }
    });

    it('a failed fetch rejects every waiter with the typed error and is not cached', async () => {
      let fail = true;
      server.reply = () =>
        fail
          ? { status: 401, body: json({ error: 'invalid_client', error_description: 'Basic Authentication failed, bad username or password.', error_code: 22 }), delayMs: 30 }
          : { status: 200, body: json({ access_token: 'after-failure-token', expires_in: 3600 }) };
      const service = new AuthService({ credentials: async () => ({ client: CLIENT, machineUser: MACHINE }), http: { dispatcher: agent } });
      try {
        const p = profile(`${server.url}/oauth/v2/token`);
        const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => service.token(p, 'sandbox')));
        assert.equal(server.count(), 1);
        for (const o of outcomes) {
          assert.equal(o.status, 'rejected');
          const e: unknown = o.status === 'rejected' ? o.reason : undefined;
          assert.ok(isTokenEndpointError(e));
          assert.equal(e.code, 22);
          assert.equal(e.seedText, 'Error code 22 - Basic Authentication failed, bad username or password.');
          assertNoSecrets(`${e.message} ${e.hint}`);
        }
        fail = false;
        const t = await service.token(p, 'sandbox');
        assert.equal(t.accessToken, 'after-failure-token');
        assert.equal(server.count(), 2);
      } finally {
        service.dispose();
      }
    });

    it('refreshes ahead of expiry with the refresh token (keeping the rotated one), falls back to the full grant on code 7', async () => {
      let clock = NOW;
      let n = 0;
      let refreshFails = false;
      server.reply = (s) => {
        const grant = form(s).get('grant_type');
        if (grant === 'refresh_token' && refreshFails) return { status: 401, body: json({ error: 'invalid_grant', error_code: 7 }) };
        n++;
        return { status: 200, body: json({ access_token: `access-${n}-${grant}`, expires_in: '3600', token_type: 'Bearer', refresh_token: `refresh-${n}` }) };
      };
      const records: TokenExchangeRecord[] = [];
      const service = new AuthService({
        credentials: async () => ({ client: CLIENT, machineUser: MACHINE }),
        http: { dispatcher: agent },
        now: () => clock,
      });
      service.onDidExchange((r) => records.push(r));
      const changes: string[] = [];
      service.onDidChangeToken((c) => changes.push(c.reason));
      try {
        const p = profile(`${server.url}/oauth/v2/token`);
        assert.equal((await service.token(p, 'sandbox')).accessToken, 'access-1-password');
        clock = NOW + 3_239_000; // just before the refresh window (3600 s − 360 s)
        assert.equal((await service.token(p, 'sandbox')).accessToken, 'access-1-password');
        assert.equal(server.count(), 1);
        clock = NOW + 3_241_000; // inside it
        const refreshed = await service.token(p, 'sandbox');
        assert.equal(refreshed.accessToken, 'access-2-refresh_token');
        assert.equal(refreshed.refreshToken, 'refresh-2');
        assert.equal(form(server.seen[1] as Seen).get('refresh_token'), 'refresh-1');
        assert.equal((await service.peek(p, 'sandbox'))?.refreshToken, 'refresh-2');

        refreshFails = true;
        clock = refreshed.obtainedAt + 3_300_000;
        const fallback = await service.token(p, 'sandbox');
        assert.equal(fallback.accessToken, 'access-3-password');
        assert.deepEqual(
          server.seen.map((s) => form(s).get('grant_type')),
          ['password', 'refresh_token', 'refresh_token', 'password'],
        );
        assert.deepEqual(changes, ['acquired', 'refreshed', 'acquired']);
        // The token inspector's records: masked, and they never show a secret or a whole token.
        assert.equal(records.length, 4);
        const all = JSON.stringify(records);
        assertNoSecrets(all, ['refresh-1', 'access-1-password', 'access-2-refresh_token']);
        const first = records[0];
        assert.equal(first?.request.headers['Authorization'], 'Basic ***');
        assert.match(first?.request.body ?? '', /password=\*\*\*/);
        assert.match(first?.response?.body ?? '', /"access_token":"acce…"/);
        assert.equal(first?.profileId, 'no-password');
        assert.equal(first?.environment, 'sandbox');
      } finally {
        service.dispose();
      }
    });

    it('invalidate drops the token and fires onDidChange; a caller’s abort rejects only that caller', async () => {
      const cache = new TokenCache({ now: () => NOW });
      const events: Array<string> = [];
      cache.onDidChange((c) => events.push(`${c.reason}:${c.token?.accessToken ?? '-'}`));
      let fetches = 0;
      let release: () => void = () => undefined;
      const source = {
        acquire: async (): Promise<TokenSet> => {
          fetches++;
          await new Promise<void>((r) => (release = r));
          return { accessToken: `t${fetches}`, tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + 60_000 };
        },
      };
      const ac = new AbortController();
      const quitter = cache.get(key, source, ac.signal);
      const stayer = cache.get(key, source);
      ac.abort();
      await assert.rejects(quitter, (e) => isErrorKind(e, 'cancelled'));
      release();
      assert.equal((await stayer).accessToken, 't1');
      assert.equal(cache.peek(key)?.accessToken, 't1');
      cache.invalidate(key);
      assert.equal(cache.peek(key), undefined);
      const again = cache.get(key, source);
      release();
      assert.equal((await again).accessToken, 't2');
      assert.deepEqual(events, ['acquired:t1', 'invalidated:-', 'acquired:t2']);
      cache.dispose();
    });

    it('a renewal ahead of expiry that fails for network reasons keeps serving the live token', async () => {
      let clock = NOW;
      const cache = new TokenCache({ now: () => clock });
      const live: TokenSet = { accessToken: 'live', tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + 3_600_000, refreshToken: 'r' };
      let refreshes = 0;
      const source = {
        acquire: async (): Promise<TokenSet> => live,
        refresh: async (): Promise<TokenSet> => {
          refreshes++;
          throw new TelenorError('network', 'down', { hint: '' });
        },
      };
      await cache.get(key, { acquire: async () => live });
      clock = NOW + 3_300_000; // in the refresh window, still live
      assert.equal((await cache.get(key, source)).accessToken, 'live');
      assert.equal(refreshes, 1);
      clock = NOW + 3_600_001; // expired: the failure is now the caller's
      await assert.rejects(cache.get(key, source), (e) => isErrorKind(e, 'network'));
      cache.dispose();
    });

    it('an interactive profile whose refresh token is refused keeps the live token instead of opening a browser', async () => {
      let clock = NOW;
      const cache = new TokenCache({ now: () => clock });
      let signIns = 0;
      const token: TokenSet = { accessToken: 'consented', tokenType: 'Bearer', obtainedAt: NOW, expiresAt: NOW + 3_600_000, refreshToken: 'r' };
      const source = {
        interactive: true,
        acquire: async (): Promise<TokenSet> => {
          signIns++;
          return token;
        },
        refresh: async (): Promise<TokenSet> => {
          throw tokenEndpointError(401, json({ error: 'invalid_grant', error_code: 7 }), { endpoint: 'token' });
        },
      };
      await cache.get(key, source);
      clock = NOW + 3_300_000;
      const kept = await cache.get(key, source);
      assert.equal(kept.accessToken, 'consented');
      assert.equal(kept.refreshToken, undefined);
      assert.equal((await cache.get(key, source)).accessToken, 'consented');
      assert.equal(signIns, 1);
      clock = NOW + 3_600_001;
      await cache.get(key, source);
      assert.equal(signIns, 2, 'signs in again once the token has expired');
      cache.dispose();
    });

    it('an interactive sign-in stops (and its loopback closes) when the caller cancels', async () => {
      let startUrl = '';
      const service = new AuthService({
        credentials: async () => ({ client: CLIENT }),
        http: { dispatcher: agent },
        interactive: { timeoutMs: 10_000, openBrowser: async (u) => void (startUrl = u) },
      });
      try {
        const p = profile(`${server.url}/oauth/v2/token`, {
          id: 'code',
          grant: 'no-authorization-code',
          authorizeUrl: `${server.url}/oauth/v2/authorize`,
          needs: ['client'],
        });
        const ac = new AbortController();
        const pending = service.token(p, 'sandbox', { signal: ac.signal });
        while (!startUrl) await new Promise((r) => setTimeout(r, 5));
        const start = await fetch(startUrl, { redirect: 'manual' });
        const authorize = new URL(start.headers.get('location') ?? '');
        assert.equal(authorize.searchParams.get('client_id'), CLIENT.clientId);
        assert.equal(authorize.searchParams.get('response_type'), 'code');
        assert.match(authorize.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
        assert.match(authorize.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
        ac.abort();
        await assert.rejects(pending, (e) => isErrorKind(e, 'cancelled'));
        await new Promise((r) => setTimeout(r, 20));
        await assert.rejects(fetch(startUrl), 'the loopback server is closed');
        assert.equal(server.count(), 0, 'no code exchange happened');
      } finally {
        service.dispose();
      }
    });

    it('a token URL that redirects is not followed: the credentials stay put and the error says why', async () => {
      server.reply = () => ({ status: 302, body: '' });
      const e = await postTokenRequest(
        { dispatcher: agent },
        { tokenUrl: `${server.url}/oauth/v2/token`, client: CLIENT, form: { grant_type: 'client_credentials' }, errorContext: { endpoint: 'token' } },
      ).then(
        () => undefined,
        (x: unknown) => x,
      );
      assert.ok(isTokenEndpointError(e));
      assert.equal(e.httpStatus, 302);
      assert.match(e.explanation, /redirected/);
      assert.equal(server.count(), 1);
    });

    it('a header provider’s invalidate() makes the next call fetch a new token', async () => {
      let n = 0;
      server.reply = () => ({ status: 200, body: json({ access_token: `provider-${++n}`, expires_in: 3600 }) });
      const service = new AuthService({ credentials: async () => ({ client: CLIENT, machineUser: MACHINE }), http: { dispatcher: agent } });
      try {
        const provider = service.headerProvider(profile(`${server.url}/oauth/v2/token`), 'sandbox');
        assert.equal((await provider.headers())['Authorization'], 'Bearer provider-1');
        assert.equal((await provider.headers())['Authorization'], 'Bearer provider-1');
        provider.invalidate();
        assert.equal((await provider.headers())['Authorization'], 'Bearer provider-2');
      } finally {
        service.dispose();
      }
    });

    it('missing credentials name the kind and the environment; new credentials drop the old token', async () => {
      let creds: CredentialSet = { client: CLIENT };
      let n = 0;
      server.reply = () => ({ status: 200, body: json({ access_token: `cred-${++n}`, expires_in: 3600 }) });
      const service = new AuthService({ credentials: async () => creds, http: { dispatcher: agent } });
      try {
        const p = profile(`${server.url}/oauth/v2/token`);
        await assert.rejects(
          service.token(p, 'test'),
          (e) => isErrorKind(e, 'credentials-missing') && /machine user/.test(e.message) && /test environment/.test(e.message),
        );
        assert.equal(server.count(), 0);
        creds = { client: CLIENT, machineUser: MACHINE };
        assert.equal((await service.token(p, 'test')).accessToken, 'cred-1');
        creds = { client: CLIENT, machineUser: { ...MACHINE, password: 'changed-password' } };
        assert.equal((await service.token(p, 'test')).accessToken, 'cred-2');
      } finally {
        service.dispose();
      }
    });
  });
});
