/**
 * Rendering helpers of the request panel, in plain Node: the lossless JSON re-indenter and tokenizer, the
 * highlighter building text nodes (a hostile body stays text), the HTML shell's CSP, and response views.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { SendResult } from '../../src/core/http/types';
import { Redactor } from '../../src/core/util/redact';
import { contentSecurityPolicy, panelHtml } from '../../src/extension/panel/html';
import { bodyKind, errorView, forWire, languageFor, prettyBody, responseView, utf8Prefix } from '../../src/extension/panel/response';
import { TelenorError } from '../../src/core/errors';
import { tokenizeJsonLine } from '../../src/webview/jsonTokens';
import { reformatJson } from '../helpers/reformatJson';

const root = join(__dirname, '..', '..', '..');

/** Just enough of `document` for the highlighter; records every element made and refuses markup parsing. */
class FakeNode {
  readonly children: FakeNode[] = [];
  className = '';
  id = '';
  private text = '';
  constructor(
    readonly tag: string,
    readonly log: string[],
  ) {}
  set textContent(v: string) {
    this.text = v;
  }
  get textContent(): string {
    return this.tag === '#text' ? this.text : this.text + this.children.map((c) => c.textContent).join('');
  }
  set innerHTML(_v: string) {
    throw new Error('innerHTML used');
  }
  setAttribute(): void {}
  addEventListener(): void {}
  appendChild(n: FakeNode): FakeNode {
    this.children.push(n);
    return n;
  }
}

function withFakeDocument<T>(fn: (made: string[]) => T): T {
  const made: string[] = [];
  const g = globalThis as { document?: unknown };
  const before = g.document;
  g.document = {
    createElement: (tag: string) => {
      made.push(tag);
      return new FakeNode(tag, made);
    },
    createTextNode: (text: string) => {
      const n = new FakeNode('#text', made);
      n.textContent = text;
      return n;
    },
  };
  try {
    return fn(made);
  } finally {
    g.document = before;
  }
}

function result(partial: Partial<SendResult>): SendResult {
  return {
    request: { method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} },
    status: 200,
    statusText: 'OK',
    headers: [],
    body: '',
    bodyBytes: 0,
    truncated: false,
    timings: { headersMs: 1, totalMs: 2.4 },
    retriedAfter401: false,
    ...partial,
  };
}

