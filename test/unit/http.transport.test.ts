import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTelenorError, type TelenorError } from '../../src/core/errors';
import { sendRequest, type SendRequestOptions } from '../../src/core/http/send';
import {
  ALLOW_INSECURE_HTTP_SETTING,
  checkTransportPolicy,
  createDispatcher,
  isLoopbackHost,
  matchesNoProxy,
} from '../../src/core/http/transport';
import { createTestServer, makeSelfSignedCertificate, TestProxy, type TestCertificate, type TestServer } from '../helpers/servers';

function thrown(fn: () => unknown): TelenorError {
  try {
    fn();
  } catch (e) {
    assert.ok(isTelenorError(e));
    return e;
  }
  assert.fail('expected a TelenorError');
}

async function rejected(p: Promise<unknown>): Promise<TelenorError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isTelenorError(e), String(e));
    return e;
  }
  assert.fail('expected a rejection');
}

const opts: SendRequestOptions = { timeoutMs: 5000, maxBodyBytes: 1 << 20 };

describe('http/transport', () => {
  describe('checkTransportPolicy', () => {
    for (const url of [
      'https://api.telenor.no/x',
      'http://127.0.0.1:4711/',
      'http://127.9.8.7/',
      'http://localhost:3000/',
      'http://sandbox.localhost/',
      'http://[::1]:8080/',
      'http://[::ffff:127.0.0.1]/',
      'http://0x7f.1/',
    ]) {
      it(`allows ${url}`, () => {
        assert.equal(checkTransportPolicy(url).href, new URL(url).href);
      });
    }

    for (const url of ['http://api.telenor.no/x', 'http://127.0.0.1.example.com/', 'http://10.0.0.1/', 'http://[::2]/']) {
      it(`refuses plain http to ${url}, naming the setting`, () => {
        const e = thrown(() => checkTransportPolicy(url));
        assert.equal(e.kind, 'policy');
        assert.ok(e.hint.includes(ALLOW_INSECURE_HTTP_SETTING));
      });
    }

    it('allows plain http anywhere when the setting allows it', () => {
      assert.equal(checkTransportPolicy('http://api.telenor.no/x', { allowInsecureHttp: true }).host, 'api.telenor.no');
    });

    it('refuses other schemes and says what a non-URL is', () => {
      assert.equal(thrown(() => checkTransportPolicy('ftp://example.com/')).kind, 'policy');
      assert.equal(thrown(() => checkTransportPolicy('file:///etc/passwd')).kind, 'policy');
      const e = thrown(() => checkTransportPolicy('not a url'));
      assert.equal(e.kind, 'input');
      assert.ok(e.hint.length > 0);
    });

    it('recognises loopback hosts and nothing else', () => {
      for (const h of ['127.0.0.1', '127.255.255.254', 'localhost', 'LOCALHOST', 'a.localhost', '[::1]', '::1']) assert.ok(isLoopbackHost(h), h);
      for (const h of ['128.0.0.1', 'localhost.example.com', '::2', 'example.com', '0.0.0.0']) assert.ok(!isLoopbackHost(h), h);
    });

    it('matches NO_PROXY-style entries', () => {
      assert.ok(matchesNoProxy('api.telenor.no', ['telenor.no']));
      assert.ok(matchesNoProxy('api.telenor.no', ['.telenor.no']));
      assert.ok(matchesNoProxy('api.telenor.no', ['*.telenor.no']));
      assert.ok(matchesNoProxy('api.telenor.no', ['api.telenor.no:443']));
      assert.ok(matchesNoProxy('anything', ['*']));
      assert.ok(!matchesNoProxy('api.telenor.se', ['telenor.no']));
      assert.ok(!matchesNoProxy('nottelenor.no', ['telenor.no']));
    });
  });

  describe('createDispatcher over real connections', () => {
    let server: TestServer;
    let cert: TestCertificate;
    let tlsServer: TestServer;

    before(async () => {
      cert = await makeSelfSignedCertificate(['api.telenor.test']);
      server = await createTestServer().start();
      tlsServer = await createTestServer({ tls: { key: cert.key, cert: cert.cert } }).start();
    });
    after(async () => {
      await server.close();
      await tlsServer.close();
      await cert.dispose();
    });
    beforeEach(() => {
      server.requests.length = 0;
      tlsServer.requests.length = 0;
    });

    it('a plain dispatcher sends requests', async () => {
      const dispatcher = createDispatcher();
      try {
        const r = await sendRequest({ method: 'GET', url: `${server.url}/echo`, headers: {} }, { ...opts, dispatcher });
        assert.equal(r.status, 200);
      } finally {
        await dispatcher.close();
      }
    });

    it('routes requests through a proxy (CONNECT), and loopback around it', async () => {
      const proxy = await new TestProxy({ hosts: { [`api.telenor.test:${server.host.split(':')[1]}`]: server.host } }).start();
      const dispatcher = createDispatcher({ proxy: proxy.url });
      try {
        const viaProxy = `http://api.telenor.test:${server.host.split(':')[1]}/echo/proxied`;
        const r = await sendRequest({ method: 'GET', url: viaProxy, headers: {} }, { ...opts, dispatcher, allowInsecureHttp: true });
        assert.equal(r.status, 200);
        assert.deepEqual(proxy.connects, [`api.telenor.test:${server.host.split(':')[1]}`]);
        assert.equal(server.requests[0]?.url, '/echo/proxied');

        await sendRequest({ method: 'GET', url: `${server.url}/echo/direct`, headers: {} }, { ...opts, dispatcher });
        assert.equal(proxy.connects.length, 1, 'loopback requests do not go through the proxy');
        assert.equal(server.requests[1]?.url, '/echo/direct');
      } finally {
        await dispatcher.close();
        await proxy.close();
      }
    });

    it('sends proxy credentials from the proxy URL', async () => {
      const expected = `Basic ${Buffer.from('corp-user:p@ss word').toString('base64')}`;
      const port = server.host.split(':')[1] ?? '';
      const proxy = await new TestProxy({ hosts: { [`api.telenor.test:${port}`]: server.host }, requireAuth: expected }).start();
      const dispatcher = createDispatcher({ proxy: proxy.url.replace('http://', 'http://corp-user:p%40ss%20word@') });
      try {
        const r = await sendRequest({ method: 'GET', url: `http://api.telenor.test:${port}/echo`, headers: {} }, { ...opts, dispatcher, allowInsecureHttp: true });
        assert.equal(r.status, 200);
        assert.deepEqual(proxy.proxyAuthorizations, [expected]);
        assert.equal(server.requests[0]?.headers['proxy-authorization'], undefined, 'the target never sees proxy credentials');
      } finally {
        await dispatcher.close();
        await proxy.close();
      }
    });

    it('reaches an https API through the proxy with an extra CA', async () => {
      const port = tlsServer.host.split(':')[1] ?? '';
      const proxy = await new TestProxy({ hosts: { [`api.telenor.test:${port}`]: tlsServer.host } }).start();
      const dispatcher = createDispatcher({ proxy: proxy.url, extraCaCertsPath: cert.certPath, env: {} });
      try {
        const r = await sendRequest({ method: 'GET', url: `https://api.telenor.test:${port}/echo/tls`, headers: {} }, { ...opts, dispatcher });
        assert.equal(r.status, 200);
        assert.equal(proxy.connects.length, 1);
        assert.equal(tlsServer.requests[0]?.url, '/echo/tls');
      } finally {
        await dispatcher.close();
        await proxy.close();
      }
    });

    it('a self-signed certificate fails with a hint about extra CAs', async () => {
      const dispatcher = createDispatcher({ env: {} });
      try {
        const e = await rejected(sendRequest({ method: 'GET', url: `${tlsServer.url}/echo`, headers: {} }, { ...opts, dispatcher }));
        assert.equal(e.kind, 'network');
        assert.match(e.message, /not trusted/);
        assert.match(e.hint, /CA/);
      } finally {
        await dispatcher.close();
      }
    });

    it('trusts a CA given by path, by NODE_EXTRA_CA_CERTS, or everything with strictSSL off', async () => {
      for (const options of [
        { extraCaCertsPath: cert.certPath, env: {} },
        { env: { NODE_EXTRA_CA_CERTS: cert.certPath } },
        { strictSSL: false, env: {} },
      ]) {
        const dispatcher = createDispatcher(options);
        try {
          const r = await sendRequest({ method: 'GET', url: `${tlsServer.url}/echo`, headers: {} }, { ...opts, dispatcher });
          assert.equal(r.status, 200, JSON.stringify(Object.keys(options)));
        } finally {
          await dispatcher.close();
        }
      }
    });

    it('says what is wrong with an unreadable or non-PEM CA file', async () => {
      const missing = thrown(() => createDispatcher({ extraCaCertsPath: '/nonexistent/ca.pem', env: {} }));
      assert.equal(missing.kind, 'network');
      assert.ok(missing.hint.length > 0);
      const dir = await mkdtemp(join(tmpdir(), 'telenor-ca-'));
      try {
        const junk = join(dir, 'junk.pem');
        await writeFile(junk, 'not a certificate');
        assert.equal(thrown(() => createDispatcher({ extraCaCertsPath: junk, env: {} })).kind, 'network');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('rejects a proxy setting that is not an http(s) URL', () => {
      assert.equal(thrown(() => createDispatcher({ proxy: 'socks5://127.0.0.1:1080', env: {} })).kind, 'network');
      const e = thrown(() => createDispatcher({ proxy: 'http://user:secretpw@[bad', env: {} }));
      assert.ok(!e.message.includes('secretpw'), 'proxy credentials stay out of the message');
    });
  });
});
