// Reliability suite 5 — transport (issue 5, item 7). On every path that sends bytes — spec downloads (and
// the documents their $refs point to), token endpoints and API calls — the transport policy (plain http
// only to this machine unless allowed, on redirects too), the proxy (a local HTTP/CONNECT proxy that counts
// what passes through it; from the settings or from HTTPS_PROXY, with NO_PROXY) and the extra CA (a
// certificate made with openssl for this run; without it a clear network error naming the setting).
// Host names such as api.telenor.test exist only in the proxy's map: a request that reaches the server
// through such a name went through the proxy.
import * as assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import type { Dispatcher } from 'undici';
import { isTelenorError, type TelenorError } from '../../src/core/errors';
import { requestClientCredentialsToken, type AuthHttpOptions, type TokenSet } from '../../src/core/auth';
import { sendRequest } from '../../src/core/http/send';
import { createDispatcher, type TransportOptions } from '../../src/core/http/transport';
import { SpecService } from '../../src/core/spec/service';
import type { LoadResult } from '../../src/core/spec/types';
import { startServer, type TestServer as SpecHost } from '../fixtures/specs/helpers';
import { makeSelfSignedCertificate, TestProxy, type TestCertificate } from '../helpers/servers';
import { CaseCounter, recordFigures } from '../reliability/figures';
import { HostileServer } from '../reliability/hostileServer';

const CLIENT = { clientId: 'transport-client', clientSecret: 'transport-secret-0123456789' };
const NAME = 'api.telenor.test';

