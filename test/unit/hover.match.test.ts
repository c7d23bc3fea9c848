// The hover's matching: which text under the cursor is a URL, which method the code names, and which
// operation of the loaded specs (the sandbox's real ones, plus small synthetic indexes) it is a call to.
import * as assert from 'node:assert/strict';
import type { ApiIndex, HttpMethod, OperationInfo, ServerInfo } from '../../src/core/spec/types';
import { OperationIndex } from '../../src/extension/hover/operationIndex';
import { DYNAMIC_SEGMENT, methodHint, normalizeUrlish, urlCandidateAt } from '../../src/extension/hover/urlToken';
import { builtinApis } from './builtinApis';

/** Position of the first `marker` in `line` (the hover's mouse position), plus `offset`. */
function at(line: string, marker: string, offset = 2): number {
  const i = line.indexOf(marker);
  assert.ok(i >= 0, `${marker} not in ${line}`);
  return i + offset;
}

function synthetic(servers: ServerInfo[], lines: string[], id = 'synthetic'): ApiIndex {
  const operations: Record<string, OperationInfo> = {};
  for (const line of lines) {
    const [method, path] = line.split(' ') as [HttpMethod, string];
    const opId = `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
    operations[opId] = { id: opId, method, path, tags: ['default'], deprecated: false, parameters: [], responses: [], security: [] };
  }
  return {
    id,
    source: { kind: 'text', text: '', origin: id },
    origin: id,
    title: id,
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

describe('hover: URL under the cursor', () => {
  const cases: Array<{ name: string; line: string; marker: string; target: string | undefined; host?: string }> = [
    { name: 'TS string literal, full URL', line: "const r = await fetch('https://api.telenor.no/corporate-accounts/v2/accounts');", marker: 'corporate', target: 'https://api.telenor.no/corporate-accounts/v2/accounts', host: 'api.telenor.no' },
    { name: 'JS template literal with a base and a path value', line: 'fetch(`${BASE_URL}/corporate-accounts/v2/accounts/${accountId}`)', marker: 'corporate', target: `/corporate-accounts/v2/accounts/${DYNAMIC_SEGMENT}` },
    { name: 'Python f-string', line: 'r = requests.get(f"{base_url}/telenor-stores/v1/stores/{store_id}", headers=h)', marker: 'telenor-stores', target: `/telenor-stores/v1/stores/${DYNAMIC_SEGMENT}` },
    { name: 'shell, unquoted with $VAR', line: 'curl -H "Authorization: Bearer $TOKEN" $BASE/mobile-device-info/v1/device', marker: 'mobile-device', target: '/mobile-device-info/v1/device' },
    { name: 'shell, quoted ${VAR}', line: 'curl "${TELENOR}/organizations/v1/organizations"', marker: 'organizations', target: '/organizations/v1/organizations' },
    { name: 'Go Sprintf', line: 'url := fmt.Sprintf("%s/telenor-stores/v1/stores/%s", base, id)', marker: 'stores/', target: `/telenor-stores/v1/stores/${DYNAMIC_SEGMENT}` },
    { name: 'Java concatenation appends a value', line: 'URI.create(base + "/corporate-accounts/v2/accounts/" + accountId)', marker: 'corporate', target: `/corporate-accounts/v2/accounts/${DYNAMIC_SEGMENT}` },
    { name: 'C# interpolated string', line: 'var url = $"{baseUrl}/corporate-agreements/v2/agreements";', marker: 'agreements', target: '/corporate-agreements/v2/agreements' },
    { name: '.http request line with a REST Client variable', line: 'GET {{baseUrl}}/telenor-stores/v1/stores?city=Oslo HTTP/1.1', marker: 'stores', target: '/telenor-stores/v1/stores' },
    { name: 'YAML path key', line: '  /corporate-accounts/v2/accounts/{accountId}:', marker: 'accounts/{', target: `/corporate-accounts/v2/accounts/${DYNAMIC_SEGMENT}` },
    { name: 'JSON path key', line: '    "/telenor-stores/v1/stores/{storeId}": {', marker: 'stores/{', target: `/telenor-stores/v1/stores/${DYNAMIC_SEGMENT}` },
    { name: 'relative path without a leading slash', line: "client.get('corporate-accounts/v2/accounts')", marker: 'accounts', target: '/corporate-accounts/v2/accounts' },
    { name: 'a URL in a comment with an apostrophe earlier', line: "// don't forget: https://test-api.telenor.no/organizations/v1/organizations.", marker: 'organizations/v1', target: 'https://test-api.telenor.no/organizations/v1/organizations', host: 'test-api.telenor.no' },
    { name: 'plain words', line: "console.log('hello world')", marker: 'hello', target: undefined },
    { name: 'a single word', line: "const kind = 'accounts';", marker: 'accounts', target: undefined },
    { name: 'a mailto link', line: "const a = 'mailto:kari@example.no';", marker: 'kari', target: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const found = urlCandidateAt(c.line, at(c.line, c.marker));
      assert.equal(found?.target, c.target, JSON.stringify(found));
      if (c.host !== undefined) assert.equal(found?.host, c.host);
      if (found) {
        // The hover's range covers the hovered text, not the quotes or the whole line.
        const text = c.line.slice(found.start, found.end);
        assert.ok(text.includes(c.marker), `range "${text}" misses the marker`);
        assert.ok(!/^['"`]|['"`]$/.test(text), `range "${text}" includes a quote`);
      }
    });
  }

  it('keeps concrete query values and leaves out dynamic ones', () => {
    const n = normalizeUrlish('https://api.telenor.no/telenor-stores/v1/stores?city=Troms%C3%B8&page=${p}&tag=a&tag=b#top');
    assert.deepEqual(n?.query, { city: 'Tromsø', tag: ['a', 'b'] });
    assert.equal(n?.target, 'https://api.telenor.no/telenor-stores/v1/stores');
  });

  it('reads a scheme-less URL as one only on a known host', () => {
    assert.equal(normalizeUrlish('api.telenor.no/telenor-stores/v1/stores', new Set(['api.telenor.no']))?.host, 'api.telenor.no');
    assert.equal(normalizeUrlish('example.org/telenor-stores/v1/stores')?.host, undefined);
  });

  it('ignores very long lines (minified code)', () => {
    const line = `x='/telenor-stores/v1/stores';${' '.repeat(5000)}`;
    assert.equal(urlCandidateAt(line, 5), undefined);
  });
});

