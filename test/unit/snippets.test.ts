import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PreparedRequest } from '../../src/core/http/types';
import { generateSnippet, SNIPPET_TARGETS, toHar, toSnippetWithTabStops, type SnippetTargetId } from '../../src/core/snippets';
import { Redactor } from '../../src/core/util/redact';
import { createTestServer, type RecordedRequest, type TestServer } from '../helpers/servers';

const run = promisify(execFile);

const TOKEN = 'iLsXI22AbszY1J3cA7lYusO0PAbG';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3In0.c2lnbmF0dXJl';
const PASSWORD = 'sandbox-jwt-password';
const AUTH = { Authorization: `Bearer ${TOKEN}`, 'X-JWT': JWT };

/** The Sweden hasPermission call: Bearer, X-JWT-less JSON body with a password, a query value with a space. */
function hasPermission(base: string): PreparedRequest {
  return {
    method: 'POST',
    url: `${base}/echo/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=Mobile%20Subscriptions%20Administration%20API`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ clientId: 'sandbox-jwt-client', userId: 1234567, password: PASSWORD, note: "it's $HOME `id` \\ \"q\"" }),
  };
}

function passwordGrant(base: string): PreparedRequest {
  return {
    method: 'POST',
    url: `${base}/echo/oauth/v2/token`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Basic c2FuZGJveC1uby1jbGllbnQ6c2FuZGJveC1uby1zZWNyZXQ=' },
    body: 'grant_type=password&username=api7813371375&password=p%40ss+w%26rd%24',
  };
}

