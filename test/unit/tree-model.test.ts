// The APIs tree as data (src/extension/tree/model.ts): node ids and nesting, the filter, the words shown,
// and finding an operation in a spec's text.
import * as assert from 'node:assert/strict';
import type { ApiIndex, OperationInfo } from '../../src/core/spec/types';
import type { SpecEntry } from '../../src/extension/contracts';
import {
  apiDescription,
  apiTooltip,
  escapeMarkdown,
  highlightRanges,
  locateOperation,
  operationAccessibleLabel,
  operationChoices,
  operationLabel,
  operationMatches,
  operationTooltip,
  parseFilter,
  securityText,
  specMarkdown,
  TreeModel,
  type ApiNode,
  type OperationNode,
  type TagNode,
} from '../../src/extension/tree/model';

/** Builds an operation with the fields the tree reads. */
function op(method: OperationInfo['method'], path: string, extra: Partial<OperationInfo> = {}): OperationInfo {
  return { id: `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`, method, path, tags: [], deprecated: false, parameters: [], responses: [], security: [], ...extra };
}

/** An API whose tags list the given operations (by index into `ops`). */
function apiIndex(key: string, title: string, ops: OperationInfo[], tags: Record<string, number[]>): ApiIndex {
  return {
    id: key,
    source: { kind: 'builtin', path: `/specs/${title}.yaml`, name: `${title}.yaml` },
    origin: `${title}.yaml`,
    title,
    version: '1.0.0',
    specVersion: '3.0',
    servers: [{ url: 'https://api.telenor.no', description: 'Production' }],
    securitySchemes: {},
    security: [],
    extensions: {},
    tags: Object.entries(tags).map(([name, idx]) => ({ name, operationIds: idx.map((i) => ops[i]?.id ?? '') })),
    operationCount: ops.length,
    operations: Object.fromEntries(ops.map((o) => [o.id, o])),
  };
}

function loaded(api: ApiIndex): SpecEntry {
  return { key: api.id, source: api.source, origin: 'builtin', label: api.origin, state: 'loaded', api, problems: [] };
}

const storesOps = [
  op('get', '/stores', { summary: 'List stores', operationId: 'listStores' }),
  op('get', '/stores/{storeId}', { summary: 'Get one store', operationId: 'getStore' }),
  op('delete', '/stores/{storeId}', { operationId: 'closeStore', deprecated: true }),
];
const stores = loaded(apiIndex('builtin:stores', 'Stores', storesOps, { Stores: [0, 1], Admin: [1, 2] }));
const accountsOps = [op('get', '/accounts', { summary: 'List accounts' })];
const accounts = loaded(apiIndex('builtin:accounts', 'Accounts', accountsOps, { Accounts: [0] }));
const failed: SpecEntry = {
  key: 'file:/ws/broken.openapi.yaml',
  source: { kind: 'file', path: '/ws/broken.openapi.yaml' },
  origin: 'workspace',
  label: 'broken.openapi.yaml',
  state: 'failed',
  problems: [{ severity: 'error', code: 'syntax', message: 'broken.openapi.yaml line 3, column 7: bad indentation', line: 3, column: 7, hint: 'Fix the indentation.' }],
};

