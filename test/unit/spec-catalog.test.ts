// The worker path end to end: SpecCatalog (this thread) → dist/specWorker.js (a worker thread).
// Needs `node esbuild.mjs` first, which builds the worker bundle.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { isErrorKind } from '../../src/core/errors';
import { SpecCatalog, loadFailureError, type SpecCatalogChange } from '../../src/core/spec/catalog';
import { SpecService } from '../../src/core/spec/service';
import type { ApiIndex, LoadResult } from '../../src/core/spec/types';
import { fixture, repoRoot, startServer, type TestServer } from '../fixtures/specs/helpers';
import { TestProxy } from '../helpers/servers';

const workerPath = join(repoRoot, 'dist', 'specWorker.js');

function ok(result: LoadResult): ApiIndex {
  assert.ok(result.ok, JSON.stringify(result.problems));
  return result.api;
}

/** A spec with `count` operations across 20 tags, with enough text to need several chunks. */
function bigSpec(count: number): string {
  const paths: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    paths[`/things/${i}/{id}`] = {
      get: {
        tags: [`tag${i % 20}`],
        operationId: `get${i}`,
        summary: `Get thing ${i}`,
        description: 'A long description. '.repeat(40),
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { $ref: '#/components/parameters/Page' }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
      },
    };
  }
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Big', version: '1' },
    paths,
    components: {
      parameters: { Page: { name: 'page', in: 'query', schema: { type: 'integer' } } },
      schemas: { Thing: { type: 'object', properties: { id: { type: 'string' } } } },
    },
  });
}

