import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiIdForSource, originOf } from '../../src/core/spec/ids';
import { buildIndex, findOperation } from '../../src/core/spec/indexer';
import { parseSpec } from '../../src/core/spec/parse';
import { SpecService } from '../../src/core/spec/service';
import type { ApiIndex, LoadResult, OperationInfo, SpecSource } from '../../src/core/spec/types';
import { fixture } from '../fixtures/specs/helpers';

function ok(result: LoadResult): Extract<LoadResult, { ok: true }> {
  assert.ok(result.ok, `expected the spec to load: ${JSON.stringify(result.problems)}`);
  return result;
}

function op(api: ApiIndex, method: string, path: string): OperationInfo {
  const found = Object.values(api.operations).find((o) => o.method === method && o.path === path);
  assert.ok(found, `${method} ${path} is indexed`);
  return found;
}

describe('spec index', () => {
  const service = new SpecService();
  after(() => service.dispose());

  describe('Swagger 2.0 (JSON)', () => {
    let api: ApiIndex;
    let result: Extract<LoadResult, { ok: true }>;
    before(async () => {
      result = ok(await service.load({ kind: 'file', path: fixture('swagger2-telenor.json') }));
      api = result.api;
    });

    it('loads without problems and keeps title, version and top-level extensions', () => {
      assert.deepEqual(result.problems, []);
      assert.equal(api.specVersion, '2.0');
      assert.equal(api.title, 'Mobile Subscription Info API');
      assert.equal(api.version, '2.1');
      assert.deepEqual(api.extensions, { 'x-telenor-auth': { country: 'no', grant: 'password' } });
    });

    it('maps host + basePath + schemes to servers', () => {
      assert.deepEqual(
        api.servers.map((s) => s.url),
        ['https://api.telenor.no/corporate-mobile-subscriptions', 'http://api.telenor.no/corporate-mobile-subscriptions'],
      );
    });

    it('maps securityDefinitions and their flows to OpenAPI 3 names, keeping extensions', () => {
      const s = api.securitySchemes;
      assert.deepEqual(s['machineUser'], {
        type: 'oauth2',
        flows: { password: { scopes: { subscriptions: 'Read mobile subscriptions' }, tokenUrl: 'https://api.telenor.no/oauth/v2/token' } },
        extensions: { 'x-telenor-grant': 'no-password' },
      });
      assert.deepEqual(Object.keys(s['stores']?.flows ?? {}), ['clientCredentials']);
      assert.deepEqual(s['lineAuth']?.flows?.authorizationCode, {
        scopes: { device: 'Device information' },
        tokenUrl: 'https://api.telenor.no/oauth/v2/token',
        authorizationUrl: 'https://api.telenor.no/oauth/v2/authorize',
      });
      assert.deepEqual(Object.keys(s['legacyImplicit']?.flows ?? {}), ['implicit']);
      assert.deepEqual(s['clientBasic'], { type: 'http', scheme: 'basic', description: 'client_id:client_secret' });
      assert.deepEqual(s['apiKey'], { type: 'apiKey', name: 'X-API-Key', in: 'header' });
    });

    it('groups operations by tag in document order, untagged ones under "default", unused tags dropped', () => {
      assert.deepEqual(
        api.tags.map((t) => [t.name, t.operationIds.length]),
        [
          ['subscriptions', 3],
          ['oauth', 1],
          ['default', 1],
        ],
      );
      assert.equal(api.operationCount, 5);
      assert.deepEqual(api.tags[0]?.operationIds, [
        '#/paths/~1v2~1mobile-subscriptions/get',
        '#/paths/~1v2~1mobile-subscriptions~1{subscriptionId}/get',
        '#/paths/~1v2~1mobile-subscriptions~1{subscriptionId}/put',
      ]);
    });

    it('merges path-level parameters with operation-level ones (operation wins by name + in)', () => {
      const list = op(api, 'get', '/v2/mobile-subscriptions');
      assert.deepEqual(
        list.parameters.map((p) => `${p.in}:${p.name}`),
        ['header:X-Transaction-Id', 'query:pageSize', 'query:productId', 'query:since'],
      );
      const pageSize = list.parameters.find((p) => p.name === 'pageSize');
      assert.equal(pageSize?.required, true, 'the operation-level definition replaced the path-level one');
      assert.equal(pageSize?.default, 50);
      assert.equal(pageSize?.maximum, 1000);
      const productId = list.parameters.find((p) => p.name === 'productId');
      assert.deepEqual([productId?.type, productId?.items, productId?.style, productId?.explode], ['array', { type: 'string' }, 'form', true]);
      const byId = op(api, 'get', '/v2/mobile-subscriptions/{subscriptionId}');
      assert.deepEqual(byId.parameters, [{ name: 'subscriptionId', in: 'path', required: true, type: 'string', example: '4790000001' }]);
    });

    it('turns a body parameter into a request body with the consumed media types', () => {
      const put = op(api, 'put', '/v2/mobile-subscriptions/{subscriptionId}');
      assert.deepEqual(put.requestBody, {
        required: true,
        description: 'The new state',
        contents: [
          { mediaType: 'application/json', hasExample: false, schemaRef: '#/definitions/Subscription' },
          { mediaType: 'application/xml', hasExample: false, schemaRef: '#/definitions/Subscription' },
        ],
      });
      assert.ok(!put.parameters.some((p) => (p.in as string) === 'body'));
    });

    it('turns formData parameters into a form request body with a synthesized schema', () => {
      const token = op(api, 'post', '/oauth/v2/token');
      assert.equal(token.requestBody?.required, true);
      const [content] = token.requestBody?.contents ?? [];
      assert.equal(content?.mediaType, 'application/x-www-form-urlencoded');
      assert.equal(content?.schemaRef, undefined);
      assert.deepEqual(content?.schema, {
        type: 'object',
        properties: {
          grant_type: { type: 'string', enum: ['password', 'client_credentials', 'authorization_code', 'refresh_token'] },
          username: { type: 'string', example: 'api7813371375' },
          scope: { type: 'string' },
        },
        required: ['grant_type'],
      });
    });

    it('computes effective security: operation-level, else document-level; [] means none', () => {
      assert.deepEqual(op(api, 'get', '/v2/mobile-subscriptions').security, [{ machineUser: ['subscriptions'] }]);
      assert.deepEqual(op(api, 'post', '/oauth/v2/token').security, [{ clientBasic: [] }]);
      assert.deepEqual(op(api, 'get', '/oauth/v2/logout').security, []);
    });

    it('lists responses with the produced media types', () => {
      const list = op(api, 'get', '/v2/mobile-subscriptions');
      assert.deepEqual(list.responses, [
        { status: '200', description: 'A page of subscriptions', mediaTypes: ['application/json'] },
        { status: '401', description: 'Token missing, invalid or expired (40101…40108)', mediaTypes: [] },
      ]);
      assert.deepEqual(op(api, 'get', '/oauth/v2/logout').responses[0]?.mediaTypes, ['text/plain']);
    });
  });

  describe('OpenAPI 3.0 (YAML, external file $refs)', () => {
    let api: ApiIndex;
    let result: Extract<LoadResult, { ok: true }>;
    before(async () => {
      result = ok(await service.load({ kind: 'file', path: fixture('openapi30-external', 'main.yaml') }));
      api = result.api;
    });

    it('bundles the referenced files so parameters and schemas resolve', () => {
      assert.deepEqual(result.problems, []);
      const list = op(api, 'get', '/v2/accounts');
      const pageSize = list.parameters.find((p) => p.name === 'pageSize');
      assert.deepEqual(pageSize, {
        name: 'pageSize',
        in: 'query',
        required: false,
        description: 'Items per page (1–1000)',
        type: 'integer',
        default: 100,
        minimum: 1,
        maximum: 1000,
      });
      assert.deepEqual(list.parameters.find((p) => p.name === 'status')?.enum, ['open', 'closed']);
    });

    it('expands server variables with their defaults and keeps the variables', () => {
      assert.equal(api.servers[0]?.url, 'https://test.api.example.test/corporate-accounts');
      assert.deepEqual(api.servers[0]?.variables, { env: { default: 'test', enum: ['test', 'prod'] } });
    });

    it('uses path-level servers for the operations of that path', () => {
      assert.deepEqual(op(api, 'get', '/v2/accounts/{accountId}').servers, [{ url: 'https://accounts.example.test/v2-legacy' }]);
      assert.equal(op(api, 'get', '/v2/accounts').servers, undefined);
    });

    it('resolves request bodies by $ref and points at the schema location', () => {
      const post = op(api, 'post', '/v2/accounts');
      assert.equal(post.requestBody?.required, true);
      const [content] = post.requestBody?.contents ?? [];
      assert.equal(content?.mediaType, 'application/json');
      assert.equal(content?.hasExample, true);
      assert.ok(content?.schemaRef?.startsWith('#/'), 'a local pointer into the bundled document');
    });

    it('maps security schemes (oauth2 client credentials with extensions, http bearer) and effective security', () => {
      assert.deepEqual(api.securitySchemes['seClient'], {
        type: 'oauth2',
        extensions: { 'x-telenor-token-path': '/openapi/oauth2/token' },
        flows: { clientCredentials: { scopes: { openapi: 'Open APIs' }, tokenUrl: 'https://api.example.test/openapi/oauth2/token' } },
      });
      assert.deepEqual(api.securitySchemes['bearer'], { type: 'http', scheme: 'bearer', bearerFormat: 'opaque' });
      assert.deepEqual(op(api, 'get', '/v2/accounts').security, [{ seClient: [] }]);
      assert.deepEqual(op(api, 'get', '/v2/accounts/{accountId}').security, []);
    });
  });

  describe('OpenAPI 3.1 with webhooks and jsonSchemaDialect', () => {
    it('indexes the paths and leaves webhooks out of the operations', async () => {
      const { api, problems } = ok(await service.load({ kind: 'file', path: fixture('openapi31-webhooks.yaml') }));
      assert.deepEqual(problems, []);
      assert.equal(api.specVersion, '3.1');
      assert.equal(api.operationCount, 1);
      const create = op(api, 'post', '/subscriptions');
      assert.equal(create.requestBody?.contents[0]?.schemaRef, '#/components/schemas/SubscriptionRequest');
      assert.deepEqual(api.servers, [{ url: '/device-events/v1' }]);
    });

    it('loads a 3.1 document that has only webhooks', () => {
      const text = 'openapi: 3.1.0\ninfo: {title: Hooks, version: "1"}\nwebhooks:\n  ping:\n    post:\n      responses: {"200": {description: ok}}\n';
      const parsed = parseSpec(text, 'hooks.yaml');
      assert.ok(parsed.ok);
      const { api, problems } = buildIndex(parsed.doc, { id: 'x', origin: 'hooks.yaml', source: { kind: 'text', text, origin: 'hooks.yaml' }, specVersion: '3.1' });
      assert.equal(api.operationCount, 0);
      assert.deepEqual(problems, []);
    });
  });

  describe('circular schemas', () => {
    it('indexes without expanding schemas', async () => {
      const { api, problems } = ok(await service.load({ kind: 'file', path: fixture('circular.yaml') }));
      assert.deepEqual(problems, []);
      assert.equal(op(api, 'post', '/nodes').requestBody?.contents[0]?.schemaRef, '#/components/schemas/Node');
    });
  });

  describe('broken but parseable', () => {
    it('skips the bad pieces, indexes the rest, and names each problem by pointer and line', async () => {
      const { api, problems } = ok(await service.load({ kind: 'file', path: fixture('dangling.yaml') }));
      assert.deepEqual(
        Object.values(api.operations).map((o) => `${o.method} ${o.path}`),
        ['get /ok', 'post /ok', 'put /bad-op'],
      );
      assert.deepEqual(
        op(api, 'get', '/ok').parameters.map((p) => p.name),
        ['q'],
      );
      const byPointer = new Map(problems.map((p) => [p.pointer, p]));
      const dangling = byPointer.get('#/paths/~1ok/get/parameters/0');
      assert.equal(dangling?.code, 'ref');
      assert.match(dangling?.message ?? '', /^dangling\.yaml line 12, column 11: parameter: \$ref points to #\/components\/parameters\/Missing/);
      assert.equal(byPointer.get('#/paths/~1ok/get/parameters/1')?.code, 'structure');
      assert.match(byPointer.get('#/paths/~1ok/get/parameters/1')?.message ?? '', /has no `in`/);
      assert.equal(byPointer.get('#/paths/~1string-item')?.code, 'structure');
      assert.equal(byPointer.get('#/paths/~1string-item')?.line, 33);
      assert.equal(byPointer.get('#/paths/~1bad-op/get')?.code, 'structure');
      assert.equal(byPointer.get('#/paths/~1ok/post/requestBody/content/application~1json/schema')?.code, 'ref');
      assert.equal(op(api, 'post', '/ok').requestBody?.contents[0]?.schemaRef, undefined);
      const scheme = problems.find((p) => p.message.includes('missingScheme'));
      assert.equal(scheme?.severity, 'warning');
      for (const p of problems) assert.ok(p.hint, `problem ${p.message} has a hint`);
    });

    it('builds an index from junk shapes without throwing', () => {
      const junk = [
        { openapi: '3.0.0', paths: [] },
        { openapi: '3.0.0', paths: { '/a': { get: { parameters: 'x', responses: 5, requestBody: [], security: {}, tags: [1, null] } } } },
        { openapi: '3.0.0', info: 'x', servers: 'y', tags: [null, { name: 1 }], components: { securitySchemes: { a: 1, b: { type: 'nope' }, c: { type: 'oauth2' } } } },
        { swagger: '2.0', host: 5, securityDefinitions: { x: { type: 'oauth2', flow: 'sideways' } }, paths: { '/a': { parameters: [{ $ref: '#/nope' }], post: { parameters: [{ in: 'formData' }] } } } },
      ];
      for (const doc of junk) {
        const { api, problems } = buildIndex(doc, { id: 'j', origin: 'junk', source: { kind: 'text', text: '', origin: 'junk' }, specVersion: doc.swagger ? '2.0' : '3.0' });
        assert.equal(typeof api.operationCount, 'number');
        assert.ok(problems.length > 0, `junk ${JSON.stringify(doc)} produced problems`);
      }
    });
  });

  describe('ids', () => {
    it('derives API ids from the source, never from the title, without leaking query strings', () => {
      const file: SpecSource = { kind: 'file', path: '/tmp/specs/a.yaml' };
      assert.equal(apiIdForSource(file), 'file:/tmp/specs/a.yaml');
      assert.equal(originOf(file), 'a.yaml');
      const url: SpecSource = { kind: 'url', url: 'https://user:pw@example.test/spec.yaml?token=SECRET123' };
      assert.doesNotMatch(apiIdForSource(url), /SECRET123|pw/);
      assert.doesNotMatch(originOf(url), /SECRET123|pw/);
      assert.notEqual(apiIdForSource(url), apiIdForSource({ kind: 'url', url: 'https://example.test/spec.yaml?token=other' }));
      assert.equal(apiIdForSource({ kind: 'builtin', path: '/x', name: 'se-open' }), 'builtin:se-open');
    });

    it('finds an operation by its id, following a path item $ref', () => {
      const text = readFileSync(fixture('swagger2-telenor.json'), 'utf8');
      const parsed = parseSpec(text, 'x.json');
      assert.ok(parsed.ok);
      const found = findOperation(parsed.doc, '#/paths/~1oauth~1v2~1token/post');
      assert.equal(found?.operation['operationId'], 'createToken');
      const refDoc = { paths: { '/a': { $ref: '#/x-items/A' } }, 'x-items': { A: { get: { operationId: 'viaRef' } } } };
      assert.equal(findOperation(refDoc, '#/paths/~1a/get')?.pointer, '#/x-items/A/get');
      assert.equal(findOperation(refDoc, '#/paths/~1a/nope'), undefined);
    });
  });
});