describe('tree model', () => {
  it('nests API → tag → operation with stable, unique ids', () => {
    const model = new TreeModel([stores, accounts, failed]);
    const roots = model.roots() as ApiNode[];
    assert.deepEqual(
      roots.map((r) => r.id),
      ['builtin:stores', 'builtin:accounts', 'file:/ws/broken.openapi.yaml'],
    );
    const tags = model.children(roots[0] as ApiNode) as TagNode[];
    assert.deepEqual(tags.map((t) => t.tag), ['Stores', 'Admin']);
    const stores1 = model.children(tags[0] as TagNode) as OperationNode[];
    const admin = model.children(tags[1] as TagNode) as OperationNode[];
    assert.deepEqual(stores1.map((o) => o.operationId), [storesOps[0]?.id, storesOps[1]?.id]);
    assert.equal(stores1[0]?.operationId, '#/paths/~1stores/get', 'the operation id is its JSON pointer');
    // The same operation under two tags is two rows with two ids, same operation id.
    assert.equal(stores1[1]?.operationId, admin[0]?.operationId);
    assert.notEqual(stores1[1]?.id, admin[0]?.id);
    const all = [...roots, ...tags, ...stores1, ...admin].map((n) => n.id);
    assert.equal(new Set(all).size, all.length, 'ids are unique');
    assert.equal(stores1[0]?.parent, tags[0], 'getParent sees the same objects');
    assert.equal(model.children(tags[0] as TagNode), model.children(tags[0] as TagNode), 'children are cached per model');
    assert.deepEqual(model.children(roots[2] as ApiNode), [], 'a failed spec has no children');
    // Ids do not depend on the snapshot: a new model gives the same ids.
    const again = new TreeModel([stores, accounts, failed]);
    assert.deepEqual(again.roots().map((r) => r.id), roots.map((r) => r.id));
  });

  it('shows one "looking for specs" row until the sources are listed, and nothing after an empty listing', () => {
    assert.deepEqual(new TreeModel([], '', false).roots().map((n) => n.kind), ['status']);
    assert.deepEqual(new TreeModel([stores], '', false).roots().map((n) => n.kind), ['status'], 'the first specs wait for the rest of the listing');
    assert.deepEqual(new TreeModel([], '', true).roots(), [], 'empty: the welcome view takes over');
    const restricted = new TreeModel([stores], '', true, true).roots();
    assert.deepEqual(restricted.map((n) => n.id), ['builtin:stores', 'status:restricted'], 'Restricted Mode is said after the list');
    assert.deepEqual(new TreeModel([], '', true, true).roots(), [], 'but never instead of the welcome view');
    assert.deepEqual(new TreeModel([stores], 'stores', true, true).roots().map((n) => n.kind), ['api'], 'nor inside filter results');
  });

  it('filters by method, path, summary, operationId and tag; every word must match', () => {
    assert.deepEqual(parseFilter('  GET   Stores '), ['get', 'stores']);
    const [list, one, close] = storesOps as [OperationInfo, OperationInfo, OperationInfo];
    assert.ok(operationMatches(list, 'Stores', ['get', 'stores']));
    assert.ok(!operationMatches(close, 'Admin', ['get']), 'DELETE is not GET');
    assert.ok(operationMatches(close, 'Admin', ['closestore']), 'operationId');
    assert.ok(operationMatches(close, 'Admin', ['admin']), 'tag');
    assert.ok(operationMatches(one, 'Stores', parseFilter('store get')), 'words match anywhere, in any order');
    assert.ok(!operationMatches(one, 'Stores', ['store get']), 'one term is matched as written');
    assert.ok(operationMatches(one, 'Stores', ['{storeid}']), 'path');

    const model = new TreeModel([stores, accounts, failed], 'delete');
    assert.deepEqual(model.matchCount(), { operations: 1, apis: 1 });
    const roots = model.roots() as ApiNode[];
    assert.deepEqual(roots.map((r) => r.key), ['builtin:stores'], 'non-matching and failed APIs are hidden');
    const tags = model.children(roots[0] as ApiNode) as TagNode[];
    assert.deepEqual(tags.map((t) => t.tag), ['Admin'], 'only tags with matches');
    assert.deepEqual((model.children(tags[0] as TagNode) as OperationNode[]).map((o) => o.operation.method), ['delete']);

    const twoTags = new TreeModel([stores], 'getStore');
    assert.deepEqual(twoTags.matchCount(), { operations: 1, apis: 1 }, 'an operation under two tags counts once');
    assert.deepEqual(new TreeModel([stores, accounts], 'nothing-like-this').matchCount(), { operations: 0, apis: 0 });
    assert.deepEqual(new TreeModel([stores, accounts], 'nothing-like-this').roots(), []);
  });

  it('highlights the matching parts of a label', () => {
    assert.deepEqual(highlightRanges('List stores', ['st']), [
      [2, 4],
      [5, 7],
    ]);
    assert.deepEqual(highlightRanges('aaaa', ['aa', 'aaa']), [[0, 4]], 'overlaps merge');
    assert.deepEqual(highlightRanges('List', []), []);
  });
});