describe('spec catalog (worker end to end)', function () {
  this.timeout(30_000);
  let server: TestServer;
  const stoppers: Array<() => void> = [];
  const catalogs: SpecCatalog[] = [];
  const tempDirs: string[] = [];

  function catalog(options: Partial<ConstructorParameters<typeof SpecCatalog>[0]> = {}): SpecCatalog {
    const c = new SpecCatalog({ workerPath, ...options });
    catalogs.push(c);
    return c;
  }

  let innocentRequests = 0;

  before(async () => {
    server = await startServer({
      // The first request is held open until the worker that made it dies; later ones are answered at once.
      '/innocent.yaml': (_req, res) => {
        if (++innocentRequests === 1) {
          res.on('close', () => undefined);
          stoppers.push(() => res.destroy());
          return;
        }
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end('openapi: 3.0.3\ninfo: {title: Innocent, version: "1"}\npaths: {}\n');
      },
      '/slow.yaml': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.write('openapi: 3.0.3\n');
        stoppers.push(() => res.destroy());
      },
      // ~12 MB of tiny objects, generated as it is sent: parsing it needs far more heap than the worker gets.
      '/hostile.json': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"openapi":"3.0.3","info":{"title":"hostile","version":"1"},"paths":{},"x-junk":[');
        const item = '{"a":[1,2,3],"b":{"c":"d"}},'.repeat(2000);
        let sent = 0;
        const pump = (): void => {
          while (sent < 200) {
            sent++;
            if (!res.write(item)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end('{}]}');
        };
        res.on('error', () => undefined);
        pump();
      },
    });
  });

  after(async () => {
    for (const c of catalogs) c.dispose();
    for (const stop of stoppers) stop();
    for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
    await server.close();
  });

  it('loads a spec in the worker and gives the same index as in-process indexing', async () => {
    const c = catalog();
    const viaWorker = await c.load({ kind: 'file', path: fixture('swagger2-telenor.json') });
    const service = new SpecService();
    const inProcess = await service.load({ kind: 'file', path: fixture('swagger2-telenor.json') });
    await service.dispose();
    assert.deepEqual(viaWorker, inProcess);
    assert.equal(c.get(ok(viaWorker).id), viaWorker);
    assert.deepEqual(c.apis().map((a) => a.title), ['Mobile Subscription Info API']);
  });

  it('sends the summary first, then the operations in small chunks the host reassembles', async () => {
    const sizes: number[] = [];
    const c = catalog({
      createWorker: (path, options) => {
        const w = new Worker(path, options);
        w.on('message', (m: { kind: string; json?: string }) => {
          if (m.kind === 'chunk' && m.json) sizes.push(m.json.length);
        });
        return w;
      },
    });
    const changes: SpecCatalogChange['type'][] = [];
    c.onDidChange((e) => changes.push(e.type));
    let summaryTags = 0;
    let summaryBeforeResult = false;
    let resolved = false;
    const loading = c.load({ kind: 'text', text: bigSpec(1500), origin: 'big.json' }, {
      onSummary: (s) => {
        summaryTags = s.tags.length;
        summaryBeforeResult = !resolved;
      },
    });
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const api = ok(await loading);
    h.disable();
    resolved = true;
    assert.equal(summaryTags, 20);
    assert.ok(summaryBeforeResult, 'the first tree level is known before the whole index');
    assert.deepEqual(changes, ['summary', 'loaded']);
    assert.equal(api.operationCount, 1500);
    assert.equal(Object.keys(api.operations).length, 1500);
    assert.equal(api.operations['#/paths/~1things~11499~1{id}/get']?.parameters.length, 2);
    assert.ok(sizes.length >= 10, `${sizes.length} chunks`);
    assert.ok(Math.max(...sizes) < 200 * 1024, `largest chunk ${Math.max(...sizes)} chars`);
    // A loose bound: the machine is shared, but a host that parsed everything at once would show it.
    assert.ok(h.max / 1e6 < 250, `host event loop stalled ${(h.max / 1e6).toFixed(0)} ms`);
  });

  it('validates, builds examples and resolves schemas through the worker', async () => {
    const c = catalog();
    const api = ok(await c.load({ kind: 'file', path: fixture('invalid.yaml') }));
    const validated: number[] = [];
    c.onDidChange((e) => {
      if (e.type === 'validated') validated.push(e.problems.length);
    });
    const problems = await c.validate(api.id);
    assert.ok(problems.some((p) => p.pointer === '#/paths/~1items/get/responses/200' && p.line === 12));
    assert.deepEqual(validated, [problems.length]);
    const circular = ok(await c.load({ kind: 'file', path: fixture('circular.yaml') }));
    const example = await c.example(circular.id, '#/paths/~1nodes/post');
    assert.equal(example.source, 'schema');
    assert.equal(typeof (example.value as { name?: unknown }).name, 'string');
    const schema = await c.resolveSchema(circular.id, '#/components/schemas/Node', 2);
    assert.equal((schema.schema as { properties: { parent: Record<string, unknown> } }).properties.parent['x-unresolved'], 'cycle');
    const params = await c.parameterExamples(api.id, '#/paths/~1items/get');
    assert.deepEqual(Object.keys(params), ['querystring:limit']);
  });

  it('keeps failed loads apart: a broken spec fails with its location, the others keep working', async () => {
    const c = catalog();
    const good = ok(await c.load({ kind: 'file', path: fixture('circular.yaml') }));
    const broken = await c.load({ kind: 'file', path: fixture('broken.yaml') });
    assert.equal(broken.ok, false);
    assert.match(broken.problems[0]?.message ?? '', /^broken\.yaml line 7, column 3/);
    const error = loadFailureError(broken as Extract<LoadResult, { ok: false }>);
    assert.equal(error.kind, 'spec');
    assert.ok(error.hint);
    assert.equal(c.allResults().length, 2);
    assert.equal((await c.example(good.id, '#/paths/~1nodes/post')).source, 'schema');
    await assert.rejects(c.example('file:/never/loaded.yaml', '#/paths/~1a/get'), (e: unknown) => isErrorKind(e, 'spec'));
    await assert.rejects(c.validate('file:/never/loaded.yaml'), (e: unknown) => isErrorKind(e, 'spec'));
  });

  it('survives a spec that runs the worker out of memory; other specs reload transparently', async () => {
    const c = catalog({ resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 }, service: { load: { maxBytes: 256 * 1024 * 1024 } } });
    const restarts: string[] = [];
    c.onDidChange((e) => {
      if (e.type === 'workerRestarted') restarts.push(e.reason);
    });
    const good = ok(await c.load({ kind: 'file', path: fixture('swagger2-telenor.json') }));
    const hostile = await c.load({ kind: 'url', url: `${server.url}/hostile.json` });
    assert.equal(hostile.ok, false);
    assert.equal(hostile.problems[0]?.code, 'crash');
    assert.match(hostile.problems[0]?.message ?? '', /ran out of memory/);
    assert.ok(restarts.includes('out-of-memory'), restarts.join());
    // The first spec lived in the dead worker: asking about it loads it into the new one.
    const example = await c.example(good.id, '#/paths/~1oauth~1v2~1token/post');
    assert.equal(example.mediaType, 'application/x-www-form-urlencoded');
    assert.ok(ok(await c.load({ kind: 'file', path: fixture('circular.yaml') })));
  });

  it('after a crash, replays the other requests in flight one at a time so only the culprit fails', async () => {
    const c = catalog({ resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 }, service: { load: { maxBytes: 256 * 1024 * 1024 } } });
    server.requests.length = 0;
    innocentRequests = 0;
    const [hostile, innocent] = await Promise.all([
      c.load({ kind: 'url', url: `${server.url}/hostile.json` }),
      c.load({ kind: 'url', url: `${server.url}/innocent.yaml` }),
    ]);
    assert.equal(hostile.ok, false);
    assert.equal(hostile.problems[0]?.code, 'crash');
    assert.equal(ok(innocent).title, 'Innocent');
    // Both were in flight when the worker died; both were replayed; the hostile one crashed again alone.
    assert.equal(server.requests.filter((r) => r === 'GET /innocent.yaml').length, 2);
    assert.equal(server.requests.filter((r) => r === 'GET /hostile.json').length, 2);
  });

  it('replaces a worker that stops answering, and fails only the request that timed out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-catalog-'));
    tempDirs.push(dir);
    const stuck = join(dir, 'stuck-worker.js');
    // Answers pings, and spins forever on anything else: a worker stuck in synchronous work.
    writeFileSync(
      stuck,
      `const { parentPort } = require('node:worker_threads');
       parentPort.on('message', (m) => {
         if (m.kind !== 'request') return;
         if (m.request.type === 'ping') parentPort.postMessage({ kind: 'response', id: m.id, ok: true, json: 'true' });
         else for (;;) {}
       });`,
    );
    const c = catalog({ workerPath: stuck, timeouts: { loadMs: 300 }, stallGraceMs: 300 });
    const restarts: string[] = [];
    c.onDidChange((e) => {
      if (e.type === 'workerRestarted') restarts.push(e.reason);
    });
    const started = performance.now();
    const result = await c.load({ kind: 'file', path: fixture('circular.yaml') });
    assert.equal(result.ok, false);
    assert.equal(result.problems[0]?.code, 'timeout');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(restarts, ['unresponsive']);
    await c.warmUp();
    assert.ok(performance.now() - started < 5000);
  });

  it('cancels a load with a cancelled error and keeps the worker usable', async () => {
    const c = catalog();
    const controller = new AbortController();
    const loading = c.load({ kind: 'url', url: `${server.url}/slow.yaml` }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(loading, (e: unknown) => isErrorKind(e, 'cancelled'));
    assert.ok(ok(await c.load({ kind: 'file', path: fixture('circular.yaml') })));
  });

  it('turns a load that exceeds its time limit into a timeout problem', async () => {
    const c = catalog();
    const result = await c.load({ kind: 'url', url: `${server.url}/slow.yaml` }, { timeoutMs: 300 });
    assert.equal(result.ok, false);
    assert.equal(result.problems[0]?.code, 'timeout');
  });

  it('unloads specs and fires the change', async () => {
    const c = catalog();
    const api = ok(await c.load({ kind: 'file', path: fixture('circular.yaml') }));
    const changes: string[] = [];
    c.onDidChange((e) => changes.push(`${e.type}`));
    await c.unload(api.id);
    assert.equal(c.get(api.id), undefined);
    assert.deepEqual(changes, ['unloaded']);
    await assert.rejects(c.example(api.id, '#/paths/~1nodes/post'), (e: unknown) => isErrorKind(e, 'spec'));
  });

  it('rejects everything in flight on dispose, and refuses new work', async () => {
    const c = catalog();
    const loading = c.load({ kind: 'url', url: `${server.url}/slow.yaml` });
    await new Promise((r) => setTimeout(r, 100));
    c.dispose();
    await assert.rejects(loading, (e: unknown) => isErrorKind(e, 'cancelled'));
    await assert.rejects(c.load({ kind: 'file', path: fixture('circular.yaml') }), (e: unknown) => isErrorKind(e, 'cancelled'));
  });

  it('says clearly when the worker bundle is missing', async () => {
    const c = catalog({ workerPath: join(tmpdir(), 'no-such-dir', 'specWorker.js') });
    await assert.rejects(c.warmUp(), (e: unknown) => isErrorKind(e, 'internal'));
  });
});

