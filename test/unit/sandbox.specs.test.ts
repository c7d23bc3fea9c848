// The OpenAPI specs shipped with the sandbox: valid (swagger-parser), described as BUILTIN_SPECS says,
// covering Swagger 2.0, OpenAPI 3.0 and 3.1, with Telenor's real token URLs, and in step with the sandbox
// (every documented operation answers there).

import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { request } from 'undici';
import { findUp } from '../../src/sandbox/specs';
import { BUILTIN_SPECS, startSandbox, type BuiltinSpec, type RunningSandbox } from '../../src/sandbox/index';

type Obj = Record<string, unknown>;

function repoRoot(): string {
  const manifest = findUp(__dirname, ['package.json']);
  if (manifest === undefined) throw new Error('package.json not found above the test bundle');
  return dirname(manifest);
}

const SPECS_DIR = join(repoRoot(), 'src', 'sandbox', 'specs');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

interface Loaded {
  entry: BuiltinSpec;
  doc: Obj;
}

function obj(v: unknown): Obj {
  assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v as Obj;
}

function operations(doc: Obj): Array<{ path: string; method: string; op: Obj }> {
  const out: Array<{ path: string; method: string; op: Obj }> = [];
  for (const [path, item] of Object.entries(obj(doc['paths']))) {
    for (const [method, op] of Object.entries(obj(item))) {
      if (METHODS.includes(method)) out.push({ path, method, op: obj(op) });
    }
  }
  return out;
}

function schemes(doc: Obj): Obj {
  return obj(doc['swagger'] === '2.0' ? doc['securityDefinitions'] : obj(doc['components'])['securitySchemes']);
}

