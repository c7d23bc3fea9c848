/**
 * Webview hardening (issue 5, item 2), in-host: the request panel's real HTML as VS Code received it (its
 * CSP: `default-src 'none'`, a script nonce from crypto that differs per panel and per reload, nothing
 * unsafe), the webview options (scripts only, resources from dist/webview only, no command links), the
 * restored-but-unavailable page (no scripts at all), and the built browser bundle (no eval, no
 * `new Function`, no inline event handlers, no `javascript:` URLs, HTML parsed from strings only where Lit
 * builds its own static templates).
 *
 * The hostile-message and hostile-body halves run in Chromium: test/ui/hardening.ui.ts.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ApiIndex, OperationInfo } from '../../src/core/spec/types';
import type { Services } from '../../src/extension/services';
import { PANEL_VIEW_TYPE } from '../../src/protocol';
import type { RunningSandbox } from '../../src/sandbox/index';
import { eventually, sandbox, services, useSandbox } from './helpers';

function findOp(api: ApiIndex, method: string, path: string): OperationInfo {
  const op = Object.values(api.operations).find((o) => o.method === method && o.path === path);
  assert.ok(op, `${api.title} has ${method.toUpperCase()} ${path}`);
  return op;
}

/** The CSP of the panel's HTML, as directive → sources. */
function cspOf(html: string): Map<string, string[]> {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta?.[1], 'the panel HTML carries a CSP meta tag');
  const text = meta[1].replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const out = new Map<string, string[]>();
  for (const part of text.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name, sources);
  }
  return out;
}

function nonceOf(html: string): string {
  const csp = cspOf(html);
  const script = csp.get('script-src') ?? [];
  const m = /^'nonce-([^']+)'$/.exec(script[0] ?? '');
  assert.ok(m?.[1], `script-src is a nonce: ${script.join(' ')}`);
  return m[1];
}

