/**
 * A person uses the request panel: opens an operation from the tree, fills a parameter, presses Send (and
 * Ctrl+Enter), sees the 200 and the token countdown, copies as curl (and declines the with-secrets dialog),
 * sends to a server that answers hostile HTML and JSON (shown as text), reloads the window (the panel comes
 * back with its input), and looks at it in the dark and light themes.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { FrameLocator } from 'playwright-core';

import { startSandbox, type RunningSandbox } from '../../src/sandbox/index';
import { Workbench, screenshotOnFailure } from '../harness/ui';

const HOSTILE_HTML = '<html><body><h1 id="pwned">owned</h1><img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script></body></html>';
/** About 5 MB of JSON, one row per line once indented; the last row is marked. */
const BIG_JSON = JSON.stringify({
  rows: Array.from({ length: 40_000 }, (_, i) => ({ id: i, msisdn: `47${String(90_000_000 + i)}`, name: `Subscriber number ${i}`, active: i % 3 !== 0, tags: ['a', 'b'], note: i === 39_999 ? 'last-row' : 'x'.repeat(40) })),
});

const HOSTILE_JSON = JSON.stringify({ note: '<script>document.title="pwned"</script>', html: '<img src=x onerror=alert(1)>', '<b>key</b>': 1, big: 12345678901234567890 }).replace(
  '"big":12345678901234567000',
  '"big":12345678901234567890',
);

function hostileSpec(url: string): string {
  const op = (summary: string, type: string): unknown => ({
    get: { summary, tags: ['hostile'], responses: { '200': { description: 'what the server sends', content: { [type]: {} } } } },
  });
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Hostile Echo API', version: '1.0.0' },
    servers: [{ url }],
    paths: { '/html': op('Hostile HTML', 'text/html'), '/json': op('Hostile JSON', 'application/json'), '/big': op('Five megabytes', 'application/json'), '/slow': op('Slow answer', 'application/json') },
  });
}

