/**
 * The spec registry inside a real VS Code: built-in specs, workspace files (found, watched, broken,
 * deleted, excluded), files and URLs added through the commands (remembered across a new registry),
 * problems in the Problems panel and in the problems document.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SpecEntry } from '../../src/extension/contracts';
import type { Services } from '../../src/extension/services';
import { SpecRegistryImpl } from '../../src/extension/specs/registry';
import { BUILTIN_SPECS } from '../../src/sandbox/index';
import { send, startServer, type TestServer } from '../fixtures/specs/helpers';
import { eventually, services } from './helpers';

const STATE_KEY = 'telenor.specs.added';

function env(name: string): string {
  const v = process.env[name];
  assert.ok(v, `${name} is not set`);
  return v;
}

const SPEC = (title: string, paths: string): string =>
  `openapi: 3.0.3\ninfo:\n  title: ${title}\n  version: '1'\npaths:\n${paths}`;
const OP = (path: string, summary: string): string => `  ${path}:\n    get:\n      summary: ${summary}\n      responses:\n        '200':\n          description: ok\n`;

describe('spec registry', function () {
  this.timeout(60_000);
  let s: Services;
  let workspace: string;
  let scratch: string;
  const created: string[] = [];

  function entry(predicate: (e: SpecEntry) => boolean): SpecEntry | undefined {
    return s.specs.entries().find(predicate);
  }
  function byPath(path: string): SpecEntry | undefined {
    return entry((e) => e.source.kind === 'file' && e.source.path === path);
  }
  function write(path: string, text: string): string {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    created.push(path);
    return path;
  }

  before(async () => {
    s = await services();
    workspace = env('TAE_WORKSPACE');
    scratch = join(env('TAE_SCRATCH_DIR'), 'specs-suite');
    mkdirSync(scratch, { recursive: true });
    await s.specs.whenSettled();
  });

  after(async () => {
    for (const p of created) rmSync(p, { force: true });
    rmSync(join(workspace, 'node_modules'), { recursive: true, force: true });
    // Leave no added specs behind for the suites that follow.
    for (const e of s.specs.entries()) if (s.specs.isRemovable(e.key)) await vscode.commands.executeCommand('telenor.removeSpec', e.key);
  });

  it('loads every built-in spec with no problems', () => {
    const builtin = s.specs.entries().filter((e) => e.origin === 'builtin');
    assert.deepEqual(builtin.map((e) => e.api?.title).sort(), BUILTIN_SPECS.map((b) => b.title).sort());
    for (const e of builtin) {
      assert.equal(e.state, 'loaded', `${e.label}: ${JSON.stringify(e.problems)}`);
      assert.deepEqual(e.problems, []);
      assert.equal(e.key, `builtin:${e.label}`, 'the key is the API id of the source');
      assert.equal(s.specs.api(e.key), e.api);
    }
    const stores = s.specs.apis().find((a) => a.title === 'Telenor Stores API');
    assert.ok(stores);
    const opId = stores.tags[0]?.operationIds[0];
    assert.ok(opId !== undefined && opId.startsWith('#/paths/'), String(opId));
    assert.equal(s.specs.operation(stores.id, opId)?.id, opId);
  });

  it('lists the workspace spec of the fixture folder', () => {
    const e = byPath(join(workspace, 'specs', 'partner-orders.openapi.yaml'));
    assert.ok(e, `not listed: ${s.specs.entries().map((x) => x.label).join(', ')}`);
    assert.equal(e.origin, 'workspace');
    assert.equal(e.state, 'loaded');
    assert.equal(e.api?.title, 'Partner Orders API');
    assert.equal(e.api?.operationCount, 5);
    assert.equal(s.specs.isRemovable(e.key), false, 'workspace specs follow the settings, not the remove command');
  });

  it('follows a workspace file as it is created, edited, broken and deleted', async () => {
    const path = write(join(workspace, 'live', 'live.openapi.yaml'), SPEC('Live API', OP('/one', 'First')));
    const uri = vscode.Uri.file(path);
    await eventually('the new file to load', () => byPath(path)?.state === 'loaded' && byPath(path)?.api?.operationCount === 1, 20_000);

    writeFileSync(path, SPEC('Live API v2', OP('/one', 'First') + OP('/two', 'Second')));
    await eventually('the edit to show', () => byPath(path)?.api?.title === 'Live API v2' && byPath(path)?.api?.operationCount === 2, 20_000);

    // Tabs instead of the indentation YAML expects: a syntax error with a position.
    writeFileSync(path, SPEC('Live API v3', OP('/one', 'First')).replace('    get:', '\tget:'));
    const failed = await eventually('the broken file to fail', () => (byPath(path)?.state === 'failed' ? byPath(path) : undefined), 20_000);
    assert.equal(failed.api, undefined);
    const problem = failed.problems[0];
    assert.ok(problem?.line !== undefined && problem.column !== undefined, `a located problem: ${JSON.stringify(failed.problems)}`);
    const diagnostics = vscode.languages.getDiagnostics(uri);
    assert.ok(diagnostics.length > 0, 'the Problems panel has it');
    assert.equal(diagnostics[0]?.range.start.line, problem.line - 1, 'same line (0-based)');
    assert.equal(diagnostics[0]?.range.start.character, problem.column - 1);
    assert.equal(diagnostics[0]?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostics[0]?.source, 'Telenor API Explorer');
    assert.ok(!diagnostics[0]?.message.startsWith('live.openapi.yaml line'), 'the file and place are not repeated in the message');
    // Other specs are untouched by this one failing.
    assert.ok(s.specs.entries().filter((e) => e.origin === 'builtin').every((e) => e.state === 'loaded'));

    rmSync(path);
    await eventually('the deleted file to go', () => byPath(path) === undefined, 20_000);
    await eventually('its diagnostics to go', () => vscode.languages.getDiagnostics(uri).length === 0);
  });

  it('follows a folder of specs created and deleted as a whole', async () => {
    const dir = join(workspace, 'checkout', 'apis');
    const a = write(join(dir, 'a.openapi.yaml'), SPEC('Folder A', OP('/a', 'A')));
    const b = write(join(dir, 'openapi.json'), JSON.stringify({ openapi: '3.0.3', info: { title: 'Folder B', version: '1' }, paths: {} }));
    await eventually('both specs of the new folder', () => byPath(a)?.state === 'loaded' && byPath(b)?.state === 'loaded', 20_000);
    rmSync(join(workspace, 'checkout'), { recursive: true });
    await eventually('both to go with the folder', () => byPath(a) === undefined && byPath(b) === undefined, 20_000);
  });

  it('leaves out files matching telenor.specs.exclude', async () => {
    const excluded = write(join(workspace, 'node_modules', 'dep', 'openapi.yaml'), SPEC('Dependency API', OP('/dep', 'Dep')));
    const marker = write(join(workspace, 'live', 'marker.openapi.yaml'), SPEC('Marker API', OP('/m', 'M')));
    // The marker, written after the excluded file, proves the watcher has seen both.
    await eventually('the marker to load', () => byPath(marker)?.state === 'loaded', 20_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(byPath(excluded), undefined);
    const refreshed = await vscode.commands.executeCommand<{ loaded: number; failed: number }>('telenor.refresh');
    assert.ok(refreshed && refreshed.loaded >= BUILTIN_SPECS.length + 2, JSON.stringify(refreshed));
    assert.equal(byPath(excluded), undefined, 'a full rescan leaves it out too');
  });

  it('adds a spec file outside the workspace, remembers it, and removes it', async () => {
    const path = write(join(scratch, 'added.yaml'), SPEC('Added File API', OP('/added', 'Added')));
    const keys = await vscode.commands.executeCommand<string[]>('telenor.addSpecFile', path);
    assert.equal(keys?.length, 1);
    const key = keys[0] ?? '';
    assert.equal(s.specs.entry(key)?.state, 'loaded');
    assert.equal(s.specs.entry(key)?.origin, 'file');
    assert.equal(s.specs.isRemovable(key), true);
    assert.deepEqual(s.context.globalState.get(STATE_KEY), [{ kind: 'file', path }]);

    // A second registry over the same storage (as after a reload of the window) lists it again.
    const again = new SpecRegistryImpl({ ...s.specs.deps });
    try {
      await again.whenSettled();
      assert.equal(again.entry(key)?.api?.title, 'Added File API');
    } finally {
      again.dispose();
    }

    // Added files are watched too, even outside the workspace.
    writeFileSync(path, SPEC('Added File API, edited', OP('/added', 'Added')));
    await eventually('the edit of the added file', () => s.specs.entry(key)?.api?.title === 'Added File API, edited', 20_000);

    assert.equal(await vscode.commands.executeCommand('telenor.removeSpec', { key }), key);
    assert.equal(s.specs.entry(key), undefined);
    assert.deepEqual(s.context.globalState.get(STATE_KEY), []);
  });

  describe('URLs', () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({
        '/good.yaml': send(SPEC('URL API', OP('/u', 'U')), 'application/yaml'),
        '/private.yaml': send(SPEC('Private URL API', OP('/p', 'P')), 'application/yaml'),
      });
    });
    after(() => server.close());

    it('adds a URL, remembers it, and removes it', async () => {
      const key = await vscode.commands.executeCommand<string>('telenor.addSpecUrl', `${server.url}/good.yaml`);
      assert.ok(key);
      const e = s.specs.entry(key);
      assert.equal(e?.state, 'loaded');
      assert.equal(e?.origin, 'url');
      assert.equal(e?.label, `${server.url}/good.yaml`);
      assert.deepEqual(s.context.globalState.get(STATE_KEY), [{ kind: 'url', url: `${server.url}/good.yaml` }]);
      const again = new SpecRegistryImpl({ ...s.specs.deps });
      try {
        await again.whenSettled();
        assert.equal(again.entry(key)?.api?.title, 'URL API');
      } finally {
        again.dispose();
      }
      await vscode.commands.executeCommand('telenor.removeSpec', key);
      assert.equal(s.specs.entry(key), undefined);
      assert.deepEqual(s.context.globalState.get(STATE_KEY), []);
    });

    it('keeps a URL with a query (which may hold a token) in secret storage only', async () => {
      const url = `${server.url}/private.yaml?access_token=sekrit-token-123`;
      const key = await vscode.commands.executeCommand<string>('telenor.addSpecUrl', url);
      assert.ok(key);
      assert.ok(!key.includes('sekrit'), 'the API id hashes the query');
      const e = s.specs.entry(key);
      assert.equal(e?.state, 'loaded');
      assert.ok(!e.label.includes('sekrit'), 'the label has no query');
      const stored = JSON.stringify(s.context.globalState.get(STATE_KEY));
      assert.ok(!stored.includes('sekrit'), `globalState holds ${stored}`);
      assert.ok(s.redactor.containsSecret('sekrit-token-123'), 'the query value is registered with the Redactor');
      const again = new SpecRegistryImpl({ ...s.specs.deps });
      try {
        await again.whenSettled();
        assert.equal(again.entry(key)?.api?.title, 'Private URL API', 'read back from secret storage');
      } finally {
        again.dispose();
      }
      await vscode.commands.executeCommand('telenor.removeSpec', key);
      const secretId = (JSON.parse(stored) as Array<{ secretId?: string }>)[0]?.secretId;
      assert.ok(secretId);
      assert.equal(await s.context.secrets.get(`telenor.specs.url.${secretId}`), undefined, 'the secret is deleted with the spec');
      assert.ok(!s.redactor.containsSecret('sekrit-token-123'), 'and let go of by the Redactor');
    });

    it('shows a failing URL as a failed entry that says why', async () => {
      const key = await vscode.commands.executeCommand<string>('telenor.addSpecUrl', `${server.url}/missing.yaml`);
      assert.ok(key);
      const e = s.specs.entry(key);
      assert.equal(e?.state, 'failed');
      assert.equal(e.problems[0]?.code, 'not-found', JSON.stringify(e.problems));
      assert.ok(e.problems[0]?.message.includes('missing.yaml'));

      const uri = await vscode.commands.executeCommand<vscode.Uri>('telenor.showSpecProblems', key);
      assert.ok(uri);
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.ok(doc.getText().startsWith(`Problems of ${server.url}/missing.yaml`), doc.getText());
      assert.ok(doc.getText().includes('failed to load · 1 error'));
      assert.ok(doc.getText().includes('Error (not-found)'));
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.commands.executeCommand('telenor.removeSpec', key);
    });

    it('rejects what is not an http(s) URL without adding anything', async () => {
      const before = s.specs.entries().length;
      assert.equal(await vscode.commands.executeCommand('telenor.addSpecUrl', 'file:///etc/passwd'), undefined);
      assert.equal(await vscode.commands.executeCommand('telenor.addSpecUrl', 'not a url'), undefined);
      assert.equal(s.specs.entries().length, before);
      assert.deepEqual(s.context.globalState.get(STATE_KEY) ?? [], []);
    });
  });

  it('shows problems with positions that link into the file, and adds validation problems after loading', async () => {
    const path = write(join(workspace, 'live', 'invalid.openapi.yaml'), [
      'openapi: 3.0.3',
      'info:',
      '  title: Invalid on purpose',
      "  version: '1'",
      'paths:',
      '  /items:',
      '    get:',
      '      parameters:',
      '        - name: limit',
      '          in: querystring',
      '          schema: { type: integer }',
      '      responses:',
      "        '200':",
      '          description: ok',
      '',
    ].join('\n'));
    const loaded = await eventually('the invalid spec to load', () => (byPath(path)?.state === 'loaded' ? byPath(path) : undefined), 20_000);
    await s.specs.whenValidated();
    const e = await eventually('validation problems', () => (byPath(path)?.problems.some((p) => p.code === 'validation') ? byPath(path) : undefined), 30_000);
    assert.equal(e.key, loaded.key);
    assert.equal(e.state, 'loaded', 'validation only adds problems');
    const located = e.problems.find((p) => p.line !== undefined);
    assert.ok(located, JSON.stringify(e.problems));
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(path));
    assert.ok(diagnostics.some((d) => d.range.start.line === (located.line ?? 0) - 1), 'the Problems panel shows it at its line');

    const uri = await vscode.commands.executeCommand<vscode.Uri>('telenor.showSpecProblems', { apiId: e.key });
    assert.ok(uri);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the document is shown');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    assert.ok(links.length > 0, 'positions are links');
    const target = links[0]?.target;
    assert.equal(target?.path, vscode.Uri.file(path).path);
    assert.match(target?.fragment ?? '', /^L\d+,\d+$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