describe('reliability: transport policy, proxy and extra CA on every path', function () {
  this.timeout(30_000);
  let plain: HostileServer;
  let tls: HostileServer;
  let cert: TestCertificate;
  let proxy: TestProxy;
  let refHost: SpecHost;
  const dispatchers: Dispatcher[] = [];
  const services: SpecService[] = [];
  const counter = new CaseCounter();

  const port = (s: { host: string }): string => s.host.split(':')[1] ?? '';
  /** Requests the proxy has carried: tunnels (undici tunnels plain http too) and forwarded requests. */
  const carried = (): number => proxy.connects.length + proxy.forwards.length;
  /** The plain server under the name only the proxy knows. */
  const named = (path: string): string => `http://${NAME}:${port(plain)}${path}`;
  const namedTls = (path: string): string => `https://${NAME}:${port(tls)}${path}`;

  function dispatcher(options: TransportOptions): Dispatcher {
    const d = createDispatcher(options);
    dispatchers.push(d);
    return d;
  }
  function specs(options: ConstructorParameters<typeof SpecService>[0]): SpecService {
    const s = new SpecService(options);
    services.push(s);
    return s;
  }
  const auth = (d: Dispatcher | undefined, allowInsecureHttp = false): AuthHttpOptions => ({ ...(d ? { dispatcher: d } : {}), allowInsecureHttp, timeoutMs: 5_000 });
  const token = (url: string, http: AuthHttpOptions): Promise<TokenSet> => requestClientCredentialsToken(http, { tokenUrl: url, client: CLIENT, region: 'no' });
  const send = (url: string, d: Dispatcher | undefined, allowInsecureHttp = false) =>
    sendRequest({ method: 'GET', url, headers: {} }, { timeoutMs: 5_000, maxBodyBytes: 65_536, allowInsecureHttp, ...(d ? { dispatcher: d } : {}) });
  const rejection = (p: Promise<unknown>): Promise<TelenorError> =>
    p.then(
      () => assert.fail('expected a rejection'),
      (e: unknown) => {
        assert.ok(isTelenorError(e), String(e));
        return e;
      },
    );
  const problemOf = (r: LoadResult, code: string): NonNullable<LoadResult['problems'][number]> => {
    const p = r.problems.find((x) => x.code === code);
    assert.ok(p, `no ${code} problem in ${JSON.stringify(r.problems)}`);
    return p;
  };

  before(async () => {
    cert = await makeSelfSignedCertificate([NAME]);
    plain = await new HostileServer().start();
    tls = await new HostileServer({ tls: { key: cert.key, cert: cert.cert } }).start();
    proxy = await new TestProxy({ hosts: { [`${NAME}:${port(plain)}`]: plain.host, [`${NAME}:${port(tls)}`]: tls.host } }).start();
    // A loopback spec whose $ref points at a plain-http document on another host.
    refHost = await startServer({
      '/with-ref.yaml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end(`openapi: 3.0.3\ninfo: {title: Refs, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    X: {$ref: "${named('/spec/ok/schemas')}#/info"}\n`);
      },
    });
  });
  after(async () => {
    await Promise.all(dispatchers.map((d) => d.close().catch(() => undefined)));
    await Promise.all(services.map((s) => s.dispose()));
    await Promise.all([plain.close(), tls.close(), proxy.close(), refHost.close()]);
    await cert.dispose();
    recordFigures('transport', { tried: counter.tried, passed: counter.passed, failed: counter.failed, proxied: { forwards: proxy.forwards.length, connects: proxy.connects.length } });
  });

  describe('plain http is refused except to this machine, on every path, before a byte is sent', () => {
    it('spec URL, $ref target, token endpoint and API call', () =>
      counter.run('policy refuses', async () => {
        const viaProxy = dispatcher({ proxy: proxy.url });
        const service = specs({ transport: { proxy: proxy.url }, load: { timeoutMs: 5_000 } });
        const before = carried();

        const spec = await service.load({ kind: 'url', url: named('/spec/ok/policy') });
        assert.equal(spec.ok, false);
        assert.match(problemOf(spec, 'policy').hint ?? '', /telenor\.request\.allowInsecureHttp/);

        const withRef = await service.load({ kind: 'url', url: `${refHost.url}/with-ref.yaml` });
        assert.ok(withRef.ok, 'the spec itself loads from this machine');
        assert.match(problemOf(withRef, 'policy').message, /with-ref\.yaml: a \$ref could not be followed: .*plain http/);

        const t = await rejection(token(named('/token/ok/policy'), auth(viaProxy)));
        assert.equal(t.kind, 'policy');
        assert.match(t.hint, /allowInsecureHttp/);

        const s = await rejection(send(named('/api/ok/policy'), viaProxy));
        assert.equal(s.kind, 'policy');

        assert.equal(carried(), before, 'nothing went out through the proxy');
        assert.equal(plain.countUnder('/spec/ok/policy') + plain.countUnder('/token/ok/policy') + plain.countUnder('/api/ok/policy') + plain.countUnder('/spec/ok/schemas'), 0);
      }));

    it('a redirect to plain http on another host is refused for sends and spec downloads', () =>
      counter.run('policy on redirects', async () => {
        const redirectServer = await startServer({
          '/to-plain': (_req, res) => {
            res.writeHead(302, { location: named('/api/ok/after-redirect') });
            res.end();
          },
        });
        try {
          const service = specs({ load: { timeoutMs: 5_000 } });
          const spec = await service.load({ kind: 'url', url: `${redirectServer.url}/to-plain` });
          assert.equal(spec.ok, false);
          assert.match(problemOf(spec, 'policy').message, /it redirected, and then: Refused to send a request over plain http/);
          const s = await rejection(send(`${redirectServer.url}/to-plain`, undefined));
          assert.equal(s.kind, 'policy');
          // A token request never follows a redirect at all (credentials stay put).
          const t = await rejection(token(`${redirectServer.url}/to-plain`, auth(undefined)));
          assert.equal(t.kind, 'token-endpoint');
          assert.equal(plain.countUnder('/api/ok/after-redirect'), 0);
        } finally {
          await redirectServer.close();
        }
      }));

    it('loopback http works on every path; other hosts work once allowed (through the proxy, counted)', () =>
      counter.run('policy allows', async () => {
        const direct = specs({ load: { timeoutMs: 5_000 } });
        assert.ok((await direct.load({ kind: 'url', url: `${plain.url}/spec/ok/loopback` })).ok);
        assert.ok((await token(`${plain.url}/token/ok/loopback`, auth(undefined))).accessToken);
        assert.equal((await send(`${plain.url}/api/ok/loopback`, undefined)).status, 200);

        const before = carried();
        const allowed = specs({ transport: { proxy: proxy.url }, load: { timeoutMs: 5_000, allowInsecureHttp: true } });
        const viaProxy = dispatcher({ proxy: proxy.url });
        const spec = await allowed.load({ kind: 'url', url: `${refHost.url}/with-ref.yaml` });
        assert.ok(spec.ok && !spec.problems.some((p) => p.code === 'policy'), JSON.stringify(spec.problems));
        assert.ok((await allowed.load({ kind: 'url', url: named('/spec/ok/allowed') })).ok);
        assert.ok((await token(named('/token/ok/allowed'), auth(viaProxy, true))).accessToken);
        assert.equal((await send(named('/api/ok/allowed'), viaProxy, true)).status, 200);
        // Only the proxy knows api.telenor.test: reaching the server proves the way these requests took.
        for (const path of ['/api/ok/allowed', '/spec/ok/allowed', '/spec/ok/schemas', '/token/ok/allowed']) assert.equal(plain.countUnder(path), 1, path);
        assert.ok(carried() - before >= 2, 'two dispatchers, each with its own tunnel');
      }));
  });

  describe('a proxy is honoured for spec loading, token requests and sends', () => {
    it('https through CONNECT with the extra CA: one tunnel per path, every request reaches the server', () =>
      counter.run('proxy CONNECT', async () => {
        const settings: TransportOptions = { proxy: proxy.url, extraCaCertsPath: cert.certPath };
        const before = proxy.connects.length;
        const spec = await specs({ transport: settings, load: { timeoutMs: 5_000 } }).load({ kind: 'url', url: namedTls('/spec/ok/connect') });
        assert.ok(spec.ok, JSON.stringify(spec.problems));
        assert.ok((await token(namedTls('/token/ok/connect'), auth(dispatcher(settings)))).accessToken);
        assert.equal((await send(namedTls('/api/ok/connect'), dispatcher(settings))).status, 200);
        assert.deepEqual(proxy.connects.slice(before), [`${NAME}:${port(tls)}`, `${NAME}:${port(tls)}`, `${NAME}:${port(tls)}`]);
        assert.equal(tls.count('GET', '/spec/ok/connect') + tls.count('POST', '/token/ok/connect') + tls.count('GET', '/api/ok/connect'), 3);
      }));

    it('HTTPS_PROXY from the environment when no proxy is set; NO_PROXY (environment or setting) goes direct', async function () {
      // NO_PROXY needs a host name that is not "localhost" yet resolves to this machine without DNS: the
      // machine's own name does in /etc/hosts on these machines; elsewhere that part is skipped.
      const self = hostname();
      const address = await lookup(self).then((a) => a.address, () => undefined);
      await counter.run('proxy from env', async () => {
        const envOnly = dispatcher({ env: { HTTPS_PROXY: proxy.url }, extraCaCertsPath: cert.certPath });
        const before = proxy.connects.length;
        assert.equal((await send(namedTls('/api/ok/env-proxy'), envOnly)).status, 200);
        assert.deepEqual(proxy.connects.slice(before), [`${NAME}:${port(tls)}`]);
        const spec = await specs({ transport: { env: { HTTPS_PROXY: proxy.url }, extraCaCertsPath: cert.certPath } }).load({ kind: 'url', url: namedTls('/spec/ok/env-proxy') });
        assert.ok(spec.ok, JSON.stringify(spec.problems));
      });
      if (address === undefined || !address.startsWith('127.')) this.skip();
      await counter.run('NO_PROXY', async () => {
        const url = `http://${self}:${port(plain)}/api/ok/no-proxy`;
        for (const d of [dispatcher({ env: { HTTP_PROXY: proxy.url, NO_PROXY: `example.org, ${self}` } }), dispatcher({ proxy: proxy.url, noProxy: [self] })]) {
          const before = carried();
          assert.equal((await send(url, d, true)).status, 200);
          assert.equal(carried(), before, 'NO_PROXY host went direct');
        }
        const proxied = dispatcher({ env: { HTTP_PROXY: proxy.url } });
        const before = carried();
        assert.equal((await send(url, proxied, true)).status, 200);
        assert.equal(carried(), before + 1, 'without NO_PROXY the same host goes through the proxy');
      });
    });
  });

  describe('extra CA', () => {
    it('without it: a network error (a problem for specs) whose hint names the extra CA setting, on every path', () =>
      counter.run('no CA', async () => {
        const hint = /extra CA setting.*NODE_EXTRA_CA_CERTS/;
        const spec = await specs({ load: { timeoutMs: 5_000 } }).load({ kind: 'url', url: `${tls.url}/spec/ok/no-ca` });
        assert.equal(spec.ok, false);
        assert.match(problemOf(spec, 'network').hint ?? '', hint);
        const t = await rejection(token(`${tls.url}/token/ok/no-ca`, auth(dispatcher({}))));
        assert.equal(t.kind, 'network');
        assert.match(t.hint, hint);
        const s = await rejection(send(`${tls.url}/api/ok/no-ca`, dispatcher({ proxy: proxy.url })));
        assert.equal(s.kind, 'network');
        assert.match(s.hint, hint);
      }));

    it('with it (setting or NODE_EXTRA_CA_CERTS): every path trusts the server', () =>
      counter.run('with CA', async () => {
        for (const settings of [{ extraCaCertsPath: cert.certPath }, { env: { NODE_EXTRA_CA_CERTS: cert.certPath } }]) {
          const spec = await specs({ transport: settings, load: { timeoutMs: 5_000 } }).load({ kind: 'url', url: `${tls.url}/spec/ok/ca` });
          assert.ok(spec.ok, JSON.stringify(spec.problems));
          assert.ok((await token(`${tls.url}/token/ok/ca`, auth(dispatcher(settings)))).accessToken);
          assert.equal((await send(`${tls.url}/api/ok/ca`, dispatcher(settings))).status, 200);
        }
      }));
  });
});
