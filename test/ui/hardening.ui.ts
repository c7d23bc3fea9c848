/**
 * Webview hardening (issue 5, item 2) in Chromium: what a hostile server or a compromised webview page can
 * do to the request panel.
 *
 * - Malicious response bodies (HTML with <script>, <img onerror>, `javascript:` links, inline SVG with
 *   script; an SVG document; JSON whose keys and values are markup; a header whose value is markup) are
 *   shown as text: no element of theirs exists in the panel's DOM, no dialog opens, no console marker
 *   prints.
 * - Malformed and hostile messages posted from inside the webview, the way VS Code's own shim posts them
 *   (`acquireVsCodeApi` can be taken once and the page already did, so the test calls the host frame's
 *   `__vscode_post_message__`, which is what that API calls): the host rejects each one, logs it once
 *   without echoing its values, and does nothing — no request reaches a server, the clipboard and the
 *   open editors stay as they were — and the panel still sends afterwards.
 * - The browser reports no Content Security Policy violation for the panel.
 *
 * The CSP itself, the nonce and the bundle scan: test/vscode/hardening.test.ts.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { Frame } from 'playwright-core';

import { startSandbox, type RunningSandbox } from '../../src/sandbox/index';
import { openFromTree, sendAndWait } from '../harness/steps';
import { Workbench, screenshotOnFailure } from '../harness/ui';

const FIRED = 'XSS-FIRED';
const HOSTILE_HTML = [
  `<script>console.log('${FIRED}-script');alert(1)</script>`,
  `<img src=x onerror="console.log('${FIRED}-img')">`,
  `<a id="evil-link" href="javascript:console.log('${FIRED}-link')">click me</a>`,
  `<svg onload="console.log('${FIRED}-svg')"><script>console.log('${FIRED}-svg-script')</script></svg>`,
  `<iframe src="javascript:alert(2)"></iframe>`,
  `<style>body{background:red}</style>`,
].join('\n');
const HOSTILE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" onload="console.log('${FIRED}-svgdoc')"><script>console.log('${FIRED}-svgdoc-script')</script><a href="javascript:alert(3)"><text y="20">x</text></a></svg>`;
const HOSTILE_JSON = JSON.stringify({
  html: HOSTILE_HTML,
  link: `javascript:console.log('${FIRED}-json-link')`,
  [`<img src=x onerror="console.log('${FIRED}-key')">`]: 1,
});
const HOSTILE_HEADER = `<img src=x onerror="console.log('${FIRED}-header')">`;

function hostileSpec(url: string): string {
  const op = (summary: string, type: string): unknown => ({
    get: { summary, tags: ['hostile'], responses: { '200': { description: 'what the server sends', content: { [type]: {} } } } },
  });
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Hostile Body API', version: '1.0.0' },
    servers: [{ url }],
    paths: { '/html': op('Hostile HTML', 'text/html'), '/svg': op('Hostile SVG', 'image/svg+xml'), '/json': op('Hostile JSON', 'application/json') },
  });
}

/** Every file called `name` under `dir`. */
function find(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...find(p, name));
    else if (e.name === name) out.push(p);
  }
  return out;
}

