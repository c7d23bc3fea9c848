import * as assert from 'node:assert/strict';
import { isErrorKind } from '../../src/core/errors';
import { exampleText } from '../../src/core/spec/examples';
import { SpecService } from '../../src/core/spec/service';
import type { ApiIndex, LoadResult } from '../../src/core/spec/types';
import { fixture } from '../fixtures/specs/helpers';

function api(result: LoadResult): ApiIndex {
  assert.ok(result.ok, JSON.stringify(result.problems));
  return result.api;
}

function opId(index: ApiIndex, operationId: string): string {
  const found = Object.values(index.operations).find((o) => o.operationId === operationId);
  assert.ok(found, operationId);
  return found.id;
}

/** Depth of nested objects/arrays in a value. */
function depth(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const children = Array.isArray(v) ? v : Object.values(v);
  return 1 + Math.max(0, ...children.map(depth));
}

describe('spec examples, schemas and validation', () => {
  const service = new SpecService();
  let swagger: ApiIndex;
  let circular: ApiIndex;
  let openapi31: ApiIndex;

  before(async () => {
    swagger = api(await service.load({ kind: 'file', path: fixture('swagger2-telenor.json') }));
    circular = api(await service.load({ kind: 'file', path: fixture('circular.yaml') }));
    openapi31 = api(await service.load({ kind: 'file', path: fixture('openapi31-webhooks.yaml') }));
  });
  after(() => service.dispose());

  describe('body examples', () => {
    it('generates an example for a circular schema, cut at the cycle and bounded in depth', async () => {
      const ex = await service.example(circular.id, opId(circular, 'createNode'));
      assert.equal(ex.source, 'schema');
      assert.equal(ex.mediaType, 'application/json');
      assert.equal(ex.truncated, true);
      const value = ex.value as { name?: unknown; children?: unknown[]; parent?: unknown };
      assert.equal(typeof value.name, 'string');
      assert.ok(Array.isArray(value.children));
      assert.ok(depth(ex.value) <= 4, `depth ${depth(ex.value)}`);
      assert.deepEqual(JSON.parse(ex.text), ex.value);
    });

    it('handles mutual recursion through allOf (A → B → A)', async () => {
      const ex = await service.example(circular.id, opId(circular, 'putPair'));
      const value = ex.value as { label?: unknown; b?: { extra?: unknown } };
      assert.equal(typeof value.label, 'string');
      assert.equal(typeof value.b?.extra, 'number');
    });

    it('leaves readOnly properties out of request examples and uses schema examples', async () => {
      const ex = await service.example(swagger.id, opId(swagger, 'updateSubscription'));
      const value = ex.value as Record<string, unknown>;
      assert.equal(value['id'], undefined, 'readOnly id is left out');
      assert.equal(value['msisdn'], '4790000001', 'the property example is used');
    });

    it('picks the named media type and refuses one the operation does not accept', async () => {
      const json = await service.example(swagger.id, opId(swagger, 'updateSubscription'), 'application/xml');
      assert.equal(json.mediaType, 'application/xml');
      const missing = await service.example(swagger.id, opId(swagger, 'updateSubscription'), 'text/csv');
      assert.equal(missing.source, 'none');
    });

    it('writes a URL-encoded example for Swagger 2.0 formData', async () => {
      const ex = await service.example(swagger.id, opId(swagger, 'createToken'));
      assert.equal(ex.mediaType, 'application/x-www-form-urlencoded');
      const form = new URLSearchParams(ex.text);
      assert.equal(form.get('grant_type'), 'password', 'the first enum value');
      assert.equal(form.get('username'), 'api7813371375', 'x-example is used');
    });

    it('prefers explicit media type examples, then the first of `examples`', async () => {
      const text = [
        'openapi: 3.0.3',
        'info: {title: t, version: "1"}',
        'paths:',
        '  /a:',
        '    post:',
        '      requestBody:',
        '        content:',
        '          application/json:',
        '            schema: {type: object}',
        '            examples:',
        '              first: {$ref: "#/components/examples/One"}',
        '              second: {value: {n: 2}}',
        '      responses: {"200": {description: ok}}',
        'components:',
        '  examples:',
        '    One: {value: {n: 1}}',
      ].join('\n');
      const index = api(await service.load({ kind: 'text', text, origin: 'ex.yaml' }));
      const ex = await service.example(index.id, '#/paths/~1a/post');
      assert.deepEqual([ex.source, ex.value], ['examples', { n: 1 }]);
    });

    it('uses 3.1 `examples` arrays and keywords next to $ref', async () => {
      const ex = await service.example(openapi31.id, opId(openapi31, 'createSubscription'));
      const value = ex.value as Record<string, unknown>;
      assert.equal(value['note'], 'for the fleet dashboard');
      assert.deepEqual(value['types'], ['roaming']);
    });

    it('keeps a very wide and deep schema small', async () => {
      const properties: Record<string, unknown> = {};
      for (let i = 0; i < 60; i++) properties[`p${i}`] = { $ref: '#/components/schemas/Wide' };
      const doc = {
        openapi: '3.0.3',
        info: { title: 'wide', version: '1' },
        paths: { '/w': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Root' } } } }, responses: {} } } },
        components: { schemas: { Root: { type: 'object', properties }, Wide: { type: 'object', properties } } },
      };
      const index = api(await service.load({ kind: 'text', text: JSON.stringify(doc), origin: 'wide.json' }));
      const started = performance.now();
      const ex = await service.example(index.id, '#/paths/~1w/post');
      assert.ok(performance.now() - started < 3000);
      assert.ok(ex.text.length <= 64 * 1024, `example is ${ex.text.length} chars`);
      assert.equal(ex.truncated, true);
    });

    it('says so for operations without a body, and throws a spec error for unknown operations', async () => {
      const none = await service.example(swagger.id, opId(swagger, 'listSubscriptions'));
      assert.deepEqual([none.source, none.text], ['none', '']);
      await assert.rejects(service.example(swagger.id, '#/paths/~1nope/get'), (e: unknown) => isErrorKind(e, 'spec'));
      await assert.rejects(service.example('file:/not/loaded.yaml', '#/paths/~1a/get'), (e: unknown) => isErrorKind(e, 'spec'));
    });

    it('formats example text by media type', () => {
      assert.equal(exampleText('application/json', { a: 1 }), '{\n  "a": 1\n}');
      assert.equal(exampleText('application/x-www-form-urlencoded', { a: 'x y', b: [1, 2] }), 'a=x+y&b=1&b=2');
      assert.equal(exampleText('text/plain', 'hello'), 'hello');
    });
  });

  describe('parameter examples', () => {
    it('uses example, default or enum, else samples the schema', async () => {
      const values = await service.parameterExamples(swagger.id, opId(swagger, 'listSubscriptions'));
      assert.equal(values['query:pageSize'], 50);
      assert.match(String(values['query:since']), /^\d{4}-\d{2}-\d{2}$/, 'format: date is sampled');
      assert.match(String(values['header:X-Transaction-Id']), /^[0-9a-f-]{36}$/, 'format: uuid is sampled');
      const byId = await service.parameterExamples(swagger.id, opId(swagger, 'getSubscription'));
      assert.equal(byId['path:subscriptionId'], '4790000001');
    });
  });

  describe('resolveSchema', () => {
    it('inlines $refs to the asked depth and marks where it stopped', () => {
      const r = service.resolveSchema(swagger.id, '#/definitions/SubscriptionPage', 1);
      assert.equal(r.pointer, '#/definitions/SubscriptionPage');
      const schema = r.schema as { properties: { items: { items: Record<string, unknown> } } };
      assert.deepEqual(schema.properties.items.items, { $ref: '#/definitions/Subscription', type: 'object', 'x-unresolved': 'depth' });
      assert.equal(r.truncated, true);
      const deeper = service.resolveSchema(swagger.id, '#/definitions/SubscriptionPage', 3);
      const items = (deeper.schema as { properties: { items: { items: { properties: Record<string, unknown> } } } }).properties.items.items;
      assert.deepEqual(Object.keys(items.properties), ['id', 'msisdn', 'productId', 'active']);
      assert.equal(deeper.truncated, false);
    });

    it('marks cycles instead of following them', () => {
      const r = service.resolveSchema(circular.id, '#/components/schemas/Node', 12);
      const node = r.schema as { properties: { parent: Record<string, unknown>; children: { items: Record<string, unknown> } } };
      assert.equal(node.properties.parent['x-unresolved'], 'cycle');
      assert.equal(node.properties.parent['$ref'], '#/components/schemas/Node');
      assert.equal(node.properties.children.items['x-unresolved'], 'cycle');
    });

    it('follows a pointer that is itself a $ref, and rejects pointers that lead nowhere', () => {
      const r = service.resolveSchema(swagger.id, '#/paths/~1v2~1mobile-subscriptions~1{subscriptionId}/get/responses/200/schema', 0);
      assert.equal(r.pointer, '#/definitions/Subscription');
      assert.throws(() => service.resolveSchema(swagger.id, '#/definitions/Nope'), (e: unknown) => isErrorKind(e, 'spec'));
    });
  });

  describe('validation', () => {
    it('returns an empty list for valid specs', async () => {
      assert.deepEqual(await service.validate(swagger.id), []);
      assert.deepEqual(await service.validate(circular.id), []);
      assert.deepEqual(await service.validate(openapi31.id), []);
    });

    it('returns problems with pointers, lines and columns (YAML), merged and de-noised', async () => {
      const index = api(await service.load({ kind: 'file', path: fixture('invalid.yaml') }));
      const problems = await service.validate(index.id);
      const byPointer = new Map(problems.map((p) => [p.pointer, p]));
      const response = byPointer.get('#/paths/~1items/get/responses/200');
      assert.equal(response?.code, 'validation');
      assert.deepEqual([response?.line, response?.column], [12, 9]);
      assert.match(response?.message ?? '', /^invalid\.yaml line 12, column 9: paths › \/items › get › responses › 200 is missing the required property "description"\.$/);
      assert.deepEqual([byPointer.get('#/paths/~1items/post/summary')?.line, byPointer.get('#/paths/~1items/post/summary')?.column], [19, 7]);
      const where = byPointer.get('#/components/parameters/Limit/in');
      assert.match(where?.message ?? '', /must be one of "path", "query", "header", "cookie"/);
      assert.equal(where?.line, 27, 'the $ref\'d parameter is reported once, at its definition');
      assert.ok(!problems.some((p) => /\$ref/.test(p.message)), 'no "must have $ref" noise');
      assert.ok(!problems.some((p) => p.pointer === '#/paths/~1items/get/parameters/0'), 'reported where the parameter is defined');
      for (const p of problems) assert.ok(p.hint, 'each problem has a hint');
    });

    it('maps Swagger 2.0 spec-rule failures to a pointer with line and column (JSON)', async () => {
      const index = api(await service.load({ kind: 'file', path: fixture('invalid-swagger2.json') }));
      const problems = await service.validate(index.id);
      assert.equal(problems.length, 1);
      assert.equal(problems[0]?.pointer, '#/paths/~1b/get/operationId');
      assert.equal(problems[0]?.line, 9);
      assert.match(problems[0]?.message ?? '', /Duplicate operation id 'same'/);
    });

    it('validates once per load and never throws', async () => {
      const index = api(await service.load({ kind: 'file', path: fixture('dangling.yaml') }));
      const first = service.validate(index.id);
      assert.equal(service.validate(index.id), first, 'the same promise is reused');
      const problems = await first;
      assert.ok(problems.length > 0);
    });
  });
});
