/**
 * The APIs tree through its provider inside a real VS Code: API → tag → operation with labels, icons, ids
 * and commands; error items; the filter; opening a request; the item commands.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { OperationTarget } from '../../src/extension/contracts';
import type { Services } from '../../src/extension/services';
import type { ApiNode, OperationNode, TagNode, TreeNode } from '../../src/extension/tree/model';
import { eventually, sandbox, services, useSandbox } from './helpers';
import type { RunningSandbox } from '../../src/sandbox/index';
import { send, startServer } from '../fixtures/specs/helpers';

function env(name: string): string {
  const v = process.env[name];
  assert.ok(v, `${name} is not set`);
  return v;
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

describe('APIs tree', function () {
  this.timeout(60_000);
  let s: Services;
  let sb: RunningSandbox;
  let workspace: string;
  const restore: Array<() => Thenable<void> | void> = [];

  function roots(): ApiNode[] {
    return s.tree.getChildren().filter((n): n is ApiNode => n.kind === 'api');
  }
  function apiNode(title: string): ApiNode {
    const n = roots().find((r) => r.entry.api?.title === title);
    assert.ok(n, `no API node "${title}" among ${roots().map((r) => r.entry.label).join(', ')}`);
    return n;
  }
  function children<T extends TreeNode>(n: TreeNode): T[] {
    return s.tree.getChildren(n) as T[];
  }
  async function refreshed(): Promise<void> {
    await s.specs.whenSettled();
    // The tree rebuilds its model a moment after the registry changes (debounced).
    await new Promise<void>((resolve) => {
      const sub = s.tree.onDidRefresh(() => {
        sub.dispose();
        resolve();
      });
      setTimeout(() => {
        sub.dispose();
        resolve();
      }, 500);
    });
  }

  before(async () => {
    s = await services();
    workspace = env('TAE_WORKSPACE');
    const config = vscode.workspace.getConfiguration('telenor');
    const previous = config.inspect<string>('sandbox.url')?.globalValue;
    const previousEnv = config.inspect<string>('environment')?.globalValue;
    restore.push(() => config.update('sandbox.url', previous, vscode.ConfigurationTarget.Global));
    restore.push(() => config.update('environment', previousEnv, vscode.ConfigurationTarget.Global));
    sb = await sandbox();
    await useSandbox(sb.url);
    await vscode.commands.executeCommand('workbench.view.extension.telenor');
    await s.specs.whenSettled();
    // The tree redraws a moment after the registry changes: wait until it shows every spec loaded.
    await eventually('the tree to show every spec loaded', () => roots().length === s.specs.entries().length && roots().every((r) => r.entry.state === 'loaded'));
  });

  after(async () => {
    await vscode.commands.executeCommand('telenor.clearFilter');
    for (const r of restore.reverse()) await r();
    await sb.close();
  });

  it('shows each API with its title, version, origin and region', () => {
    const stores = apiNode('Telenor Stores API');
    assert.equal(stores.id, 'builtin:telenor-stores.json', 'the API id is the node id');
    const item = s.tree.getTreeItem(stores);
    assert.equal(labelOf(item), 'Telenor Stores API');
    assert.equal(item.id, 'builtin:telenor-stores.json');
    assert.equal(item.description, 'v1.0.0 · built-in · Norway');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(item.contextValue ?? '', /^telenorApi\b/);
    assert.ok(!/\bremovable\b/.test(item.contextValue ?? ''), 'built-in specs cannot be removed');
    const sweden = s.tree.getTreeItem(apiNode('Fixed Network Product Catalog API'));
    assert.match(String(sweden.description), /· built-in · Sweden$/);
    const partner = s.tree.getTreeItem(apiNode('Partner Orders API'));
    assert.equal(partner.description, 'v2.1.0 · workspace', 'not a Telenor API: no region');
    // The person's own specs come first.
    assert.equal(roots()[0]?.entry.origin, 'workspace');
  });

  it('follows an auth override’s region in the description and tooltip, and drops it when the override goes', async () => {
    const config = vscode.workspace.getConfiguration('telenor');
    const previous = config.inspect<Record<string, unknown>>('auth.overrides')?.globalValue;
    const description = (): string => String(s.tree.getTreeItem(apiNode('Partner Orders API')).description);
    try {
      await config.update('auth.overrides', { 'Partner Orders API': { region: 'se' } }, vscode.ConfigurationTarget.Global);
      await eventually('the tree to show the override’s region', () => description().endsWith('· Sweden'));
      assert.equal(description(), 'v2.1.0 · workspace · Sweden');
      const node = apiNode('Partner Orders API');
      const tip = (await s.tree.resolveTreeItem(s.tree.getTreeItem(node), node, new vscode.CancellationTokenSource().token)).tooltip as vscode.MarkdownString;
      // Markdown escapes the parentheses and dots; what the person reads is without them.
      assert.ok(tip.value.replace(/\\/g, '').includes('Region: Sweden (from your telenor.auth.overrides setting)'), tip.value);
    } finally {
      await config.update('auth.overrides', previous, vscode.ConfigurationTarget.Global);
    }
    await eventually('the region to go with the override', () => description() === 'v2.1.0 · workspace');
  });

  it('expands an API into tags and a tag into operations with method badges, ids and a command', () => {
    const stores = apiNode('Telenor Stores API');
    const tags = children<TagNode>(stores);
    assert.ok(tags.length > 0);
    const tagItem = s.tree.getTreeItem(tags[0] as TagNode);
    assert.equal(tagItem.id, `${stores.id}::tag:${tags[0]?.tag}`);
    assert.equal(tagItem.description, String(tags[0]?.operationIds.length));
    const ops = children<OperationNode>(tags[0] as TagNode);
    assert.ok(ops.length > 0);
    const op = ops[0] as OperationNode;
    assert.match(op.operationId, /^#\/paths\/~1/);
    assert.equal(op.id, `${tagItem.id}::${op.operationId}`);
    const item = s.tree.getTreeItem(op);
    assert.equal(labelOf(item), op.operation.summary, 'label = summary');
    assert.equal(item.description, op.operation.path, 'description = path');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    const icon = item.iconPath as { light: vscode.Uri; dark: vscode.Uri };
    assert.ok(icon.light.fsPath.endsWith(join('media', 'methods', `${op.operation.method}-light.svg`)), icon.light.fsPath);
    assert.ok(icon.dark.fsPath.endsWith(`${op.operation.method}-dark.svg`));
    assert.ok(existsSync(icon.light.fsPath) && existsSync(icon.dark.fsPath), 'the icons ship');
    assert.deepEqual(item.command?.command, 'telenor.openRequest');
    assert.deepEqual(item.command?.arguments, [{ apiId: stores.id, operationId: op.operationId }]);
    assert.equal(item.accessibilityInformation?.label.startsWith(`${op.operation.method.toUpperCase()} ${op.operation.path}`), true, 'screen readers hear the method');
    assert.equal(s.tree.getParent(op), tags[0]);
    assert.equal(s.tree.getParent(tags[0] as TagNode), stores);
  });

  it('marks deprecated operations', () => {
    const partner = apiNode('Partner Orders API');
    const orders = children<TagNode>(partner).find((t) => t.tag === 'Orders');
    assert.ok(orders);
    const cancel = children<OperationNode>(orders).find((o) => o.operation.operationId === 'cancelOrder');
    assert.ok(cancel);
    const item = s.tree.getTreeItem(cancel);
    assert.equal(item.description, 'deprecated · /orders/{orderId}');
    assert.ok((item.iconPath as { light: vscode.Uri }).light.fsPath.endsWith('delete-deprecated-light.svg'));
    assert.match(item.accessibilityInformation?.label ?? '', /deprecated$/);
  });

  it('resolves an API tooltip with where requests go in the active environment', async () => {
    const stores = apiNode('Telenor Stores API');
    const item = s.tree.getTreeItem(stores);
    const resolved = await s.tree.resolveTreeItem(item, stores, new vscode.CancellationTokenSource().token);
    const md = (resolved.tooltip as vscode.MarkdownString).value;
    assert.ok(md.includes(`Requests go to (Sandbox): \`${sb.url}/telenor-stores/v1\``), md);
    assert.ok(md.includes('Swagger 2.0'));
    assert.ok(md.includes('Operations: 2'), md);
    const op = children<OperationNode>(children<TagNode>(stores)[0] as TagNode)[0] as OperationNode;
    const opTip = (await s.tree.resolveTreeItem(s.tree.getTreeItem(op), op, new vscode.CancellationTokenSource().token)).tooltip as vscode.MarkdownString;
    assert.ok(opTip.value.startsWith(`**GET** \`${op.operation.path}\``), opTip.value);
  });

  it('shows a broken workspace spec as an error item that opens its problems', async () => {
    const dir = join(workspace, 'tree-suite');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'broken.openapi.yaml');
    writeFileSync(path, 'openapi: 3.0.3\ninfo:\n  title: Broken\n  version: "1"\npaths:\n   /a:\n  get: {}\n');
    try {
      const key = `file:${path}`;
      const node = await eventually('the error item', () => roots().find((r) => r.key === key && r.entry.state === 'failed'), 20_000);
      const item = s.tree.getTreeItem(node);
      assert.equal(labelOf(item), 'broken.openapi.yaml');
      assert.equal(item.description, 'failed to load');
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None);
      assert.match(item.contextValue ?? '', /^telenorSpecFailed\b.*\bproblems\b/);
      assert.deepEqual(item.command?.command, 'telenor.showSpecProblems');
      const tip = (item.tooltip as vscode.MarkdownString).value;
      assert.ok(/failed to load/.test(tip) && /line \d+, column \d+/.test(tip), tip);
      const uri = await vscode.commands.executeCommand<vscode.Uri>(item.command.command, ...(item.command.arguments ?? []));
      assert.ok(uri);
      assert.ok(vscode.window.activeTextEditor?.document.getText().includes('Problems of broken.openapi.yaml'));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      // "Open Spec File" on the failed spec goes to the problem.
      const problemLine = node.entry.problems[0]?.line;
      assert.ok(problemLine !== undefined);
      assert.equal(await vscode.commands.executeCommand('telenor.openSpecAtOperation', node), problemLine - 1);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path);
      assert.equal(vscode.window.activeTextEditor?.selection.active.line, problemLine - 1);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await eventually('the error item to go', () => !roots().some((r) => r.entry.label === 'broken.openapi.yaml'), 20_000);
  });

  it('shows a URL spec as loading while it downloads, then as failed with the reason', async () => {
    // The server holds the answer until the test has seen the loading row, then says 404.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const server = await startServer({
      '/slow/openapi.yaml': (_req, res) => {
        void held.then(() => send('gone', 'text/plain', 404)(_req, res));
      },
    });
    const url = `${server.url}/slow/openapi.yaml`;
    try {
      const added = vscode.commands.executeCommand<string>('telenor.addSpecUrl', url);
      const loading = await eventually('the loading row', () => roots().find((r) => r.entry.label === url && r.entry.state === 'loading'));
      const item = s.tree.getTreeItem(loading);
      assert.equal(item.description, 'loading…');
      assert.equal((item.iconPath as vscode.ThemeIcon).id, 'loading~spin');
      assert.match(item.contextValue ?? '', /^telenorSpecLoading\b.*\bremovable\b/, 'a slow URL can be removed while it loads');
      release();
      const key = await added;
      assert.ok(key);
      await refreshed();
      const failed = roots().find((r) => r.key === key);
      assert.ok(failed);
      const failedItem = s.tree.getTreeItem(failed);
      assert.equal(failedItem.description, 'failed to load');
      assert.match(failedItem.contextValue ?? '', /^telenorSpecFailed\b.*\bremovable\b/);
      assert.match((failedItem.tooltip as vscode.MarkdownString).value, /HTTP 404/);
      await vscode.commands.executeCommand('telenor.removeSpec', failed);
      await refreshed();
      assert.equal(roots().find((r) => r.key === key), undefined);
    } finally {
      release();
      await server.close();
    }
  });

  it('filters operations, shows the filter in the view, and clears it', async () => {
    const count = await vscode.commands.executeCommand<{ operations: number; apis: number }>('telenor.filter', 'get stores');
    assert.ok(count);
    await refreshed();
    const shown = roots();
    assert.deepEqual(shown.map((r) => r.entry.api?.title), ['Telenor Stores API']);
    const ops = children<TagNode>(shown[0] as ApiNode).flatMap((t) => children<OperationNode>(t));
    assert.ok(ops.length > 0);
    assert.ok(ops.every((o) => o.operation.method === 'get' && o.operation.path.includes('stores')));
    assert.equal(count.operations, new Set(ops.map((o) => o.operationId)).size);
    assert.equal(s.tree.view.message, `Filter “get stores”: ${count.operations} operations in 1 API.`);
    assert.equal(s.tree.getTreeItem(shown[0] as ApiNode).collapsibleState, vscode.TreeItemCollapsibleState.Expanded, 'matching branches open');

    const none = await vscode.commands.executeCommand<{ operations: number }>('telenor.filter', 'zzz-nothing');
    assert.equal(none?.operations, 0);
    assert.deepEqual(roots(), []);
    assert.match(s.tree.view.message ?? '', /No operation matches “zzz-nothing”/);

    await vscode.commands.executeCommand('telenor.clearFilter');
    assert.equal(s.tree.view.message, '');
    assert.ok(roots().length >= 6);
  });

  it('opens the request panel for an operation and makes its API the active one', async () => {
    const stores = apiNode('Telenor Stores API');
    const op = children<OperationNode>(children<TagNode>(stores)[0] as TagNode)[0] as OperationNode;
    // The panel belongs to another feature: record what reaches it through the contract.
    const opened: OperationTarget[] = [];
    const original = s.panels.open.bind(s.panels);
    s.panels.open = async (t: OperationTarget) => {
      opened.push(t);
    };
    try {
      s.activeApi.set(undefined);
      const target = await vscode.commands.executeCommand<OperationTarget>('telenor.openRequest', { apiId: stores.id, operationId: op.operationId });
      assert.deepEqual(target, { apiId: stores.id, operationId: op.operationId });
      assert.deepEqual(opened, [{ apiId: stores.id, operationId: op.operationId }]);
      assert.equal(s.activeApi.current?.id, stores.id);
      // A target that does not exist is an error, not a blank panel.
      assert.equal(await vscode.commands.executeCommand('telenor.openRequest', { apiId: stores.id, operationId: '#/paths/~1nope/get' }), undefined);
      assert.equal(opened.length, 1);
    } finally {
      s.panels.open = original;
    }
  });

  it('makes the selected item’s API the active one', async () => {
    const partner = apiNode('Partner Orders API');
    s.activeApi.set(undefined);
    await s.tree.view.reveal(partner, { select: true, focus: true });
    await eventually('the active API to follow the selection', () => s.activeApi.current?.title === 'Partner Orders API');
  });

  it('copies an operation’s path and opens the spec file at the operation', async () => {
    const stores = apiNode('Telenor Stores API');
    const op = children<OperationNode>(children<TagNode>(stores)[0] as TagNode).find((o) => o.operation.path.includes('{')) as OperationNode;
    assert.ok(op);
    assert.equal(await vscode.commands.executeCommand('telenor.copyOperationPath', op), op.operation.path);
    assert.equal(await vscode.env.clipboard.readText(), op.operation.path);

    const line = await vscode.commands.executeCommand<number>('telenor.openSpecAtOperation', op);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.ok(editor.document.uri.fsPath.endsWith('telenor-stores.json'));
    assert.equal(editor.selection.active.line, line);
    assert.match(editor.document.lineAt(line).text, new RegExp(`"${op.operation.method}"\\s*:`), 'the cursor is on the method of the operation');
    const pathLine = editor.document.getText(new vscode.Range(0, 0, line, 0)).split('\n').reverse().find((l) => /^\s*"\//.test(l));
    assert.ok(pathLine?.includes(`"${op.operation.path}"`), `under its path: ${pathLine}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
