import * as assert from 'node:assert/strict';
import { buildRequest } from '../../src/core/http/build';
import { sendRequest, type SendRequestOptions } from '../../src/core/http/send';
import type { AuthHeaderProvider, Headers } from '../../src/core/http/types';
import type { OperationInfo } from '../../src/core/spec/types';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index';

const opts: SendRequestOptions = { timeoutMs: 5000, maxBodyBytes: 1 << 20 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

function get(path: string): OperationInfo {
  return { id: `#/paths/${path}/get`, method: 'get', path, tags: [], deprecated: false, parameters: [], responses: [{ status: '200', mediaTypes: ['application/json'] }], security: [] };
}

/**
 * A real token provider over the sandbox's token endpoints (the auth module's job in the extension; kept
 * tiny here so these tests depend on nothing but the send path and the sandbox).
 */
class SandboxAuth implements AuthHeaderProvider {
  fetches = 0;
  invalidations = 0;
  private cached: Headers | undefined;

  constructor(private readonly fetchHeaders: () => Promise<Headers>) {}

  async headers(): Promise<Headers> {
    if (this.cached === undefined) {
      this.fetches++;
      this.cached = await this.fetchHeaders();
    }
    return this.cached;
  }

  invalidate(): void {
    this.invalidations++;
    this.cached = undefined;
  }
}

async function tokenFrom(sandbox: RunningSandbox, path: string, authorization: string, form: string): Promise<string> {
  const r = await sendRequest(
    { method: 'POST', url: `${sandbox.url}${path}`, headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form },
    opts,
  );
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { access_token: string }).access_token;
}

describe('http against the sandbox', () => {
  let sandbox: RunningSandbox;
  let clock = Date.parse('2025-01-01T12:00:00Z');
  const ttl = 60;

  before(async () => {
    sandbox = await startSandbox({ port: 0, tokenTtlSeconds: ttl, now: () => clock, rateLimit: false });
  });
  after(async () => {
    await sandbox.close();
  });

  const norwayPassword = (): SandboxAuth => {
    const c = sandbox.credentials.no;
    return new SandboxAuth(async () => {
      const form = new URLSearchParams({ grant_type: 'password', username: c.machineUser.username, password: c.machineUser.password, scope: 'accounts' });
      return { Authorization: `Bearer ${await tokenFrom(sandbox, '/oauth/v2/token', basic(c.clientId, c.clientSecret), form.toString())}` };
    });
  };

  const swedenJwt = (): SandboxAuth => {
    const c = sandbox.credentials.se;
    return new SandboxAuth(async () => {
      const token = await tokenFrom(sandbox, '/openapi/oauth2/token', basic(c.clientId, c.clientSecret), 'grant_type=client_credentials');
      const service = encodeURIComponent('Mobile Subscriptions Administration API');
      const r = await sendRequest(
        {
          method: 'POST',
          url: `${sandbox.url}/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=${service}`,
          headers: { authorization: `Bearer ${token}`, 'x-transaction-id': 'setup-1', 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: c.jwt.clientId, userId: Number(c.jwt.userId), password: c.jwt.password }),
        },
        opts,
      );
      assert.equal(r.status, 200, r.body);
      return { Authorization: `Bearer ${token}`, 'X-JWT': (JSON.parse(r.body) as { token: string }).token };
    });
  };

  it('Norway: a Bearer call succeeds', async () => {
    const auth = norwayPassword();
    const r = await sendRequest(buildRequest(get('/organizations/v1/organizations'), { serverUrl: sandbox.url, path: {}, query: {}, headers: {} }), { ...opts, auth });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), [{ orgNumber: '914742315', name: 'TELENOR' }]);
    assert.equal(r.retriedAfter401, false);
  });

  it('Norway: an expired token (40106) is renewed once and the call succeeds', async () => {
    const auth = norwayPassword();
    const prepared = buildRequest(get('/corporate-accounts/v2/accounts'), { serverUrl: sandbox.url, path: {}, query: {}, headers: {} });
    assert.equal((await sendRequest(prepared, { ...opts, auth })).status, 200);
    clock += (ttl + 5) * 1000;
    const r = await sendRequest(prepared, { ...opts, auth });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.retriedAfter401, true);
    assert.equal(auth.invalidations, 1);
    assert.equal(auth.fetches, 2);
  });

  it('Norway: a 401 that a new token cannot fix (40101) is reported, not retried', async () => {
    const c = sandbox.credentials.no;
    const auth = new SandboxAuth(async () => ({
      Authorization: `Bearer ${await tokenFrom(sandbox, '/oauth/v2/token', basic(c.clientId, c.clientSecret), 'grant_type=client_credentials')}`,
    }));
    const r = await sendRequest(buildRequest(get('/corporate-accounts/v2/accounts'), { serverUrl: sandbox.url, path: {}, query: {}, headers: {} }), { ...opts, auth });
    assert.equal(r.status, 401);
    assert.equal(auth.invalidations, 0);
    assert.equal(r.apiError?.code, '40101');
    assert.equal(r.apiError?.meaning, 'invalid resource');
  });

  it('Sweden: X-JWT calls carry a fresh x-transaction-id, and an expired token and JWT are renewed once', async () => {
    const auth = swedenJwt();
    const prepared = buildRequest(get('/b2b/mobile-admin/productCatalogManagement/v1/serviceRules'), { serverUrl: sandbox.url, path: {}, query: {}, headers: {} });
    const first = await sendRequest(prepared, { ...opts, auth });
    assert.equal(first.status, 200, first.body);
    const echoed = first.headers.find(([k]) => k === 'x-transaction-id')?.[1] ?? '';
    assert.match(echoed, UUID);

    clock += (ttl + 5) * 1000;
    const second = await sendRequest(prepared, { ...opts, auth });
    assert.equal(second.status, 200, second.body);
    assert.equal(second.retriedAfter401, true);
    assert.equal(auth.fetches, 2);
    const echoedAgain = second.headers.find(([k]) => k === 'x-transaction-id')?.[1] ?? '';
    assert.match(echoedAgain, UUID);
    assert.notEqual(echoedAgain, echoed);
  });
});
