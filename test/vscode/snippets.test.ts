/**
 * `telenor.insertSnippet` in a real VS Code: for each sample file of the test workspace it inserts code in
 * the file's language below the hovered line, as a snippet whose first tab stop is selected, with the
 * environment's (sandbox) URL, values from the hovered URL, and no secret anywhere in the document.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApiIndex, OperationInfo } from '../../src/core/spec/types';
import type { RunningSandbox } from '../../src/sandbox/index';
import { services } from './helpers';
import { sandboxWithApis, workspaceFile } from './hoverHelpers';

interface InsertResult {
  target: string;
  uri: string;
  code: string;
}

async function operation(title: string, path: string): Promise<{ api: ApiIndex; op: OperationInfo }> {
  const s = await services();
  const api = s.specs.apis().find((a) => a.title === title);
  assert.ok(api, `${title} is not loaded`);
  const op = Object.values(api.operations).find((o) => o.path === path && o.method === 'get');
  assert.ok(op, `GET ${path} is not in ${title}`);
  return { api, op };
}

/** Saves the document as inserted into the run's results folder, for a person to read. */
function keep(name: string, text: string): void {
  const dir = process.env['TAE_RESULTS_DIR'];
  if (!dir) return;
  mkdirSync(join(dir, 'snippets'), { recursive: true });
  writeFileSync(join(dir, 'snippets', name), text);
}

/** Every secret the sandbox hands out: none of them may ever be in inserted code. */
function secretsOf(sb: RunningSandbox): string[] {
  const values: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string' && v.length >= 8 && /secret|password/i.test(v)) values.push(v);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
  };
  walk(sb.credentials);
  return values;
}

