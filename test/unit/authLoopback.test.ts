// The authorization-code callback server: 127.0.0.1 only, /start redirect, state checks, single use with
// 410 on replay, the pages a person sees (success, consent denied, errors), timeout, cancel, and that a
// hostile request cannot break it. Driven over real HTTP with undici clients.
import * as assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { Client, request } from 'undici';
import { isErrorKind, isTelenorError } from '../../src/core/errors';
import { LoopbackServer, runLoopbackSignIn } from '../../src/core/auth';

const STATE = 'state-0123456789abcdef0123456789abcdef';
const AUTHORIZE = 'https://api.telenor.example/oauth/v2/authorize?client_id=c&state=' + STATE;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function get(url: string, client?: Client): Promise<Answer> {
  const u = new URL(url);
  const res = client
    ? await client.request({ method: 'GET', path: u.pathname + u.search })
    : await request(url, { method: 'GET', reset: true });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

/** True when nothing accepts a TCP connection at host:port. */
function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s: Socket = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

async function armed(options: { timeoutMs?: number; signal?: AbortSignal; redirectUri?: string } = {}): Promise<LoopbackServer> {
  const server = await LoopbackServer.start({ timeoutMs: options.timeoutMs ?? 10_000, ...(options.signal ? { signal: options.signal } : {}) });
  server.expect({ authorizeUrl: AUTHORIZE, state: STATE, redirectUri: options.redirectUri ?? server.callbackUrl });
  return server;
}

describe('auth loopback callback server', () => {
  const open: LoopbackServer[] = [];
  const clients: Client[] = [];
  const track = <T extends LoopbackServer>(s: T): T => {
    open.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('listens on 127.0.0.1 only', async () => {
    const server = track(await armed());
    assert.match(server.callbackUrl, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.equal(await refused('127.0.0.1', server.port), false);
    assert.equal(await refused('::1', server.port), true, 'must not listen on IPv6 loopback');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) assert.equal(await refused(external.address, server.port), true, `must not listen on ${external.address}`);
  });

  it('/start redirects the browser to the authorize URL over plain http (503 before it is armed)', async () => {
    const server = track(await LoopbackServer.start({ timeoutMs: 10_000 }));
    assert.ok(server.startUrl.startsWith('http://127.0.0.1:'));
    assert.equal((await get(server.startUrl)).status, 503);
    server.expect({ authorizeUrl: AUTHORIZE, state: STATE, redirectUri: server.callbackUrl });
    const res = await get(server.startUrl);
    assert.equal(res.status, 302);
    assert.equal(res.headers['location'], AUTHORIZE);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
  });

  it('a valid callback resolves with the code exchange’s input, shows a success page without the code, then 410 and closed', async () => {
    const server = track(await armed({ redirectUri: 'https://tunnel.example/callback' }));
    // A second connection opened before the callback, as a browser's preconnect would.
    const other = new Client(`http://127.0.0.1:${server.port}`, { pipelining: 1 });
    clients.push(other);
    assert.equal((await get(`http://127.0.0.1:${server.port}/favicon.ico`, other)).status, 404);

    const code = 'one-time-code-0123456789';
    const page = await get(`${server.callbackUrl}?code=${code}&state=${STATE}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Signed in to Telenor/);
    assert.match(page.body, /close this tab/);
    assert.ok(!page.body.includes(code), 'the page must not show the code');
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.deepEqual(await server.result, { code, state: STATE, redirectUri: 'https://tunnel.example/callback' });

    for (const via of [other, undefined]) {
      const replay = await get(`${server.callbackUrl}?code=${code}&state=${STATE}`, via);
      assert.equal(replay.status, 410);
      assert.match(replay.body, /already finished/);
    }
    await server.close();
    assert.equal(await refused('127.0.0.1', server.port), true);
  });

  it('after settling it closes by itself once the linger time is over', async () => {
    const server = track(await LoopbackServer.start({ timeoutMs: 10_000, lingerMs: 30 }));
    server.expect({ authorizeUrl: AUTHORIZE, state: STATE, redirectUri: server.callbackUrl });
    await get(`${server.callbackUrl}?code=c-0123456789&state=${STATE}`);
    await server.result;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await refused('127.0.0.1', server.port), true);
  });

  it('a wrong or missing state gets a 400 page and does not end the sign-in', async () => {
    const server = track(await armed());
    const wrong = await get(`${server.callbackUrl}?code=attacker-code&state=not-the-state`);
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /not expected/);
    assert.ok(!wrong.body.includes('attacker-code'));
    const missing = await get(`${server.callbackUrl}?code=attacker-code`);
    assert.equal(missing.status, 400);
    const deniedForeign = await get(`${server.callbackUrl}?error=access_denied&state=not-the-state`);
    assert.equal(deniedForeign.status, 400);
    assert.equal(server.settled, false);
    assert.equal((await get(`${server.callbackUrl}?code=good-code&state=${STATE}`)).status, 200);
    assert.equal((await server.result).code, 'good-code');
  });

  it('access_denied shows the person what happened and what it means, escaped, and rejects with consent-denied', async () => {
    const server = track(await armed());
    const description = 'The resource owner denied the request <script>alert(1)</script>';
    const page = await get(`${server.callbackUrl}?error=access_denied&error_description=${encodeURIComponent(description)}&state=${STATE}`);
    assert.match(page.body, /<html lang="en">/);
    assert.match(page.body, /<h1>Consent was not given<\/h1>/);
    assert.match(page.body, /The resource owner denied the request/);
    assert.match(page.body, /What this means: Telenor API Explorer did not get access to your Telenor data/);
    assert.match(page.body, /You can close this tab/);
    assert.ok(!page.body.includes('<script>'), 'reflected text must be escaped');
    assert.match(page.body, /&#60;script&#62;/);
    await assert.rejects(server.result, (e) => isErrorKind(e, 'consent-denied') && /Consent was not given/.test(e.message));
  });

  it('other errors and a callback without code show a failure page and reject clearly', async () => {
    const server = track(await armed());
    const page = await get(`${server.callbackUrl}?error=server_error&error_description=Oops&state=${STATE}`);
    assert.match(page.body, /Sign-in failed/);
    assert.match(page.body, /server_error/);
    await assert.rejects(server.result, (e) => isTelenorError(e) && /server_error”: Oops/.test(e.message));

    const second = track(await armed());
    await get(`${second.callbackUrl}?state=${STATE}`);
    await assert.rejects(second.result, (e) => isErrorKind(e, 'callback') && /neither an authorization code nor an error/.test(e.message));
  });

  it('times out: rejects with timeout, then answers 410', async () => {
    const server = track(await armed({ timeoutMs: 100 }));
    await assert.rejects(server.result, (e) => isErrorKind(e, 'timeout') && /within 0 s/.test(e.message));
    assert.equal((await get(server.callbackUrl)).status, 410);
  });

  it('can be cancelled with an AbortSignal, before or during the wait', async () => {
    const ac = new AbortController();
    const server = track(await armed({ signal: ac.signal }));
    ac.abort();
    await assert.rejects(server.result, (e) => isErrorKind(e, 'cancelled'));
    assert.equal((await get(`${server.callbackUrl}?code=late-code&state=${STATE}`)).status, 410);
    await assert.rejects(LoopbackServer.start({ signal: AbortSignal.abort() }), (e) => isErrorKind(e, 'cancelled'));
  });

  it('survives hostile requests: other methods, unknown paths, garbage request lines, odd encodings', async () => {
    const server = track(await armed());
    const post = await request(server.callbackUrl, { method: 'POST', body: 'x', reset: true });
    assert.equal(post.statusCode, 405);
    await post.body.dump();
    assert.equal((await get(`http://127.0.0.1:${server.port}/../../etc/passwd`)).status, 404);
    await new Promise<void>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: server.port }, () => s.end('GARBAGE \x00\x01 nonsense\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.resume();
    });
    assert.equal((await get(`${server.callbackUrl}?code=%E0%A4%A&state=%ZZ`)).status, 400);
    assert.equal(server.settled, false);
    assert.equal((await get(`${server.callbackUrl}?code=still-works&state=${STATE}`)).status, 200);
    assert.equal((await server.result).code, 'still-works');
  });

  it('a port already in use is a clear network error', async () => {
    const first = track(await armed());
    await assert.rejects(LoopbackServer.start({ port: first.port }), (e) => isErrorKind(e, 'network') && /already in use/.test(e.message));
  });

  it('runLoopbackSignIn: prepares with the local callback URL, sends the browser to /start, always closes', async () => {
    let port = 0;
    const result = await runLoopbackSignIn({
      timeoutMs: 10_000,
      prepare: (local) => {
        port = Number(new URL(local).port);
        return { authorizeUrl: `${local}?code=browser-code&state=${STATE}`, state: STATE, redirectUri: local };
      },
      // The "browser": follow /start's redirect, which here points straight back at the callback.
      openBrowser: async (startUrl) => {
        const start = await get(startUrl);
        await get(String(start.headers['location']));
      },
    });
    assert.equal(result.code, 'browser-code');
    assert.equal(await refused('127.0.0.1', port), true);

    await assert.rejects(
      runLoopbackSignIn({
        timeoutMs: 10_000,
        prepare: (local) => {
          port = Number(new URL(local).port);
          return { authorizeUrl: 'https://x.example/', state: STATE, redirectUri: local };
        },
        openBrowser: () => Promise.reject(new Error('no browser')),
      }),
      (e) => isTelenorError(e) && /browser could not be opened/.test(e.message),
    );
    assert.equal(await refused('127.0.0.1', port), true);
  });
});
