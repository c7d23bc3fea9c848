/**
 * Nothing lost (issue 5), in-host:
 * - a send that fails (the server times out, answers 500, or cannot be reached) keeps every input in the
 *   panel and says what happened;
 * - a crash of the spec worker while it loads one spec fails only that spec: the other APIs stay loaded,
 *   their examples still come from the (new) worker, and sending still works. The crash is made by ending
 *   the worker thread in the middle of the load: the catalog sees the same `exit` as for a real crash (the
 *   extension has no seam to shrink the worker's 2 GB heap, and an out-of-memory spec would need one);
 * - "Clear Credentials" removes the secrets from SecretStorage and forgets the tokens made with them.
 *
 * Restarting VS Code with the same profile (secrets survive, sign-in works without asking): test/ui/lost.ui.ts.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { ApiIndex, OperationInfo } from '../../src/core/spec/types';
import type { Services } from '../../src/extension/services';
import type { SendOutcome } from '../../src/protocol';
import type { RunningSandbox } from '../../src/sandbox/index';
import { eventually, sandbox, services, useSandbox } from './helpers';

function findOp(api: ApiIndex, method: string, path: string): OperationInfo {
  const op = Object.values(api.operations).find((o) => o.method === method && o.path === path);
  assert.ok(op, `${api.title} has ${method.toUpperCase()} ${path}`);
  return op;
}

/** The token endpoint goes to the sandbox; API calls get `answer` (500) or nothing at all (`hang`). */
async function gateway(target: string, mode: () => 'hang' | '500'): Promise<{ url: string; close: () => Promise<void> }> {
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if ((req.url ?? '').startsWith('/oauth')) {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        void fetch(`${target}${req.url ?? ''}`, { method: req.method ?? 'GET', headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) }).then(async (r) => {
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' }).end(await r.text());
        });
        return;
      }
      if (mode() === '500') res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":50001,"message":"internal server error"}');
      else open.add(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const r of open) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A spec big enough that its load takes a while: `paths` operations with a schema each. */