describe('request panel rendering', () => {
  describe('reformatJson', () => {
    it('indents by structure and keeps every token exactly (big numbers, duplicate keys, escapes)', () => {
      const text = '{"id":12345678901234567890,"a":"x\\"y","a":[1,{"b":null}],"e":{},"l":[]}';
      assert.equal(
        reformatJson(text),
        ['{', '  "id": 12345678901234567890,', '  "a": "x\\"y",', '  "a": [', '    1,', '    {', '      "b": null', '    }', '  ],', '  "e": {},', '  "l": []', '}'].join('\n'),
      );
    });

    it('handles a body cut in the middle (truncated at the display cap)', () => {
      assert.equal(reformatJson('{"a":[1,2,{"b":"unterminat'), '{\n  "a": [\n    1,\n    2,\n    {\n      "b": "unterminat');
    });

    it('is the same as JSON.stringify(…, 2) for ordinary JSON, and loses no non-space character', () => {
      fc.assert(
        fc.property(fc.json(), (json) => {
          const out = reformatJson(json);
          assert.equal(out, JSON.stringify(JSON.parse(json), null, 2));
        }),
        { numRuns: 300 },
      );
    });

    it('re-indents 5 MB of JSON in one linear pass (well under 3 s even on a busy machine)', () => {
      const rows = Array.from({ length: 55_000 }, (_, i) => ({ id: i, name: `subscriber ${i}`, active: i % 2 === 0, tags: ['a', 'b'], price: i / 7 }));
      const text = JSON.stringify({ rows });
      assert.ok(text.length > 4_000_000, `only ${text.length} chars`);
      const t0 = performance.now();
      const out = reformatJson(text);
      const ms = performance.now() - t0;
      assert.ok(out.length > text.length);
      // Typically ~150 ms; the bound only catches a quadratic slip (which would take minutes).
      assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
    });
  });

  describe('tokenizeJsonLine', () => {
    it('tells keys from string values, numbers, literals and punctuation', () => {
      assert.deepEqual(tokenizeJsonLine('  "name": "Kari", "n": -1.5e3, "ok": true, "x": null'), [
        { kind: 'space', text: '  ' },
        { kind: 'key', text: '"name"' },
        { kind: 'punct', text: ':' },
        { kind: 'space', text: ' ' },
        { kind: 'string', text: '"Kari"' },
        { kind: 'punct', text: ',' },
        { kind: 'space', text: ' ' },
        { kind: 'key', text: '"n"' },
        { kind: 'punct', text: ':' },
        { kind: 'space', text: ' ' },
        { kind: 'number', text: '-1.5e3' },
        { kind: 'punct', text: ',' },
        { kind: 'space', text: ' ' },
        { kind: 'key', text: '"ok"' },
        { kind: 'punct', text: ':' },
        { kind: 'space', text: ' ' },
        { kind: 'literal', text: 'true' },
        { kind: 'punct', text: ',' },
        { kind: 'space', text: ' ' },
        { kind: 'key', text: '"x"' },
        { kind: 'punct', text: ':' },
        { kind: 'space', text: ' ' },
        { kind: 'literal', text: 'null' },
      ]);
    });

    it('gives the line back exactly when its tokens are joined, for any text', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), (line) => {
          const clean = line.replace(/\n/g, '');
          assert.equal(tokenizeJsonLine(clean).map((t) => t.text).join(''), clean);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('the highlighter escapes: a hostile body renders as text', () => {
    it('puts <script> and HTML from a JSON body into text, creating only spans', async () => {
      const { renderLine } = await import('../../src/webview/bodyView');
      const line = '  "html": "<img src=x onerror=alert(1)><script>alert(2)</script>", "<b>key</b>": 1';
      withFakeDocument((made) => {
        const container = (document as unknown as { createElement(t: string): FakeNode }).createElement('div');
        made.length = 0;
        renderLine(line, true, container as unknown as Node);
        assert.deepEqual([...new Set(made)], ['span'], `elements made: ${made.join(',')}`);
        assert.equal(container.textContent, line);
      });
    });

    it('plain text bodies become one text node', async () => {
      const { renderLine } = await import('../../src/webview/bodyView');
      withFakeDocument((made) => {
        const container = (document as unknown as { createElement(t: string): FakeNode }).createElement('pre');
        made.length = 0;
        renderLine('<html><body onload="x()">hi</body></html>', false, container as unknown as Node);
        assert.deepEqual(made, []);
        assert.equal(container.children[0]?.tag, '#text');
      });
    });

    it('no webview source parses markup (innerHTML, outerHTML, insertAdjacentHTML, document.write)', () => {
      const dir = join(root, 'src', 'webview');
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
        const code = readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        assert.doesNotMatch(code, /\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|new DOMParser/, f);
      }
    });
  });

  describe('HTML shell', () => {
    it('has a strict CSP: nonce-only scripts, styles and fonts from the webview source, no unsafe-*', () => {
      const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'n0nce+/=');
      assert.equal(
        csp,
        "default-src 'none'; script-src 'nonce-n0nce+/='; style-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data:",
      );
      assert.doesNotMatch(csp, /unsafe/);
    });

    it('escapes the title and carries the nonce on its only script', () => {
      const html = panelHtml({ cspSource: 'vscode-webview:', nonce: 'abc', scriptUri: 'https://x/panel.js', styleUri: 'https://x/panel.css', title: 'GET /a?<b>&c — "API"' });
      assert.match(html, /<title>GET \/a\?&lt;b&gt;&amp;c — "API"<\/title>/);
      assert.equal(html.match(/<script/g)?.length, 1);
      assert.match(html, /<script nonce="abc" src="https:\/\/x\/panel.js"><\/script>/);
      assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
      assert.doesNotMatch(html, /style=/, 'no inline styles');
    });
  });

  describe('response views', () => {
    const redactor = new Redactor();

    it('classifies bodies: JSON by type or shape, binary by type or bytes', () => {
      assert.equal(bodyKind('application/json; charset=utf-8', '{}'), 'json');
      assert.equal(bodyKind('application/problem+json', '{}'), 'json');
      assert.equal(bodyKind(undefined, ' [1]'), 'json');
      assert.equal(bodyKind('text/html', '<p>'), 'text');
      assert.equal(bodyKind('image/png', '\uFFFDPNG'), 'binary');
      assert.equal(bodyKind('application/octet-stream', 'abc'), 'binary');
      assert.equal(bodyKind('text/plain', 'a\u0000b'), 'binary');
      assert.equal(bodyKind('image/svg+xml', '<svg/>'), 'text');
      assert.equal(bodyKind('application/json', ''), 'empty');
      assert.equal(languageFor('application/xml', 'text'), 'xml');
      assert.equal(languageFor('application/json', 'json'), 'json');
      assert.equal(languageFor('text/csv', 'text'), 'plaintext');
    });

    it('cuts the display copy at the cap without splitting a character, and says so', () => {
      const body = `"${'å'.repeat(3000)}"`;
      const view = responseView(result({ body, bodyBytes: Buffer.byteLength(body), contentType: 'application/json' }), { maxDisplayBytes: 1025, redactor });
      assert.equal(view.displayTruncated, true);
      assert.ok(Buffer.byteLength(view.body) <= 1025);
      assert.ok(!view.body.includes('\uFFFD'));
      assert.equal(utf8Prefix('abc', 10).cut, false);
    });

    it('masks registered secrets echoed in the body and credential headers', () => {
      const r = new Redactor();
      r.register('the-access-token-1234567890');
      const view = responseView(
        result({
          body: '{"echo":"the-access-token-1234567890"}',
          headers: [
            ['set-cookie', 'sid=abcdef; HttpOnly'],
            ['x-ok', 'fine'],
          ],
        }),
        { maxDisplayBytes: 1 << 20, redactor: r },
      );
      assert.ok(!view.body.includes('the-access-token-1234567890'));
      assert.deepEqual(view.headers[1], ['x-ok', 'fine']);
      assert.ok(!view.headers[0]?.[1].includes('abcdef'));
      assert.equal(view.durationMs, 2);
    });

    it('forWire posts a large body as UTF-8 bytes and a small one as text', () => {
      const small = responseView(result({ body: '{"a":"å"}' }), { maxDisplayBytes: 1 << 20, redactor });
      const smallOutcome = { ok: true as const, response: small };
      assert.equal(forWire(smallOutcome), smallOutcome, 'small bodies go as they are');
      const bigText = `{"a":"${'å'.repeat(100_000)}"}`;
      const big = responseView(result({ body: bigText }), { maxDisplayBytes: 1 << 20, redactor });
      const wire = forWire({ ok: true, response: big });
      assert.ok(wire.ok);
      if (wire.ok) {
        assert.equal(wire.response.body, '');
        assert.ok(wire.response.bodyUtf8 instanceof Uint8Array);
        assert.equal(new TextDecoder().decode(wire.response.bodyUtf8), bigText);
      }
      const error = { ok: false as const, error: { kind: 'network', message: 'm', hint: 'h', actions: [] } };
      assert.equal(forWire(error), error);
    });

    it('prettyBody pretty-prints valid JSON for the editor and leaves the rest', () => {
      assert.equal(prettyBody('{"a":1}', 'json'), '{\n  "a": 1\n}');
      assert.equal(prettyBody('{"a":', 'json'), '{"a":');
    });

    it('errorView says what to do and offers the button that helps', () => {
      const missing = errorView(new TelenorError('credentials-missing', 'No client credentials for Sandbox.', { hint: 'Set them.' }), redactor);
      assert.deepEqual(missing, { kind: 'credentials-missing', message: 'No client credentials for Sandbox.', hint: 'Set them.', actions: ['setCredentials'] });
      const network = errorView(new TelenorError('network', 'Connection refused by 127.0.0.1:9.', { hint: 'Check.' }), redactor);
      assert.deepEqual(network.actions, ['retry', 'fixServer', 'showLog']);
      const server = errorView(new TelenorError('input', 'No base URL.', { hint: 'Set telenor.environments.' }), redactor, ['fixServer']);
      assert.deepEqual(server.actions, ['fixServer', 'showLog']);
      const bug = errorView(new Error('boom'), redactor);
      assert.equal(bug.kind, 'internal');
      const r = new Redactor();
      r.register('super-secret-value-99');
      assert.ok(!JSON.stringify(errorView(new TelenorError('token-endpoint', 'Bad client super-secret-value-99'), r)).includes('super-secret-value-99'));
    });
  });
});
