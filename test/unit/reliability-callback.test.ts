// Reliability suite 3 — OAuth callback hardening (issue 5, item 5). The core LoopbackServer and
// runLoopbackSignIn, attacked over real HTTP: where it listens (server.address(), a second loopback
// address, IPv6), single use, wrong / missing / repeated state (fast-check), replayed callbacks and codes
// (the replayed code also at the sandbox's token endpoint), oversized and malformed query strings, HTML
// injection, time-out and cancel (the port is free afterwards). Then the person's view against the
// sandbox: access_denied through the full browser sign-in, and every token-endpoint code the seeds list
// (1–23), each shown with the seed's wording and its explanation.
import * as assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { describeError, isErrorKind, isTelenorError } from '../../src/core/errors';
import {
  AuthService,
  documentedTokenErrors,
  exchangeAuthorizationCode,
  isTokenEndpointError,
  logout,
  LoopbackServer,
  postTokenRequest,
  refreshAccessToken,
  requestClientCredentialsToken,
  requestPasswordToken,
  runLoopbackSignIn,
  tokenEndpointError,
  type AuthHttpOptions,
  type AuthProfile,
  type InteractiveSignIn,
} from '../../src/core/auth';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index';
import { CaseCounter, recordFigures } from '../reliability/figures';

