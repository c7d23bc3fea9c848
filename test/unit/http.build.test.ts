import * as assert from 'node:assert/strict';
import { isErrorKind, isTelenorError } from '../../src/core/errors';
import { buildRequest, MissingParametersError } from '../../src/core/http/build';
import { sendRequest } from '../../src/core/http/send';
import type { RequestValues } from '../../src/core/http/types';
import type { OperationInfo, ParameterInfo } from '../../src/core/spec/types';
import { createTestServer, type TestServer } from '../helpers/servers';

function param(p: Partial<ParameterInfo> & Pick<ParameterInfo, 'name' | 'in'>): ParameterInfo {
  return { required: p.in === 'path', ...p };
}

function op(parameters: ParameterInfo[], extra: Partial<OperationInfo> = {}): OperationInfo {
  return {
    id: '#/paths/~1x/get',
    method: 'get',
    path: '/x',
    tags: [],
    deprecated: false,
    parameters,
    responses: [],
    security: [],
    ...extra,
  };
}

function values(v: Partial<RequestValues> = {}): RequestValues {
  return { serverUrl: 'https://api.telenor.no', path: {}, query: {}, headers: {}, ...v };
}

function queryOf(url: string): string {
  return url.slice(url.indexOf('?') + 1);
}

describe('http/build: buildRequest', () => {
  describe('path', () => {
    it('percent-encodes each path value, slashes and reserved characters included', () => {
      const r = buildRequest(
        op([param({ name: 'id', in: 'path' }), param({ name: 'sub', in: 'path' })], { path: '/users/{id}/items/{sub}' }),
        values({ serverUrl: 'https://api.telenor.no/base/', path: { id: "a b/c?d#e'(f)", sub: 'blåbær' } }),
      );
      assert.equal(r.url, 'https://api.telenor.no/base/users/a%20b%2Fc%3Fd%23e%27%28f%29/items/bl%C3%A5b%C3%A6r');
      assert.equal(r.method, 'GET');
    });

    it('serializes path styles: simple, label and matrix, exploded or not', () => {
      const cases: Array<[Partial<ParameterInfo>, string]> = [
        [{}, '/p/3,4,5'],
        [{ style: 'simple', explode: true }, '/p/3,4,5'],
        [{ style: 'label' }, '/p/.3,4,5'],
        [{ style: 'label', explode: true }, '/p/.3.4.5'],
        [{ style: 'matrix' }, '/p/;id=3,4,5'],
        [{ style: 'matrix', explode: true }, '/p/;id=3;id=4;id=5'],
      ];
      for (const [style, expected] of cases) {
        const r = buildRequest(op([param({ name: 'id', in: 'path', type: 'array', ...style })], { path: '/p/{id}' }), values({ path: { id: '3, 4,5' } }));
        assert.equal(r.url, `https://api.telenor.no${expected}`, JSON.stringify(style));
      }
    });

    it('names a missing path parameter', () => {
      assert.throws(
        () => buildRequest(op([param({ name: 'msisdn', in: 'path' })], { path: '/subscriptions/{msisdn}' }), values()),
        (e: unknown) => {
          assert.ok(e instanceof MissingParametersError);
          assert.ok(isErrorKind(e, 'input'));
          assert.deepEqual(e.missing, [{ name: 'msisdn', in: 'path' }]);
          assert.match(e.message, /path parameter "msisdn"/);
          assert.ok(e.hint.length > 0);
          return true;
        },
      );
    });

    it('lists every missing required value at once', () => {
      const operation = op(
        [
          param({ name: 'id', in: 'path' }),
          param({ name: 'pageSize', in: 'query', required: true }),
          param({ name: 'X-Request-Id', in: 'header', required: true }),
          param({ name: 'session', in: 'cookie', required: true }),
          param({ name: 'optional', in: 'query' }),
        ],
        { method: 'post', path: '/a/{id}', requestBody: { required: true, contents: [{ mediaType: 'application/json', hasExample: false }] } },
      );
      try {
        buildRequest(operation, values({ query: { pageSize: '' } }));
        assert.fail('should throw');
      } catch (e) {
        assert.ok(e instanceof MissingParametersError);
        assert.deepEqual(
          e.missing.map((m) => `${m.in}:${m.name}`),
          ['path:id', 'query:pageSize', 'header:X-Request-Id', 'cookie:session', 'body:body'],
        );
        assert.match(e.message, /POST \/a\/\{id\}/);
      }
    });
  });

  describe('query', () => {
    const arrayCases: Array<[Partial<ParameterInfo>, string]> = [
      [{}, 'ids=3&ids=4&ids=5'],
      [{ style: 'form', explode: true }, 'ids=3&ids=4&ids=5'],
      [{ style: 'form', explode: false }, 'ids=3,4,5'],
      [{ style: 'spaceDelimited', explode: false }, 'ids=3%204%205'],
      [{ style: 'pipeDelimited', explode: false }, 'ids=3|4|5'],
      [{ style: 'spaceDelimited', explode: true }, 'ids=3&ids=4&ids=5'],
    ];
    for (const [style, expected] of arrayCases) {
      it(`serializes arrays with ${JSON.stringify(style)}`, () => {
        const r = buildRequest(op([param({ name: 'ids', in: 'query', type: 'array', ...style })]), values({ query: { ids: ['3', '4', '5'] } }));
        assert.equal(queryOf(r.url), expected);
      });
    }

    it('splits an array typed as one comma-separated text', () => {
      const r = buildRequest(op([param({ name: 'ids', in: 'query', type: 'array' })]), values({ query: { ids: '3, 4 ,,5' } }));
      assert.equal(queryOf(r.url), 'ids=3&ids=4&ids=5');
    });

    const objectCases: Array<[Partial<ParameterInfo>, string]> = [
      [{ style: 'deepObject', explode: true }, 'filter%5Brole%5D=admin&filter%5Bname%5D=Ola%20N'],
      [{ style: 'form', explode: true }, 'role=admin&name=Ola%20N'],
      [{ style: 'form', explode: false }, 'filter=role,admin,name,Ola%20N'],
    ];
    for (const [style, expected] of objectCases) {
      it(`serializes objects with ${JSON.stringify(style)}`, () => {
        const r = buildRequest(op([param({ name: 'filter', in: 'query', type: 'object', ...style })]), values({ query: { filter: '{"role":"admin","name":"Ola N"}' } }));
        assert.equal(queryOf(r.url), expected);
      });
    }

    it('encodes reserved and non-ASCII characters and skips empty optional values', () => {
      const r = buildRequest(
        op([param({ name: 'q', in: 'query' }), param({ name: 'page', in: 'query' }), param({ name: 'since', in: 'query' })]),
        values({ query: { q: 'a&b=c+d ø/?', page: '', since: '0' } }),
      );
      assert.equal(queryOf(r.url), 'q=a%26b%3Dc%2Bd%20%C3%B8%2F%3F&since=0');
    });

    it('keeps extra query parameters the spec does not declare', () => {
      const r = buildRequest(op([param({ name: 'a', in: 'query' })]), values({ query: { a: '1', debug: 'yes', multi: ['x', 'y'] } }));
      assert.equal(queryOf(r.url), 'a=1&debug=yes&multi=x&multi=y');
    });

    it('has no "?" without query values', () => {
      assert.equal(buildRequest(op([param({ name: 'a', in: 'query' })]), values()).url, 'https://api.telenor.no/x');
    });
  });

  describe('headers, cookies and body', () => {
    it('keeps header casing, joins array headers and adds Accept from the responses', () => {
      const operation = op([param({ name: 'X-Ids', in: 'header', type: 'array' })], {
        responses: [{ status: '200', mediaTypes: ['application/xml', 'application/json'] }],
      });
      const r = buildRequest(operation, values({ headers: { 'X-Ids': 'a, b', 'X-Empty': '' } }));
      assert.deepEqual(r.headers, { 'X-Ids': 'a,b', accept: 'application/json' });
    });

    it('does not override an Accept the user set', () => {
      const r = buildRequest(op([], { responses: [{ status: '200', mediaTypes: ['application/json'] }] }), values({ headers: { Accept: 'text/csv' } }));
      assert.deepEqual(r.headers, { Accept: 'text/csv' });
    });

    it('sends cookie parameters in one Cookie header', () => {
      const r = buildRequest(op([param({ name: 'session', in: 'cookie' })]), values({ cookies: { session: 'a b;c', extra: '1' } }));
      assert.equal(r.headers['cookie'], 'session=a%20b%3Bc; extra=1');
    });

    it('sends a JSON body with the declared content type', () => {
      const r = buildRequest(
        op([], { method: 'post', requestBody: { required: true, contents: [{ mediaType: 'application/json', hasExample: true }] } }),
        values({ body: '{"clientId":"x","userId":1234567}' }),
      );
      assert.equal(r.method, 'POST');
      assert.equal(r.body, '{"clientId":"x","userId":1234567}');
      assert.equal(r.headers['content-type'], 'application/json');
    });

    it('encodes a form body given as a JSON object, and keeps one typed as a=b', () => {
      const form = op([], { method: 'post', requestBody: { required: true, contents: [{ mediaType: 'application/x-www-form-urlencoded', hasExample: false }] } });
      assert.equal(buildRequest(form, values({ body: '{"grant_type":"password","username":"api7813371375","password":"p@ss word&"}' })).body, 'grant_type=password&username=api7813371375&password=p%40ss+word%26');
      assert.equal(buildRequest(form, values({ body: 'grant_type=client_credentials' })).body, 'grant_type=client_credentials');
    });

    it('takes the content type from the values, else guesses JSON or text', () => {
      const post = op([], { method: 'post' });
      assert.equal(buildRequest(post, values({ body: 'hello', contentType: 'text/csv' })).headers['content-type'], 'text/csv');
      assert.equal(buildRequest(post, values({ body: '[1,2]' })).headers['content-type'], 'application/json');
      assert.equal(buildRequest(post, values({ body: '{not json' })).headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(buildRequest(post, values()).body, undefined);
    });

    it('refuses an empty server URL with a hint', () => {
      assert.throws(
        () => buildRequest(op([]), values({ serverUrl: ' ' })),
        (e: unknown) => isTelenorError(e) && e.kind === 'input' && e.hint.length > 0,
      );
    });
  });

  describe('round trip over real HTTP', () => {
    let server: TestServer;
    before(async () => {
      server = await createTestServer().start();
    });
    after(async () => {
      await server.close();
    });

    it('the server receives the path, query, headers and body that were built', async () => {
      const operation = op(
        [
          param({ name: 'id', in: 'path' }),
          param({ name: 'ids', in: 'query', type: 'array' }),
          param({ name: 'q', in: 'query' }),
          param({ name: 'X-Trace', in: 'header' }),
        ],
        { method: 'put', path: '/echo/{id}', requestBody: { required: false, contents: [{ mediaType: 'application/json', hasExample: false }] } },
      );
      const prepared = buildRequest(
        operation,
        values({ serverUrl: server.url, path: { id: 'a/b ø' }, query: { ids: ['1', '2'], q: 'x&y=z' }, headers: { 'X-Trace': 't-1' }, body: '{"a":1}' }),
      );
      const r = await sendRequest(prepared, { timeoutMs: 5000, maxBodyBytes: 1 << 20 });
      const echoed = JSON.parse(r.body) as { method: string; url: string; headers: Record<string, string>; body: string };
      const url = new URL(echoed.url, 'http://x');
      assert.equal(echoed.method, 'PUT');
      assert.equal(decodeURIComponent(url.pathname), '/echo/a/b ø');
      assert.equal(url.pathname, '/echo/a%2Fb%20%C3%B8');
      assert.deepEqual(url.searchParams.getAll('ids'), ['1', '2']);
      assert.equal(url.searchParams.get('q'), 'x&y=z');
      assert.equal(echoed.headers['x-trace'], 't-1');
      assert.equal(echoed.headers['content-type'], 'application/json');
      assert.equal(echoed.body, '{"a":1}');
    });
  });
});
