/**
 * Nothing lost (issue 5), as a person sees it in code-server + Chromium:
 * - a send that fails (a server that does not answer in time, one that answers 500, one that cannot be
 *   reached) leaves everything typed into the panel where it was;
 * - credentials survive a restart of VS Code (the browser page closed, code-server stopped and started with
 *   the same user data, browser profile and port; code-server keeps SecretStorage in the browser's
 *   localStorage for that origin), and signing in afterwards works without asking for anything;
 * - "Clear Credentials" removes them, the tokens made with them are forgotten, and they stay gone after
 *   another restart. (Its confirmation is a modal dialog: the unpackaged --dev run refuses modal dialogs,
 *   so that step runs in the packaged run; the in-host suite clears with `confirmed: true`.)
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startSandbox, type RunningSandbox } from '../../src/sandbox/index';
import { clearNotifications, notificationText, openFromTree, selectApi, sendAndWait } from '../harness/steps';
import { Workbench, screenshotOnFailure } from '../harness/ui';

function flakySpec(title: string, tag: string, url: string, paths: string[]): string {
  const op = (summary: string): unknown => ({
    get: {
      summary,
      tags: [tag],
      parameters: [
        { name: 'note', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'X-Custom', in: 'header', required: false, schema: { type: 'string' } },
      ],
      responses: { '200': { description: 'ok', content: { 'application/json': {} } } },
    },
  });
  return JSON.stringify({ openapi: '3.0.3', info: { title, version: '1.0.0' }, servers: [{ url }], paths: Object.fromEntries(paths.map((p) => [p, op(`Flaky ${p}`)])) });
}

describe('nothing lost (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench | undefined;
  let box: RunningSandbox | undefined;
  let flaky: Server | undefined;
  const hanging = new Set<ServerResponse>();
  /** Token answers the sandbox gave (its logger line: method, path, status). */
  const tokenCalls: string[] = [];

  before(async function () {
    box = await startSandbox({ port: 0, rateLimit: false, logger: (line) => (/\/oauth\/v2\/token/.test(line) ? tokenCalls.push(line) : undefined) });
    flaky = createServer((req, res) => {
      if ((req.url ?? '').startsWith('/fail')) res.writeHead(500, { 'content-type': 'application/json' }).end('{"code":50001,"message":"internal server error"}');
      else hanging.add(res);
    });
    await new Promise<void>((r) => flaky?.listen(0, '127.0.0.1', r));
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    wb = await Workbench.open({
      label: 'lost',
      settings: {
        'telenor.sandbox.url': box.url,
        'telenor.environment': 'sandbox',
        'telenor.request.timeoutSeconds': 2,
        'security.workspace.trust.enabled': false,
      },
      workspaceFiles: {
        'flaky.openapi.json': flakySpec('Flaky Server API', 'flaky', `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`, ['/slow', '/fail']),
        'gone.openapi.json': flakySpec('Gone Server API', 'gone', `http://127.0.0.1:${closedPort}`, ['/down']),
      },
    });
  });

  screenshotOnFailure(() => wb);

  after(async function () {
    await wb?.close();
    await box?.close();
    for (const r of hanging) r.destroy();
    await new Promise<void>((r) => (flaky ? flaky.close(() => r()) : r()));
  });

  it('a failed send keeps what the person typed (timeout, 500, unreachable host)', async function () {
    assert.ok(wb);
    for (const [api, tag, path, expect] of [
      ['Flaky Server API', /^flaky\b/, '/slow', /^Not sent: .*(No complete answer|within \d+ s|timed out)/i],
      ['Flaky Server API', /^flaky\b/, '/fail', /^500 /],
      ['Gone Server API', /^gone\b/, '/down', /^Not sent: Connection refused/],
    ] as const) {
      const v = await openFromTree(wb, api, tag, new RegExp(`^GET ${path.replace('/', '\\/')}`));
      await v.getByRole('textbox', { name: /^note/ }).fill(`typed before ${path}`);
      await v.getByRole('textbox', { name: /^X-Custom/ }).fill('a header value');
      const outcome = await sendAndWait(v, 30_000);
      console.log(`      ${path}: ${outcome}`);
      assert.match(outcome, expect);
      assert.equal(await v.getByRole('textbox', { name: /^note/ }).inputValue(), `typed before ${path}`, 'the query value is still there');
      assert.equal(await v.getByRole('textbox', { name: /^X-Custom/ }).inputValue(), 'a header value', 'the header value is still there');
      await wb.screenshot(`failed-${path.slice(1)}`);
    }
  });

  it('credentials survive a restart of VS Code, and sign-in then works without asking', async function () {
    assert.ok(wb);
    await wb.runCommand('Telenor: Use Sandbox Demo Credentials');
    await notificationText(wb, /Stored the sandbox demo credentials/);
    await wb.restart();
    await wb.screenshot('after-restart');
    await clearNotifications(wb);
    const before = tokenCalls.length;
    await selectApi(wb, 'Telenor Stores API');
    await wb.runCommand('Telenor: Sign In…');
    const note = await notificationText(wb, /Signed in to Telenor Stores API|No Norway|credentials/i, 45_000);
    console.log(`      after the restart: ${note.replace(/\s+/g, ' ').slice(0, 160)}`);
    assert.match(note, /Signed in to Telenor Stores API \(Sandbox\)/, 'the stored credentials were still there');
    assert.equal(await wb.page.locator('.quick-input-widget').isVisible(), false, 'nothing was asked');
    assert.ok(tokenCalls.length > before && tokenCalls.slice(before).some((l) => /\b200\b/.test(l)), 'the sandbox issued a token after the restart');
    await wb.page.locator('.statusbar-item', { hasText: /Telenor Stores API · \d+:\d\d/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('signed-in-after-restart');
  });

  it('"Clear Credentials" removes them and forgets their tokens; they stay gone after another restart', async function () {
    assert.ok(wb);
    await clearNotifications(wb);
    await wb.runCommand('Telenor: Clear Credentials…');
    const row = wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'All stored Telenor credentials' }).first();
    await row.waitFor({ timeout: 15_000 });
    await wb.screenshot('clear-pick');
    await row.click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    const refused = wb.page.locator('.notification-toast, .notifications-center', { hasText: /refused to show dialog in tests/ });
    await Promise.race([dialog.waitFor({ timeout: 20_000 }), refused.first().waitFor({ timeout: 20_000 })]).catch(() => undefined);
    if (!(await dialog.count())) {
      console.log('      (dev payload: modal dialogs are refused in test mode; the confirmation is walked in the packaged run, clearing itself in-host)');
      this.skip();
    }
    await wb.screenshot('clear-confirm');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await notificationText(wb, /Removed \d+ stored credentials/);
    await wb.page.locator('.statusbar-item', { hasText: /Telenor Stores API · signed out/ }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('cleared');

    await wb.restart();
    await clearNotifications(wb);
    await selectApi(wb, 'Telenor Stores API');
    await wb.runCommand('Telenor: Sign In…');
    const note = await notificationText(wb, /No Norway client id and secret stored|Set Credentials/i, 45_000);
    console.log(`      after clearing and restarting: ${note.replace(/\s+/g, ' ').slice(0, 160)}`);
    await wb.screenshot('gone-after-restart');
  });
});