describe('snippets', () => {
  let server: TestServer;
  let scratch: string;

  before(async () => {
    server = await createTestServer().start();
    // Under the repo so generated Node snippets resolve `undici` from node_modules.
    scratch = join(process.cwd(), 'out', 'snippet-scratch');
    await mkdir(scratch, { recursive: true });
  });
  after(async () => {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  describe('toHar', () => {
    it('splits the query, masks auth headers and secret fields, and keeps the rest', () => {
      const har = toHar(hasPermission('https://api.telenor.se'), { maskSecrets: true, authHeaders: AUTH });
      assert.equal(har.method, 'POST');
      assert.equal(har.url, 'https://api.telenor.se/echo/b2b/corporate/auth/right/v2/hasPermission/corporate/');
      assert.deepEqual(har.queryString, [{ name: 'service', value: 'Mobile Subscriptions Administration API' }]);
      const headers = Object.fromEntries(har.headers.map((h) => [h.name, h.value]));
      assert.equal(headers['Authorization'], 'Bearer <access_token>');
      assert.equal(headers['X-JWT'], '<jwt>');
      assert.equal(headers['X-Transaction-Id'], '<transaction_id>');
      assert.equal(headers['accept'], 'application/json');
      const body = JSON.parse(har.postData?.text ?? '') as Record<string, unknown>;
      assert.deepEqual(body, { clientId: 'sandbox-jwt-client', userId: 1234567, password: '<password>', note: "it's $HOME `id` \\ \"q\"" });
      assert.ok(!JSON.stringify(har).includes(TOKEN));
      assert.ok(!JSON.stringify(har).includes(PASSWORD));
    });

    it('masks form fields and Basic credentials, and keeps real values when asked', () => {
      const masked = toHar(passwordGrant('https://api.telenor.no'), { maskSecrets: true });
      assert.deepEqual(masked.postData?.params, [
        { name: 'grant_type', value: 'password' },
        { name: 'username', value: 'api7813371375' },
        { name: 'password', value: '<password>' },
      ]);
      assert.ok(masked.headers.some((h) => h.value === 'Basic <basic_credentials>'));
      const real = toHar(passwordGrant('https://api.telenor.no'), { maskSecrets: false, authHeaders: AUTH });
      assert.deepEqual(real.postData?.params?.[2], { name: 'password', value: 'p@ss w&rd$' });
      assert.ok(real.headers.some((h) => h.value === `Bearer ${TOKEN}`));
      assert.match(real.headers.find((h) => h.name === 'X-Transaction-Id')?.value ?? '', /^[0-9a-f-]{36}$/);
    });

    it('masks secret query parameters and anything holding a registered secret', () => {
      const redactor = new Redactor();
      redactor.register('registered-api-key-0123456789', 'password');
      const har = toHar(
        { method: 'GET', url: 'https://x.test/cb?code=abc123def456&state=s1&page=2', headers: { 'X-Api-Key': 'registered-api-key-0123456789' } },
        { maskSecrets: true, redactor },
      );
      assert.deepEqual(har.queryString, [
        { name: 'code', value: '<code>' },
        { name: 'state', value: '<state>' },
        { name: 'page', value: '2' },
      ]);
      assert.equal(har.headers[0]?.value, '***');
    });
  });

  describe('generateSnippet for every target', () => {
    for (const target of SNIPPET_TARGETS) {
      it(`${target.id}: masked by default, real values on request`, async () => {
        const masked = await generateSnippet(hasPermission('https://api.telenor.se'), target.id, { authHeaders: AUTH });
        assert.equal(masked.target, target.id);
        assert.equal(masked.language, target.language);
        assert.ok(masked.code.includes('api.telenor.se'));
        assert.ok(masked.code.toLowerCase().includes('post'));
        for (const secret of [TOKEN, JWT, PASSWORD]) assert.ok(!masked.code.includes(secret), `${target.id} leaks ${secret.slice(0, 4)}`);
        const names = masked.placeholders.map((p) => p.name).sort();
        assert.deepEqual(names, ['access_token', 'jwt', 'password', 'transaction_id']);
        for (const p of masked.placeholders) {
          assert.ok(masked.code.includes(p.text) || masked.code.includes(p.text.replace(/^\$(\w+)$/, '$${$1}')), `${p.text} in code`);
          if (target.shell) assert.match(p.text, /^\$TELENOR_[A-Z_]+$/);
          else assert.match(p.text, /^<[a-z_]+>$/);
        }

        const real = await generateSnippet(hasPermission('https://api.telenor.se'), target.id, { authHeaders: AUTH, maskSecrets: false });
        assert.ok(real.code.includes(TOKEN), `${target.id} shows the token when asked`);
        assert.ok(real.code.includes(PASSWORD));
        assert.deepEqual(real.placeholders, []);
      });
    }

    it('the registered-secret safety net masks what no rule names', async () => {
      const redactor = new Redactor();
      redactor.register('my-custom-secret-header-value', 'password');
      const s = await generateSnippet({ method: 'GET', url: 'https://x.test/a', headers: { 'X-Custom': 'my-custom-secret-header-value' } }, 'python-requests', { redactor });
      assert.ok(!s.code.includes('my-custom-secret-header-value'));
    });

    it('refuses an unknown target', async () => {
      await assert.rejects(generateSnippet(hasPermission('https://x.test'), 'cobol' as SnippetTargetId), RangeError);
    });
  });

  describe('toSnippetWithTabStops', () => {
    it('escapes $, } and \\ and turns placeholders into numbered tab stops', () => {
      const text = toSnippetWithTabStops({
        code: 'a $x {y} \\ <access_token> and <access_token> then <jwt>',
        placeholders: [
          { text: '<access_token>', name: 'access_token' },
          { text: '<jwt>', name: 'jwt' },
        ],
      });
      assert.equal(text, 'a \\$x {y\\} \\\\ ${1:<access_token>} and ${1:<access_token>} then ${2:<jwt>}');
    });

    it('numbers the stops in the placeholders’ order, so the token is the first stop even after a URL value', () => {
      const text = toSnippetWithTabStops({
        code: 'fetch("http://h/accounts/48120000", { Authorization: "Bearer <access_token>" })',
        placeholders: [
          { text: '<access_token>', name: 'access_token' },
          { text: '48120000', name: 'accountId' },
        ],
      });
      assert.equal(text, 'fetch("http://h/accounts/${2:48120000}", { Authorization: "Bearer ${1:<access_token>}" \\})');
    });

    it('handles shell variables, braced or not', async () => {
      const s = await generateSnippet(hasPermission('https://api.telenor.se'), 'curl', { authHeaders: AUTH });
      const text = toSnippetWithTabStops(s);
      assert.match(text, /\$\{1:\\\$TELENOR_[A-Z_]+\}/);
      assert.ok(text.includes('${') && !/[^\\]\$[A-Z]/.test(text.replace(/\$\{\d+:/g, '')), 'every other $ is escaped');
    });
  });

  describe('with the shared redactor (as the extension calls it)', () => {
    it('keeps the masked placeholders intact while still masking registered values', async () => {
      const redactor = new Redactor();
      redactor.register(TOKEN, 'token');
      redactor.register('custom-header-secret-value', 'password');
      const prepared = { method: 'GET', url: 'https://api.telenor.no/organizations/v1/organizations', headers: { 'X-Custom': 'custom-header-secret-value' } };
      const s = await generateSnippet(prepared, 'curl', { authHeaders: AUTH, redactor });
      // The by-shape rules would turn `Bearer $TELENOR_TOKEN` into `***` and break the command.
      assert.match(s.code, /Authorization: Bearer '?"?\$TELENOR_TOKEN/);
      assert.ok(!s.code.includes(TOKEN));
      assert.ok(!s.code.includes('custom-header-secret-value'));
    });
  });

  describe('generated code that really runs', () => {
    const env = {
      TELENOR_TOKEN: 'token-from-env-123456',
      TELENOR_JWT: 'jwt-from-env',
      TELENOR_TRANSACTION_ID: 'tx-from-env',
      TELENOR_PASSWORD: 'pw from env & $dollar',
      TELENOR_BASIC_CREDENTIALS: 'YmFzaWM6Y3JlZHM=',
    };

    async function sh(code: string, extraEnv: Record<string, string> = {}): Promise<void> {
      const fullEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent-home', ...env, ...extraEnv };
      await run('sh', ['-c', code], { env: fullEnv, timeout: 10_000 });
    }

    /** Quiet curl: options go right after `curl`, since the code may end in a here-document. */
    const quiet = (code: string): string => code.replace(/^curl /, 'curl --silent --output /dev/null ');

    function seen(): RecordedRequest {
      assert.equal(server.requests.length, 1, 'the server saw exactly one request');
      return server.requests[0] as RecordedRequest;
    }

    it('curl (secrets included): the server sees method, path, query, headers and the exact JSON', async () => {
      const prepared = hasPermission(server.url);
      const s = await generateSnippet(prepared, 'curl', { authHeaders: AUTH, maskSecrets: false });
      await sh(quiet(s.code));
      const req = seen();
      assert.equal(req.method, 'POST');
      assert.equal(req.url, '/echo/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=Mobile%20Subscriptions%20Administration%20API');
      assert.equal(req.headers['authorization'], `Bearer ${TOKEN}`);
      assert.equal(req.headers['x-jwt'], JWT);
      assert.match(String(req.headers['x-transaction-id']), /^[0-9a-f-]{36}$/);
      assert.equal(req.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(req.body), JSON.parse(prepared.body as string));
    });

    it('curl (masked): placeholders are environment variables the shell fills in', async () => {
      const prepared = hasPermission(server.url);
      const s = await generateSnippet(prepared, 'curl', { authHeaders: AUTH });
      await sh(quiet(s.code));
      const req = seen();
      assert.equal(req.headers['authorization'], `Bearer ${env.TELENOR_TOKEN}`);
      assert.equal(req.headers['x-jwt'], env.TELENOR_JWT);
      assert.equal(req.headers['x-transaction-id'], env.TELENOR_TRANSACTION_ID);
      const body = JSON.parse(req.body) as Record<string, unknown>;
      assert.equal(body['password'], env.TELENOR_PASSWORD);
      assert.equal(body['note'], "it's $HOME `id` \\ \"q\"", 'the rest of the body is not expanded by the shell');
    });

    it('curl form body: encoded fields arrive intact, masked or not', async () => {
      const real = await generateSnippet(passwordGrant(server.url), 'curl', { maskSecrets: false });
      await sh(quiet(real.code));
      let req = seen();
      assert.equal(req.url, '/echo/oauth/v2/token');
      assert.equal(req.headers['authorization'], 'Basic c2FuZGJveC1uby1jbGllbnQ6c2FuZGJveC1uby1zZWNyZXQ=');
      const form = new URLSearchParams(req.body);
      assert.deepEqual([form.get('grant_type'), form.get('username'), form.get('password')], ['password', 'api7813371375', 'p@ss w&rd$']);

      server.requests.length = 0;
      const masked = await generateSnippet(passwordGrant(server.url), 'curl');
      await sh(quiet(masked.code));
      req = seen();
      assert.equal(req.headers['authorization'], `Basic ${env.TELENOR_BASIC_CREDENTIALS}`);
      assert.equal(new URLSearchParams(req.body).get('password'), env.TELENOR_PASSWORD);
    });

    it('wget (masked) reaches the server with the variables filled in', async function () {
      if (!(await has('wget'))) this.skip();
      const s = await generateSnippet(passwordGrant(server.url), 'wget');
      // wget sends --body-data as it is, so a variable's value must already be form-encoded.
      await sh(s.code.replace('--output-document \\\n  -', '--output-document /dev/null'), { TELENOR_PASSWORD: 'pw%20from%20env%26' });
      const req = seen();
      assert.equal(req.headers['authorization'], `Basic ${env.TELENOR_BASIC_CREDENTIALS}`);
      const form = new URLSearchParams(req.body);
      assert.deepEqual([form.get('grant_type'), form.get('username'), form.get('password')], ['password', 'api7813371375', 'pw from env&']);
    });

    it('python-requests (secrets included) sends the exact JSON, backslashes and quotes included', async function () {
      if (!(await has('python3')) || !(await succeeds('python3', ['-c', 'import requests']))) this.skip();
      const prepared = hasPermission(server.url);
      const s = await generateSnippet(prepared, 'python-requests', { authHeaders: AUTH, maskSecrets: false });
      await run('python3', ['-c', s.code], { timeout: 15_000 });
      const req = seen();
      assert.equal(req.headers['authorization'], `Bearer ${TOKEN}`);
      assert.deepEqual(JSON.parse(req.body), JSON.parse(prepared.body as string));
    });

    it('powershell keeps apostrophes in the body inside its single-quoted string', async () => {
      const s = await generateSnippet(hasPermission('https://api.telenor.se'), 'powershell', { maskSecrets: false });
      assert.ok(s.code.includes(`-Body '${(hasPermission('https://api.telenor.se').body as string).replace(/'/g, "''")}'`));
    });

    for (const id of ['node-undici', 'js-fetch'] as const) {
      it(`${id} (secrets included) runs under Node and sends the same request`, async () => {
        const prepared = hasPermission(server.url);
        const s = await generateSnippet(prepared, id, { authHeaders: AUTH, maskSecrets: false });
        const file = join(scratch, `${id}.mjs`);
        await writeFile(file, s.code);
        await run(process.execPath, [file], { timeout: 10_000 });
        const req = seen();
        assert.equal(req.method, 'POST');
        assert.equal(req.url, '/echo/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=Mobile%20Subscriptions%20Administration%20API');
        assert.equal(req.headers['authorization'], `Bearer ${TOKEN}`);
        assert.equal(req.headers['x-jwt'], JWT);
        assert.deepEqual(JSON.parse(req.body), JSON.parse(prepared.body as string));
      });
    }
  });
});

async function succeeds(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args, { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function has(tool: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${tool}`]);
    return true;
  } catch {
    return false;
  }
}