describe('SpecCatalog.reconfigure (download settings changed while running)', () => {
  let server: TestServer;
  let proxy: TestProxy;
  let catalog: SpecCatalog;
  const NAME = 'specs.telenor.test';

  before(async () => {
    server = await startServer({ '/spec.json': (_req, res) => res.end(JSON.stringify({ openapi: '3.0.3', info: { title: 'Proxied', version: '1' }, paths: {} })) });
    const port = new URL(server.url).port;
    // Only the proxy knows this host name: a load that reaches the server went through the proxy.
    proxy = await new TestProxy({ hosts: { [`${NAME}:${port}`]: `127.0.0.1:${port}` } }).start();
    catalog = new SpecCatalog({ workerPath, service: { load: { timeoutMs: 5_000 } } });
  });

  after(async () => {
    catalog.dispose();
    await Promise.all([server.close(), proxy.close()]);
  });

  it('a worker started before the change keeps nothing of the old settings: the next load uses the proxy', async () => {
    const url = `http://${NAME}:${new URL(server.url).port}/spec.json`;
    const before = await catalog.load({ kind: 'url', url });
    assert.equal(before.ok, false, 'without the proxy (and with plain http refused) the name cannot be reached');
    assert.equal(proxy.forwards.length + proxy.connects.length, 0);

    catalog.reconfigure({ load: { timeoutMs: 5_000, allowInsecureHttp: true }, transport: { proxy: proxy.url } });
    const after = await catalog.load({ kind: 'url', url });
    assert.equal(ok(after).title, 'Proxied');
    assert.ok(proxy.forwards.length + proxy.connects.length >= 1, 'the download went through the proxy');
  });
});
