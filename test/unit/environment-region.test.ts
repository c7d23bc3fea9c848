// Region detection and server URLs per environment (src/extension/environment/region.ts): the built-in
// specs as they really load, and built summaries for the edge cases.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { isErrorKind } from '../../src/core/errors';
import { SpecService } from '../../src/core/spec/service';
import type { ApiSummary, SecuritySchemeInfo, ServerInfo } from '../../src/core/spec/types';
import { detectRegion, rebaseServer, resolveServerUrl } from '../../src/extension/environment/region';
import { BUILTIN_SPECS } from '../../src/sandbox/index';
import { repoRoot } from '../fixtures/specs/helpers';

/** A summary with only what region detection reads; everything else empty. */
function api(parts: { servers?: ServerInfo[]; extensions?: Record<string, unknown>; schemes?: Record<string, SecuritySchemeInfo>; title?: string } = {}): ApiSummary {
  return {
    id: 'text:test',
    source: { kind: 'text', text: '', origin: 'test' },
    origin: 'test',
    title: parts.title ?? 'Test API',
    version: '1',
    specVersion: '3.0',
    servers: parts.servers ?? [],
    securitySchemes: parts.schemes ?? {},
    security: [],
    extensions: parts.extensions ?? {},
    tags: [],
    operationCount: 0,
  };
}

function oauth(tokenUrl: string): Record<string, SecuritySchemeInfo> {
  return { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl, scopes: {} } } } };
}

const SANDBOX = 'http://127.0.0.1:4711';
const NO_TEST = 'https://test-api.telenor.no';
const NO_PROD = 'https://api.telenor.no';

describe('environment region detection', () => {
  it('takes the settings override first, then x-telenor (region or grant prefix), then scheme-level x-telenor', () => {
    const telenorNo = api({ extensions: { 'x-telenor': { region: 'no' } }, servers: [{ url: 'https://api.telenor.se' }] });
    assert.deepEqual(detectRegion(telenorNo), { region: 'no', source: 'x-telenor' });
    assert.deepEqual(detectRegion(telenorNo, 'sweden'), { region: 'se', source: 'override' });
    assert.deepEqual(detectRegion(telenorNo, 'atlantis'), { region: 'no', source: 'x-telenor' }, 'an unusable override is ignored');
    assert.equal(detectRegion(api({ extensions: { 'x-telenor': { grant: 'se-client-credentials' } } }))?.region, 'se');
    assert.equal(detectRegion(api({ extensions: { 'x-telenor-auth': { grant: 'no_password' } } }))?.region, 'no');
    const schemeLevel = api({ schemes: { s: { type: 'oauth2', extensions: { 'x-telenor': { region: 'se' } } } } });
    assert.deepEqual(detectRegion(schemeLevel), { region: 'se', source: 'x-telenor' });
  });

  it('reads Telenor hosts in the servers, but not lookalike hosts', () => {
    assert.deepEqual(detectRegion(api({ servers: [{ url: 'https://test-api.telenor.no/x' }] })), { region: 'no', source: 'servers' });
    assert.equal(detectRegion(api({ servers: [{ url: 'https://api.telenor.se' }] }))?.region, 'se');
    assert.equal(detectRegion(api({ servers: [{ url: 'https://nottelenor.no' }] })), undefined);
    assert.equal(detectRegion(api({ servers: [{ url: 'https://telenor.no.evil.example' }] })), undefined);
    assert.equal(detectRegion(api({ servers: [{ url: '/relative' }] })), undefined);
  });

  it('reads token URLs only when they are clearly Telenor’s', () => {
    assert.deepEqual(detectRegion(api({ schemes: oauth('/openapi/oauth2/token') })), { region: 'se', source: 'token-url' });
    assert.equal(detectRegion(api({ schemes: oauth('/oauth2/token') }))?.region, 'se', 'relative: the host is left to the environment');
    assert.equal(detectRegion(api({ schemes: oauth('https://api.telenor.no/oauth/token') }))?.region, 'no');
    assert.equal(detectRegion(api({ schemes: oauth('https://gw.example.com/oauth/v2/token') }))?.region, 'no', 'the distinctive Norway path');
    assert.equal(detectRegion(api({ schemes: oauth('https://auth.example.com/oauth2/token') })), undefined, 'a generic OAuth server is not Sweden');
  });

  it('treats an X-JWT header scheme as Sweden, and anything else as not Telenor', () => {
    const xjwt = api({ schemes: { j: { type: 'apiKey', in: 'header', name: 'x-jwt' } } });
    assert.deepEqual(detectRegion(xjwt), { region: 'se', source: 'x-jwt' });
    assert.equal(detectRegion(api({ schemes: { k: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } }, servers: [{ url: 'https://petstore.example.com/v2' }] })), undefined);
  });
});

