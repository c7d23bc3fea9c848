import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent } from 'undici';
import { isTelenorError, type ErrorKind, type TelenorError } from '../../src/core/errors';
import { sendRequest, type SendRequestOptions } from '../../src/core/http/send';
import type { AuthHeaderProvider, Headers, PreparedRequest } from '../../src/core/http/types';
import { createTestServer, UNAUTHORIZED_FORMS, type TestServer } from '../helpers/servers';

/** Hands out `token-1`, `token-2`… (and `jwt-N` with `withJwt`); `invalidate()` moves to the next. */
class CountingAuth implements AuthHeaderProvider {
  generation = 1;
  invalidations = 0;
  calls = 0;
  constructor(private readonly withJwt = false) {}
  headers(): Promise<Headers> {
    this.calls++;
    const h: Headers = { Authorization: `Bearer token-${this.generation}` };
    if (this.withJwt) h['X-JWT'] = `jwt-${this.generation}`;
    return Promise.resolve(h);
  }
  invalidate(): void {
    this.invalidations++;
    this.generation++;
  }
}

async function rejection(p: Promise<unknown>): Promise<TelenorError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isTelenorError(e), `expected a TelenorError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

function assertKind(e: TelenorError, kind: ErrorKind): void {
  assert.equal(e.kind, kind, `${e.kind}: ${e.message}`);
  assert.ok(e.message.length > 0);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('http/send: sendRequest over real HTTP', function () {
  let server: TestServer;
  const base = (): SendRequestOptions => ({ timeoutMs: 5000, maxBodyBytes: 1024 * 1024 });
  const get = (path: string, headers: Headers = {}): PreparedRequest => ({ method: 'GET', url: server.url + path, headers });

  before(async () => {
    server = await createTestServer().start();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  describe('basics', () => {
    it('returns status, lower-cased headers, decoded body, size and timings', async () => {
      const prepared: PreparedRequest = { method: 'POST', url: `${server.url}/echo/x?a=1`, headers: { 'Content-Type': 'application/json' }, body: '{"n":1}' };
      let clock = 0;
      const r = await sendRequest(prepared, { ...base(), now: () => (clock += 10) });
      assert.equal(r.status, 200);
      assert.equal(r.statusText, 'OK');
      assert.equal(r.contentType, 'application/json');
      const echoed = JSON.parse(r.body) as { method: string; url: string; body: string; headers: Record<string, string> };
      assert.equal(echoed.method, 'POST');
      assert.equal(echoed.url, '/echo/x?a=1');
      assert.equal(echoed.body, '{"n":1}');
      assert.equal(echoed.headers['content-type'], 'application/json');
      assert.equal(r.bodyBytes, Buffer.byteLength(r.body));
      assert.equal(r.truncated, false);
      assert.ok(r.headers.every(([k]) => k === k.toLowerCase()));
      assert.ok(r.headers.some(([k, v]) => k === 'content-type' && v === 'application/json'));
      assert.deepEqual(r.timings, { headersMs: 10, totalMs: 20 });
      assert.equal(r.request, prepared);
      assert.equal(r.retriedAfter401, false);
      assert.equal(r.finalUrl, `${server.url}/echo/x?a=1`);
    });

    it('returns a malformed JSON body as text instead of failing', async () => {
      const r = await sendRequest(get('/malformed-json'), base());
      assert.equal(r.status, 200);
      assert.equal(r.body, '{"items": [1, 2,');
    });

    it('classifies an error answer (status >= 400) without throwing', async () => {
      const body = encodeURIComponent(JSON.stringify({ errorCode: 42901 }));
      const r = await sendRequest(get(`/status/429?type=application/json&body=${body}`), base());
      assert.equal(r.status, 429);
      assert.equal(r.apiError?.code, '42901');
      assert.equal(r.apiError?.meaning, 'rate limit quota violation');
    });
  });

  describe('auth headers and the one renewal after a token 401', () => {
    it('sends Authorization: Bearer from the provider', async () => {
      const auth = new CountingAuth();
      const r = await sendRequest(get('/echo'), { ...base(), auth });
      const echoed = JSON.parse(r.body) as { headers: Record<string, string> };
      assert.equal(echoed.headers['authorization'], 'Bearer token-1');
      assert.equal(echoed.headers['x-jwt'], undefined);
      assert.equal(echoed.headers['x-transaction-id'], undefined, 'no transaction id without an X-JWT');
    });

    it('sends X-JWT with a fresh X-Transaction-Id on every attempt, the retry included', async () => {
      const auth = new CountingAuth(true);
      const r = await sendRequest(get('/401-then-200/jwt?form=norway-40106', { 'X-Transaction-Id': 'stale' }), { ...base(), auth });
      assert.equal(r.status, 200);
      assert.equal(server.requests.length, 2);
      const [first, second] = server.requests.map((q) => q.headers);
      assert.equal(first?.['x-jwt'], 'jwt-1');
      assert.equal(second?.['x-jwt'], 'jwt-2');
      assert.equal(second?.['authorization'], 'Bearer token-2');
      const ids = [first?.['x-transaction-id'], second?.['x-transaction-id']];
      for (const id of ids) assert.match(String(id), UUID);
      assert.notEqual(ids[0], ids[1], 'each attempt gets its own transaction id');
    });

    for (const [form, spec] of Object.entries(UNAUTHORIZED_FORMS)) {
      if (spec.tokenProblem) {
        it(`renews the token and retries once on a 401 of the form "${form}"`, async () => {
          const auth = new CountingAuth();
          const r = await sendRequest(get(`/401-then-200/${form}?form=${form}`), { ...base(), auth });
          assert.equal(r.status, 200);
          assert.equal(r.retriedAfter401, true);
          assert.equal(auth.invalidations, 1);
          assert.equal(server.requests.length, 2);
          assert.equal(server.requests[1]?.headers['authorization'], 'Bearer token-2');
        });
      } else {
        it(`does not retry a 401 that is not a token problem ("${form}")`, async () => {
          const auth = new CountingAuth();
          const r = await sendRequest(get(`/401-then-200/${form}?form=${form}`), { ...base(), auth });
          assert.equal(r.status, 401);
          assert.equal(r.retriedAfter401, false);
          assert.equal(auth.invalidations, 0);
          assert.equal(server.requests.length, 1);
        });
      }
    }

    it('retries only once when the renewed token is rejected too, and says so', async () => {
      const auth = new CountingAuth();
      const r = await sendRequest(get('/401-forever?form=norway-40106'), { ...base(), auth });
      assert.equal(r.status, 401);
      assert.equal(r.retriedAfter401, true);
      assert.equal(auth.invalidations, 1);
      assert.equal(server.requests.length, 2, 'exactly one retry, no loop');
      assert.equal(r.apiError?.code, '40106');
      assert.match(r.apiError?.hint ?? '', /freshly issued token was rejected/);
    });

    it('does not retry without an auth provider', async () => {
      const r = await sendRequest(get('/401-forever?form=empty'), base());
      assert.equal(r.status, 401);
      assert.equal(server.requests.length, 1);
    });

    it('lets an auth failure through as it is', async () => {
      const auth: AuthHeaderProvider = {
        headers: () => Promise.reject(new (class extends Error { isTelenorError = true; kind = 'credentials-missing'; hint = 'Set credentials'; })('none')),
        invalidate: () => undefined,
      };
      const e = await rejection(sendRequest(get('/echo'), { ...base(), auth }));
      assert.equal(e.kind, 'credentials-missing');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('time limits and cancellation', () => {
    it('times out when no headers come (never answers)', async () => {
      const t0 = Date.now();
      const e = await rejection(sendRequest(get('/never'), { ...base(), timeoutMs: 300 }));
      assertKind(e, 'timeout');
      assert.ok(e.hint.length > 0);
      assert.ok(Date.now() - t0 < 2000, 'gave up near the deadline');
    });

    it('times out when the body stalls, through the overall deadline', async () => {
      const e = await rejection(sendRequest(get('/slow-body?ms=3000'), { ...base(), timeoutMs: 300 }));
      assertKind(e, 'timeout');
    });

    it('reports undici body timeouts as timeouts', async () => {
      const e = await rejection(sendRequest(get('/slow-body?ms=3000'), { ...base(), timeoutMs: 5000, bodyTimeoutMs: 200 }));
      assertKind(e, 'timeout');
    });

    it('cancels through an AbortSignal', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const t0 = Date.now();
      const e = await rejection(sendRequest(get('/never'), { ...base(), signal: controller.signal }));
      assertKind(e, 'cancelled');
      assert.ok(Date.now() - t0 < 2000);
    });

    it('does not send at all when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const e = await rejection(sendRequest(get('/echo'), { ...base(), signal: controller.signal }));
      assertKind(e, 'cancelled');
      assert.equal(server.requests.length, 0);
    });

    it('cancels while waiting for a token that never comes', async () => {
      const controller = new AbortController();
      const auth: AuthHeaderProvider = { headers: () => new Promise<Headers>(() => undefined), invalidate: () => undefined };
      setTimeout(() => controller.abort(), 50);
      const e = await rejection(sendRequest(get('/echo'), { ...base(), auth, signal: controller.signal }));
      assertKind(e, 'cancelled');
    });
  });

  describe('body size caps', () => {
    it('counts a 50 MB body but keeps only maxBodyBytes, with bounded memory', async function () {
      this.timeout(30_000);
      const gc = exposeGc();
      gc();
      const before = memory();
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, memory() - before)), 5);
      const size = 50 * 1024 * 1024;
      const r = await sendRequest(get(`/huge?bytes=${size}`), { ...base(), timeoutMs: 20_000, maxBodyBytes: 1024 * 1024 });
      clearInterval(sampler);
      // Freed backing stores are returned to the OS after a tick, so collect twice around one.
      gc();
      await new Promise((r) => setTimeout(r, 50));
      gc();
      const retained = memory() - before;
      assert.equal(r.status, 200);
      assert.equal(r.bodyBytes, size);
      assert.equal(r.truncated, true);
      assert.equal(r.body.length, 1024 * 1024);
      assert.ok(retained < 12 * 1024 * 1024, `retained ${mb(retained)} MB`);
      assert.ok(peak < 40 * 1024 * 1024, `peak ${mb(peak)} MB for a 50 MB body`);
    });

    it('stops reading an endless body at the hard limit and aborts it', async () => {
      const t0 = Date.now();
      const r = await sendRequest(get('/endless'), { ...base(), maxBodyBytes: 10_000, hardLimitBytes: 4 * 1024 * 1024 });
      assert.equal(r.truncated, true);
      assert.equal(r.body.length, 10_000);
      assert.ok(r.bodyBytes >= 4 * 1024 * 1024 && r.bodyBytes < 5 * 1024 * 1024, `read ${r.bodyBytes}`);
      assert.ok(Date.now() - t0 < 4000);
    });

    it('cuts a multi-byte UTF-8 character at the cap without a replacement character', async () => {
      // "blåbærsyltetøy ✓": byte 3 is the first byte of "å".
      const r = await sendRequest(get('/charset?cs=utf-8'), { ...base(), maxBodyBytes: 3 });
      assert.equal(r.body, 'bl');
      assert.equal(r.truncated, true);
    });
  });

  describe('encodings', () => {
    for (const enc of ['gzip', 'br', 'deflate', 'deflate-raw']) {
      it(`decodes a ${enc} body and reports wire and decoded sizes`, async () => {
        const r = await sendRequest(get(`/compressed?enc=${enc}`), base());
        const parsed = JSON.parse(r.body) as { compressed: boolean; filler: string };
        assert.equal(parsed.compressed, true);
        assert.equal(parsed.filler.length, 10_000);
        assert.equal(r.bodyBytes, Buffer.byteLength(r.body));
        assert.ok(r.encodedBytes !== undefined && r.encodedBytes < r.bodyBytes / 10, `wire ${r.encodedBytes}`);
      });
    }

    it('caps the decoded size of a compressed body (a small bomb)', async () => {
      const r = await sendRequest(get('/compressed?enc=gzip'), { ...base(), maxBodyBytes: 100, hardLimitBytes: 1000 });
      assert.equal(r.truncated, true);
      assert.equal(r.body.length, 100);
      assert.ok(r.bodyBytes >= 1000);
    });

    for (const [cs, expected] of [
      ['iso-8859-1', 'blåbærsyltetøy'],
      ['windows-1252', 'blåbærsyltetøy'],
      ['utf-16le', 'blåbærsyltetøy'],
      ['utf-8', 'blåbærsyltetøy ✓'],
    ] as const) {
      it(`decodes text by its charset: ${cs}`, async () => {
        const r = await sendRequest(get(`/charset?cs=${cs}`), base());
        assert.equal(r.body, expected);
      });
    }

    it('decodes as UTF-8 when no charset is given', async () => {
      const r = await sendRequest(get('/charset?cs=utf-8&nocs=1'), base());
      assert.equal(r.body, 'blåbærsyltetøy ✓');
    });
  });

  describe('redirects', () => {
    it('follows a redirect and reports where it went', async () => {
      const r = await sendRequest(get('/redirect?to=/echo/after'), base());
      assert.equal(r.status, 200);
      assert.equal(r.finalUrl, `${server.url}/echo/after`);
      assert.deepEqual(r.redirects, [`${server.url}/echo/after`]);
    });

    it('continues a POST as GET without body after 303, and keeps method and body after 307', async () => {
      const post = (path: string): PreparedRequest => ({ method: 'POST', url: server.url + path, headers: { 'content-type': 'text/plain' }, body: 'payload' });
      const r303 = JSON.parse((await sendRequest(post('/redirect?status=303&to=/echo'), base())).body) as { method: string; body: string };
      assert.deepEqual([r303.method, r303.body], ['GET', '']);
      const r307 = JSON.parse((await sendRequest(post('/chain/2'), base())).body) as { method: string; body: string };
      assert.deepEqual([r307.method, r307.body], ['POST', 'payload']);
    });

    it('drops Authorization and X-JWT when a redirect leaves the origin', async () => {
      const other = await createTestServer().start();
      try {
        const auth = new CountingAuth(true);
        const r = await sendRequest(get(`/redirect?to=${encodeURIComponent(`${other.url}/echo`)}`), { ...base(), auth });
        assert.equal(r.status, 200);
        assert.equal(server.requests[0]?.headers['authorization'], 'Bearer token-1');
        const seen = other.requests[0]?.headers ?? {};
        assert.equal(seen['authorization'], undefined);
        assert.equal(seen['x-jwt'], undefined);
      } finally {
        await other.close();
      }
    });

    it('keeps Authorization on a same-origin redirect', async () => {
      const r = await sendRequest(get('/redirect?to=/echo'), { ...base(), auth: new CountingAuth() });
      const echoed = JSON.parse(r.body) as { headers: Record<string, string> };
      assert.equal(echoed.headers['authorization'], 'Bearer token-1');
    });

    it('names a redirect loop', async () => {
      const e = await rejection(sendRequest(get('/loop/a'), base()));
      assertKind(e, 'protocol');
      assert.match(e.message, /loop/i);
      assert.ok(server.requests.length <= 3);
    });

    it('stops after maxRedirects', async () => {
      const e = await rejection(sendRequest(get('/chain/4'), { ...base(), maxRedirects: 2 }));
      assertKind(e, 'protocol');
      assert.match(e.message, /too many redirects/i);
      assert.equal(server.requests.length, 3);
    });

    it('returns the 3xx itself with maxRedirects 0', async () => {
      const r = await sendRequest(get('/redirect?to=/echo'), { ...base(), maxRedirects: 0 });
      assert.equal(r.status, 302);
    });

    it('refuses a redirect to plain http on another host', async () => {
      const e = await rejection(sendRequest(get(`/redirect?to=${encodeURIComponent('http://example.com/x')}`), base()));
      assertKind(e, 'policy');
    });
  });

  describe('network errors', () => {
    it('connection refused → network, with a hint to start the server', async () => {
      const port = await closedPort();
      const e = await rejection(sendRequest({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }, base()));
      assertKind(e, 'network');
      assert.match(e.message, /refused/);
      assert.match(e.hint, /running/);
    });

    it('unknown host → network, with a hint about the host name', async () => {
      const dispatcher = new Agent({
        connect: {
          lookup: (hostname: string, _o: unknown, cb: (e: Error) => void) =>
            cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })),
        } as object,
      });
      try {
        const e = await rejection(sendRequest({ method: 'GET', url: 'https://api.telenor.invalid/x', headers: {} }, { ...base(), dispatcher }));
        assertKind(e, 'network');
        assert.match(e.message, /could not be resolved/);
        assert.match(e.hint, /host/);
      } finally {
        await dispatcher.close();
      }
    });

    it('connection reset → network, with a hint', async () => {
      const e = await rejection(sendRequest(get('/reset'), base()));
      assertKind(e, 'network');
      assert.match(e.message, /closed before a complete answer/);
    });

    it('refuses plain http to a remote host before sending', async () => {
      const e = await rejection(sendRequest({ method: 'GET', url: 'http://api.telenor.no/x', headers: {} }, base()));
      assertKind(e, 'policy');
      assert.match(e.hint, /allowInsecureHttp/);
    });

    it('keeps secrets in the URL out of error messages', async () => {
      const port = await closedPort();
      const e = await rejection(sendRequest({ method: 'GET', url: `http://127.0.0.1:${port}/x?access_token=SECRETVALUE123`, headers: {} }, base()));
      assert.ok(!`${e.message} ${e.hint}`.includes('SECRETVALUE123'));
    });
  });

  // Send-path overhead against raw undici is measured by the benchmarks (bench/), not asserted here:
  // timing assertions in tests flake on a busy machine and prove nothing about regressions.
});

function memory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function mb(n: number): string {
  return (n / 1024 / 1024).toFixed(1);
}

/** `global.gc` without a command-line flag (the mocha config is shared). */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const addr = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return typeof addr === 'object' && addr !== null ? addr.port : 1;
}