describe('hover: method hints', () => {
  const cases: Array<[string, string, HttpMethod | undefined, string[]?]> = [
    ['requests.post("/telenor-stores/v1/stores")', 'telenor', 'post'],
    ["axios.get('/telenor-stores/v1/stores')", 'telenor', 'get'],
    ['POST https://api.telenor.no/oauth/v2/token HTTP/1.1', 'oauth', 'post'],
    ['curl -X DELETE "$BASE/telenor-stores/v1/stores/1"', 'telenor', 'delete'],
    ['curl --request put "$BASE/telenor-stores/v1/stores/1"', 'telenor', 'put'],
    ['req, _ := http.NewRequest(http.MethodPatch, base+"/telenor-stores/v1/stores", nil)', 'telenor', 'patch'],
    ['resp, err := http.Get(base + "/telenor-stores/v1/stores")', 'telenor', 'get'],
    ['var r = await client.PostAsync($"{b}/telenor-stores/v1/stores", content);', 'telenor', 'post'],
    ['new HttpRequestMessage(HttpMethod.Delete, "/telenor-stores/v1/stores/1")', 'telenor', 'delete'],
    ["fetch(url + '/telenor-stores/v1/stores', { method: 'PATCH' })", 'telenor', 'patch'],
    ["const res = await fetch('/telenor-stores/v1/stores', {", 'telenor', 'post', ['  headers: h,', "  method: 'post',"]],
    // A method word inside the URL is no hint.
    ["fetch('/api/GET/telenor-stores/v1/stores')", 'telenor', undefined],
    ["fetch('/telenor-stores/v1/stores')", 'telenor', undefined],
  ];
  for (const [line, marker, expected, following] of cases) {
    it(`${expected ?? 'none'} in ${line}`, () => {
      const c = urlCandidateAt(line, at(line, marker));
      assert.ok(c, 'no URL found');
      assert.equal(methodHint(line, c, following), expected);
    });
  }

  it('takes the hint closest to the URL when the line names two', () => {
    const line = "await api.get(token); await http.post('/telenor-stores/v1/stores')";
    const c = urlCandidateAt(line, at(line, 'telenor'));
    assert.ok(c);
    assert.equal(methodHint(line, c), 'post');
  });
});