describe('sandbox specs', function () {
  const loaded: Loaded[] = [];

  before(async function () {
    this.timeout(20_000);
    for (const entry of BUILTIN_SPECS) {
      // validate() parses, dereferences and checks against the official schemas; a throw fails the suite.
      const doc = (await SwaggerParser.validate(join(SPECS_DIR, entry.file))) as unknown as Obj;
      loaded.push({ entry, doc });
    }
  });

  it('ships exactly the files BUILTIN_SPECS lists', () => {
    assert.deepEqual(readdirSync(SPECS_DIR).sort(), BUILTIN_SPECS.map((s) => s.file).sort());
  });

  it('covers Swagger 2.0, OpenAPI 3.0 and OpenAPI 3.1, in YAML and JSON', () => {
    const versions = loaded.map(({ doc }) => String(doc['swagger'] ?? doc['openapi']));
    assert.ok(versions.includes('2.0'));
    assert.ok(versions.some((v) => v.startsWith('3.0.')));
    assert.ok(versions.some((v) => v.startsWith('3.1.')));
    assert.ok(BUILTIN_SPECS.some((s) => s.file.endsWith('.json')) && BUILTIN_SPECS.some((s) => s.file.endsWith('.yaml')));
  });

  it('titles and x-telenor match BUILTIN_SPECS', () => {
    for (const { entry, doc } of loaded) {
      assert.equal(obj(doc['info'])['title'], entry.title, entry.file);
      const x = obj(doc['x-telenor']);
      assert.equal(x['region'], entry.region, entry.file);
      assert.equal(x['grant'], entry.grant, entry.file);
      assert.equal(x['service'], entry.service, entry.file);
      assert.equal(entry.grant.slice(0, 2), entry.region, `${entry.file}: grant belongs to the region`);
    }
  });

  it('documents every operation: tags, summary, description, operationId, a 2xx with schema and example', () => {
    for (const { entry, doc } of loaded) {
      const tagNames = (doc['tags'] as Obj[]).map((t) => {
        assert.ok(typeof t['description'] === 'string' && t['description'] !== '', `${entry.file}: tag ${String(t['name'])} has a description`);
        return t['name'];
      });
      const ops = operations(doc);
      assert.ok(ops.length > 0, entry.file);
      for (const { path, method, op } of ops) {
        const where = `${entry.file} ${method} ${path}`;
        for (const key of ['summary', 'description', 'operationId']) assert.ok(typeof op[key] === 'string' && op[key] !== '', `${where}: ${key}`);
        assert.ok((op['tags'] as string[]).every((t) => tagNames.includes(t)), `${where}: declared tags`);
        const ok = Object.entries(obj(op['responses'])).find(([status]) => status.startsWith('2'));
        assert.ok(ok, `${where}: a 2xx response`);
        const response = obj(ok[1]);
        if (doc['swagger'] === '2.0') {
          assert.ok(response['schema'] && response['examples'], `${where}: schema and example`);
        } else {
          const media = obj(obj(response['content'])['application/json']);
          assert.ok(media['schema'] && (media['example'] !== undefined || media['examples'] !== undefined), `${where}: schema and example`);
        }
      }
    }
  });

  it('parameters carry types, and the set uses enums, defaults and examples', () => {
    const params = loaded.flatMap(({ doc }) => operations(doc).flatMap(({ op }) => (op['parameters'] as Obj[] | undefined) ?? []));
    assert.ok(params.length >= 6);
    const schemaOf = (p: Obj): Obj => (p['schema'] === undefined ? p : obj(p['schema']));
    assert.ok(params.every((p) => typeof schemaOf(p)['type'] === 'string'), 'every parameter has a type');
    assert.ok(params.some((p) => Array.isArray(schemaOf(p)['enum'])), 'an enum');
    assert.ok(params.some((p) => schemaOf(p)['default'] !== undefined), 'a default');
    assert.ok(params.some((p) => p['example'] !== undefined || p['x-example'] !== undefined), 'an example');
  });

  it("uses Telenor's real token and authorize URLs, and an X-JWT apiKey for the Communication API", () => {
    for (const { entry, doc } of loaded) {
      const all = schemes(doc);
      const oauth = Object.values(all).map(obj).find((s) => s['type'] === 'oauth2');
      assert.ok(oauth, `${entry.file}: an oauth2 scheme`);
      const flows: Obj = doc['swagger'] === '2.0' ? { [String(oauth['flow'])]: oauth } : obj(oauth['flows']);
      const flowNames = Object.keys(flows);
      const tokenUrls = Object.values(flows).map((f) => obj(f)['tokenUrl']);
      if (entry.region === 'no') {
        assert.ok(tokenUrls.every((u) => u === 'https://api.telenor.no/oauth/v2/token'), entry.file);
        const flowOf: Record<string, string> = {
          'no-password': 'password',
          'no-client-credentials': doc['swagger'] === '2.0' ? 'application' : 'clientCredentials',
          'no-authorization-code': 'authorizationCode',
        };
        const expected = flowOf[entry.grant];
        assert.deepEqual(flowNames, [expected], entry.file);
        if (entry.grant === 'no-authorization-code') {
          assert.equal(obj(flows['authorizationCode'])['authorizationUrl'], 'https://api.telenor.no/oauth/v2/authorize');
        }
      } else {
        assert.deepEqual(flowNames, ['clientCredentials'], entry.file);
        assert.deepEqual(tokenUrls, ['/openapi/oauth2/token'], entry.file);
      }
      if (entry.service !== undefined) {
        assert.deepEqual(all['X-JWT'], { type: 'apiKey', in: 'header', name: 'X-JWT', description: obj(all['X-JWT'])['description'] });
        assert.ok((doc['security'] as Obj[]).some((req) => 'X-JWT' in req), `${entry.file}: X-JWT is required`);
      }
    }
  });

  it('Norway specs name the production and test hosts; Sweden specs a configurable base URL', () => {
    for (const { entry, doc } of loaded) {
      const servers = (doc['servers'] ?? doc['x-servers']) as Obj[];
      if (entry.region === 'no') {
        const byDescription = Object.fromEntries(servers.map((s) => [s['description'], new URL(String(s['url'])).origin]));
        assert.deepEqual(byDescription, { Production: 'https://api.telenor.no', Test: 'https://test-api.telenor.no' }, entry.file);
        if (doc['swagger'] === '2.0') assert.equal(doc['host'], 'api.telenor.no');
      } else {
        assert.equal(servers.length, 1);
        const server = obj(servers[0]);
        assert.equal(server['url'], '{baseUrl}', entry.file);
        assert.match(String(server['description']), /configure|set `baseUrl`/i);
        assert.ok(obj(obj(server['variables'])['baseUrl'])['default']);
      }
    }
  });

  describe('in step with the sandbox', () => {
    let sandbox: RunningSandbox;
    before(async () => {
      sandbox = await startSandbox({ port: 0, rateLimit: false });
    });
    after(() => sandbox.close());

    async function post(path: string, auth: string, form: Record<string, string>): Promise<Obj> {
      const r = await request(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      return (await r.body.json()) as Obj;
    }

    const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

    /** Headers that satisfy each spec's security, obtained from the sandbox like a client would. */
    async function authFor(entry: BuiltinSpec): Promise<Record<string, string>> {
      const { se, no } = sandbox.credentials;
      if (entry.region === 'se') {
        const token = String((await post('/openapi/oauth2/token', basic(se.clientId, se.clientSecret), { grant_type: 'client_credentials' }))['access_token']);
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'x-transaction-id': 'spec-check' };
        if (entry.service !== undefined) {
          const r = await request(`${sandbox.url}/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=${encodeURIComponent(entry.service)}`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({ clientId: se.jwt.clientId, userId: Number(se.jwt.userId), password: se.jwt.password }),
          });
          headers['x-jwt'] = String(((await r.body.json()) as Obj)['token']);
        }
        return headers;
      }
      const client = basic(no.clientId, no.clientSecret);
      let token: unknown;
      if (entry.grant === 'no-password') {
        token = (await post('/oauth/v2/token', client, { grant_type: 'password', ...no.machineUser }))['access_token'];
      } else if (entry.grant === 'no-client-credentials') {
        token = (await post('/oauth/v2/token', client, { grant_type: 'client_credentials' }))['access_token'];
      } else {
        const redirect = 'http://127.0.0.1:1/cb';
        const page = await request(`${sandbox.url}/oauth/v2/authorize?client_id=${no.clientId}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code`);
        const id = /name="request_id" value="([^"]+)"/.exec(await page.body.text())?.[1] ?? '';
        const answer = await request(`${sandbox.url}/oauth/v2/authorize`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ request_id: id, decision: 'approve', line: 'kari' }).toString(),
        });
        await answer.body.dump();
        const code = new URL(String(answer.headers['location'])).searchParams.get('code') ?? '';
        token = (await post('/oauth/v2/token', client, { grant_type: 'authorization_code', code, redirect_uri: redirect }))['access_token'];
      }
      return { authorization: `Bearer ${String(token)}` };
    }

    it('every documented operation answers 200 in the sandbox with its documented example values', async () => {
      for (const { entry, doc } of loaded) {
        const headers = await authFor(entry);
        const basePath = doc['swagger'] === '2.0' ? String(doc['basePath'] ?? '') : '';
        for (const { path, method, op } of operations(doc)) {
          const params = ((op['parameters'] as Obj[] | undefined) ?? []).filter((p) => p['in'] === 'path');
          const concrete = params.reduce<string>((p, param) => {
            const example = param['example'] ?? param['x-example'];
            return p.replace(`{${String(param['name'])}}`, encodeURIComponent(String(example)));
          }, path);
          const r = await request(`${sandbox.url}${basePath}${concrete}`, { method: method.toUpperCase() as 'GET', headers });
          const text = await r.body.text();
          assert.equal(r.statusCode, 200, `${entry.file} ${method} ${concrete}: ${text}`);
        }
      }
    });
  });
});
