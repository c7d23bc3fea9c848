// Reliability suite 2 — hostile servers (issue 5, item 4). One server (test/reliability/hostileServer.ts)
// misbehaves in every way on purpose: slow, silent, huge and endless bodies, resets before and during the
// body, mislabelled and truncated JSON, a redirect loop, slowloris headers, 5xx with and without bodies
// (HTML error pages too), 401 forever, and token answers without an access_token, not JSON, or with
// expires_in "abc", -5 and 1e12. Each behaviour goes through the real paths: spec loading from a URL (in
// process and through the worker), every grant (client credentials SE/NO, password, refresh, code
// exchange, X-JWT, logout) and sendRequest with an AuthService header provider.
//
// Every case must settle before the configured time limit plus a margin (a check of the time-limit
// mechanism, not of speed), end in a token/answer or a TelenorError with kind, message and hint, leak no
// secret, and cost a bounded number of requests at the server (no retry storm).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { Agent } from 'undici';
import { isTelenorError, type ErrorKind } from '../../src/core/errors';
import {
  AuthService,
  exchangeAuthorizationCode,
  fetchXJwt,
  logout,
  MAX_EXPIRES_IN_SECONDS,
  refreshAccessToken,
  requestClientCredentialsToken,
  requestPasswordToken,
  type AuthHttpOptions,
  type AuthProfile,
  type TokenSet,
} from '../../src/core/auth';
import { sendRequest } from '../../src/core/http/send';
import { SpecCatalog } from '../../src/core/spec/catalog';
import { SpecService } from '../../src/core/spec/service';
import { repoRoot } from '../fixtures/specs/helpers';
import { makeSelfSignedCertificate, type TestCertificate } from '../helpers/servers';
import { CaseCounter, recordFigures } from '../reliability/figures';
import { BEHAVIOURS, HostileServer, type Behaviour } from '../reliability/hostileServer';
import { violations } from '../reliability/checks';

/** The time limit every path gets here. */
const LIMIT_MS = 1_500;
/** Settling later than the limit plus this means the time-limit mechanism failed (a loaded 2-core CI box is slow). */
const MARGIN_MS = 2_000;

const CLIENT = { clientId: 'hostile-client', clientSecret: 'hostile-client-secret-0123456789' };
const MACHINE_USER = { username: 'api7813371375', password: 'hostile-machine-password-0123' };
const JWT = { clientId: 'jwt-client', userId: '1234567', password: 'hostile-jwt-password-0123' };
const SECRETS = [CLIENT.clientSecret, MACHINE_USER.password, JWT.password, 'hostile-refresh-secret-0123', 'hostile-code-secret-0123', 'hostile-live-token-0123'];

type Outcome = 'resolves' | ErrorKind;

/** What a token endpoint's behaviour must lead to, for the grants that expect a token. */
const TOKEN_OUTCOME: Record<Behaviour, Outcome> = {
  ok: 'resolves',
  'json-as-html': 'resolves', // the bytes are a token: tolerant parsing does not care about the label
  'expires-abc': 'resolves',
  'expires-negative': 'resolves',
  'expires-huge': 'resolves',
  slow: 'timeout',
  never: 'timeout',
  slowloris: 'timeout',
  huge: 'protocol',
  endless: 'protocol',
  'reset-mid-body': 'network',
  'reset-before-headers': 'network',
  'html-as-json': 'protocol',
  'truncated-json': 'protocol',
  'non-json-200': 'protocol',
  'no-access-token': 'protocol',
  'redirect-loop': 'token-endpoint', // a credential POST never follows a redirect
  '5xx-empty': 'token-endpoint',
  '5xx-json': 'token-endpoint',
  '5xx-html': 'token-endpoint',
  '401-forever': 'token-endpoint',
};

/** hasPermission answers `{token}`: the token-shaped 200s carry none. */
const XJWT_OUTCOME: Record<Behaviour, Outcome> = {
  ...TOKEN_OUTCOME,
  'expires-abc': 'protocol',
  'expires-negative': 'protocol',
  'expires-huge': 'protocol',
};

