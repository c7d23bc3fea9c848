import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isErrorKind } from '../../src/core/errors';
import { fetchSpecText, hasExternalRefs, loadSpecDocument } from '../../src/core/spec/load';
import { SpecService } from '../../src/core/spec/service';
import type { LoadResult, SpecProblem } from '../../src/core/spec/types';
import { fixture, send, startServer, type TestServer } from '../fixtures/specs/helpers';

function failed(result: LoadResult): SpecProblem {
  assert.equal(result.ok, false, 'expected the load to fail');
  const [p] = result.problems;
  assert.ok(p);
  return p;
}

const MINIMAL_YAML = 'openapi: 3.0.3\ninfo:\n  title: Served\n  version: "1"\nservers:\n  - url: /v1\npaths:\n  /ping:\n    get:\n      responses:\n        "200": {description: pong}\n';

describe('spec load', () => {
  let server: TestServer;
  let service: SpecService;
  const pending: Array<() => void> = [];

  before(async () => {
    const dir = (name: string) => readFileSync(fixture('openapi30-external', name));
    server = await startServer({
      '/spec.yaml': send(MINIMAL_YAML, 'text/plain; charset=utf-8'),
      '/spec.json': send(readFileSync(fixture('swagger2-telenor.json')), 'application/octet-stream'),
      '/no-host.json': send(JSON.stringify({ swagger: '2.0', info: { title: 'x', version: '1' }, basePath: '/base', paths: {} })),
      '/ext/main.yaml': send(dir('main.yaml'), 'application/yaml'),
      '/ext/schemas.yaml': send(dir('schemas.yaml'), 'application/yaml'),
      '/ext/parameters.yaml': send(dir('parameters.yaml'), 'application/yaml'),
      '/local-ref.yaml': send('openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    $ref: "file:///etc/hostname"\n', 'application/yaml'),
      '/missing-ref.yaml': send('openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: "./gone.yaml#/P"\n      responses: {"200": {description: ok}}\n', 'application/yaml'),
      '/login': send('<!doctype html><html><body>Please sign in</body></html>', 'text/html'),
      '/error': send('boom', 'text/plain', 500),
      '/redirect': (_req, res) => {
        res.writeHead(302, { location: '/spec.yaml' });
        res.end();
      },
      '/loop': (_req, res) => {
        res.writeHead(301, { location: '/loop' });
        res.end();
      },
      '/slow': (_req, res) => {
        // Headers, then nothing: the body never completes.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"openapi":');
        pending.push(() => res.destroy());
      },
      '/huge-declared': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
        res.write('{');
        pending.push(() => res.destroy());
      },
      '/huge-streamed': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < 8 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
      },
      '/binary': send(readFileSync(fixture('garbage.bin')), 'application/octet-stream'),
    });
    service = new SpecService({ load: { timeoutMs: 1500, maxBytes: 1024 * 1024 } });
  });

  after(async () => {
    for (const stop of pending) stop();
    await service.dispose();
    await server.close();
  });

  it('loads YAML served as text/plain and resolves relative servers against the URL', async () => {
    const r = await service.load({ kind: 'url', url: `${server.url}/spec.yaml` });
    assert.ok(r.ok, JSON.stringify(r.problems));
    assert.equal(r.api.title, 'Served');
    assert.equal(r.api.origin, `${server.url}/spec.yaml`);
    assert.deepEqual(r.api.servers, [{ url: `${server.url}/v1` }]);
  });

  it('loads JSON served as application/octet-stream', async () => {
    const r = await service.load({ kind: 'url', url: `${server.url}/spec.json` });
    assert.ok(r.ok);
    assert.equal(r.api.operationCount, 5);
  });

  it('takes the host of a Swagger 2.0 spec without `host` from its URL', async () => {
    const r = await service.load({ kind: 'url', url: `${server.url}/no-host.json` });
    assert.ok(r.ok);
    assert.deepEqual(r.api.servers, [{ url: `${server.url}/base` }]);
  });

  it('follows redirects, and stops after the limit', async () => {
    const r = await service.load({ kind: 'url', url: `${server.url}/redirect` });
    assert.ok(r.ok);
    const loop = failed(await service.load({ kind: 'url', url: `${server.url}/loop` }));
    assert.equal(loop.code, 'http-status');
    assert.match(loop.message, /more than 5 redirects/);
  });

  it('reports 404 and 500 with the URL (without its query) and a hint', async () => {
    const notFound = failed(await service.load({ kind: 'url', url: `${server.url}/nope.yaml?token=SECRET-QUERY` }));
    assert.equal(notFound.code, 'not-found');
    assert.equal(notFound.message, `${server.url}/nope.yaml: the server answered HTTP 404.`);
    assert.ok(notFound.hint);
    const error = failed(await service.load({ kind: 'url', url: `${server.url}/error` }));
    assert.equal(error.code, 'http-status');
    assert.match(error.message, /HTTP 500/);
  });

  it('gives up on a server that never finishes, within the time limit', async () => {
    const started = performance.now();
    const p = failed(await service.load({ kind: 'url', url: `${server.url}/slow` }));
    const took = performance.now() - started;
    assert.equal(p.code, 'timeout');
    assert.match(p.message, /no complete answer within 2 s/);
    assert.ok(took < 4000, `took ${took} ms`);
  });

  it('refuses bodies over the size cap, declared or streamed, without reading them all', async () => {
    const declared = failed(await service.load({ kind: 'url', url: `${server.url}/huge-declared` }));
    assert.equal(declared.code, 'too-large');
    assert.match(declared.message, /larger than the 1 MB limit/);
    const streamed = failed(await service.load({ kind: 'url', url: `${server.url}/huge-streamed` }));
    assert.equal(streamed.code, 'too-large');
  });

  it('reports an HTML login page as not a spec, and binary bytes as binary', async () => {
    const html = failed(await service.load({ kind: 'url', url: `${server.url}/login` }));
    assert.ok(html.code === 'version' || html.code === 'syntax', `got ${html.code}`);
    const bin = failed(await service.load({ kind: 'url', url: `${server.url}/binary` }));
    assert.equal(bin.code, 'binary');
  });

  it('reports a refused connection as a network problem', async () => {
    const closed = await startServer({});
    const url = `${closed.url}/spec.yaml`;
    await closed.close();
    const p = failed(await service.load({ kind: 'url', url }));
    assert.equal(p.code, 'network');
    assert.match(p.message, /ECONNREFUSED/);
  });

  it('turns broken proxy/CA settings into a problem that names the setting', async () => {
    const badCa = new SpecService({ transport: { extraCaCertsPath: fixture('does-not-exist.pem') } });
    try {
      const p = failed(await badCa.load({ kind: 'url', url: `${server.url}/spec.yaml` }));
      assert.equal(p.code, 'network');
      assert.match(p.message, /extra CA/);
      assert.ok(p.hint);
    } finally {
      await badCa.dispose();
    }
  });

  it('refuses non-http URLs', async () => {
    const r = await fetchSpecText('ftp://example.test/spec.yaml');
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.problem.code, 'policy');
  });

  it('bundles external $refs fetched over HTTP', async () => {
    server.requests.length = 0;
    const r = await service.load({ kind: 'url', url: `${server.url}/ext/main.yaml` });
    assert.ok(r.ok, JSON.stringify(r.problems));
    assert.deepEqual(r.problems, []);
    const list = Object.values(r.api.operations).find((o) => o.operationId === 'listAccounts');
    assert.equal(list?.parameters.find((p) => p.name === 'pageSize')?.maximum, 1000);
    assert.ok(server.requests.includes('GET /ext/schemas.yaml'));
    assert.ok(server.requests.includes('GET /ext/parameters.yaml'));
    const example = await service.example(r.api.id, list?.id ?? '');
    assert.equal(example.source, 'none', 'GET has no body');
    const post = Object.values(r.api.operations).find((o) => o.operationId === 'createAccount');
    const body = await service.example(r.api.id, post?.id ?? '');
    assert.deepEqual(body.value, { name: 'Telenor Test AS', orgNumber: '914742315' });
  });

  it('never lets a spec from the web read local files', async () => {
    const r = await service.load({ kind: 'url', url: `${server.url}/local-ref.yaml` });
    assert.ok(r.ok, 'the spec itself still loads');
    const policy = r.problems.find((p) => p.code === 'policy');
    assert.ok(policy, JSON.stringify(r.problems));
    assert.match(policy.message, /local file/);
  });

  it('keeps loading when a referenced document is missing, and says which', async () => {
    const r = await service.load({ kind: 'url', url: `${server.url}/missing-ref.yaml` });
    assert.ok(r.ok);
    assert.ok(r.problems.some((p) => p.code === 'not-found' && p.message.includes('gone.yaml')), JSON.stringify(r.problems));
    assert.ok(r.problems.some((p) => p.code === 'ref'), 'the unresolved $ref is reported by the indexer too');
  });

  it('cancels a download with a cancelled error', async () => {
    const controller = new AbortController();
    const loading = loadSpecDocument({ kind: 'url', url: `${server.url}/slow` }, { timeoutMs: 10_000 }, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(loading, (e: unknown) => isErrorKind(e, 'cancelled'));
  });

  it('spots external $refs in the text in every spelling, and ignores local ones', () => {
    for (const text of ['{"$ref": "other.json#/A"}', "$ref: './a.yaml'", '$ref: a.yaml#/B', '$ref: >-\n  https://x.test/s.yaml#/C', '"$ref":"http://x/y.json"']) {
      assert.equal(hasExternalRefs(text), true, text);
    }
    for (const text of ['{"$ref": "#/A"}', "$ref: '#/a'", '$ref: >-\n    #/components/x', '"$ref":"#/x"', 'description: uses $ref values', '$ref:', '{"$ref" : "#"}', '{"properties": {"$ref": {"type": "string"}}}', '"$ref": [1]', '$ref: {type: string}']) {
      assert.equal(hasExternalRefs(text), false, text);
    }
  });

  it('reports missing files and folders by name', async () => {
    const missing = failed(await service.load({ kind: 'file', path: fixture('does-not-exist.yaml') }));
    assert.equal(missing.code, 'not-found');
    assert.equal(missing.message, 'does-not-exist.yaml: file not found.');
    const folder = failed(await service.load({ kind: 'file', path: fixture('openapi30-external') }));
    assert.equal(folder.code, 'read');
  });

  it('loads text sources, and warns that relative refs need a location', async () => {
    const r = await service.load({ kind: 'text', text: readFileSync(fixture('openapi30-external', 'main.yaml'), 'utf8'), origin: 'untitled-1' });
    assert.ok(r.ok);
    assert.ok(r.problems.some((p) => p.code === 'ref' && p.severity === 'warning' && /without a location/.test(p.message)));
    const located = await service.load({ kind: 'text', text: readFileSync(fixture('openapi30-external', 'main.yaml'), 'utf8'), origin: fixture('openapi30-external', 'main.yaml') });
    assert.ok(located.ok);
    assert.deepEqual(located.problems, [], 'an absolute path as origin lets the refs resolve');
  });
});