describe('request panel (UI)', function () {
  let wb: Workbench | undefined;
  let box: RunningSandbox | undefined;
  let hostile: Server | undefined;

  before(async function () {
    box = await startSandbox({ port: 0, rateLimit: false });
    hostile = createServer((req, res) => {
      if (req.url === '/html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HOSTILE_HTML);
      else if (req.url === '/big') res.writeHead(200, { 'content-type': 'application/json' }).end(BIG_JSON);
      else if (req.url === '/slow') setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"late":true}'), 20_000).unref();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(HOSTILE_JSON);
    });
    await new Promise<void>((r) => hostile?.listen(0, '127.0.0.1', r));
    const hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    wb = await Workbench.open({
      label: 'panel',
      settings: {
        'telenor.sandbox.url': box.url,
        'telenor.environment': 'sandbox',
        'workbench.colorTheme': 'Default Dark Modern',
        'security.workspace.trust.enabled': false,
        // Show all of the 5 MB body (the default display cap is 2 MB).
        'telenor.request.maxDisplayBytes': 8 * 1024 * 1024,
      },
      workspaceFiles: { 'hostile.openapi.json': hostileSpec(hostileUrl) },
    });
  });

  screenshotOnFailure(() => wb);

  after(async function () {
    await wb?.close();
    await box?.close();
    await new Promise<void>((r) => (hostile ? hostile.close(() => r()) : r()));
  });

  const view = (): FrameLocator => {
    assert.ok(wb);
    return wb.webview();
  };

  /** Expands an API and its tag in the tree and clicks the operation (its accessible name starts with the method and path). */
  async function openFromTree(apiTitle: string, tag: string | RegExp, operation: RegExp): Promise<void> {
    assert.ok(wb);
    await wb.openViewContainer('Telenor APIs');
    const api = wb.treeItems(apiTitle).first();
    await api.waitFor({ timeout: 60_000 });
    if ((await api.getAttribute('aria-expanded')) !== 'true') await api.click();
    const tagItem = wb.treeItems(tag).first();
    await tagItem.waitFor({ timeout: 30_000 });
    if ((await tagItem.getAttribute('aria-expanded')) !== 'true') await tagItem.click();
    const op = wb.treeItems(operation).first();
    await op.waitFor({ timeout: 30_000 });
    await op.click();
    await view().locator('#send').waitFor({ timeout: 60_000 });
  }

  it('opens an operation from the tree, fills a parameter, sends, and shows the 200 and the token countdown', async function () {
    assert.ok(wb);
    await wb.runCommand('Telenor: Use Sandbox Demo Credentials');
    // The credentials feature confirms with a notification; its toast may be gone before we look.
    await wb.notification(/Stored the sandbox demo credentials/, 15_000).catch(() => undefined);
    await openFromTree('Telenor Stores API', /^Stores\b/, /^GET \/stores\/\{storeId\}/);
    const v = view();
    await v.getByText('GET', { exact: true }).first().waitFor();
    assert.match((await v.locator('.op-title').innerText()).replace(/\s+/g, ' '), /GET \/stores\/\{storeId\}/);
    await v.locator('#server-row code').waitFor({ timeout: 30_000 });
    assert.match(await v.locator('#server-row').innerText(), new RegExp(`${box?.url ?? ''}/telenor-stores/v1`));
    await v.locator('#token-state').waitFor({ timeout: 30_000 });
    assert.match(await v.locator('#token-state').innerText(), /not signed in — it will sign in on Send/);

    // Send with the required field empty: nothing is sent, the field says why.
    await v.getByRole('button', { name: 'Send' }).click();
    await v.locator('.field-issue').getByText('storeId is required.').waitFor();
    assert.equal(await v.getByLabel(/storeId/).getAttribute('aria-invalid'), 'true');
    await wb.screenshot('required-missing');

    await v.getByLabel(/storeId/).fill('1001');
    await wb.screenshot('form-filled');
    await v.getByRole('button', { name: 'Send' }).click();
    const status = v.locator('#response-status .status');
    await status.waitFor({ timeout: 30_000 });
    assert.equal(await status.innerText(), '200 OK');
    assert.match(await v.locator('#response-status').getAttribute('aria-label') ?? '', /^Response 200 OK/);
    await v.locator('.body-view').getByText('"1001"').first().waitFor();
    await wb.page.waitForTimeout(1500);
    assert.match(await v.locator('#token-state').innerText(), /^· token expires in \d+:\d\d$/);
    await wb.screenshot('response-200-dark');

    await v.getByRole('tab', { name: /Headers/ }).click();
    await v.locator('.headers-table').getByRole('rowheader', { name: 'content-type', exact: true }).waitFor();
    await wb.screenshot('response-headers');
    await v.getByRole('tab', { name: 'Body' }).click();
  });

  it('Ctrl+Enter in the form sends exactly once; history fills the form back', async function () {
    assert.ok(wb);
    const v = view();
    await v.getByLabel(/storeId/).fill('1002');
    await v.getByLabel(/storeId/).press('Control+Enter');
    await v.locator('.body-view').getByText('"1002"').first().waitFor({ timeout: 30_000 });
    await v.getByText('History (2)').waitFor();
    await wb.page.waitForTimeout(1000);
    assert.equal(await v.getByText('History (2)').count(), 1, 'one send per key press');

    await v.getByText('History (2)').click();
    await wb.screenshot('history');
    await v.locator('.history-fill').nth(1).click();
    assert.equal(await v.getByLabel(/storeId/).inputValue(), '1001');
  });

  it('copies as curl (masked), and copying with secrets asks first', async function () {
    assert.ok(wb);
    const v = view();
    await v.getByRole('button', { name: 'Copy as curl' }).click();
    await v.locator('.notice').getByText(/Copied the curl command/).waitFor({ timeout: 20_000 });
    assert.match(await v.locator('.notice').innerText(), /\$TELENOR_TOKEN/);

    await v.getByRole('button', { name: 'Copy with secrets…' }).click();
    const dialog = wb.page.locator('.monaco-dialog-box');
    const refused = v.locator('.notice').getByText(/refused to show dialog in tests/);
    await Promise.race([dialog.waitFor({ timeout: 20_000 }), refused.waitFor({ timeout: 20_000 })]);
    if (await refused.count()) {
      // The unpackaged (--dev) workbench runs in smoke-test mode, which refuses modal dialogs outright:
      // nothing was copied, and the dialog itself can only be walked with the packaged extension.
      console.log('      (dev payload: modal dialogs are refused in test mode; the confirm dialog is walked in the packaged run)');
      this.skip();
    }
    assert.match(await dialog.innerText(), /Copy the curl command including secrets\?/);
    await wb.screenshot('copy-secrets-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await v.locator('.notice').getByText(/not confirmed/).waitFor({ timeout: 20_000 });
  });

  it('shows a hostile HTML body as text, never as markup', async function () {
    assert.ok(wb);
    await openFromTree('Hostile Echo API', /^hostile\b/, /^GET \/html/);
    const v = view();
    await v.getByRole('button', { name: 'Send' }).click();
    await v.locator('#response-status .status').waitFor({ timeout: 30_000 });
    await v.locator('.body-view').getByText(/<script>document\.title="pwned"<\/script>/).waitFor();
    assert.equal(await v.locator('#pwned').count(), 0, 'the response HTML did not become elements');
    assert.equal(await v.locator('.body-view script, .body-view img, .body-view h1').count(), 0);
    assert.notEqual(await v.locator('body').evaluate(() => document.title), 'pwned');
    await wb.screenshot('hostile-html');

    await openFromTree('Hostile Echo API', /^hostile\b/, /^GET \/json/);
    await view().getByRole('button', { name: 'Send' }).click();
    const body = view().locator('.body-view');
    await body.getByText('12345678901234567890').waitFor({ timeout: 30_000 });
    await body.getByText(/"<script>document\.title=\\"pwned\\"<\/script>"/).waitFor();
    assert.equal(await view().locator('.body-view script, .body-view img, .body-view b').count(), 0);
    await wb.screenshot('hostile-json');
  });

  it('Escape cancels a request that takes too long', async function () {
    assert.ok(wb);
    await openFromTree('Hostile Echo API', /^hostile\b/, /^GET \/slow/);
    const v = view();
    await v.getByRole('button', { name: 'Send' }).click();
    await v.getByText('Sending…').waitFor();
    assert.equal(await v.locator('#cancel').isEnabled(), true, 'Cancel is enabled while sending');
    assert.equal(await v.locator('#send').isEnabled(), false, 'Send is disabled while sending');
    await wb.screenshot('sending');
    await v.locator('#cancel').focus();
    await wb.page.keyboard.press('Escape');
    await v.getByText(/^Cancelled\./).waitFor({ timeout: 10_000 });
    assert.equal(await v.locator('#cancel').isEnabled(), false, 'Cancel is disabled again');
  });

  it('pre-fills a JSON body from the spec and points at a syntax error before sending', async function () {
    assert.ok(wb);
    await openFromTree('Partner Orders API', /^Orders\b/, /^POST \/orders/);
    const v = view();
    const body = v.getByRole('textbox', { name: 'Request body' });
    await body.waitFor();
    assert.match(await body.inputValue(), /"productId": "MOB-5G-20"/);
    await body.fill('{\n  "productId": "MOB-5G-20",\n  "msisdn": 4791512345,\n}');
    await v.getByRole('button', { name: 'Send' }).click();
    const issue = v.locator('.body-group .field-issue');
    await issue.waitFor();
    assert.match(await issue.innerText(), /line 3, column 23\): a trailing comma before '}'/);
    assert.equal(await body.getAttribute('aria-invalid'), 'true');
    assert.match(await v.locator('#response-status').innerText(), /^Not sent/);
    await wb.screenshot('body-json-error');
  });

  it('renders a 5 MB JSON body virtualised, and stays responsive', async function () {
    assert.ok(wb);
    assert.ok(BIG_JSON.length > 5_000_000, `${BIG_JSON.length} bytes`);
    await openFromTree('Hostile Echo API', /^hostile\b/, /^GET \/big/);
    const v = view();
    const t0 = Date.now();
    await v.getByRole('button', { name: 'Send' }).click();
    await v.locator('#response-status .status').waitFor({ timeout: 60_000 });
    console.log(`      5 MB: status after ${Date.now() - t0} ms`);
    await v.locator('.body-view.virtual .body-line').first().waitFor({ timeout: 60_000 });
    const shownMs = Date.now() - t0;
    console.log(`      5 MB: send → first lines on screen in ${shownMs} ms`);
    assert.match(await v.locator('#response-status').innerText(), /200 OK · .* · 5\.\d MB/);
    const rendered = await v.locator('.body-line').count();
    assert.ok(rendered > 10 && rendered < 500, `only the lines in view are in the DOM (${rendered})`);
    // Jump to the end: the last row is rendered, still only a window of lines exists.
    await v.locator('.body-view').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await v.locator('.body-view').getByText('"last-row"').waitFor({ timeout: 10_000 });
    assert.ok((await v.locator('.body-line').count()) < 500);
    // Responsive: the page answers at once, and typing into the form still works.
    const t1 = Date.now();
    await v.locator('body').evaluate(() => document.querySelectorAll('.body-line').length);
    assert.ok(Date.now() - t1 < 1000, `the webview took ${Date.now() - t1} ms to answer`);
    assert.ok(shownMs < 20_000, `took ${shownMs} ms`);
    await wb.screenshot('big-json-end');
  });

  it('comes back after a reload with its input (serializer)', async function () {
    assert.ok(wb);
    await openFromTree('Telenor Stores API', /^Stores\b/, /^GET \/stores\/\{storeId\}/);
    await view().getByLabel(/storeId/).fill('1003');
    await wb.page.waitForTimeout(800);
    // As a person reloads: the workbench saves its editors (and each webview's state) before it goes.
    await wb.runCommand('Developer: Reload Window');
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await view().locator('#send').waitFor({ timeout: 90_000 });
    assert.equal(await view().getByLabel(/storeId/).inputValue(), '1003');
    await wb.screenshot('restored');
  });

  it('Clear Request History from the palette asks whose history, and clears it', async function () {
    assert.ok(wb);
    const v = view();
    await v.getByText(/^History \([1-9]\d*\)$/).waitFor({ timeout: 10_000 });
    await wb.runCommand('Telenor: Clear Request History');
    const row = wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'This operation' }).first();
    await row.waitFor();
    await wb.screenshot('clear-history-pick');
    await row.click();
    await v.getByText('History (0)').waitFor({ timeout: 10_000 });
  });

  it('reads well in the light and high-contrast themes', async function () {
    assert.ok(wb);
    await wb.runCommand('Preferences: Toggle between Light/Dark Themes');
    await wb.page.waitForTimeout(1500);
    const v = view();
    await v.getByRole('button', { name: 'Send' }).click();
    await v.locator('#response-status .status').waitFor({ timeout: 30_000 });
    assert.ok(await v.locator('body.vscode-light').count(), 'the webview follows the light theme');
    await wb.screenshot('response-200-light');

    await wb.runCommand('Preferences: Color Theme');
    await wb.page.locator('.quick-input-widget input').fill('Dark High Contrast');
    await wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: /^Dark High Contrast/ }).first().click();
    await v.locator('body.vscode-high-contrast').waitFor({ timeout: 15_000 });
    await wb.screenshot('response-200-high-contrast');
  });
});