/** Logout only needs a 2xx: whatever its body says, the token is dead. */
const LOGOUT_OUTCOME: Record<Behaviour, Outcome> = {
  ...TOKEN_OUTCOME,
  'html-as-json': 'resolves',
  'truncated-json': 'resolves',
  'non-json-200': 'resolves',
  'no-access-token': 'resolves',
};

/** What an API's behaviour must lead to for a send (a result is not an error: the panel shows it). */
const SEND_OUTCOME: Record<Behaviour, Outcome> = {
  ...Object.fromEntries(BEHAVIOURS.map((b) => [b, 'resolves'])),
  slow: 'timeout',
  never: 'timeout',
  slowloris: 'timeout',
  'reset-mid-body': 'network',
  'reset-before-headers': 'network',
  'redirect-loop': 'protocol',
} as Record<Behaviour, Outcome>;

describe('reliability: hostile servers', function () {
  this.timeout(60_000);
  let server: HostileServer;
  let agent: Agent;
  const counter = new CaseCounter();
  /** Every error text and exchange record produced, checked for secrets at the end. */
  const shown: string[] = [];

  before(async () => {
    server = await new HostileServer().start();
    agent = new Agent({ keepAliveTimeout: 500 });
  });
  after(async () => {
    await agent.close();
    await server.close();
    recordFigures('hostile', { tried: counter.tried, passed: counter.passed, failed: counter.failed, requestsAtServer: [...server.counts.values()].reduce((a, b) => a + b, 0) });
  });

  const http = (): AuthHttpOptions => ({ dispatcher: agent, timeoutMs: LIMIT_MS, onExchange: (r) => shown.push(JSON.stringify(r)) });

  /**
   * Runs `body`, checks it settles in time with the expected outcome, and returns what it produced. A
   * rejection must be a TelenorError with a kind, a message and a hint.
   */
  async function expectOutcome<T>(name: string, expected: Outcome, body: () => Promise<T>, limitMs = LIMIT_MS): Promise<T | undefined> {
    return counter.run(name, async () => {
      const t0 = performance.now();
      let value: T | undefined;
      let error: unknown;
      try {
        value = await body();
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - t0;
      assert.ok(ms < limitMs + MARGIN_MS, `${name}: settled after ${Math.round(ms)} ms (limit ${limitMs} ms)`);
      if (expected === 'resolves') {
        assert.equal(error, undefined, `${name}: expected a result, got ${isTelenorError(error) ? `${error.kind}: ${error.message}` : String(error)}`);
        return value;
      }
      assert.ok(isTelenorError(error), `${name}: expected a TelenorError (${expected}), got ${error === undefined ? 'a result' : String(error)}`);
      shown.push(`${error.message} ${error.hint}`);
      assert.equal(error.kind, expected, `${name}: ${error.kind}: ${error.message}`);
      assert.ok(error.message.trim().length > 10, `${name}: message "${error.message}"`);
      assert.ok(error.hint.trim().length > 10, `${name}: no hint for "${error.message}"`);
      return undefined;
    });
  }

  function checkToken(name: string, token: TokenSet | undefined, before: number): void {
    assert.ok(token, name);
    assert.ok(token.accessToken.length > 0);
    assert.ok(Number.isFinite(token.expiresAt) && token.expiresAt > before, `${name}: expiresAt ${token.expiresAt}`);
    assert.ok(token.expiresAt <= Date.now() + MAX_EXPIRES_IN_SECONDS * 1000, `${name}: a lifetime beyond a day is not believed`);
    assert.doesNotThrow(() => new Date(token.expiresAt).toISOString());
  }

  describe('every grant against a hostile token endpoint', () => {
    const live: TokenSet = { accessToken: 'hostile-live-token-0123', tokenType: 'Bearer', obtainedAt: Date.now(), expiresAt: Date.now() + 3_600_000 };
    const grants: Array<{ name: string; outcome: Record<Behaviour, Outcome>; call: (b: Behaviour) => Promise<unknown>; path: (b: Behaviour) => string }> = [
      {
        name: 'client credentials (Sweden)',
        outcome: TOKEN_OUTCOME,
        path: (b) => `/token/${b}/se-cc`,
        call: (b) => requestClientCredentialsToken(http(), { tokenUrl: `${server.url}/token/${b}/se-cc`, client: CLIENT, region: 'se' }),
      },
      {
        name: 'client credentials (Norway)',
        outcome: TOKEN_OUTCOME,
        path: (b) => `/token/${b}/no-cc`,
        call: (b) => requestClientCredentialsToken(http(), { tokenUrl: `${server.url}/token/${b}/no-cc`, client: CLIENT, region: 'no', scope: 'openapi' }),
      },
      {
        name: 'password',
        outcome: TOKEN_OUTCOME,
        path: (b) => `/token/${b}/password`,
        call: (b) => requestPasswordToken(http(), { tokenUrl: `${server.url}/token/${b}/password`, client: CLIENT, machineUser: MACHINE_USER }),
      },
      {
        name: 'refresh',
        outcome: TOKEN_OUTCOME,
        path: (b) => `/token/${b}/refresh`,
        call: (b) => refreshAccessToken(http(), { tokenUrl: `${server.url}/token/${b}/refresh`, client: CLIENT, refreshToken: 'hostile-refresh-secret-0123', region: 'no' }),
      },
      {
        name: 'code exchange',
        outcome: TOKEN_OUTCOME,
        path: (b) => `/token/${b}/code`,
        call: (b) =>
          exchangeAuthorizationCode(http(), { tokenUrl: `${server.url}/token/${b}/code`, client: CLIENT, code: 'hostile-code-secret-0123', redirectUri: 'http://127.0.0.1:1/callback' }),
      },
      {
        name: 'X-JWT',
        outcome: XJWT_OUTCOME,
        path: (b) => `/jwt/${b}/xjwt`,
        call: (b) => fetchXJwt(http(), { hasPermissionUrl: `${server.url}/jwt/${b}/xjwt`, service: 'Mobile Subscriptions Administration API', token: live, jwt: JWT }),
      },
      {
        name: 'logout',
        outcome: LOGOUT_OUTCOME,
        path: (b) => `/logout/${b}/logout`,
        call: (b) => logout(http(), { logoutUrl: `${server.url}/logout/${b}/logout`, token: live }),
      },
    ];

    for (const b of BEHAVIOURS) {
      it(`${b}: each grant ends in a token or a clear error in time, with one request`, async () => {
        const before = Date.now();
        // The grants run side by side: the slow behaviours then cost one time limit, not seven.
        await Promise.all(
          grants.map(async (g) => {
            const name = `${g.name} / ${b}`;
            const value = await expectOutcome(name, g.outcome[b], () => g.call(b));
            if (g.outcome[b] === 'resolves' && g.name !== 'logout' && g.name !== 'X-JWT') checkToken(name, value as TokenSet, before);
            // Auth never retries on its own: one request per grant, whatever came back.
            const method = g.name === 'logout' ? 'GET' : 'POST';
            assert.equal(server.count(method, g.path(b)), 1, `${name}: requests at the server`);
          }),
        );
      });
    }
  });

  describe('sendRequest with an AuthService header provider', () => {
    const services: AuthService[] = [];
    after(() => services.forEach((s) => s.dispose()));

    function provider(tokenPath: string, extra: Partial<AuthProfile> = {}): ReturnType<AuthService['headerProvider']> {
      const service = new AuthService({ credentials: async () => ({ client: CLIENT, jwt: JWT }), http: { dispatcher: agent, timeoutMs: LIMIT_MS } });
      service.onDidExchange((r) => shown.push(JSON.stringify(r)));
      services.push(service);
      const profile: AuthProfile = { id: `hostile${tokenPath}`, label: 'Hostile API', grant: 'no-client-credentials', tokenUrl: `${server.url}${tokenPath}`, needs: ['client'], ...extra };
      return service.headerProvider(profile, 'sandbox');
    }

    const send = (url: string, auth: ReturnType<AuthService['headerProvider']>) =>
      sendRequest({ method: 'GET', url, headers: {} }, { timeoutMs: LIMIT_MS, maxBodyBytes: 64 * 1024, hardLimitBytes: 1024 * 1024, dispatcher: agent, auth });

    it('a hostile token endpoint: the send ends with the token error (or a token), at most one token request, no API call without a token', async () => {
      await Promise.all(
        BEHAVIOURS.map(async (b) => {
          const tokenPath = `/token/${b}/send`;
          const apiPath = `/api/ok/${b}`;
          const expected = TOKEN_OUTCOME[b];
          const result = await expectOutcome(`send with token endpoint ${b}`, expected, () => send(`${server.url}${apiPath}`, provider(tokenPath)));
          if (expected === 'resolves') assert.equal(result?.status, 200);
          assert.ok(server.count('POST', tokenPath) <= 1, `${b}: ${server.count('POST', tokenPath)} token requests`);
          assert.equal(server.count('GET', apiPath), expected === 'resolves' ? 1 : 0, `${b}: API requests`);
        }),
      );
    });

    it('a token endpoint that never answers: the time-out says it was the token, not the API', async () => {
      const e = await send(`${server.url}/api/ok/never-token`, provider('/token/never/named')).then(
        () => assert.fail('expected a time-out'),
        (err: unknown) => err,
      );
      assert.ok(isTelenorError(e) && e.kind === 'timeout');
      assert.match(e.message, /No access token within/);
      assert.match(e.hint, /token endpoint/);
    });

    it('a hostile API: a result or a clear error in time, at most two API calls and two token requests per send', async () => {
      await Promise.all(
        BEHAVIOURS.map(async (b) => {
          const tokenPath = `/token/ok/api-${b}`;
          const apiPath = `/api/${b}/1`;
          const result = await expectOutcome(`send to API ${b}`, SEND_OUTCOME[b], () => send(`${server.url}${apiPath}`, provider(tokenPath)));
          const apiCalls = server.count('GET', apiPath);
          const tokenCalls = server.count('POST', tokenPath);
          assert.ok(apiCalls >= 1 && apiCalls <= 2, `${b}: ${apiCalls} API requests`);
          assert.ok(tokenCalls >= 1 && tokenCalls <= 2, `${b}: ${tokenCalls} token requests`);
          if (b === 'huge' || b === 'endless') assert.equal(result?.truncated, true, `${b}: the body is cut at the cap`);
          if (b === '401-forever') {
            // One renewal, then the answer as it is, with a hint that says why retrying will not help.
            assert.equal(result?.status, 401);
            assert.equal(result?.retriedAfter401, true);
            assert.equal(apiCalls, 2);
            assert.equal(tokenCalls, 2);
            assert.match(result?.apiError?.hint ?? '', /freshly issued token was rejected too/);
          } else {
            assert.equal(tokenCalls, 1, `${b}: one token for one send`);
          }
          if (b.startsWith('5xx')) assert.ok((result?.status ?? 0) >= 500);
        }),
      );
    });

    it('Sweden with X-JWT: a hostile hasPermission endpoint ends the send with its error, one JWT request', async () => {
      await Promise.all(
        (['never', '5xx-html', 'html-as-json', '401-forever', 'expires-huge'] as const).map(async (b) => {
          const jwtPath = `/jwt/${b}/send`;
          const auth = provider('/token/ok/se-send-' + b, {
            grant: 'se-client-credentials',
            needs: ['client', 'jwt'],
            xjwt: { hasPermissionUrl: `${server.url}${jwtPath}`, service: 'Mobile Subscriptions Administration API' },
          });
          await expectOutcome(`X-JWT send ${b}`, XJWT_OUTCOME[b], () => send(`${server.url}/api/ok/se-${b}`, auth));
          assert.equal(server.count('POST', jwtPath), 1);
          assert.equal(server.count('GET', `/api/ok/se-${b}`), 0);
        }),
      );
    });
  });

  describe('spec loading from a hostile URL', () => {
    const load = { timeoutMs: LIMIT_MS, maxBytes: 1024 * 1024 };
    let service: SpecService;
    let catalog: SpecCatalog;
    before(() => {
      service = new SpecService({ load });
      catalog = new SpecCatalog({ workerPath: join(repoRoot, 'dist', 'specWorker.js'), service: { load }, timeouts: { loadMs: 10_000 } });
    });
    after(async () => {
      catalog.dispose();
      await service.dispose();
    });

    it('in process and through the worker: an index or a located problem in time, a bounded number of requests', async () => {
      await Promise.all(
        BEHAVIOURS.flatMap((b) =>
          (['in-process', 'worker'] as const).map(async (how) => {
            const path = `/spec/${b}/${how}`;
            const url = `${server.url}${path}`;
            const result = await expectOutcome(`spec ${b} (${how})`, 'resolves', () => (how === 'worker' ? catalog.load({ kind: 'url', url }) : service.load({ kind: 'url', url })));
            assert.ok(result);
            const origin = url;
            assert.deepEqual(violations(result, origin), [], `${b} (${how})`);
            if (b === 'ok' || b === 'json-as-html') assert.ok(result.ok, `${b}: ${JSON.stringify(result.problems)}`);
            else if (result.ok) assert.fail(`${b} (${how}) loaded: ${JSON.stringify(result.api.title)}`);
            else shown.push(...result.problems.map((p) => `${p.message} ${p.hint ?? ''}`));
            // The loop is followed at most 5 times (6 requests), everything else is asked once.
            assert.ok(server.count('GET', path) <= (b === 'redirect-loop' ? 6 : 1), `${b}: ${server.count('GET', path)} requests`);
          }),
        ),
      );
    });
  });

  describe('a self-signed token endpoint, API and spec URL', () => {
    let cert: TestCertificate;
    let tls: HostileServer;
    before(async () => {
      cert = await makeSelfSignedCertificate();
      tls = await new HostileServer({ tls: { key: cert.key, cert: cert.cert } }).start();
    });
    after(async () => {
      await tls.close();
      await cert.dispose();
    });

    it('each path fails with a network error whose hint names the extra CA setting', async () => {
      const hint = /extra CA|NODE_EXTRA_CA_CERTS/;
      const token = await expectOutcome('TLS token', 'network', () => requestClientCredentialsToken(http(), { tokenUrl: `${tls.url}/token/ok/x`, client: CLIENT, region: 'no' }));
      assert.equal(token, undefined);
      await counter.run('TLS errors name the CA setting', async () => {
        const e = await requestClientCredentialsToken(http(), { tokenUrl: `${tls.url}/token/ok/y`, client: CLIENT, region: 'no' }).catch((x: unknown) => x);
        assert.ok(isTelenorError(e) && hint.test(e.hint), String(e));
        const s = await sendRequest({ method: 'GET', url: `${tls.url}/api/ok/1`, headers: {} }, { timeoutMs: LIMIT_MS, maxBodyBytes: 1024, dispatcher: agent }).catch((x: unknown) => x);
        assert.ok(isTelenorError(s) && s.kind === 'network' && hint.test(s.hint), String(s));
        const spec = await new SpecService({ load: { timeoutMs: LIMIT_MS } }).load({ kind: 'url', url: `${tls.url}/spec/ok/1` });
        assert.ok(!spec.ok);
        assert.equal(spec.problems[0]?.code, 'network');
        assert.match(spec.problems[0]?.hint ?? '', hint);
      });
    });
  });

  describe('secrets', () => {
    it('no secret appears in any error, problem or exchange record of this suite', () => {
      assert.ok(shown.length > 100, `only ${shown.length} texts collected`);
      for (const text of shown) for (const s of SECRETS) assert.ok(!text.includes(s), `a secret (${s.slice(0, 8)}…) leaked: ${text.slice(0, 300)}`);
    });
  });
});
