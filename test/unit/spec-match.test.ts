import * as assert from 'node:assert/strict';
import { findOperationsForUrl } from '../../src/core/spec/catalog';
import type { ApiIndex, HttpMethod, OperationInfo, ServerInfo } from '../../src/core/spec/types';

/** Builds a minimal index from `METHOD /path` lines. */
function index(servers: ServerInfo[], lines: string[], opServers: Record<string, ServerInfo[]> = {}): ApiIndex {
  const operations: Record<string, OperationInfo> = {};
  for (const line of lines) {
    const [method, path] = line.split(' ') as [HttpMethod, string];
    const id = `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
    const op: OperationInfo = { id, method, path, tags: ['default'], deprecated: false, parameters: [], responses: [], security: [] };
    const own = opServers[line];
    if (own) op.servers = own;
    operations[id] = op;
  }
  return {
    id: 'test',
    source: { kind: 'text', text: '', origin: 't' },
    origin: 't',
    title: 't',
    version: '1',
    specVersion: '3.0',
    servers,
    securitySchemes: {},
    security: [],
    extensions: {},
    tags: [],
    operationCount: lines.length,
    operations,
  };
}

function paths(matches: ReturnType<typeof findOperationsForUrl>): string[] {
  return matches.map((m) => `${m.operation.method} ${m.operation.path}`);
}

describe('findOperationsForUrl', () => {
  const api = index(
    [{ url: 'https://api.telenor.no/corporate-accounts' }, { url: 'https://test-api.telenor.no/corporate-accounts' }],
    ['get /v2/accounts', 'get /v2/accounts/{id}', 'get /v2/accounts/me', 'put /v2/accounts/{id}', 'get /v2/accounts/{id}/agreements', 'get /files/{name}.json', 'get /v{version}/status'],
  );

  it('matches a concrete path against templates and extracts the parameters', () => {
    const [first] = findOperationsForUrl(api, '/v2/accounts/123?x=1', 'get');
    assert.equal(first?.operation.path, '/v2/accounts/{id}');
    assert.deepEqual(first?.pathParams, { id: '123' });
  });

  it('puts the most specific template first (literal segments beat parameters)', () => {
    assert.deepEqual(paths(findOperationsForUrl(api, '/v2/accounts/me', 'get')), ['get /v2/accounts/me', 'get /v2/accounts/{id}']);
  });

  it('strips the server base path of a full URL, and prefers the server with the same host', () => {
    const matches = findOperationsForUrl(api, 'https://api.telenor.no/corporate-accounts/v2/accounts/42/agreements');
    assert.deepEqual(paths(matches), ['get /v2/accounts/{id}/agreements']);
    assert.equal(matches[0]?.basePath, '/corporate-accounts');
    assert.deepEqual(matches[0]?.pathParams, { id: '42' });
  });

  it('also strips the base path from a bare path, and matches the path as is', () => {
    assert.deepEqual(paths(findOperationsForUrl(api, '/corporate-accounts/v2/accounts', 'get')), ['get /v2/accounts']);
    assert.deepEqual(paths(findOperationsForUrl(api, 'v2/accounts/', 'get')), ['get /v2/accounts'], 'no leading slash, trailing slash');
  });

  it('returns every method unless one is given', () => {
    assert.deepEqual(paths(findOperationsForUrl(api, '/v2/accounts/7')).sort(), ['get /v2/accounts/{id}', 'put /v2/accounts/{id}']);
    assert.deepEqual(paths(findOperationsForUrl(api, '/v2/accounts/7', 'put')), ['put /v2/accounts/{id}']);
  });

  it('matches parameters inside a segment and decodes values', () => {
    const [file] = findOperationsForUrl(api, '/files/report%202024.json');
    assert.deepEqual(file?.pathParams, { name: 'report 2024' });
    const [status] = findOperationsForUrl(api, '/v3/status');
    assert.deepEqual(status?.pathParams, { version: '3' });
  });

  it('uses operation-level servers', () => {
    const withOwn = index([{ url: 'https://a.example.test/base' }], ['get /x'], { 'get /x': [{ url: 'https://b.example.test/other' }] });
    assert.deepEqual(paths(findOperationsForUrl(withOwn, 'https://b.example.test/other/x')), ['get /x']);
    assert.deepEqual(findOperationsForUrl(withOwn, 'https://a.example.test/base/x'), [], "the spec's server is not the operation's");
  });

  it('returns nothing for paths that fit no template', () => {
    assert.deepEqual(findOperationsForUrl(api, '/v2/other'), []);
    assert.deepEqual(findOperationsForUrl(api, 'https://api.telenor.no/corporate-accounts/v2/accounts/1/2/3'), []);
    assert.deepEqual(findOperationsForUrl(api, ''), []);
  });
});