describe('webview hardening (in-host)', function () {
  this.timeout(90_000);
  let s: Services;
  let box: RunningSandbox;
  let stores: ApiIndex;

  before(async () => {
    s = await services();
    box = await sandbox();
    await useSandbox(box.url);
    await s.specs.whenSettled();
    const api = s.specs.apis().find((a) => a.title === 'Telenor Stores API');
    assert.ok(api, 'the built-in Telenor Stores API is loaded');
    stores = api;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await box?.close();
  });

  async function openHtml(path: string): Promise<{ html: string; cspSource: string; options: vscode.WebviewOptions; close: () => void }> {
    const panel = await s.panels.openPanel({ apiId: stores.id, operationId: findOp(stores, 'get', path).id });
    const { webview } = panel.panel;
    return { html: webview.html, cspSource: webview.cspSource, options: webview.options, close: () => panel.panel.dispose() };
  }

  it('the panel’s real HTML: default-src none, a script nonce and nothing unsafe', async () => {
    const { html, cspSource, close } = await openHtml('/stores/{storeId}');
    try {
      const csp = cspOf(html);
      assert.deepEqual(csp.get('default-src'), ["'none'"]);
      const text = [...csp].map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
      for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'wasm-unsafe-eval'", "'strict-dynamic'", '*', 'http:', 'https:']) {
        assert.ok(![...csp.values()].some((v) => v.includes(unsafe)), `no ${unsafe} in: ${text}`);
      }
      assert.equal(csp.get('script-src')?.length, 1, `scripts only by nonce: ${text}`);
      // Styles, fonts and images only from the webview's own resource origin (plus data: images).
      const own = cspSource.split(/\s+/).filter(Boolean);
      for (const directive of ['style-src', 'font-src', 'img-src']) {
        for (const source of csp.get(directive) ?? []) assert.ok(own.includes(source) || (directive === 'img-src' && source === 'data:'), `${directive} ${source}`);
      }
      assert.ok(!csp.has('connect-src') && !csp.has('frame-src') && !csp.has('child-src'), `no network or frame sources: ${text}`);
      const nonce = nonceOf(html);
      // 18 random bytes in base64: 24 characters, 144 bits.
      assert.ok(Buffer.from(nonce, 'base64').length >= 16, `nonce of ${nonce.length} characters`);
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '');
      assert.equal(scripts.length, 1, 'one script tag');
      assert.match(scripts[0] ?? '', new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`), 'it carries the nonce');
      assert.match(scripts[0] ?? '', /src="[^"]+\/dist\/webview\/panel\.js"/, 'from dist/webview');
      assert.doesNotMatch(html, /<script\b[^>]*>[^<\s]/, 'no inline script body');
      assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler attribute');
      assert.doesNotMatch(html, /javascript:/i);
    } finally {
      close();
    }
  });

  it('a fresh nonce for every panel and every reopening (24 panels: all different, characters spread over base64)', async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 12; i++) {
      for (const path of ['/stores/{storeId}', '/stores']) {
        const panel = await s.panels.openPanel({ apiId: stores.id, operationId: findOp(stores, 'get', path).id });
        nonces.push(nonceOf(panel.panel.webview.html));
        // Closed once it has loaded, as a person would: closing a webview still being created only stresses VS Code.
        await eventually('the panel to load', () => panel.isReady, 15_000);
        panel.panel.dispose();
      }
    }
    assert.equal(new Set(nonces).size, nonces.length, 'no nonce repeats');
    const chars = new Set(nonces.join(''));
    // 24 × 24 characters drawn from 64: a crypto source covers nearly all of them; a counter or a clock does not.
    assert.ok(chars.size >= 55, `${chars.size} distinct characters of 64`);
    const bits = Buffer.concat(nonces.map((n) => Buffer.from(n, 'base64')));
    let ones = 0;
    for (const byte of bits) for (let b = 0; b < 8; b++) ones += (byte >> b) & 1;
    const share = ones / (bits.length * 8);
    console.log(`      ${nonces.length} nonces, ${new Set(nonces).size} different, ${chars.size} of 64 base64 characters used, ${(share * 100).toFixed(1)} % of the bits set`);
    assert.ok(share > 0.45 && share < 0.55, `ones make ${(share * 100).toFixed(1)} % of the bits`);
  });

  it('webview options: scripts on, command links off, resources from dist/webview only', async () => {
    const { options, close } = await openHtml('/stores/{storeId}');
    try {
      assert.equal(options.enableScripts, true);
      assert.notEqual(options.enableCommandUris, true, 'no command: links');
      const roots = (options.localResourceRoots ?? []).map((u) => u.path);
      assert.deepEqual(roots, [vscode.Uri.joinPath(s.context.extensionUri, 'dist', 'webview').path]);
    } finally {
      close();
    }
  });

  it('a restored panel whose operation is gone runs no script at all', async () => {
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'restored', vscode.ViewColumn.Active, { enableScripts: true });
    try {
      const restore = s.panels.restore(panel, { apiId: stores.id, operationId: 'no-such-operation', form: { path: {}, query: {}, headers: {}, cookies: {}, body: '', mediaType: '' } });
      // It waits up to 30 s for the operation to appear; the HTML is what matters.
      await Promise.race([restore, new Promise((r) => setTimeout(r, 32_000))]);
      assert.equal(panel.webview.options.enableScripts, false);
      assert.deepEqual(panel.webview.options.localResourceRoots, []);
      assert.doesNotMatch(panel.webview.html, /<script/i);
      assert.match(cspOf(panel.webview.html).get('default-src')?.join(' ') ?? '', /'none'/);
    } finally {
      panel.dispose();
    }
  });

  it('the built webview bundle: no eval, no new Function, no inline handlers, no javascript: URLs', () => {
    const root = process.env['TAE_REPO_ROOT'];
    assert.ok(root, 'TAE_REPO_ROOT is set');
    const js = readFileSync(join(root, 'dist', 'webview', 'panel.js'), 'utf8');
    const css = readFileSync(join(root, 'dist', 'webview', 'panel.css'), 'utf8');
    assert.ok(js.length > 10_000, 'the bundle was built');
    const found = (re: RegExp): string[] => [...js.matchAll(re)].map((m) => js.slice(Math.max(0, m.index - 100), m.index + 60).replace(/\s+/g, ' '));
    assert.deepEqual(found(/(?<![\w$.])eval\s*\(/g), [], 'eval(');
    assert.deepEqual(found(/\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*["'`]/g), [], 'new Function');
    assert.deepEqual(found(/set(Timeout|Interval)\s*\(\s*["'`]/g), [], 'string timers');
    assert.deepEqual(found(/<[a-z][^>]*\son[a-z]+\s*=/gi), [], 'inline event handlers in markup strings');
    assert.deepEqual(found(/setAttribute\(\s*["'`]on[a-z]+/gi), [], 'event handlers set as attributes');
    assert.deepEqual(found(/javascript:/gi), [], 'javascript: URLs');
    assert.deepEqual(found(/insertAdjacentHTML|document\.write|outerHTML\s*=/g), [], 'HTML from strings');
    // Lit (inside @vscode-elements) builds its components' own static templates with a <template>'s innerHTML;
    // that is the only HTML parsed from a string. Anything more would be a way for data to become markup.
    const innerHtml = found(/\.innerHTML\s*=/g);
    assert.equal(innerHtml.length, 1, `innerHTML writes: ${innerHtml.join(' | ')}`);
    assert.match(innerHtml[0] ?? '', /createElement\("template"\)/, 'the one innerHTML is Lit’s template element');
    assert.doesNotMatch(css, /url\(\s*["']?(https?:|\/\/)/i, 'the stylesheet loads nothing remote');
    assert.doesNotMatch(css, /expression\(|javascript:/i);
  });
});
