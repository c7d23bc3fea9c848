/**
 * The hover inside a real VS Code: sample files of the test workspace (TS, Python, shell, Go, Java, C#,
 * .http) and the built-in YAML/JSON specs, hovered through `vscode.executeHoverProvider` like the editor
 * does, against the specs the extension loaded itself.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { eventually, services } from './helpers';
import { sandboxWithApis, workspaceFile } from './hoverHelpers';

/** The position `offset` characters into the first occurrence of `marker` in the document. */
function positionOf(document: vscode.TextDocument, marker: string, offset = 3): vscode.Position {
  const at = document.getText().indexOf(marker);
  assert.ok(at >= 0, `"${marker}" is not in ${document.uri.fsPath}`);
  return document.positionAt(at + offset);
}

function markdownOf(hover: vscode.Hover): string {
  return hover.contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
}

/** Our hover at the marker (others, such as TypeScript's own, are ignored), or undefined. */
async function telenorHover(document: vscode.TextDocument, marker: string, offset?: number): Promise<{ markdown: string; hover: vscode.Hover } | undefined> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, marker, offset))) ?? [];
  const ours = hovers.find((h) => markdownOf(h).includes('command:telenor.openRequest'));
  return ours ? { markdown: markdownOf(ours), hover: ours } : undefined;
}

function commandArgs(markdown: string, command: string): Record<string, unknown> | undefined {
  const m = new RegExp(`\\(command:${command.replace('.', '\\.')}\\?([^ )]+)`).exec(markdown);
  return m ? ((JSON.parse(decodeURIComponent(m[1] as string)) as unknown[])[0] as Record<string, unknown>) : undefined;
}