describe('hover: operation index', function () {
  this.timeout(30_000);
  const byTitle = builtinApis();
  let apis: ApiIndex[] = [];
  let index: OperationIndex;

  before(() => {
    apis = [...byTitle.values()];
    index = new OperationIndex(apis, ['http://127.0.0.1:4711', 'https://se-test.example.com']);
  });

  /** Titles and full paths (server base path + template: the Stores spec is Swagger 2.0 with a basePath). */
  function find(text: string, method?: HttpMethod): string[] {
    const c = normalizeUrlish(text, index.knownHosts);
    assert.ok(c, `${text} is not URL-ish`);
    return index.find(c, method).map((h) => `${h.api.title}: ${h.match.operation.method.toUpperCase()} ${h.match.basePath}${h.match.operation.path}`);
  }

  it('matches a concrete path against a template and extracts the parameter', () => {
    const c = normalizeUrlish('https://api.telenor.no/corporate-accounts/v2/accounts/48120000?page=1', index.knownHosts);
    assert.ok(c);
    const [first] = index.find(c);
    assert.equal(first?.match.operation.path, '/corporate-accounts/v2/accounts/{accountId}');
    assert.equal(first?.api.title, 'Mobile Subscription Info API');
    assert.deepEqual(first?.match.pathParams, { accountId: '48120000' });
  });

  it('matches the list path to the list operation only, not the one-account template', () => {
    assert.deepEqual(find('/corporate-accounts/v2/accounts'), ['Mobile Subscription Info API: GET /corporate-accounts/v2/accounts']);
  });

  it('matches full URLs on every environment host: production, test, the sandbox, a configured Sweden URL', () => {
    for (const url of [
      'https://api.telenor.no/telenor-stores/v1/stores',
      'https://test-api.telenor.no/telenor-stores/v1/stores',
      'http://127.0.0.1:4711/telenor-stores/v1/stores',
      'http://localhost:53123/telenor-stores/v1/stores',
    ]) {
      assert.deepEqual(find(url), ['Telenor Stores API: GET /telenor-stores/v1/stores'], url);
    }
    assert.deepEqual(find('https://se-test.example.com/corporate/fixed-network/product-catalog/product-offers'), [
      'Fixed Network Product Catalog API: GET /corporate/fixed-network/product-catalog/product-offers',
    ]);
  });

  it('does not match a full URL on an unrelated host, even with a Telenor path', () => {
    const c = normalizeUrlish('https://example.org/telenor-stores/v1/stores');
    assert.ok(c);
    assert.deepEqual(index.find(c), []);
  });

  it('ignores the query string', () => {
    assert.deepEqual(find('/telenor-stores/v1/stores?city=Oslo&x=1'), ['Telenor Stores API: GET /telenor-stores/v1/stores']);
  });

  it('matches a path under a base path of a server (synthetic spec with /corporate-accounts as base)', () => {
    const api = synthetic([{ url: 'https://api.telenor.no/corporate-accounts' }], ['get /v2/accounts', 'get /v2/accounts/{id}', 'put /v2/accounts/{id}']);
    const i = new OperationIndex([api]);
    const c = normalizeUrlish('https://api.telenor.no/corporate-accounts/v2/accounts/42', i.knownHosts);
    assert.ok(c);
    const hits = i.find(c);
    assert.deepEqual(hits.map((h) => `${h.match.operation.method} ${h.match.basePath}${h.match.operation.path}`), ['get /corporate-accounts/v2/accounts/{id}', 'put /corporate-accounts/v2/accounts/{id}']);
    assert.deepEqual(hits[0]?.match.pathParams, { id: '42' });
  });

  it('narrows by a method hint, and falls back to every method when the hint fits none', () => {
    const api = synthetic([{ url: 'https://api.example.no' }], ['get /v1/things/{id}', 'put /v1/things/{id}', 'delete /v1/things/{id}']);
    const i = new OperationIndex([api]);
    const c = normalizeUrlish('/v1/things/7');
    assert.ok(c);
    assert.deepEqual(i.find(c, 'put').map((h) => h.match.operation.method), ['put']);
    assert.deepEqual(i.find(c, 'post').map((h) => h.match.operation.method), ['get', 'put', 'delete']);
  });

  it('finds nothing for unrelated strings and near misses', () => {
    for (const text of ['/users/octocat', '/telenor-stores/v2/stores', '/corporate-accounts/v2/accounts/1/extra', 'src/extension/hover.ts']) {
      const c = normalizeUrlish(text, index.knownHosts);
      if (c === undefined) continue;
      assert.deepEqual(index.find(c), [], text);
    }
  });

  it('lets a parameter-only template (/{id}) match only a full URL on a known host', () => {
    const api = synthetic([{ url: 'https://api.example.no' }], ['get /{id}']);
    const i = new OperationIndex([api]);
    assert.deepEqual(i.find({ target: '/anything' }), []);
    const c = normalizeUrlish('https://api.example.no/anything', i.knownHosts);
    assert.ok(c);
    assert.deepEqual(i.find(c).map((h) => h.match.operation.path), ['/{id}']);
  });

  it('follows a rebuild: an API removed from the list is no longer found', () => {
    const without = new OperationIndex(apis.filter((a) => a.title !== 'Telenor Stores API'));
    const c = normalizeUrlish('/telenor-stores/v1/stores');
    assert.ok(c);
    assert.deepEqual(without.find(c), []);
    assert.ok(new OperationIndex([]).isEmpty);
  });
});