describe('webview hardening (UI)', function () {
  this.timeout(240_000);
  let wb: Workbench | undefined;
  let box: RunningSandbox | undefined;
  let hostile: Server | undefined;
  let sandboxRequests = 0;
  let hostileRequests = 0;
  const fired: string[] = [];
  const dialogs: string[] = [];
  const csp: string[] = [];

  before(async function () {
    box = await startSandbox({ port: 0, rateLimit: false, logger: () => sandboxRequests++ });
    hostile = createServer((req, res) => {
      hostileRequests++;
      const headers = { 'x-evil': HOSTILE_HEADER };
      if (req.url === '/html') res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' }).end(HOSTILE_HTML);
      else if (req.url === '/svg') res.writeHead(200, { ...headers, 'content-type': 'image/svg+xml' }).end(HOSTILE_SVG);
      else res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(HOSTILE_JSON);
    });
    await new Promise<void>((r) => hostile?.listen(0, '127.0.0.1', r));
    wb = await Workbench.open({
      label: 'hardening',
      settings: { 'telenor.sandbox.url': box.url, 'telenor.environment': 'sandbox', 'security.workspace.trust.enabled': false },
      workspaceFiles: { 'hostile.openapi.json': hostileSpec(`http://127.0.0.1:${(hostile.address() as AddressInfo).port}`) },
    });
    await wb.session.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: wb.session.server.url });
    wb.page.on('console', (m) => {
      if (m.text().includes(FIRED)) fired.push(m.text());
      if (/Content Security Policy|Refused to (execute|load|apply|frame)/i.test(m.text())) csp.push(`${m.location().url.slice(0, 120)} ${m.text().slice(0, 300)}`);
    });
    wb.page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss().catch(() => undefined);
    });
  });

  screenshotOnFailure(() => wb);

  after(async function () {
    await wb?.close();
    await box?.close();
    await new Promise<void>((r) => (hostile ? hostile.close(() => r()) : r()));
  });

  /** The panel's own document (the frame holding #app) and VS Code's host frame around it. */
  async function panelFrames(): Promise<{ host: Frame; inner: Frame }> {
    assert.ok(wb);
    for (const host of wb.page.frames()) {
      for (const inner of host.childFrames()) {
        const el = await inner.frameElement().catch(() => undefined);
        if ((await el?.getAttribute('id')) !== 'active-frame') continue;
        if ((await inner.locator('#app #send').count()) > 0 && (await host.locator('iframe#active-frame').isVisible().catch(() => false))) return { host, inner };
      }
    }
    throw new Error('no request panel webview is showing');
  }

  /** Records the browser's CSP violation events inside the panel from now on. */
  async function watchCsp(inner: Frame): Promise<void> {
    await inner.evaluate(() => {
      const w = window as unknown as { __cspSeen?: string[] };
      if (w.__cspSeen) return;
      w.__cspSeen = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__cspSeen?.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
  }

  async function cspSeen(inner: Frame): Promise<string[]> {
    return inner.evaluate(() => (window as unknown as { __cspSeen?: string[] }).__cspSeen ?? []);
  }

  it('hostile response bodies and headers are shown as text; no script runs', async function () {
    assert.ok(wb);
    for (const [path, needle] of [
      ['/html', `console.log('${FIRED}-script')`],
      ['/svg', `${FIRED}-svgdoc-script`],
      ['/json', `${FIRED}-json-link`],
    ] as const) {
      const v = await openFromTree(wb, 'Hostile Body API', /^hostile\b/, new RegExp(`^GET ${path.replace('/', '\\/')}`));
      const { inner } = await panelFrames();
      await watchCsp(inner);
      const outcome = await sendAndWait(v);
      assert.match(outcome, /^200 /, `${path}: ${outcome}`);
      const body = v.locator('.body-view');
      const asText = await body
        .getByText(needle, { exact: false })
        .first()
        .waitFor({ timeout: 15_000 })
        .then(
          () => true,
          () => false,
        );
      // Bodies the panel does not show as text (an SVG taken as binary) are not rendered at all: also fine.
      console.log(`      ${path}: ${asText ? 'the markup is shown as text' : 'not shown (binary)'}`);
      assert.ok(asText || path === '/svg', `${path}: the body is shown as text`);
      await wb.screenshot(`hostile-${path.slice(1)}-body`);
      const injected = await inner.evaluate(
        () =>
          document.querySelectorAll('#app script, #app img, #app svg:not(vscode-button svg), #app iframe, #app style, #app object, #app embed, a[href^="javascript:" i], #evil-link, [onerror], [onload], [onclick]').length,
      );
      assert.equal(injected, 0, `${path}: no element from the response exists in the panel`);
      await v.getByRole('tab', { name: /Headers/ }).click();
      await v.locator('.headers-table').getByText(HOSTILE_HEADER, { exact: true }).waitFor({ timeout: 10_000 });
      assert.equal(await inner.evaluate(() => document.querySelectorAll('.headers-table img').length), 0);
      await wb.screenshot(`hostile-${path.slice(1)}-headers`);
      await v.getByRole('tab', { name: 'Body' }).click();
      await wb.page.waitForTimeout(1_000);
      assert.deepEqual(await cspSeen(inner), [], `${path}: no CSP violation inside the panel`);
    }
    assert.ok(hostileRequests >= 3, 'the hostile server was asked');
    assert.deepEqual(fired, [], 'no script from a response ran');
    assert.deepEqual(dialogs, [], 'no dialog opened');
  });

  it('malformed and hostile messages from inside the webview are rejected, logged once each, and change nothing', async function () {
    assert.ok(wb && box);
    await wb.runCommand('Telenor: Use Sandbox Demo Credentials');
    const v = await openFromTree(wb, 'Telenor Stores API', /^Stores\b/, /^GET \/stores\/\{storeId\}/);
    await v.getByLabel(/storeId/).fill('1001');
    assert.match(await sendAndWait(v), /^200 /);
    const { host, inner } = await panelFrames();
    await watchCsp(inner);

    const logFile = (): string => {
      const files = find(join(wb?.session.profile.userDataDir ?? '', 'logs'), 'Telenor API Explorer.log');
      return files.map((f) => readFileSync(f, 'utf8')).join('\n');
    };
    const rejections = (): number => (logFile().match(/rejected a malformed message from the webview/g) ?? []).length;
    const MARKER = 'hostile-value-7f3e9a1c5b';
    const form = { path: { storeId: '1001' }, query: {}, headers: {}, cookies: {}, body: '', mediaType: '' };
    const messages: unknown[] = [
      null,
      42,
      'send',
      [],
      {},
      { type: 'nope' },
      { type: 'toString' },
      { type: '__proto__' },
      { type: 'send' },
      { type: 'send', requestId: 'w-901', form, extra: true },
      { type: 'send', requestId: '../../etc/passwd', form },
      { type: 'send', requestId: 'w-902', form: { ...form, path: { storeId: 1001 } } },
      { type: 'send', requestId: 'w-904', form: { ...form, query: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`q${i}`, 'v'])) } },
      { type: 'send', requestId: 'w-905', form: { ...form, mediaType: `${'x'.repeat(300)}${MARKER}` } },
      { type: 'copyCurl', requestId: 'w-906', form, withSecrets: 'true' },
      { type: 'copyCurl', requestId: 'w-907', form: { ...form, body: MARKER.repeat(2) }, withSecrets: 1 },
      { type: 'action', action: 'runCommand' },
      { type: 'action', action: '__proto__' },
      { type: 'action', action: MARKER },
      { type: 'openInEditor', extra: MARKER },
      { type: 'insertSnippet', form: { ...form, body: 'x'.repeat(17 * 1024 * 1024) } },
      { type: 'ready', requestId: 'w-908' },
      { type: 'clearHistory', all: true },
      { type: 'loadExample', requestId: 'w-909', mediaType: 7 },
    ];
    await wb.page.evaluate(() => navigator.clipboard.writeText('clipboard before the hostile messages'));
    const tabs = await wb.page.locator('.tabs-container .tab').count();
    const historyBefore = await v.getByText(/^History \(\d+\)$/).innerText();
    const before = { rejections: rejections(), sandbox: sandboxRequests };

    // One more, made inside the page: an own `__proto__` key (Playwright's argument transfer would turn it
    // into a prototype on the way in, which is not what a hostile page sends).
    const total = messages.length + 1;
    await host.evaluate(
      ({ list, base }) => {
        const post = (window as unknown as { __vscode_post_message__?: (command: string, data: unknown) => void }).__vscode_post_message__;
        if (!post) throw new Error('no __vscode_post_message__ in the webview host frame');
        const polluting = { type: 'send', requestId: 'w-903', form: { ...base, headers: JSON.parse('{"__proto__": {"polluted": "yes"}}') as unknown } };
        for (const message of [...list, polluting]) post('onmessage', { message, transfer: undefined });
      },
      { list: messages, base: form },
    );

    const deadline = Date.now() + 20_000;
    while (rejections() - before.rejections < total && Date.now() < deadline) await wb.page.waitForTimeout(250);
    await wb.page.waitForTimeout(1_500); // time for anything a message might have set off
    const logged = rejections() - before.rejections;
    console.log(`      ${total} hostile messages posted, ${logged} rejections logged`);
    assert.equal(logged, total, 'each hostile message is rejected and logged exactly once');
    assert.ok(!logFile().includes(MARKER), 'the log names what was wrong, never the values');
    assert.match(logFile(), /send\.form\.headers\.__proto__: expected a string/, 'an own __proto__ key is a plain (rejected) key');
    assert.equal(sandboxRequests, before.sandbox, 'no request reached the server');
    assert.equal(await wb.page.evaluate(() => navigator.clipboard.readText()), 'clipboard before the hostile messages', 'the clipboard is untouched');
    assert.equal(await wb.page.locator('.tabs-container .tab').count(), tabs, 'no editor opened');
    assert.equal(await v.getByText(/^History \(\d+\)$/).innerText(), historyBefore, 'the history is untouched');
    assert.equal(await v.getByLabel(/storeId/).inputValue(), '1001', 'the form is untouched');
    await wb.screenshot('after-hostile-messages');

    // The host is alive and the panel still works.
    await v.getByLabel(/storeId/).fill('1002');
    assert.match(await sendAndWait(v), /^200 /);
    assert.deepEqual(await cspSeen(inner), []);
  });

  it('the browser reported no Content Security Policy violation for the panel', function () {
    const ours = csp.filter((line) => /webview|vscode-cdn|vscode-resource|panel\.js|active-frame/i.test(line));
    console.log(`      CSP reports in the console: ${csp.length} in all, ${ours.length} from webviews`);
    for (const line of csp) console.log(`        ${line}`);
    assert.deepEqual(ours, []);
    assert.deepEqual(fired, []);
  });
});