describe('environment server URLs', () => {
  it('keeps the server path on the environment host, with the base URL’s own prefix', () => {
    const stores = api({ servers: [{ url: 'https://api.telenor.no/telenor-stores/v1' }] });
    assert.equal(rebaseServer(SANDBOX, stores.servers), `${SANDBOX}/telenor-stores/v1`);
    assert.equal(rebaseServer('https://gw.example.se/telenor/', stores.servers), 'https://gw.example.se/telenor/telenor-stores/v1');
    assert.equal(rebaseServer(SANDBOX, api({ servers: [{ url: 'https://api.telenor.no' }] }).servers), SANDBOX, 'no trailing slash');
    assert.equal(rebaseServer(SANDBOX, api({ servers: [{ url: '/v2/' }] }).servers), `${SANDBOX}/v2`);
    assert.equal(rebaseServer(SANDBOX, api().servers), SANDBOX);
  });

  it('sends other APIs to their own first absolute server in every environment', () => {
    const pets = api({ servers: [{ url: '/relative' }, { url: 'https://petstore.example.com/v2' }] });
    for (const environment of ['sandbox', 'test', 'production'] as const) {
      assert.equal(resolveServerUrl({ api: pets, environment, baseUrls: { no: SANDBOX, se: SANDBOX } }), 'https://petstore.example.com/v2');
    }
  });

  it('sends an operation with its own servers there, and the rest of the API to the document’s', () => {
    // OpenAPI 3 lets a path or an operation name other servers (a file-upload host, another base path).
    const stores = api({ servers: [{ url: 'https://api.telenor.no/telenor-stores/v1' }] });
    const upload = { servers: [{ url: 'https://api.telenor.no/telenor-uploads/v2' }] };
    assert.equal(resolveServerUrl({ api: stores, environment: 'test', baseUrls: { no: NO_TEST }, operation: upload }), `${NO_TEST}/telenor-uploads/v2`);
    assert.equal(resolveServerUrl({ api: stores, environment: 'test', baseUrls: { no: NO_TEST }, operation: {} }), `${NO_TEST}/telenor-stores/v1`, 'none of its own');
    assert.equal(resolveServerUrl({ api: stores, environment: 'test', baseUrls: { no: NO_TEST }, operation: { servers: [] } }), `${NO_TEST}/telenor-stores/v1`, 'an empty list');
    const pets = api({ servers: [{ url: 'https://petstore.example.com/v2' }] });
    const files = { servers: [{ url: 'https://files.petstore.example.com/v1/' }] };
    assert.equal(resolveServerUrl({ api: pets, environment: 'sandbox', baseUrls: {}, operation: files }), 'https://files.petstore.example.com/v1');
    assert.equal(resolveServerUrl({ api: pets, environment: 'sandbox', baseUrls: {}, operation: { servers: [{ url: '/only-relative' }] } }), 'https://petstore.example.com/v2', 'a relative one falls back to the document’s host');
  });

  it('says what to fix when there is nowhere to send', () => {
    const relativeOnly = api({ title: 'Rel', servers: [{ url: '/v1' }] });
    assert.throws(
      () => resolveServerUrl({ api: relativeOnly, environment: 'sandbox', baseUrls: {} }),
      (e: unknown) => isErrorKind(e, 'input') && /relative server “\/v1”/.test(e.message) && /x-telenor/.test(e.hint),
    );
    const sweden = api({ title: 'Product Catalog', extensions: { 'x-telenor': { region: 'se' } } });
    assert.throws(
      () => resolveServerUrl({ api: sweden, environment: 'test', baseUrls: { no: NO_TEST } }),
      (e: unknown) =>
        isErrorKind(e, 'input') && /No Sweden base URL is set for the Test environment/.test(e.message) && e.hint.includes('telenor.environments › test › se'),
    );
    assert.throws(
      () => resolveServerUrl({ api: sweden, environment: 'production', baseUrls: { se: 'ftp://files.example.se' } }),
      (e: unknown) => isErrorKind(e, 'input') && /not an http\(s\) URL/.test(e.message) && e.hint.includes('telenor.environments › production › se'),
    );
    assert.throws(
      () => resolveServerUrl({ api: sweden, environment: 'sandbox', baseUrls: { se: 'not a url' } }),
      (e: unknown) => isErrorKind(e, 'input') && e.hint.includes('telenor.sandbox.url'),
    );
  });

  describe('every built-in spec', function () {
    this.timeout(30_000);
    const service = new SpecService();
    const loaded = new Map<string, ApiSummary>();

    before(async () => {
      for (const spec of BUILTIN_SPECS) {
        const result = await service.load({ kind: 'builtin', path: join(repoRoot, 'src', 'sandbox', 'specs', spec.file), name: spec.file });
        assert.ok(result.ok, `${spec.file} loads`);
        loaded.set(spec.file, result.api);
      }
    });
    after(() => service.dispose());

    for (const spec of BUILTIN_SPECS) {
      it(`${spec.file}: region ${spec.region}, and a URL in the sandbox, test and production`, () => {
        const a = loaded.get(spec.file);
        assert.ok(a);
        assert.equal(detectRegion(a)?.region, spec.region);
        const path = spec.file === 'telenor-stores.json' ? '/telenor-stores/v1' : '';
        assert.equal(resolveServerUrl({ api: a, environment: 'sandbox', baseUrls: { no: SANDBOX, se: SANDBOX } }), `${SANDBOX}${path}`);
        const test = { no: NO_TEST };
        const production = { no: NO_PROD };
        if (spec.region === 'no') {
          assert.equal(resolveServerUrl({ api: a, environment: 'test', baseUrls: test }), `${NO_TEST}${path}`);
          assert.equal(resolveServerUrl({ api: a, environment: 'production', baseUrls: production }), `${NO_PROD}${path}`);
        } else {
          // Sweden has no public default: the setting must be named.
          assert.throws(() => resolveServerUrl({ api: a, environment: 'test', baseUrls: test }), (e: unknown) => isErrorKind(e, 'input'));
          assert.equal(resolveServerUrl({ api: a, environment: 'production', baseUrls: { ...production, se: 'https://se.example/base' } }), `https://se.example/base${path}`);
        }
      });
    }
  });
});