describe('insert snippet (in host)', function () {
  this.timeout(60_000);
  const sandbox = sandboxWithApis();

  before(() => {
    assert.ok(secretsOf(sandbox()).length >= 3, 'the sandbox lists its demo secrets');
  });

  afterEach(async () => {
    // Leave the copied workspace as it was: drop unsaved insertions.
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.isDirty && !editor.document.isUntitled) {
        await vscode.window.showTextDocument(editor.document);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const cases: Array<{ file: string; title: string; path: string; values?: unknown; marker: string; expect: RegExp[]; once?: string[]; target: string }> = [
    {
      // The file's functions declare `response`, but the snippet goes at the top level, where no `response`
      // is in scope: it keeps its name (twice into one block is the test further down).
      file: 'client.ts',
      title: 'Mobile Subscription Info API',
      path: '/corporate-accounts/v2/accounts/{accountId}',
      values: { path: { accountId: '48120000' } },
      marker: 'ACCOUNT_URL',
      target: 'js-fetch',
      expect: [/^const response = await fetch\("http:\/\/127\.0\.0\.1:\d+\/corporate-accounts\/v2\/accounts\/48120000", \{$/m, /"Authorization": "Bearer <access_token>"/],
    },
    {
      // Inside the function (the line opens a block), reusing the file's own undici import; the function's
      // `const { body }` is there already, so the snippet's is `body2`.
      file: 'stores-undici.ts',
      title: 'Telenor Stores API',
      path: '/stores/{storeId}',
      values: { path: { storeId: '1001' } },
      marker: 'export async function storesIn',
      target: 'node-undici',
      expect: [/^ {2}const \{ statusCode, body: body2 \} = await request\("http:\/\/127\.0\.0\.1:\d+\/telenor-stores\/v1\/stores\/1001", \{$/m],
      once: ["from 'undici'"],
    },
    {
      file: 'subscriptions.py',
      title: 'Mobile Subscription Info API',
      path: '/organizations/v1/organizations',
      marker: 'def organizations',
      target: 'python-requests',
      expect: [/^ {4}url = "http:\/\/127\.0\.0\.1:\d+\/organizations\/v1\/organizations"$/m, /^ {4}response = requests\.get\(url, headers=headers\)$/m, /"Authorization": "Bearer <access_token>"/],
      once: ['import requests'],
    },
    {
      file: 'stores.sh',
      title: 'Telenor Stores API',
      path: '/stores',
      values: { query: { city: 'Bergen' } },
      marker: 'set -eu',
      target: 'curl',
      expect: [/^curl --request GET/m, /--url 'http:\/\/127\.0\.0\.1:\d+\/telenor-stores\/v1\/stores\?city=Bergen'/, /Bearer '"\$TELENOR_TOKEN"'/],
    },
    {
      // A second `package` would not compile: the call becomes a function named after the operation, and
      // the imports it needs join the file's.
      file: 'device.go',
      title: 'Mobile Device Info API',
      path: '/mobile-device-info/v1/device',
      marker: 'const baseURL',
      target: 'go',
      expect: [/^import "net\/http"\nimport "fmt"\nimport "io"$/m, /^func getDevice\(\) \{$/m, /req, _ := http\.NewRequest\("GET", url, nil\)/, /"Bearer <access_token>"/],
      once: ['package ', 'import "net/http"'],
    },
    {
      // Inside the method, which declares `HttpRequest request` itself.
      file: 'Agreements.java',
      title: 'Mobile Subscription Info API',
      path: '/corporate-agreements/v2/agreements',
      marker: 'public static String agreements',
      target: 'java-nethttp',
      expect: [/^ {8}HttpRequest request2 = HttpRequest\.newBuilder\(\)$/m, /\.send\(request2, HttpResponse\.BodyHandlers\.ofString\(\)\);$/m, /URI\.create\("http:\/\/127\.0\.0\.1:\d+\/corporate-agreements\/v2\/agreements"\)/],
      once: ['import java.net.URI;'],
    },
    {
      // Inside the method, whose parameter is `client` and which declares `var response`.
      file: 'ProductOffers.cs',
      title: 'Fixed Network Product Catalog API',
      path: '/corporate/fixed-network/product-catalog/product-offers',
      values: { query: { category: 'TV' } },
      marker: 'response.EnsureSuccessStatusCode();',
      target: 'csharp-httpclient',
      expect: [
        /^using System\.Threading\.Tasks;\nusing System\.Net\.Http\.Headers;$/m,
        /^ {8}var client2 = new HttpClient\(\);$/m,
        /^ {8}var request = new HttpRequestMessage$/m,
        /^ {8}using \(var response2 = await client2\.SendAsync\(request\)\)$/m,
        /product-offers\?category=TV/,
      ],
      once: ['using System.Net.Http.Headers;'],
    },
    {
      // Hovered in the first request: the new one goes before the next ### separator, not inside a request.
      file: 'telenor.http',
      title: 'Mobile Subscription Info API',
      path: '/corporate-accounts/v2/accounts/{accountId}',
      values: { path: { accountId: '48120000' } },
      marker: '/corporate-accounts/v2/accounts HTTP',
      target: 'rest-client',
      expect: [
        /^Authorization: Bearer \{\{access_token\}\}\n\n### GET \/corporate-accounts\/v2\/accounts\/\{accountId\}[^\n]*\nGET http:\/\/127\.0\.0\.1:\d+\/corporate-accounts\/v2\/accounts\/48120000 HTTP\/1\.1\n(?:[\w-]+: [^\n]+\n)+\n### One store$/m,
      ],
    },
  ];

  for (const c of cases) {
    it(`${c.file} → ${c.target}`, async () => {
      const { api, op } = await operation(c.title, c.path);
      const document = await vscode.workspace.openTextDocument(workspaceFile('app', c.file));
      const before = document.getText();
      const line = document.positionAt(before.indexOf(c.marker)).line;
      const result = await vscode.commands.executeCommand<InsertResult | undefined>('telenor.insertSnippet', {
        apiId: api.id,
        operationId: op.id,
        ...(c.values ? { values: c.values } : {}),
        uri: document.uri.toString(),
        position: { line: line + 1, character: 0 },
      });
      assert.ok(result, 'the command inserted nothing');
      assert.equal(result.target, c.target);
      const after = document.getText();
      keep(c.file, after);
      assert.ok(after.length > before.length, 'the document did not change');
      for (const pattern of c.expect) assert.match(after, pattern);
      for (const text of c.once ?? []) assert.equal(after.split(text).length - 1, 1, `"${text}" is not in the file exactly once`);
      // The file's own lines are all still there, in order: the snippet (and its imports) only added lines.
      const kept = after.split('\n');
      let k = 0;
      for (const original of before.split('\n')) {
        while (k < kept.length && kept[k] !== original) k++;
        assert.ok(k < kept.length, `the line "${original}" was changed or lost`);
        k++;
      }
      // No secret: not the sandbox's demo secrets, nor anything the extension has registered.
      for (const secret of secretsOf(sandbox())) assert.ok(!after.includes(secret), `the document contains ${secret}`);
      assert.equal((await services()).redactor.containsSecret(after), false);
      // A snippet session: the first tab stop is selected, and there is a next one.
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document, document);
      const selected = document.getText(editor.selection);
      assert.ok(selected.length > 0, 'no tab stop is selected');
      assert.ok(/<access_token>|\$TELENOR_TOKEN|\{\{access_token\}\}|48120000|1001|Bergen|TV|<transaction_id>/.test(selected), `first tab stop: ${selected}`);
    });
  }

  it('moves through the tab stops: the token placeholder, then the path value', async () => {
    const { api, op } = await operation('Mobile Subscription Info API', '/corporate-accounts/v2/accounts/{accountId}');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content: '' });
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('telenor.insertSnippet', { apiId: api.id, operationId: op.id, values: { path: { accountId: '48120077' } } });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    const stops = [document.getText(editor.selection)];
    await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder');
    stops.push(document.getText(editor.selection));
    assert.deepEqual(stops, ['<access_token>', '48120077']);
  });

  it('writes a placeholder tab stop for a path value it does not know', async () => {
    const { api, op } = await operation('Telenor Stores API', '/stores/{storeId}');
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: '' });
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('telenor.insertSnippet', { apiId: api.id, operationId: op.id });
    // The spec's example value (1001) when it has one; the snippet stays a runnable call.
    assert.match(document.getText(), /\/telenor-stores\/v1\/stores\/(?:1001|<storeId>)"/);
  });

  it('gives a second snippet in the same file its own names, so TypeScript finds nothing declared twice', async function () {
    this.timeout(120_000);
    const { api, op } = await operation('Telenor Stores API', '/stores/{storeId}');
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'export {};\n' });
    const editor = await vscode.window.showTextDocument(document);
    for (let i = 0; i < 2; i++) {
      await vscode.commands.executeCommand('telenor.insertSnippet', { apiId: api.id, operationId: op.id, values: { path: { storeId: '1001' } }, position: { line: document.lineCount, character: 0 } });
      await vscode.commands.executeCommand('leaveSnippet');
    }
    const text = document.getText();
    keep('twice.ts', text);
    assert.equal(text.split('const response = await fetch(').length - 1, 1, text);
    assert.equal(text.split('const response2 = await fetch(').length - 1, 1, text);
    assert.match(text, /^console\.log\(response2\.status, await response2\.text\(\)\);$/m);

    // A canary type error on a new last line: when TypeScript reports it, it has checked the whole text.
    const canary = document.lineCount;
    assert.ok(await editor.edit((b) => b.insert(document.positionAt(text.length), "\nconst canary: number = 'x';\n")));
    const deadline = Date.now() + 60_000;
    const arrived = (): vscode.Diagnostic[] | undefined => {
      const all = vscode.languages.getDiagnostics(document.uri);
      return all.some((d) => d.range.start.line >= canary) ? all : undefined;
    };
    let diagnostics = arrived();
    while (diagnostics === undefined && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      diagnostics = arrived();
    }
    if (diagnostics === undefined) {
      console.log('      (no TypeScript diagnostics within 60 s: the redeclaration check is skipped)');
      return;
    }
    assert.deepEqual(diagnostics.filter((d) => /Cannot redeclare/.test(d.message)).map((d) => d.message), []);
  });

  it('opens a new document in the asked language when no editor is open', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const { api, op } = await operation('Mobile Subscription Info API', '/organizations/v1/organizations');
    const result = await vscode.commands.executeCommand<InsertResult | undefined>('telenor.insertSnippet', { apiId: api.id, operationId: op.id, language: 'python' });
    assert.ok(result);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor?.document.isUntitled);
    assert.equal(editor.document.languageId, 'python');
    assert.match(editor.document.getText(), /^import requests/);
  });

  it('says what is wrong for an unknown operation and inserts nothing', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const a = 1;\n' });
    await vscode.window.showTextDocument(document);
    const result = await vscode.commands.executeCommand('telenor.insertSnippet', { apiId: 'nope', operationId: '#/paths/~1x/get' });
    assert.equal(result, undefined);
    assert.equal(document.getText(), 'const a = 1;\n');
    const bad = await vscode.commands.executeCommand('telenor.insertSnippet', { apiId: 'a', operationId: 'b', position: { line: -1, character: 'x' } });
    assert.equal(bad, undefined);
    assert.equal(document.getText(), 'const a = 1;\n');
  });
});
