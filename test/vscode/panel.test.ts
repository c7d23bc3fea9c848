/**
 * The request panel inside a real VS Code against a real sandbox: one panel per operation, the webview's
 * ready handshake and form round trip, sends through `telenor.send` (Norway client credentials, Sweden
 * X-JWT), a token the server considers expired renewed once, failures that keep every input, cancel, copy
 * as curl (masked; with secrets only after confirmation), history without secrets, the serializer's restore,
 * open in editor, and no secret anywhere outside SecretStorage.
 */
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { request } from 'undici';
import type { ApiIndex, OperationInfo } from '../../src/core/spec/types';
import type { RequestPanel } from '../../src/extension/panel/panel';
import type { Services } from '../../src/extension/services';
import { PANEL_VIEW_TYPE, type SendOutcome } from '../../src/protocol';
import type { RunningSandbox } from '../../src/sandbox/index';
import { everywhereButSecretStorage } from './credentialsHelpers';
import { eventually, sandbox, services, useSandbox } from './helpers';

interface Target {
  apiId: string;
  operationId: string;
}

function findOp(api: ApiIndex, method: string, path: string): OperationInfo {
  const op = Object.values(api.operations).find((o) => o.method === method && o.path === path);
  assert.ok(op, `${api.title} has ${method.toUpperCase()} ${path}`);
  return op;
}

function ok(outcome: SendOutcome | undefined): Extract<SendOutcome, { ok: true }>['response'] {
  assert.ok(outcome, 'the command returned an outcome');
  assert.ok(outcome.ok, `expected a response, got ${outcome.ok ? '' : `${outcome.error.kind}: ${outcome.error.message} ${outcome.error.hint}`}`);
  return outcome.response;
}

function failed(outcome: SendOutcome | undefined): Extract<SendOutcome, { ok: false }>['error'] {
  assert.ok(outcome, 'the command returned an outcome');
  assert.ok(!outcome.ok, `expected an error, got ${outcome.ok ? `${outcome.response.status}` : ''}`);
  return outcome.error;
}

function panelTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PANEL_VIEW_TYPE));
}

/**
 * A gateway in front of the sandbox: the token endpoint is passed through, API paths are answered by
 * `api` (left hanging when it returns false) — to cancel a request, or to reject every token.
 */