describe('hover (in host)', function () {
  this.timeout(60_000);
  const sandbox = sandboxWithApis();

  after(async () => {
    await vscode.workspace.getConfiguration('telenor').update('hover.enabled', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const cases: Array<{ file: string; marker: string; offset?: number; language?: string; method: string; path: string; values?: unknown }> = [
    { file: 'client.ts', marker: '/corporate-accounts/v2/accounts`', language: 'typescript', method: 'GET', path: '/corporate-accounts/v2/accounts' },
    { file: 'client.ts', marker: "accounts/48120000'", offset: 12, method: 'GET', path: '/corporate-accounts/v2/accounts/{accountId}', values: { path: { accountId: '48120000' } } },
    { file: 'client.ts', marker: 'accounts/${accountId}', method: 'GET', path: '/corporate-accounts/v2/accounts/{accountId}' },
    { file: 'subscriptions.py', marker: '/corporate-mobile-subscriptions/', language: 'python', method: 'GET', path: '/corporate-mobile-subscriptions/v2/mobile-subscriptions' },
    { file: 'subscriptions.py', marker: '/organizations/v1', method: 'GET', path: '/organizations/v1/organizations' },
    { file: 'stores.sh', marker: 'telenor-stores/v1/stores?city', language: 'shellscript', method: 'GET', path: '/telenor-stores/v1/stores' },
    { file: 'stores.sh', marker: 'stores/1001', method: 'GET', path: '/telenor-stores/v1/stores/{storeId}', values: { path: { storeId: '1001' } } },
    { file: 'device.go', marker: '/mobile-device-info/', language: 'go', method: 'GET', path: '/mobile-device-info/v1/device' },
    { file: 'Agreements.java', marker: '/corporate-agreements/', language: 'java', method: 'GET', path: '/corporate-agreements/v2/agreements' },
    { file: 'ProductOffers.cs', marker: '/corporate/fixed-network/', language: 'csharp', method: 'GET', path: '/corporate/fixed-network/product-catalog/product-offers', values: { query: { category: 'BROADBAND' } } },
    { file: 'telenor.http', marker: '/corporate-accounts/v2/accounts HTTP', method: 'GET', path: '/corporate-accounts/v2/accounts' },
    { file: 'telenor.http', marker: 'stores/1001', method: 'GET', path: '/telenor-stores/v1/stores/{storeId}' },
  ];

  for (const c of cases) {
    it(`${c.file}: ${c.marker} → ${c.method} ${c.path}`, async () => {
      const document = await vscode.workspace.openTextDocument(workspaceFile('app', c.file));
      if (c.language) assert.equal(document.languageId, c.language);
      const found = await telenorHover(document, c.marker, c.offset);
      assert.ok(found, `no Telenor hover at ${c.marker}`);
      const first = found.markdown.split('\n---\n')[0] ?? '';
      assert.ok(first.startsWith(`**${c.method}** \`${c.path}\``), `first operation: ${first.slice(0, 120)}`);
      for (const command of ['telenor.insertSnippet', 'telenor.copyAsCurl', 'telenor.openRequest']) {
        assert.ok(commandArgs(first, command), `no ${command} link`);
      }
      const insert = commandArgs(first, 'telenor.insertSnippet');
      assert.equal(insert?.['uri'], document.uri.toString());
      const s = await services();
      const op = s.specs.operation(String(insert?.['apiId']), String(insert?.['operationId']));
      assert.ok(op && c.path.endsWith(op.path), `the link names ${op?.path ?? 'no loaded operation'}`);
      if (c.values !== undefined) assert.deepEqual(insert?.['values'], c.values);
      // The range is the URL, not the whole line.
      const range = found.hover.range;
      assert.ok(range && range.start.line === range.end.line && range.end.character - range.start.character < document.lineAt(range.start.line).text.length);
      // Only our own commands may run from it.
      const content = found.hover.contents.find((x): x is vscode.MarkdownString => typeof x !== 'string' && 'isTrusted' in x);
      assert.deepEqual(content?.isTrusted, { enabledCommands: ['telenor.insertSnippet', 'telenor.copyAsCurl', 'telenor.openRequest', 'telenor.openDocs'] });
    });
  }

  it('hands its values to the request panel: Open request panel and Copy curl run with the link’s arguments', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('app', 'client.ts'));
    const found = await telenorHover(document, "accounts/48120000'", 12);
    assert.ok(found);
    const open = commandArgs(found.markdown, 'telenor.openRequest');
    const opened = await vscode.commands.executeCommand<{ apiId: string; operationId: string; values?: unknown } | undefined>('telenor.openRequest', open);
    assert.deepEqual(opened, open, 'the request panel did not take the operation from the hover');
    const copy = commandArgs(found.markdown, 'telenor.copyAsCurl');
    const copied = await vscode.commands.executeCommand<{ copied: boolean; message: string } | undefined>('telenor.copyAsCurl', copy);
    assert.ok(copied?.copied, `Copy curl: ${copied?.message ?? 'no outcome'}`);
    const curl = await vscode.env.clipboard.readText();
    assert.match(curl, /\/corporate-accounts\/v2\/accounts\/48120000/);
    assert.ok(!/sandbox-[\w-]*secret|sandbox-[\w-]*password/.test(curl), 'the curl holds a secret');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('names the API, its version, the parameters and the auth', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('app', 'client.ts'));
    const found = await telenorHover(document, "accounts/48120000'", 12);
    assert.ok(found);
    assert.match(found.markdown, /Mobile Subscription Info API 2\\\.0\\\.0/);
    assert.match(found.markdown, /- `accountId` · path · string · \*\*required\*\*/);
    assert.match(found.markdown, /\*\*Auth:\*\* Norway · machine user \(password grant\)/);
  });

  it('shows nothing for strings that are not a Telenor operation', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('app', 'client.ts'));
    assert.equal(await telenorHover(document, 'example.org/about'), undefined);
    assert.equal(await telenorHover(document, 'const BASE_URL', 8), undefined);
    assert.equal(await telenorHover(document, 'Promise<unknown>'), undefined);
  });

  it('hovers path keys in the built-in YAML and JSON specs, without an Insert snippet link', async () => {
    const root = process.env['TAE_REPO_ROOT'];
    assert.ok(root);
    const yaml = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root, 'dist', 'specs', 'mobile-subscription-info.yaml')));
    assert.equal(yaml.languageId, 'yaml');
    const y = await telenorHover(yaml, '/corporate-accounts/v2/accounts/{accountId}:', 5);
    assert.ok(y, 'no hover on the YAML path key');
    assert.ok(y.markdown.startsWith('**GET** `/corporate-accounts/v2/accounts/{accountId}`'));
    assert.equal(commandArgs(y.markdown, 'telenor.insertSnippet'), undefined);
    assert.ok(commandArgs(y.markdown, 'telenor.openRequest'));

    const json = await vscode.workspace.openTextDocument(vscode.Uri.file(join(root, 'dist', 'specs', 'telenor-stores.json')));
    const j = await telenorHover(json, '"/stores/{storeId}"', 4);
    assert.ok(j, 'no hover on the JSON path key');
    assert.ok(j.markdown.startsWith('**GET** `/stores/{storeId}`'));
  });

  it('follows telenor.hover.enabled', async () => {
    const config = vscode.workspace.getConfiguration('telenor');
    const document = await vscode.workspace.openTextDocument(workspaceFile('app', 'device.go'));
    await config.update('hover.enabled', false, vscode.ConfigurationTarget.Global);
    await eventually('the hover to switch off', async () => (await telenorHover(document, '/mobile-device-info/')) === undefined);
    await config.update('hover.enabled', undefined, vscode.ConfigurationTarget.Global);
    await eventually('the hover to switch on', async () => (await telenorHover(document, '/mobile-device-info/')) !== undefined);
  });

  it('hovers a sandbox URL (the environment host) and not the same path on an unknown host', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: `fetch('${sandbox().url}/organizations/v1/organizations');\nfetch('https://example.org/organizations/v1/organizations');\n` });
    const ours = await telenorHover(document, `${sandbox().url}/organizations`, 30);
    assert.ok(ours, 'no hover on the sandbox URL');
    assert.equal(await telenorHover(document, 'example.org/organizations', 20), undefined);
  });
});