describe('tree words', () => {
  it('labels operations by summary, then operationId, then method and path', () => {
    assert.equal(operationLabel(op('get', '/a', { summary: ' Sum ', operationId: 'x' })), 'Sum');
    assert.equal(operationLabel(op('get', '/a', { operationId: 'getA' })), 'getA');
    assert.equal(operationLabel(op('post', '/a')), 'POST /a');
    assert.equal(operationAccessibleLabel(op('delete', '/a', { deprecated: true, operationId: 'del' })), 'DELETE /a, del, deprecated');
  });

  it('describes an API by version, origin, region and problems', () => {
    assert.equal(apiDescription(stores, 'Norway'), 'v1.0.0 · built-in · Norway');
    const withWarning: SpecEntry = { ...accounts, origin: 'url', problems: [{ severity: 'warning', message: 'w' }] };
    assert.equal(apiDescription(withWarning), 'v1.0.0 · URL · 1 warning');
  });

  it('tooltips say what an API is and why a spec failed, with spec text escaped', () => {
    const tip = apiTooltip(stores, { regionLabel: 'Norway (from x-telenor)', auth: 'Norway · client credentials', target: '`http://127.0.0.1:1/x`', environmentLabel: 'Sandbox' });
    for (const part of ['**Stores** 1\\.0\\.0', 'Spec: OpenAPI 3.0', 'Region: Norway', '`https://api.telenor.no` (Production)', 'Requests go to (Sandbox): `http://127.0.0.1:1/x`', 'Auth: Norway · client credentials', 'Operations: 3', 'Problems: none']) {
      assert.ok(tip.includes(part), `"${part}" in:\n${tip}`);
    }
    const failedTip = apiTooltip(failed);
    assert.ok(failedTip.includes('failed to load'));
    assert.ok(failedTip.includes('line 3, column 7: bad indentation'), failedTip);
    assert.ok(!failedTip.includes('yaml line 3'), 'the place is said once');
    assert.ok(failedTip.includes('*What to do:* Fix the indentation\\.'));
    assert.equal(escapeMarkdown('[x](command:evil) *b* <img>'), '\\[x\\]\\(command:evil\\) \\*b\\* \\<img\\>');
    // Spec prose keeps its code and emphasis, loses images and links, stays one paragraph.
    assert.equal(specMarkdown('Use `since` to *sync*.\n\n![x](https://t.example/p.png) See [docs](https://evil.example) or [ref][1].'), 'Use `since` to *sync*. x See docs or ref.');
    assert.equal(specMarkdown('# Title'), '\\# Title');
    assert.equal(specMarkdown('1. first'), '\\1. first');
    assert.equal(specMarkdown('x'.repeat(400), 10), `${'x'.repeat(9)}…`);
    assert.equal(specMarkdown('Send `Authorization: Bearer <token>` always', 20), 'Send …', 'no half code span');
  });

  it('operation tooltips list method, path, parameters, body and auth', () => {
    const o = op('post', '/stores/{id}', {
      summary: 'Update',
      parameters: [{ name: 'id', in: 'path', required: true, type: 'string', description: 'Store id' }],
      requestBody: { required: true, contents: [{ mediaType: 'application/json', hasExample: false }] },
      security: [{ oauth: ['openapi'], 'X-JWT': [] }],
      deprecated: true,
    });
    const tip = operationTooltip(o);
    for (const part of ['**POST** `/stores/{id}` — *deprecated*', '- `id` (path, required, string) — Store id', 'Request body (required): `application/json`', 'Auth: oauth \\(openapi\\) \\+ X\\-JWT']) {
      assert.ok(tip.includes(part), `"${part}" in:\n${tip}`);
    }
    assert.equal(securityText([]), 'none');
    assert.equal(securityText([{ a: [] }, {}]), 'a or none (optional)');
  });
});

describe('the operation picker', () => {
  it('lists each operation once per API with method and path, summary, API and tag', () => {
    const groups = operationChoices([stores.api as ApiIndex, accounts.api as ApiIndex]);
    assert.deepEqual(groups.map((g) => g.title), ['Stores', 'Accounts']);
    const [s0] = groups;
    assert.deepEqual(
      s0?.choices.map((c) => [c.label, c.description, c.detail]),
      [
        ['GET /stores', 'List stores', 'Stores · Stores'],
        ['GET /stores/{storeId}', 'Get one store', 'Stores · Stores'],
        ['DELETE /stores/{storeId}', 'closeStore (deprecated)', 'Stores · Admin'],
      ],
      'getStore is under two tags and listed once',
    );
    assert.deepEqual(s0?.choices[0] && { apiId: s0.choices[0].apiId, operationId: s0.choices[0].operationId }, { apiId: 'builtin:stores', operationId: '#/paths/~1stores/get' });
  });
});

describe('locating an operation in spec text', () => {
  const yaml = ['openapi: 3.0.3', 'paths:', '  /stores:', '    get:', '      summary: x', '  /stores/{storeId}:', '    parameters: []', "    'get':", '      summary: y', '    delete:', '      summary: z'].join('\n');
  it('finds YAML keys, plain or quoted, within the right path item', () => {
    assert.deepEqual(locateOperation(yaml, '/stores', 'get'), { line: 3, character: 4 });
    assert.deepEqual(locateOperation(yaml, '/stores/{storeId}', 'get'), { line: 7, character: 4 });
    assert.deepEqual(locateOperation(yaml, '/stores/{storeId}', 'delete'), { line: 9, character: 4 });
    assert.deepEqual(locateOperation(yaml, '/stores', 'post'), { line: 2, character: 2 }, 'missing method: the path line');
    assert.equal(locateOperation(yaml, '/nope', 'get'), undefined);
  });

  it('finds pretty-printed JSON keys', () => {
    const json = JSON.stringify({ paths: { '/a': { get: {} }, '/b': { post: {}, get: {} } } }, null, 2);
    assert.deepEqual(locateOperation(json, '/b', 'get'), { line: 7, character: 6 });
    assert.deepEqual(locateOperation(json, '/a', 'post'), { line: 2, character: 4 }, 'does not run into the next path item');
  });
});