function bigSpec(paths: number): string {
  const props = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field${i}`, { type: 'string', description: `Field ${i} of a record`, example: `value ${i}` }]));
  const spec = {
    openapi: '3.0.3',
    info: { title: 'Crashing Load API', version: '1.0.0' },
    servers: [{ url: 'http://127.0.0.1:9/' }],
    paths: Object.fromEntries(
      Array.from({ length: paths }, (_, i) => [
        `/records${i}/{id}`,
        {
          get: {
            operationId: `getRecord${i}`,
            tags: [`group${i % 50}`],
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: props } } } } },
          },
        },
      ]),
    ),
  };
  return JSON.stringify(spec);
}

describe('nothing lost (in-host)', function () {
  this.timeout(120_000);
  let s: Services;
  let box: RunningSandbox;
  let stores: ApiIndex;
  let storeOp: { apiId: string; operationId: string };

  const send = (values: unknown): Thenable<SendOutcome | undefined> => vscode.commands.executeCommand<SendOutcome | undefined>('telenor.send', { ...storeOp, values });

  before(async () => {
    s = await services();
    box = await sandbox();
    await useSandbox(box.url);
    await vscode.commands.executeCommand('telenor.useSandboxCredentials');
    await s.specs.whenSettled();
    const api = s.specs.apis().find((a) => a.title === 'Telenor Stores API');
    assert.ok(api);
    stores = api;
    storeOp = { apiId: stores.id, operationId: findOp(stores, 'get', '/stores/{storeId}').id };
  });

  after(async () => {
    await vscode.workspace.getConfiguration('telenor').update('request.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    await useSandbox(box.url);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await box?.close();
  });

  for (const failure of ['timeout', '500', 'unreachable'] as const) {
    it(`a send that fails (${failure}) keeps every input and says what happened`, async () => {
      const gw = await gateway(box.url, () => (failure === '500' ? '500' : 'hang'));
      if (failure === 'unreachable') await gw.close();
      if (failure === 'timeout') await vscode.workspace.getConfiguration('telenor').update('request.timeoutSeconds', 2, vscode.ConfigurationTarget.Global);
      await useSandbox(gw.url);
      try {
        const values = { path: { storeId: '4242' }, query: { note: `kept after ${failure}` }, headers: { 'X-Custom': 'also kept' } };
        const outcome = await send(values);
        assert.ok(outcome, 'an outcome');
        if (failure === '500') {
          assert.ok(outcome.ok, 'a 500 is an answer, shown as one');
          assert.equal(outcome.response.status, 500);
        } else {
          assert.ok(!outcome.ok, 'the send failed');
          assert.equal(outcome.error.kind, failure === 'timeout' ? 'timeout' : 'network', outcome.error.message);
          assert.ok(outcome.error.message.length > 0 && outcome.error.hint.length > 0, 'says what happened and what to do');
        }
        const panel = s.panels.panelFor(storeOp);
        assert.ok(panel);
        const form = await panel.collectForm();
        assert.equal(form.path['storeId'], '4242');
        assert.equal(form.query['note'], `kept after ${failure}`);
        assert.equal(form.headers['X-Custom'], 'also kept');
      } finally {
        await vscode.workspace.getConfiguration('telenor').update('request.timeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
        await useSandbox(box.url);
        await gw.close();
      }
    });
  }

  it('a spec whose load crashes the spec worker fails alone: the other APIs keep working and sending still works', async () => {
    const dir = join(process.env['TAE_SCRATCH_DIR'] ?? '/tmp', 'crash-spec');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'crashing-load.openapi.json');
    // Big enough that indexing takes seconds even on a fast machine (Node 24 loads 6,000 operations in < 0.3 s).
    writeFileSync(file, bigSpec(20_000));
    const catalog = s.catalog as unknown as { worker?: Worker };
    const adding = Promise.resolve(vscode.commands.executeCommand('telenor.addSpecFile', file)).then(
      () => 'done',
      (e: unknown) => `failed: ${String(e)}`,
    );
    const entry = await eventually('the spec to be loading', () => s.specs.entries().find((e) => e.label.includes('crashing-load') && e.state === 'loading'), 20_000);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.specs.entries().find((e) => e.key === entry.key)?.state, 'loading', 'still loading when the worker goes');
    const worker = catalog.worker;
    assert.ok(worker, 'the catalog has a worker');
    await worker.terminate();
    await adding;
    const failed = await eventually('the crashed spec to fail', () => {
      const e = s.specs.entries().find((x) => x.key === entry.key);
      return e?.state === 'failed' ? e : undefined;
    }, 60_000);
    const message = failed.problems.map((p) => p.message).join(' ');
    console.log(`      the crashed spec: ${message.slice(0, 200)}`);
    assert.match(message, /worker/i, 'the problem says the spec worker stopped');
    assert.notEqual(catalog.worker, worker, 'a new worker took over');

    // The others are still there and served by the new worker.
    await s.specs.whenSettled();
    for (const title of ['Telenor Stores API', 'Mobile Subscription Info API', 'Fixed Network Product Catalog API']) {
      assert.ok(s.specs.apis().some((a) => a.title === title), `${title} is still loaded`);
    }
    const examples = await s.specs.catalog.parameterExamples(storeOp.apiId, storeOp.operationId);
    assert.ok(typeof examples === 'object', 'the new worker answers for the other APIs');
    const outcome = await send({ path: { storeId: '1001' } });
    assert.ok(outcome?.ok, `sending still works: ${outcome && !outcome.ok ? outcome.error.message : ''}`);
    assert.equal(outcome.response.status, 200);
    await vscode.commands.executeCommand('telenor.removeSpec', entry.key).then(undefined, () => undefined);
  });

  it('Clear Credentials removes the secrets and forgets the tokens made with them', async () => {
    await s.auth.signIn(stores, 'sandbox');
    assert.ok(s.auth.tokenStatus(stores, 'sandbox')?.token, 'signed in');
    const before = await s.credentials.list({ environment: 'sandbox' });
    assert.ok(before.length >= 4, `${before.length} stored`);
    const cleared = await vscode.commands.executeCommand<unknown[]>('telenor.clearCredentials', { environment: 'sandbox', confirmed: true });
    assert.equal(cleared?.length, before.length);
    assert.deepEqual(await s.credentials.list({ environment: 'sandbox' }), [], 'nothing left in SecretStorage');
    for (const slot of before) assert.equal(await s.context.secrets.get(`telenor.credentials/v1/${slot.environment}/${slot.region}/${slot.kind}`), undefined);
    await eventually('the token to be forgotten', () => s.auth.tokenStatus(stores, 'sandbox')?.token === undefined);
    const outcome = await send({ path: { storeId: '1001' } });
    assert.ok(outcome && !outcome.ok, 'a send now needs credentials again');
    assert.match(outcome.error.kind, /credentials/, `${outcome.error.kind}: ${outcome.error.message}`);
    await vscode.commands.executeCommand('telenor.useSandboxCredentials');
  });
});