const STATE = 'st-' + 'a1b2c3d4'.repeat(5);
const AUTHORIZE = `https://api.telenor.example/oauth/v2/authorize?state=${STATE}`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function get(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const res = await request(url, { method: (init.method ?? 'GET') as 'GET', reset: true, ...(init.body === undefined ? {} : { body: init.body }), ...(init.headers ? { headers: init.headers } : {}) });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

/** A raw request line, for what undici refuses to send (oversized, malformed). Resolves with the status or 0. */
function raw(port: number, text: string): Promise<number> {
  return new Promise((resolve) => {
    let data = '';
    const s = connect({ host: '127.0.0.1', port }, () => s.write(text));
    s.on('data', (d: Buffer) => (data += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    s.setTimeout(3_000, () => s.destroy());
  });
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** True when the port can be listened on again: the server really let go of it. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('reliability: OAuth callback hardening', function () {
  this.timeout(30_000);
  const counter = new CaseCounter();
  const open: LoopbackServer[] = [];
  let propertyCases = 0;

  async function armed(options: { timeoutMs?: number; lingerMs?: number; signal?: AbortSignal } = {}): Promise<LoopbackServer> {
    const server = await LoopbackServer.start({ timeoutMs: options.timeoutMs ?? 20_000, lingerMs: options.lingerMs ?? 100, ...(options.signal ? { signal: options.signal } : {}) });
    server.expect({ authorizeUrl: AUTHORIZE, state: STATE, redirectUri: server.callbackUrl });
    open.push(server);
    return server;
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  after(() => recordFigures('callback', { tried: counter.tried, passed: counter.passed, failed: counter.failed, propertyCases }));

  describe('the loopback server', () => {
    it('listens on 127.0.0.1 only: its address, not the rest of 127/8, not IPv6', () =>
      counter.run('bound to 127.0.0.1', async () => {
        const server = await armed();
        const address = server.address();
        assert.equal(address.address, '127.0.0.1');
        assert.equal(address.family, 'IPv4');
        assert.equal(await accepts('127.0.0.1', server.port), true);
        // A wildcard (0.0.0.0) bind would accept these; the machine's other interfaces are not probed,
        // because this workplace forbids traffic to non-loopback addresses (127.0.0.2 proves the same).
        assert.equal(await accepts('127.0.0.2', server.port), false, 'must not listen on all of 127/8 (0.0.0.0)');
        assert.equal(await accepts('::1', server.port), false, 'must not listen on IPv6');
      }));

    it('is single use: after the first valid callback, replays and other codes get 410 and change nothing', () =>
      counter.run('single use', async () => {
        const server = await armed();
        assert.equal((await get(`${server.callbackUrl}?code=first-code-0123&state=${STATE}`)).status, 200);
        const replay = await get(`${server.callbackUrl}?code=first-code-0123&state=${STATE}`);
        assert.equal(replay.status, 410);
        assert.match(replay.body, /already finished/);
        assert.equal((await get(`${server.callbackUrl}?code=second-code-0123&state=${STATE}`)).status, 410);
        assert.equal((await get(`${server.callbackUrl}?error=access_denied&state=${STATE}`)).status, 410);
        assert.equal((await server.result).code, 'first-code-0123');
      }));

    it('a wrong, missing or repeated state never ends the sign-in (fast-check), the right one still does', () =>
      counter.run('state property', async () => {
        let server = await armed();
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.string({ maxLength: 80 }),
              fc.constantFrom(STATE.slice(0, -1), STATE + 'x', STATE.toUpperCase(), `${STATE}&state=${STATE}`, encodeURIComponent(STATE).replace('a', '%61') + 'z'),
            ),
            fc.string({ maxLength: 40 }),
            fc.boolean(),
            async (state, code, asError) => {
              propertyCases++;
              const query = new URLSearchParams(asError ? { error: 'access_denied' } : { code: code || 'c' });
              if (state !== '') query.append('state', state);
              const raw = query.toString().replace(/%26state%3D/i, '&state='); // let the repeated-state form through
              const page = await get(`${server.callbackUrl}?${raw}`);
              // Whitespace around the right state is the right state; an error without state is shown for
              // what it is (it grants nothing). Both end this sign-in: the next case gets a fresh server.
              if (state.trim() === STATE || (asError && state.trim() === '')) {
                assert.equal(server.settled, true);
                await server.result.catch(() => undefined);
                server = await armed();
                return;
              }
              assert.equal(page.status, 400, `state ${JSON.stringify(state)}`);
              assert.equal(server.settled, false);
            },
          ),
          { numRuns: 150 },
        );
        {
          assert.equal((await get(`${server.callbackUrl}?code=good-code&state=${STATE}&state=${STATE}`)).status, 400, 'a repeated state, even the right one, is refused');
          assert.equal((await get(`${server.callbackUrl}?code=injected&code=good-code&state=${STATE}`)).status, 400, 'two codes: refused');
          assert.equal((await get(`${server.callbackUrl}?code=good-code&state=${STATE}`)).status, 200);
          assert.equal((await server.result).code, 'good-code');
        }
      }));

    it('oversized and malformed query strings: an answer (431/400), never a crash, and the sign-in goes on', () =>
      counter.run('hostile queries', async () => {
        const server = await armed();
        assert.equal(await raw(server.port, `GET /callback?code=${'x'.repeat(100_000)}&state=${STATE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`), 431);
        assert.equal(await raw(server.port, 'GET /callback?\x00\x01 HTTP/1.1\r\n\r\n'), 400);
        assert.equal(await raw(server.port, 'BREW /callback HTTP/9.9\r\nHost: x\r\n\r\n'), 400);
        for (const q of ['%', '%ZZ', 'code=%E0%A4%A&state=%FF', 'state=%00', ';;;&&&==', 'code&state', '?'.repeat(2000), `code=${'ü'.repeat(2000)}&state=wrong`]) {
          const page = await get(`${server.callbackUrl}?${q}`);
          assert.ok(page.status === 400, `${q.slice(0, 20)}: ${page.status}`);
        }
        // Just under the limit: a long code is still a code.
        const long = 'L'.repeat(8_000);
        assert.equal((await get(`${server.callbackUrl}?code=${long}&state=${STATE}`)).status, 200);
        assert.equal((await server.result).code, long);
      }));

    it('reflected text is escaped: error, error_description, unknown parameters', () =>
      counter.run('HTML injection', async () => {
        const payloads = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; background:url(javascript:alert(1))", '</title><svg/onload=alert(1)>'];
        for (const p of payloads) {
          for (const [error, description] of [['access_denied', p], [p, p]] as const) {
            const server = await armed();
            const page = await get(`${server.callbackUrl}?error=${encodeURIComponent(error)}&error_description=${encodeURIComponent(description)}&state=${STATE}&x=${encodeURIComponent(p)}`);
            assert.ok(!page.body.includes(p) && !/<(script|img|svg)\b/i.test(page.body), `unescaped: ${page.body.slice(0, 300)}`);
            if (p.includes('<')) assert.match(page.body, /&#60;/);
            if (p.includes("'")) assert.match(page.body, /&#39;/);
            assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
            await server.result.catch((e: unknown) => assert.ok(isTelenorError(e)));
            await server.close();
          }
        }
      }));

    it('times out, answers 410 while it lingers, then frees the port', () =>
      counter.run('timeout', async () => {
        const server = await armed({ timeoutMs: 200, lingerMs: 300 });
        const t0 = performance.now();
        await assert.rejects(server.result, (e) => isErrorKind(e, 'timeout') && /No answer came back/.test(e.message) && e.hint.length > 0);
        assert.ok(performance.now() - t0 < 200 + 1_000);
        assert.equal((await get(server.callbackUrl)).status, 410);
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(await portFree(server.port), true, 'the port is free after the linger time');
      }));

    it('cancel closes: the result rejects as cancelled and runLoopbackSignIn frees the port at once', () =>
      counter.run('cancel', async () => {
        const ac = new AbortController();
        const server = await armed({ signal: ac.signal });
        ac.abort();
        await assert.rejects(server.result, (e) => isErrorKind(e, 'cancelled'));
        await server.close();
        assert.equal(await portFree(server.port), true);

        const ac2 = new AbortController();
        let port = 0;
        const signIn = runLoopbackSignIn({
          signal: ac2.signal,
          timeoutMs: 20_000,
          prepare: (local) => {
            port = Number(new URL(local).port);
            return { authorizeUrl: AUTHORIZE, state: STATE, redirectUri: local };
          },
          openBrowser: async () => {
            setTimeout(() => ac2.abort(), 20);
          },
        });
        await assert.rejects(signIn, (e) => isErrorKind(e, 'cancelled'));
        assert.equal(await portFree(port), true, 'runLoopbackSignIn closes in finally');

        // And a time-out through runLoopbackSignIn frees it the same way.
        const timedOut = runLoopbackSignIn({
          timeoutMs: 100,
          prepare: (local) => {
            port = Number(new URL(local).port);
            return { authorizeUrl: AUTHORIZE, state: STATE, redirectUri: local };
          },
          openBrowser: async () => undefined,
        });
        await assert.rejects(timedOut, (e) => isErrorKind(e, 'timeout'));
        assert.equal(await portFree(port), true);
      }));
  });

  describe('against the sandbox: what the person is shown', () => {
    let sandbox: RunningSandbox;
    let agent: Agent;
    const services: AuthService[] = [];
    before(async () => {
      sandbox = await startSandbox({ port: 0 });
      agent = new Agent();
    });
    after(async () => {
      services.forEach((s) => s.dispose());
      await agent.close();
      await sandbox.close();
    });
    const http = (): AuthHttpOptions => ({ dispatcher: agent });
    const tokenUrl = (): string => `${sandbox.url}/oauth/v2/token`;

    /**
     * The person's browser: /start → the consent page → submit `decision` → back to the callback, whose page
     * is pushed to `pages`. The sign-in may settle before the browser has read that page: `done` waits.
     */
    let done: Promise<unknown> = Promise.resolve();
    const browser = (decision: 'approve' | 'deny', pages: Answer[]): InteractiveSignIn => ({
      timeoutMs: 10_000,
      openBrowser: (startUrl) => (done = visit(startUrl, decision, pages)),
    });
    const visit = async (startUrl: string, decision: 'approve' | 'deny', pages: Answer[]): Promise<void> => {
      {
        const start = await get(startUrl);
        const consentUrl = String(start.headers['location']);
        const consentPage = await get(consentUrl);
        const requestId = /name="request_id" value="([^"]+)"/.exec(consentPage.body)?.[1] ?? '';
        const posted = await get(new URL('/oauth/v2/authorize', consentUrl).href, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ request_id: requestId, decision, line: 'kari' }).toString(),
        });
        pages.push(await get(String(posted.headers['location'])));
      }
    };

    function profile(): AuthProfile {
      return {
        id: 'device',
        label: 'Mobile Device Info API',
        grant: 'no-authorization-code',
        tokenUrl: tokenUrl(),
        authorizeUrl: `${sandbox.url}/oauth/v2/authorize`,
        needs: ['client'],
      };
    }

    it('access_denied through the full sign-in: the page says what it means, the caller gets consent-denied with the seed wording', () =>
      counter.run('access_denied', async () => {
        const pages: Answer[] = [];
        const service = new AuthService({ credentials: async () => ({ client: { clientId: sandbox.credentials.no.clientId, clientSecret: sandbox.credentials.no.clientSecret } }), http: http(), interactive: browser('deny', pages) });
        services.push(service);
        const e = await service.token(profile(), 'sandbox').then(
          () => assert.fail('expected consent-denied'),
          (x: unknown) => x,
        );
        assert.ok(isErrorKind(e, 'consent-denied'), String(e));
        assert.match(e.message, /The resource owner denied the request/); // seed 002's wording, as Telenor sends it
        assert.match(e.message, /did not get access/);
        assert.ok(e.hint.length > 0);
        await done; // the person's tab: the page arrives whole even though the server closes right after
        assert.match(pages[0]?.body ?? '', /Consent was not given/);
        assert.match(pages[0]?.body ?? '', /What this means:/);
      }));

    it('a replayed authorization code is refused at the token endpoint with code 4 and its meaning', () =>
      counter.run('replayed code', async () => {
        const pages: Answer[] = [];
        let captured = { code: '', redirectUri: '' };
        const result = await runLoopbackSignIn({
          timeoutMs: 10_000,
          prepare: (local) => {
            const u = new URL(`${sandbox.url}/oauth/v2/authorize`);
            u.search = new URLSearchParams({ client_id: sandbox.credentials.no.clientId, redirect_uri: local, response_type: 'code', state: STATE }).toString();
            return { authorizeUrl: u.href, state: STATE, redirectUri: local };
          },
          openBrowser: (start) => browser('approve', pages).openBrowser(start),
        });
        captured = { code: result.code, redirectUri: result.redirectUri };
        const client = { clientId: sandbox.credentials.no.clientId, clientSecret: sandbox.credentials.no.clientSecret };
        assert.ok((await exchangeAuthorizationCode(http(), { tokenUrl: tokenUrl(), client, ...captured })).accessToken);
        const e = await exchangeAuthorizationCode(http(), { tokenUrl: tokenUrl(), client, ...captured }).catch((x: unknown) => x);
        assert.ok(isTokenEndpointError(e) && e.code === 4, String(e));
        assert.match(e.message, /Error code 4 - Invalid authorization code/);
        assert.match(e.message, /already used/);
      }));

    it('every token-endpoint code the seeds list (1–23) is shown with the seed wording and what it means', () =>
      counter.run('every seed code', async () => {
        const no = sandbox.credentials.no;
        const client = (id: string, secret: string) => ({ clientId: id, clientSecret: secret });
        const main = client(no.clientId, no.clientSecret);
        const cc = (c: { clientId: string; clientSecret: string }, scope?: string) => requestClientCredentialsToken(http(), { tokenUrl: tokenUrl(), client: c, region: 'no', ...(scope ? { scope } : {}) });
        const pw = (c: { clientId: string; clientSecret: string }, username: string, password: string) => requestPasswordToken(http(), { tokenUrl: tokenUrl(), client: c, machineUser: { username, password } });
        /** An answer no grant provokes (no Basic header; an authorize page), read the way the extension reads it. */
        const mapped = async (url: string, init: Parameters<typeof get>[1], endpoint: 'token' | 'logout' | 'authorize') => {
          const a = await get(url, init);
          throw tokenEndpointError(a.status, a.body, { endpoint, region: 'no' });
        };
        const authorize = (query: Record<string, string>) => `${sandbox.url}/oauth/v2/authorize?${new URLSearchParams({ client_id: no.clientId, redirect_uri: 'http://127.0.0.1:1/cb', response_type: 'code', state: 's', ...query })}`;
        const triggers: Record<string, () => Promise<unknown>> = {
          '400/2': () => postTokenRequest(http(), { tokenUrl: tokenUrl(), client: main, form: { grant_type: 'magic' }, errorContext: { endpoint: 'token', region: 'no' } }),
          '401/1': () => cc(client('nobody-knows-me', 'x')),
          '401/2': () => logout(http(), { logoutUrl: `${sandbox.url}/oauth/v2/logout`, token: { accessToken: 'no-such-token-0123', tokenType: 'Bearer' } }),
          '401/4': () => exchangeAuthorizationCode(http(), { tokenUrl: tokenUrl(), client: main, code: 'made-up-code-0123', redirectUri: 'http://127.0.0.1:1/cb' }),
          '401/5': () => cc(client('sandbox-no-blocked', 'sandbox-no-blocked-secret')),
          '401/6': () => mapped(tokenUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }, 'token'),
          '401/7': () => refreshAccessToken(http(), { tokenUrl: tokenUrl(), client: main, refreshToken: 'no-such-refresh-0123', region: 'no' }),
          '401/9': () => cc(client('sandbox-no-invalid', 'sandbox-no-invalid-secret')),
          '401/20': () => pw(main, no.machineUser.username, 'wrong-machine-password'),
          '401/21': () => pw(client(no.storesClient.clientId, no.storesClient.clientSecret), no.machineUser.username, no.machineUser.password),
          '401/22': () => cc(client(no.clientId, 'not-the-right-secret')),
          '401/23': () => pw(main, 'api0000000001', 'other-company-password'),
          '403/8': () => cc(main, 'everything'),
          '403/12': () => mapped(authorize({ redirect_uri: 'https://evil.example/cb' }), {}, 'authorize'),
          '403/15': () => mapped(authorize({ response_type: 'token' }), {}, 'authorize'),
          '500/16': () => cc(client('sandbox-no-attributes', 'sandbox-no-attributes-secret')),
          '500/2': () => cc(client('sandbox-no-error', 'sandbox-no-error-secret')),
        };
        const documented = documentedTokenErrors();
        assert.deepEqual(Object.keys(triggers).sort(), documented.map((d) => `${d.status}/${d.code}`).sort(), 'a trigger for every documented code');
        for (const d of documented) {
          const e = await (triggers[`${d.status}/${d.code}`] as () => Promise<unknown>)().then(
            () => assert.fail(`${d.status}/${d.code}: no error`),
            (x: unknown) => x,
          );
          assert.ok(isTokenEndpointError(e), `${d.status}/${d.code}: ${String(e)}`);
          assert.equal(e.httpStatus, d.status);
          assert.equal(e.code, d.code);
          assert.equal(e.seedText, d.seedText);
          // What a notification shows (message + hint): the seed's words and what they mean, and what to do.
          const shown = describeError(e);
          assert.ok(shown.includes(d.seedText), `${d.seedText} not in: ${shown}`);
          assert.ok(e.explanation.length > 10 && shown.includes(e.explanation), `${d.seedText}: no explanation`);
          assert.ok(e.hint.length > 10, `${d.seedText}: no hint`);
        }
      }));
  });
});