async function fakeGateway(
  target: string,
  api: (res: ServerResponse) => boolean,
): Promise<{ url: string; apiHits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').startsWith('/oauth')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
        void request(`${target}${req.url ?? ''}`, { method: (req.method ?? 'GET') as 'POST', headers, body: Buffer.concat(chunks) }).then(async (r) => {
          res.writeHead(r.statusCode, { 'content-type': String(r.headers['content-type'] ?? 'application/json') });
          res.end(await r.body.text());
        });
      });
      return;
    }
    hits++;
    if (!api(res)) open.add(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiHits: () => hits,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('request panel (in-host)', function () {
  this.timeout(90_000);
  let s: Services;
  let box: RunningSandbox;
  /** Added to the sandbox's clock: moving it past the token lifetime makes the sandbox see the token as expired. */
  let skewMs = 0;
  let stores: ApiIndex;
  let subscriptions: ApiIndex;
  let swedenAdmin: ApiIndex;
  let store: Target;
  let storesList: Target;
  let accounts: Target;
  let serviceRules: Target;
  const tokens = new Set<string>();

  const panel = (t: Target): RequestPanel => {
    const p = s.panels.panelFor(t);
    assert.ok(p, `a panel is open for ${t.operationId}`);
    return p;
  };

  async function send(target: Target & { values?: unknown }): Promise<SendOutcome | undefined> {
    return vscode.commands.executeCommand<SendOutcome | undefined>('telenor.send', target);
  }

  async function rememberToken(api: ApiIndex): Promise<string> {
    const provider = await s.auth.headerProvider(api, 'sandbox');
    assert.ok(provider);
    const h = await provider.headers();
    const token = (h['Authorization'] ?? '').replace(/^Bearer /, '');
    assert.ok(token.length > 8, 'a token');
    tokens.add(token);
    if (h['X-JWT']) tokens.add(h['X-JWT']);
    return token;
  }

  before(async () => {
    s = await services();
    box = await sandbox({ now: () => Date.now() + skewMs });
    await useSandbox(box.url);
    await vscode.commands.executeCommand('telenor.useSandboxCredentials');
    await s.specs.whenSettled();
    const byTitle = (title: string): ApiIndex => {
      const api = s.specs.apis().find((a) => a.title === title);
      assert.ok(api, `the built-in "${title}" is loaded (have: ${s.specs.apis().map((a) => a.title).join(', ')})`);
      return api;
    };
    stores = byTitle('Telenor Stores API');
    subscriptions = byTitle('Mobile Subscription Info API');
    swedenAdmin = byTitle('Mobile Subscriptions Administration API');
    store = { apiId: stores.id, operationId: findOp(stores, 'get', '/stores/{storeId}').id };
    storesList = { apiId: stores.id, operationId: findOp(stores, 'get', '/stores').id };
    accounts = { apiId: subscriptions.id, operationId: findOp(subscriptions, 'get', '/corporate-accounts/v2/accounts/{accountId}').id };
    serviceRules = { apiId: swedenAdmin.id, operationId: findOp(swedenAdmin, 'get', '/b2b/mobile-admin/productCatalogManagement/v1/serviceRules').id };
    await vscode.commands.executeCommand('telenor.clearHistory', { all: true });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await box?.close();
  });

  it('opens one panel per operation, titled "GET /path — API", and reopening reveals it', async () => {
    await s.panels.open(store);
    const p = panel(store);
    // Swagger 2.0: the basePath (/telenor-stores/v1) belongs to the server URL, not the operation path.
    assert.equal(p.panel.title, `GET /stores/{storeId} — ${stores.title}`);
    await eventually('the webview to say ready', () => p.isReady);
    await s.panels.open(storesList);
    await s.panels.open(store);
    assert.equal(panel(store), p, 'the same panel object');
    await eventually('two request panel tabs', () => panelTabs().length === 2);
    assert.equal(panelTabs().length, 2, `tabs: ${panelTabs().map((t) => t.label).join(', ')}`);
    const groups = new Set(panelTabs().map((t) => t.group.viewColumn));
    assert.equal(groups.size, 1, 'a second panel opens next to the first instead of splitting the editor again');
    assert.equal(p.panel.active, true, 'reopening reveals and focuses it');
    assert.equal(s.activeApi.current?.id, stores.id, 'the focused panel sets the active API');
  });

  it('fills the webview form from a target and reads it back through the webview', async () => {
    await s.panels.open({ ...store, values: { path: { storeId: '1002' }, query: { extra: 'x' } } });
    const p = panel(store);
    await eventually('ready', () => p.isReady);
    const form = await p.collectForm();
    assert.equal(form.path['storeId'], '1002');
    assert.equal(form.query['extra'], 'x');
  });

  it('sends through telenor.send and shows the sandbox’s 200 with its data (Norway client credentials)', async () => {
    const response = ok(await send({ ...store, values: { path: { storeId: '1001' }, query: { extra: '' } } }));
    assert.equal(response.status, 200);
    assert.equal(response.bodyKind, 'json');
    const data = JSON.parse(response.body) as { storeId?: unknown; id?: unknown };
    assert.ok(JSON.stringify(data).includes('1001'), response.body.slice(0, 200));
    assert.ok(response.headers.some(([k]) => k === 'content-type'));
    assert.equal(response.retriedAfter401, false);
    assert.match(response.url, /\/telenor-stores\/v1\/stores\/1001$/);
    const history = s.panels.history.list(panel(store).key);
    assert.equal(history[0]?.status, 200);
    assert.equal(history[0]?.form.path['storeId'], '1001');
    await rememberToken(stores);
  });

  it('sends a Sweden Communication API call with its X-JWT and transaction id', async () => {
    const response = ok(await send({ ...serviceRules, values: { headers: { 'x-transaction-id': 'panel-test-1' } } }));
    assert.equal(response.status, 200, response.body.slice(0, 300));
    await rememberToken(swedenAdmin);
  });

  it('renews once when the server says the token expired, and says so', async () => {
    ok(await send({ ...store, values: { path: { storeId: '1001' } } }));
    const before = await rememberToken(stores);
    skewMs = 2 * 3600_000;
    try {
      const response = ok(await send({ ...store, values: { path: { storeId: '1001' } } }));
      assert.equal(response.status, 200, response.body.slice(0, 300));
      assert.equal(response.retriedAfter401, true, 'the 401 (40106) was answered by one renewal');
      const after = await rememberToken(stores);
      assert.notEqual(after, before, 'a new token');
    } finally {
      skewMs = 0;
    }
  });

  it('shows a 4xx with what the error code means (Norway 4042000)', async () => {
    const response = ok(await send({ ...store, values: { path: { storeId: '9999' } } }));
    assert.equal(response.status, 404);
    assert.equal(response.apiError?.code, '4042000');
    assert.ok(response.apiError?.meaning);
  });

  it('says inline when the environment has no base URL for the API, and Send offers the fix', async () => {
    const catalog = s.specs.apis().find((a) => a.title.startsWith('Fixed Network Product Catalog'));
    assert.ok(catalog, 'the Sweden product catalog is loaded');
    const offers = { apiId: catalog.id, operationId: findOp(catalog, 'get', '/corporate/fixed-network/product-catalog/product-offers').id };
    await s.panels.open(offers);
    const p = panel(offers);
    const config = vscode.workspace.getConfiguration('telenor');
    await config.update('environment', 'test', vscode.ConfigurationTarget.Global);
    try {
      await eventually('the test environment', () => s.environments.current === 'test');
      const server = await p.serverView();
      assert.equal(server.state, 'error', JSON.stringify(server));
      if (server.state === 'error') {
        assert.equal(server.environmentLabel, 'Test');
        assert.match(`${server.message} ${server.hint}`, /telenor\.environments/);
      }
      const error = failed(await send(offers));
      assert.ok(error.actions.includes('fixServer'), error.actions.join(', '));
      assert.match(`${error.message} ${error.hint}`, /telenor\.environments/);
    } finally {
      await config.update('environment', 'sandbox', vscode.ConfigurationTarget.Global);
      await eventually('back to the sandbox', () => s.environments.current === 'sandbox');
    }
    const back = await p.serverView();
    assert.equal(back.state, 'ok');
  });

  it('stops before sending when a required field is empty, naming the field', async () => {
    await s.panels.open(accounts);
    const p = panel(accounts);
    await eventually('ready', () => p.isReady);
    const error = failed(await send({ ...accounts, values: { path: { accountId: '' } } }));
    assert.equal(error.kind, 'input');
    assert.deepEqual(error.fields?.map((f) => f.name), ['accountId']);
  });

  it('a failed send (unreachable host) says what happened and keeps every input', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(dead.address() as AddressInfo).port}`;
    await new Promise<void>((r) => dead.close(() => r()));
    await useSandbox(deadUrl);
    try {
      const values = { path: { storeId: '1003' }, query: { note: 'kept' }, headers: { 'X-Custom': 'also kept' } };
      const error = failed(await send({ ...store, values }));
      assert.equal(error.kind, 'network', `${error.kind}: ${error.message}`);
      assert.match(error.message, /refused|127\.0\.0\.1/i);
      assert.ok(error.hint.length > 0, 'says what to do');
      assert.ok(error.actions.includes('retry'));
      const form = await panel(store).collectForm();
      assert.equal(form.path['storeId'], '1003');
      assert.equal(form.query['note'], 'kept');
      assert.equal(form.headers['X-Custom'], 'also kept');
      assert.equal(s.panels.history.list(panel(store).key)[0]?.errorKind, 'network', 'the failure is in the history');
    } finally {
      await useSandbox(box.url);
    }
  });

  it('sends an operation that names its own server there, and its siblings to the document’s server', async () => {
    // OpenAPI 3: an operation (or path) may declare servers of its own — an upload host, another base path.
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'tae-op-servers-'));
    const file = join(dir, 'op-servers.yaml');
    writeFileSync(
      file,
      [
        'openapi: 3.0.3',
        'info: {title: Operation Servers API, version: "1"}',
        `servers: [{url: "${origin}/main/v1"}]`,
        'security: []',
        'paths:',
        '  /items:',
        '    get: {operationId: listItems, responses: {"200": {description: ok}}}',
        '  /uploads:',
        '    get:',
        '      operationId: listUploads',
        `      servers: [{url: "${origin}/files/v2"}]`,
        '      responses: {"200": {description: ok}}',
        '',
      ].join('\n'),
    );
    const keys = await vscode.commands.executeCommand<string[]>('telenor.addSpecFile', file);
    try {
      await s.specs.whenSettled();
      const api = s.specs.apis().find((a) => a.title === 'Operation Servers API');
      assert.ok(api, 'the spec loaded');
      const uploads = findOp(api, 'get', '/uploads');
      const items = findOp(api, 'get', '/items');
      ok(await send({ apiId: api.id, operationId: uploads.id }));
      ok(await send({ apiId: api.id, operationId: items.id }));
      assert.deepEqual(seen, ['/files/v2/uploads', '/main/v1/items']);
      const view = await panel({ apiId: api.id, operationId: uploads.id }).serverView();
      assert.equal(view.state === 'ok' ? view.url : view.state, `${origin}/files/v2`, 'the panel’s Server line shows where it goes');
    } finally {
      for (const key of keys ?? []) await vscode.commands.executeCommand('telenor.removeSpec', key);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Cancel stops a request that hangs', async () => {
    const hang = await fakeGateway(box.url, () => false);
    await useSandbox(hang.url);
    try {
      const sending = send({ ...storesList, values: { query: { city: 'Oslo' } } });
      await eventually('the API request to reach the server', () => hang.apiHits() > 0, 20_000);
      assert.equal(panel(storesList).isSending, true);
      const t0 = Date.now();
      assert.equal(await vscode.commands.executeCommand('telenor.cancelRequest', storesList), true);
      const error = failed(await sending);
      assert.equal(error.kind, 'cancelled');
      assert.ok(Date.now() - t0 < 3000, 'cancel is quick');
      assert.equal(panel(storesList).isSending, false);
      assert.equal(await vscode.commands.executeCommand('telenor.cancelRequest', storesList), false, 'nothing left to cancel');
    } finally {
      await useSandbox(box.url);
      await hang.close();
    }
  });

  it('copies as curl with the token masked; with secrets only after confirmation', async () => {
    const token = await rememberToken(stores);
    await panel(store).collectForm();
    const masked = await vscode.commands.executeCommand<{ copied: boolean; masked: boolean }>('telenor.copyAsCurl', { ...store, values: { path: { storeId: '1001' } } });
    assert.equal(masked?.copied, true);
    // The clipboard lives in the browser (a remote window): wait until the copy has arrived there.
    const maskedText = await eventually('the masked copy on the clipboard', async () => {
      const text = await vscode.env.clipboard.readText();
      return text.startsWith('curl ') && text.includes('/stores/1001') ? text : undefined;
    });
    assert.ok(maskedText.includes(`${box.url}/telenor-stores/v1/stores/1001`), maskedText);
    assert.ok(maskedText.includes('$TELENOR_TOKEN'), maskedText);
    assert.ok(!maskedText.includes(token), 'the token is not in the masked copy');

    const original = s.panels.confirmSecrets;
    const asked: string[] = [];
    try {
      s.panels.confirmSecrets = async (detail) => {
        asked.push(detail);
        return false;
      };
      const declined = await vscode.commands.executeCommand<{ copied: boolean }>('telenor.copyAsCurlWithSecrets', store);
      assert.equal(declined?.copied, false);
      assert.equal(asked.length, 1, 'it asked first');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await vscode.env.clipboard.readText(), maskedText, 'declining leaves the clipboard alone');

      s.panels.confirmSecrets = async () => true;
      const confirmed = await vscode.commands.executeCommand<{ copied: boolean; masked: boolean }>('telenor.copyAsCurlWithSecrets', store);
      assert.equal(confirmed?.copied, true);
      assert.equal(confirmed?.masked, false);
      const token2 = await rememberToken(stores);
      await eventually('the copy with the real token on the clipboard', async () => (await vscode.env.clipboard.readText()).includes(`Bearer ${token2}`));
    } finally {
      s.panels.confirmSecrets = original;
      await vscode.env.clipboard.writeText('');
    }
  });

  it('keeps history without secrets, and clears it', async () => {
    const typedSecret = 'typed-secret-value-0123456789';
    ok(
      await send({
        ...storesList,
        values: { query: { city: 'Oslo', access_token: typedSecret }, headers: { Authorization: `Bearer ${typedSecret}`, 'X-Note': 'fine' } },
      }),
    );
    const [entry] = s.panels.history.list(panel(storesList).key);
    assert.ok(entry);
    assert.equal(entry.form.query['city'], 'Oslo');
    assert.equal(entry.form.headers['X-Note'], 'fine');
    assert.ok(entry.dropped.includes('query access_token') && entry.dropped.includes('header Authorization'), entry.dropped.join(', '));
    const stored = JSON.stringify(s.context.globalState.get('telenor.history.v1'));
    assert.ok(!stored.includes(typedSecret), 'the typed secret is not in globalState');
    for (const t of tokens) assert.ok(!stored.includes(t), 'no token in globalState');

    assert.ok((await vscode.commands.executeCommand<number>('telenor.clearHistory', storesList)) >= 1);
    assert.deepEqual(s.panels.history.list(panel(storesList).key), []);
    assert.ok(s.panels.history.list(panel(store).key).length > 0, 'other operations keep theirs');
  });

  it('offers the sandbox’s demo credentials (then sends) and "Set credentials" when none are stored', async () => {
    await s.auth.signOut(stores, 'sandbox');
    await vscode.commands.executeCommand('telenor.clearCredentials', { environment: 'sandbox', confirmed: true });
    let stored = false;
    try {
      const error = failed(await send({ ...store, values: { path: { storeId: '1001' } } }));
      assert.equal(error.kind, 'credentials-missing', `${error.kind}: ${error.message}`);
      assert.deepEqual(error.actions.slice(0, 2), ['useDemoCredentials', 'setCredentials']);
      assert.match(error.hint, /Use Sandbox Demo Credentials/);
      assert.equal((await panel(store).collectForm()).path['storeId'], '1001', 'inputs kept');
      // The button: the demo set is stored, and the send the person asked for goes out with the kept input.
      await panel(store).runAction('useDemoCredentials');
      stored = (await s.credentials.read({ environment: 'sandbox', region: 'no', kind: 'client' })) !== undefined;
      assert.ok(stored, 'the demo set is stored');
      const last = panel(store).lastOutcome;
      assert.ok(last?.ok && last.response.status === 200, `sent after storing: ${JSON.stringify(last).slice(0, 200)}`);
    } finally {
      if (!stored) await vscode.commands.executeCommand('telenor.useSandboxCredentials');
    }
    ok(await send({ ...store, values: { path: { storeId: '1001' } } }));
  });

  it('says what the token endpoint answered when the stored secret is wrong (seed wording, code 22)', async () => {
    await s.auth.signOut(stores, 'sandbox');
    await vscode.commands.executeCommand('telenor.setCredentials', {
      environment: 'sandbox',
      region: 'no',
      kind: 'client',
      values: { clientId: 'sandbox-no-client', clientSecret: 'not-the-secret-42' },
    });
    try {
      const error = failed(await send({ ...store, values: { path: { storeId: '1001' } } }));
      assert.equal(error.kind, 'token-endpoint', `${error.kind}: ${error.message}`);
      assert.match(`${error.message} ${error.hint}`, /Basic Authentication failed|22/);
      assert.ok(error.actions.includes('setCredentials'));
      assert.ok(!JSON.stringify(error).includes('not-the-secret-42'), 'the secret is not in the message');
    } finally {
      await vscode.commands.executeCommand('telenor.useSandboxCredentials');
      await s.auth.signOut(stores, 'sandbox');
    }
  });

  it('shows a 401 that a fresh token did not fix, with what to check', async () => {
    // A gateway that rejects every token as invalid (40105): one renewal, then the answer is shown.
    const gateway = await fakeGateway(box.url, (res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="api.telenor.no", error="invalid_token"' });
      res.end(JSON.stringify({ httpStatus: 401, httpMessage: 'Unauthorized', errorCode: '40105', description: 'Invalid access token' }));
      return true;
    });
    await useSandbox(gateway.url);
    try {
      const response = ok(await send({ ...store, values: { path: { storeId: '1001' } } }));
      assert.equal(response.status, 401);
      assert.equal(response.retriedAfter401, true, 'renewed once');
      assert.equal(gateway.apiHits(), 2, 'exactly one retry');
      assert.equal(response.apiError?.code, '40105');
      assert.match(response.apiError?.hint ?? '', /freshly issued token was rejected too/);
    } finally {
      await useSandbox(box.url);
      await gateway.close();
    }
  });

  it('opens the response in an editor with the right language', async () => {
    ok(await send({ ...storesList, values: { query: { city: '' } } }));
    const doc = await vscode.commands.executeCommand<vscode.TextDocument | undefined>('telenor.openResponseInEditor', storesList);
    assert.ok(doc, 'a document');
    assert.equal(doc.languageId, 'json');
    assert.ok(doc.isUntitled);
    assert.ok(doc.lineCount > 3, 'pretty-printed');
    JSON.parse(doc.getText());
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Insert snippet hands the form to telenor.insertSnippet, aimed at the code editor beside the panel', async () => {
    await s.panels.open({ ...store, values: { path: { storeId: '1001' } } });
    const p = panel(store);
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: '' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
    p.panel.reveal(undefined, false);
    await eventually('the panel to have the focus', () => p.panel.active);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document === doc), 'the code editor is visible beside the panel');
    await p.insertSnippet(await p.collectForm());
    await eventually('the snippet in the editor', () => doc.getText().includes('/telenor-stores/v1/stores/1001'));
    assert.match(doc.getText(), /requests/);
    for (const t of tokens) assert.ok(!doc.getText().includes(t), 'no token in the snippet');
  });

  it('the serializer brings a panel back with its inputs, and closes one it cannot restore', async () => {
    panel(accounts).dispose();
    assert.equal(s.panels.panelFor(accounts), undefined, 'closing a panel forgets it');
    const restored = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'restored', vscode.ViewColumn.Beside, { enableScripts: true });
    await s.panels.restore(restored, { ...accounts, form: { path: { accountId: '48120000' }, query: {}, headers: {}, cookies: {}, body: '', mediaType: '' } });
    const p = panel(accounts);
    assert.equal(p.panel, restored);
    // 20 s: when code-server's webview host fails to serve the page's script (a service-worker race), the
    // panel loads its page again after 5 s (RequestPanel.watchReady).
    await eventually('the restored webview to be ready', () => p.isReady, 20_000);
    assert.equal((await p.collectForm()).path['accountId'], '48120000');
    assert.equal(p.panel.title, `GET /corporate-accounts/v2/accounts/{accountId} — ${subscriptions.title}`);

    let disposed = false;
    const bogus = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'bogus', vscode.ViewColumn.Beside, {});
    bogus.onDidDispose(() => (disposed = true));
    await s.panels.restore(bogus, { apiId: 'nope', form: 'not a form' });
    assert.equal(disposed, true, 'a malformed state closes the panel');
  });

  it('leaves no token or typed secret outside SecretStorage', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const everywhere = everywhereButSecretStorage(s);
    for (const t of tokens) assert.ok(!everywhere.includes(t), `a token (${t.slice(0, 4)}…) leaked outside SecretStorage`);
    assert.ok(!everywhere.includes('typed-secret-value-0123456789'), 'the typed secret leaked');
  });
});
