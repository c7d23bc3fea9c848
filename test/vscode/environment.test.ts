/**
 * Environments and the embedded sandbox inside a real VS Code: switching (setting, event, status bar),
 * base URLs and server URLs of every built-in API in every environment, the sandbox commands.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EnvironmentId } from '../../src/core/auth/types';
import { isErrorKind } from '../../src/core/errors';
import type { Services } from '../../src/extension/services';
import { BUILTIN_SPECS, type RunningSandbox } from '../../src/sandbox/index';
import { sandbox, services } from './helpers';

type Config = { key: string; value: unknown };

/** Sets `telenor.*` settings for one test and puts the previous user values back afterwards. */
async function withSettings(values: Config[], body: () => Promise<void>): Promise<void> {
  const config = vscode.workspace.getConfiguration('telenor');
  const previous = values.map(({ key }) => ({ key, value: config.inspect(key)?.globalValue }));
  try {
    for (const { key, value } of values) await config.update(key, value, vscode.ConfigurationTarget.Global);
    await body();
  } finally {
    for (const { key, value } of previous) await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
}

async function status(url: string): Promise<number> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}

describe('environments', function () {
  this.timeout(60_000);
  let s: Services;
  let external: RunningSandbox;

  before(async () => {
    s = await services();
    external = await sandbox();
    await s.specs.whenSettled();
  });

  after(async () => {
    await external.close();
  });

  it('switches through the command: setting, event and status bar follow', async () => {
    await withSettings([{ key: 'environment', value: 'sandbox' }], async () => {
      const seen: EnvironmentId[] = [];
      const sub = s.environments.onDidChange((e) => seen.push(e));
      try {
        const item = s.environments.statusBarItem;
        assert.equal(item.text, '$(server-environment) Telenor: Sandbox');
        assert.equal(item.command, 'telenor.switchEnvironment');
        assert.equal(item.backgroundColor, undefined);

        assert.equal(await vscode.commands.executeCommand('telenor.switchEnvironment', 'test'), 'test');
        assert.equal(vscode.workspace.getConfiguration('telenor').get('environment'), 'test');
        assert.equal(s.environments.current, 'test');
        assert.equal(item.text, '$(server-environment) Telenor: Test');
        assert.equal(item.backgroundColor, undefined);

        await vscode.commands.executeCommand('telenor.switchEnvironment', 'production');
        assert.equal(item.text, '$(server-environment) Telenor: Production');
        assert.equal((item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.warningBackground', 'production stands out');
        assert.match(item.accessibilityInformation?.label ?? '', /Production/);
        const tip = (item.tooltip as vscode.MarkdownString).value;
        assert.ok(tip.includes('Norway: `https://api.telenor.no`') && tip.includes('Sweden: not set (`telenor.environments › production › se`)'), tip);

        // Not an environment: nothing changes (the command reports the error).
        assert.equal(await vscode.commands.executeCommand('telenor.switchEnvironment', 'staging'), undefined);
        assert.equal(s.environments.current, 'production');

        await s.environments.switchTo('sandbox');
        assert.equal(item.text, '$(server-environment) Telenor: Sandbox');
        assert.deepEqual(seen, ['test', 'production', 'sandbox'], 'one event per change');
        assert.equal(s.tree.view.description, 'Sandbox', 'the APIs view names the environment');
      } finally {
        sub.dispose();
      }
    });
  });

  it('follows an edit of the setting made elsewhere', async () => {
    await withSettings([{ key: 'environment', value: 'sandbox' }], async () => {
      const changed = new Promise<EnvironmentId>((resolve) => {
        const sub = s.environments.onDidChange((e) => {
          sub.dispose();
          resolve(e);
        });
      });
      await vscode.workspace.getConfiguration('telenor').update('environment', 'test', vscode.ConfigurationTarget.Global);
      assert.equal(await changed, 'test');
      assert.equal(s.environments.statusBarItem.text, '$(server-environment) Telenor: Test');
    });
  });

  it('merges configured base URLs over the defaults', async () => {
    await withSettings([{ key: 'environments', value: { test: { se: 'https://se-test.example/base/' } } }], async () => {
      assert.deepEqual(await s.environments.baseUrls('test'), { no: 'https://test-api.telenor.no', se: 'https://se-test.example/base' });
      assert.deepEqual(await s.environments.baseUrls('production'), { no: 'https://api.telenor.no' });
    });
  });

  it('gives every built-in API a server URL in every environment (external sandbox)', async () => {
    await withSettings(
      [
        { key: 'sandbox.url', value: external.url },
        { key: 'environments', value: { production: { se: 'https://se.example/prod' } } },
      ],
      async () => {
        assert.deepEqual(await s.environments.baseUrls('sandbox'), { no: external.url, se: external.url });
        for (const spec of BUILTIN_SPECS) {
          const api = s.specs.apis().find((a) => a.title === spec.title);
          assert.ok(api, spec.title);
          const path = spec.file === 'telenor-stores.json' ? '/telenor-stores/v1' : '';
          const sandboxUrl = await s.environments.serverUrl(api, 'sandbox');
          assert.equal(sandboxUrl, `${external.url}${path}`, spec.title);
          if (spec.region === 'no') {
            assert.equal(await s.environments.serverUrl(api, 'test'), `https://test-api.telenor.no${path}`);
            assert.equal(await s.environments.serverUrl(api, 'production'), `https://api.telenor.no${path}`);
          } else {
            await assert.rejects(
              s.environments.serverUrl(api, 'test'),
              (e: unknown) => isErrorKind(e, 'input') && e.hint.includes('telenor.environments › test › se'),
            );
            assert.equal(await s.environments.serverUrl(api, 'production'), `https://se.example/prod${path}`);
          }
        }
        const partner = s.specs.apis().find((a) => a.title === 'Partner Orders API');
        assert.ok(partner);
        assert.equal(await s.environments.serverUrl(partner, 'sandbox'), 'https://orders.partner.example/api/v2', 'not Telenor: its own server');
        // The sandbox really answers there: the Stores API's list of stores needs a token, so a 401 (not a 404).
        const stores = s.specs.apis().find((a) => a.title === 'Telenor Stores API');
        assert.ok(stores);
        assert.equal(await status(`${await s.environments.serverUrl(stores, 'sandbox')}/stores`), 401);
      },
    );
  });

  it('starts the embedded sandbox when the sandbox environment needs a URL, and stops it', async () => {
    await withSettings([{ key: 'sandbox.url', value: '' }], async () => {
      await vscode.commands.executeCommand('telenor.stopSandbox');
      assert.equal(s.sandbox.isRunning, false);
      const stores = s.specs.apis().find((a) => a.title === 'Telenor Stores API');
      assert.ok(stores);
      const url = await s.environments.serverUrl(stores, 'sandbox');
      assert.ok(s.sandbox.isRunning, 'started on demand');
      const base = s.sandbox.url;
      assert.ok(base?.startsWith('http://127.0.0.1:'));
      assert.equal(url, `${base}/telenor-stores/v1`);
      assert.notEqual(base, external.url);
      assert.equal(await status(`${base}/`), 200);
      // Concurrent callers share the one running sandbox.
      const [a, b] = await Promise.all([s.environments.baseUrls('sandbox'), s.environments.baseUrls('sandbox')]);
      assert.deepEqual(a, { no: base, se: base });
      assert.deepEqual(b, a);
      assert.match((s.environments.statusBarItem.tooltip as vscode.MarkdownString).value, /embedded sandbox running at `http:\/\/127\.0\.0\.1:\d+`/);

      assert.equal(await vscode.commands.executeCommand('telenor.stopSandbox'), true);
      assert.equal(s.sandbox.isRunning, false);
      await assert.rejects(status(`${base}/`), 'the port is closed');
      assert.equal(await vscode.commands.executeCommand('telenor.stopSandbox'), false, 'stopping twice is harmless');
    });
  });

  it('starts and stops the sandbox through the commands', async () => {
    const url = await vscode.commands.executeCommand<string>('telenor.startSandbox');
    assert.ok(url?.startsWith('http://127.0.0.1:'));
    assert.equal(s.sandbox.url, url);
    assert.equal(await status(`${url}/specs/`), 200);
    assert.equal(await vscode.commands.executeCommand('telenor.startSandbox'), url, 'a second start reuses the running one');
    assert.equal(await vscode.commands.executeCommand('telenor.stopSandbox'), true);
    await assert.rejects(status(`${url}/`));
  });
});
