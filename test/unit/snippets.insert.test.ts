// The pure parts of "Insert snippet": language → target, the REST Client (.http) formatter, the values a
// snippet is built from (hovered URL, examples, placeholders), and the finishing of generated code.
import * as assert from 'node:assert/strict';
import { buildRequest } from '../../src/core/http/build';
import { generateSnippet, SNIPPET_TARGETS, toHar, toSnippetWithTabStops } from '../../src/core/snippets';
import type { ApiIndex, OperationInfo } from '../../src/core/spec/types';
import { authPlaceholders } from '../../src/extension/shared/authSummary';
import { planImports } from '../../src/extension/snippets/imports';
import { placeSnippet } from '../../src/extension/snippets/placement';
import { finishSnippet, snippetValues } from '../../src/extension/snippets/requestValues';
import { restClientSnippet } from '../../src/extension/snippets/restClient';
import { importsUndici, targetForDocument, targetFromArgument } from '../../src/extension/snippets/targets';
import { DYNAMIC_SEGMENT } from '../../src/extension/hover/urlToken';
import { builtinApis } from './builtinApis';

describe('snippets: language → target', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['typescript', 'app.ts', 'js-fetch'],
    ['typescriptreact', 'App.tsx', 'js-fetch'],
    ['javascript', 'app.js', 'js-fetch'],
    ['javascriptreact', 'App.jsx', 'js-fetch'],
    ['python', 'app.py', 'python-requests'],
    ['shellscript', 'call.sh', 'curl'],
    ['java', 'App.java', 'java-nethttp'],
    ['csharp', 'Program.cs', 'csharp-httpclient'],
    ['go', 'main.go', 'go'],
    ['http', 'calls.http', 'rest-client'],
    // No extension owns `http`: the file name decides.
    ['plaintext', 'calls.http', 'rest-client'],
    ['plaintext', 'calls.REST', 'rest-client'],
    ['markdown', 'README.md', undefined],
    ['plaintext', 'notes.txt', undefined],
  ];
  for (const [language, file, expected] of cases) {
    it(`${language} (${file}) → ${expected ?? 'ask'}`, () => {
      assert.equal(targetForDocument(language, `/w/${file}`, ''), expected);
    });
  }

  it('uses undici for JS/TS files that import it, in every import spelling', () => {
    for (const text of ["import { request } from 'undici';", 'const { fetch } = require("undici");', "const u = await import('undici');", "import type { Dispatcher } from 'undici/types/dispatcher';"]) {
      assert.ok(importsUndici(text), text);
      assert.equal(targetForDocument('typescript', '/w/a.ts', `${text}\n`), 'node-undici');
    }
    assert.ok(!importsUndici("// we used to use 'undici' here\nconst undiciLike = 1;"));
    // Python never becomes undici, whatever its text says.
    assert.equal(targetForDocument('python', '/w/a.py', "from 'undici'"), 'python-requests');
  });

  it('reads a language argument as a target id or a language id', () => {
    const ids = SNIPPET_TARGETS.map((t) => t.id);
    assert.equal(targetFromArgument('python-requests', ids), 'python-requests');
    assert.equal(targetFromArgument('rest-client', ids), 'rest-client');
    assert.equal(targetFromArgument('csharp', ids), 'csharp-httpclient');
    assert.equal(targetFromArgument('cobol', ids), undefined);
  });
});

describe('snippets: REST Client (.http) formatter', () => {
  it('writes an absolute request line, headers with {{variables}}, a $guid transaction id, and the body', () => {
    const prepared = buildRequest(
      {
        id: '#/x',
        method: 'post',
        path: '/b2b/corporate/auth/right/v2/hasPermission/corporate/',
        tags: [],
        deprecated: false,
        parameters: [{ name: 'service', in: 'query', required: true }],
        requestBody: { required: true, contents: [{ mediaType: 'application/json', hasExample: true }] },
        responses: [],
        security: [],
      },
      {
        serverUrl: 'https://se.example.com',
        path: {},
        query: { service: 'Mobile Subscriptions Administration API' },
        headers: {},
        body: '{"clientId":"c","userId":1234567,"password":"sandbox-jwt-password"}',
      },
    );
    const har = toHar(prepared, { maskSecrets: true, authHeaders: { Authorization: 'Bearer <access_token>', 'X-JWT': '<jwt>' } });
    const s = restClientSnippet(har, 'POST hasPermission');
    const lines = s.code.split('\n');
    assert.equal(lines[0], '### POST hasPermission');
    assert.equal(lines[1], 'POST https://se.example.com/b2b/corporate/auth/right/v2/hasPermission/corporate/?service=Mobile%20Subscriptions%20Administration%20API HTTP/1.1');
    assert.ok(lines.includes('Authorization: Bearer {{access_token}}'), s.code);
    assert.ok(lines.includes('X-JWT: {{jwt}}'), s.code);
    assert.ok(lines.includes('X-Transaction-Id: {{$guid}}'), s.code);
    // A blank line, then the body, pretty-printed, its password a variable.
    const blank = lines.indexOf('');
    assert.ok(blank > 1);
    assert.deepEqual(JSON.parse(lines.slice(blank + 1).join('\n')), { clientId: 'c', userId: 1234567, password: '{{password}}' });
    assert.ok(!s.code.includes('sandbox-jwt-password'));
    assert.deepEqual(s.placeholders.map((p) => p.text), ['{{access_token}}', '{{jwt}}', '{{password}}']);
    assert.ok(s.code.endsWith('\n'));
  });

  it('writes form bodies as name=value lines with secrets as variables', () => {
    const har = toHar(
      { method: 'POST', url: 'https://api.telenor.no/oauth/v2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&username=api7813371375&password=s3cret%26x' },
      { maskSecrets: true, authHeaders: { Authorization: 'Basic <basic_credentials>' } },
    );
    const s = restClientSnippet(har);
    assert.ok(s.code.startsWith('###\nPOST https://api.telenor.no/oauth/v2/token HTTP/1.1\n'), s.code);
    assert.ok(s.code.includes('\n\ngrant_type=password&username=api7813371375&password={{password}}\n'), s.code);
    assert.ok(s.code.includes('Authorization: Basic {{basic_credentials}}'));
    assert.ok(!s.code.includes('s3cret'));
  });
});

describe('snippets: values and finishing', function () {
  this.timeout(30_000);
  const apis = builtinApis();

  function op(title: string, path: string, method = 'get'): { api: ApiIndex; operation: OperationInfo } {
    const api = apis.get(title);
    assert.ok(api, title);
    const operation = Object.values(api.operations).find((o) => o.path === path && o.method === method);
    assert.ok(operation, `${method} ${path}`);
    return { api, operation };
  }

  it('takes path values from the hovered URL, drops run-time values, and keeps its query', () => {
    const { api, operation } = op('Mobile Subscription Info API', '/corporate-accounts/v2/accounts/{accountId}');
    const v = snippetValues({ serverUrl: 'https://api.telenor.no', operation, auth: authPlaceholders(api, operation), given: { path: { accountId: '48120099' }, query: { page: '2' } } });
    assert.deepEqual(v.values.path, { accountId: '48120099' });
    assert.deepEqual(v.values.query, { page: '2' });
    assert.deepEqual(v.sentinels, []);
    const dynamic = snippetValues({ serverUrl: 'https://api.telenor.no', operation, auth: authPlaceholders(api, operation), given: { path: { accountId: DYNAMIC_SEGMENT } } });
    // The spec's example stands in for a value the code computes at run time.
    assert.notEqual(dynamic.values.path['accountId'], DYNAMIC_SEGMENT);
    assert.ok(dynamic.values.path['accountId']);
  });

  it('turns a required value with no example into a named placeholder tab stop, in every target', async () => {
    const operation: OperationInfo = {
      id: '#/paths/~1things~1{thingId}/get',
      method: 'get',
      path: '/things/{thingId}',
      tags: [],
      deprecated: false,
      parameters: [
        { name: 'thingId', in: 'path', required: true },
        { name: 'filter', in: 'query', required: true },
        { name: 'optional', in: 'query', required: false },
      ],
      responses: [],
      security: [{ oauth: [] }],
    };
    const api = { securitySchemes: { oauth: { type: 'oauth2' as const, flows: { clientCredentials: { tokenUrl: '/t', scopes: {} } } } } } as unknown as ApiIndex;
    const auth = authPlaceholders(api, operation);
    assert.deepEqual(auth.headers, { Authorization: 'Bearer <access_token>' });
    const v = snippetValues({ serverUrl: 'https://api.example.no', operation, auth });
    assert.equal(v.sentinels.length, 2);
    assert.equal(v.values.query['optional'], undefined, 'optional parameters without a value stay out');
    const prepared = buildRequest(operation, v.values);
    for (const target of ['js-fetch', 'python-requests', 'curl', 'go', 'java-nethttp', 'csharp-httpclient'] as const) {
      const raw = await generateSnippet(prepared, target, { authHeaders: auth.headers });
      const done = finishSnippet(raw.code, raw.placeholders, v);
      assert.ok(done.code.includes('/things/<thingId>'), `${target}: ${done.code}`);
      assert.ok(done.code.includes('filter=<filter>'), `${target}: ${done.code}`);
      assert.ok(!/zzTaeValue/.test(done.code), `${target}: a sentinel is left`);
      const tabbed = toSnippetWithTabStops(done);
      assert.ok(/\$\{\d+:<thingId>\}/.test(tabbed), `${target}: no tab stop on the path parameter: ${tabbed}`);
      assert.ok(/\$\{\d+:(?:<access_token>|\\\$TELENOR_TOKEN)\}/.test(tabbed), `${target}: no tab stop on the token: ${tabbed}`);
    }
  });

  it('gives a Sweden X-JWT call placeholders for token, JWT and a fresh transaction id, never the example id', () => {
    const { api, operation } = op('Mobile Subscriptions Administration API', '/b2b/mobile-admin/productCatalogManagement/v1/serviceRules');
    const auth = authPlaceholders(api, operation);
    assert.deepEqual(auth.headers, { Authorization: 'Bearer <access_token>', 'X-JWT': '<jwt>' });
    const v = snippetValues({ serverUrl: 'https://se.example.com', operation, auth });
    assert.equal(v.values.headers['x-transaction-id'], '<transaction_id>');
  });

  it('makes a concrete value a tab stop only when it occurs once', () => {
    const once = finishSnippet('get("/a/48120000?page=0")', [], { sentinels: [], stops: [{ text: '48120000', name: 'accountId' }, { text: '0', name: 'page' }] });
    assert.deepEqual(once.placeholders, [{ text: '48120000', name: 'accountId' }]);
    const twice = finishSnippet('x("/a/77/b/77")', [], { sentinels: [], stops: [{ text: '77', name: 'id' }] });
    assert.deepEqual(twice.placeholders, []);
  });
});

describe('snippets: imports move to the file’s import section', () => {
  const op = { operationId: 'getDevice', method: 'get' as const, path: '/mobile-device-info/v1/device' };
  /** Applies the plan the way the inserter does (imports first), returning the file's new import part. */
  function apply(doc: string, plan: ReturnType<typeof planImports>): string {
    if (plan.insert === undefined) return doc;
    const lines = doc.split('\n');
    const before = lines.slice(0, plan.insert.line).join('\n') + (plan.insert.line > 0 ? '\n' : '');
    const line = lines[plan.insert.line] ?? '';
    return before + line.slice(0, plan.insert.character) + plan.insert.text + line.slice(plan.insert.character) + (plan.insert.line < lines.length - 1 ? `\n${lines.slice(plan.insert.line + 1).join('\n')}` : '');
  }

  it('keeps the whole program in an empty file', () => {
    const code = 'package main\n\nimport (\n\t"fmt"\n)\n\nfunc main() {\n}';
    assert.deepEqual(planImports('go', code, '  \n', op), { body: code });
  });

  it('Go: drops package main, names the function after the operation, adds missing imports to the block', () => {
    const code = 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"io"\n)\n\nfunc main() {\n\tfmt.Println(1)\n}';
    const doc = 'package device\n\nimport (\n\t"net/http"\n)\n\nfunc Device() {}\n';
    const plan = planImports('go', code, doc, op);
    assert.equal(plan.body, 'func getDevice() {\n\tfmt.Println(1)\n}');
    assert.equal(apply(doc, plan), 'package device\n\nimport (\n\t"net/http"\n\t"fmt"\n\t"io"\n)\n\nfunc Device() {}\n');
  });

  it('Go: with single-line imports, adds import lines after them', () => {
    const code = 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n\nfunc main() {\n}';
    const doc = 'package device\n\nimport "net/http"\n\nconst x = 1\n';
    assert.equal(apply(doc, planImports('go', code, doc, op)), 'package device\n\nimport "net/http"\nimport "fmt"\n\nconst x = 1\n');
  });

  it('Python: no second `import requests`, and a new one goes after the existing imports', () => {
    const code = 'import requests\n\nurl = "x"\n';
    assert.deepEqual(planImports('python-requests', code, 'import os\n\nimport requests\n\nx = 1\n', op), { body: 'url = "x"\n' });
    const doc = '"""Module."""\nimport os\nfrom typing import (\n    Any,\n)\n\nx = 1\n';
    assert.equal(apply(doc, planImports('python-requests', code, doc, op)), '"""Module."""\nimport os\nfrom typing import (\n    Any,\n)\nimport requests\n\nx = 1\n');
    assert.equal(apply('"""Doc."""\nx = 1\n', planImports('python-requests', code, '"""Doc."""\nx = 1\n', op)), '"""Doc."""\nimport requests\nx = 1\n');
  });

  it('undici: reuses the file’s import of `request`, else adds one after a multi-line import', () => {
    const code = "import { request } from 'undici';\n\nconst { body } = await request(u);";
    assert.deepEqual(planImports('node-undici', code, "import { fetch, request as r, request } from 'undici';\nx();\n", op), { body: 'const { body } = await request(u);' });
    const doc = "import {\n  a,\n  b,\n} from './x';\nimport { fetch } from 'undici';\n\nx();\n";
    assert.equal(apply(doc, planImports('node-undici', code, doc, op)), "import {\n  a,\n  b,\n} from './x';\nimport { fetch } from 'undici';\nimport { request } from 'undici';\n\nx();\n");
  });

  it('C#: the using directive joins the others; Java: the HttpClient imports the code needs', () => {
    const cs = 'using System.Net.Http.Headers;\nvar client = new HttpClient();';
    const csDoc = 'using System.Net.Http;\nusing System.Threading.Tasks;\n\npublic static class A {}\n';
    const csPlan = planImports('csharp-httpclient', cs, csDoc, op);
    assert.equal(csPlan.body, 'var client = new HttpClient();');
    assert.equal(apply(csDoc, csPlan), 'using System.Net.Http;\nusing System.Threading.Tasks;\nusing System.Net.Http.Headers;\n\npublic static class A {}\n');
    const javaDoc = 'package a;\n\nimport java.net.URI;\nimport java.net.http.*;\n\nclass A {}\n';
    assert.equal(apply(javaDoc, planImports('java-nethttp', 'HttpRequest r;', javaDoc, op)), javaDoc, 'everything is imported already');
    const bare = 'class A {}\n';
    assert.equal(apply(bare, planImports('java-nethttp', 'HttpRequest r;', bare, op)), 'import java.net.URI;\nimport java.net.http.HttpClient;\nimport java.net.http.HttpRequest;\nimport java.net.http.HttpResponse;\nclass A {}\n');
  });

  it('Swift: import Foundation goes to the top once; PHP: never a second <?php, the autoloader once after the requires', () => {
    const swift = 'import Foundation\n\nlet url = URL(string: "x")!';
    const swiftDoc = 'import UIKit\n\nfunc f() {\n}\n';
    const swiftPlan = planImports('swift', swift, swiftDoc, op);
    assert.equal(swiftPlan.body, 'let url = URL(string: "x")!');
    assert.equal(apply(swiftDoc, swiftPlan), 'import UIKit\nimport Foundation\n\nfunc f() {\n}\n');
    assert.deepEqual(planImports('swift', swift, 'import  Foundation\nlet a = 1\n', op), { body: 'let url = URL(string: "x")!' });
    const php = "<?php\nrequire_once('vendor/autoload.php');\n\n$client = new \\GuzzleHttp\\Client();";
    const phpDoc = "<?php\nnamespace App;\n\nuse Foo\\Bar;\n\nfunction f() {}\n";
    const phpPlan = planImports('php-guzzle', php, phpDoc, op);
    assert.equal(phpPlan.body, '$client = new \\GuzzleHttp\\Client();');
    assert.equal(apply(phpDoc, phpPlan), "<?php\nnamespace App;\n\nuse Foo\\Bar;\nrequire_once('vendor/autoload.php');\n\nfunction f() {}\n");
    assert.deepEqual(planImports('php-guzzle', php, "<?php\nrequire __DIR__ . '/vendor/autoload.php';\nf();\n", op), { body: '$client = new \\GuzzleHttp\\Client();' }, 'autoloaded already');
  });
});

describe('snippets: placement', () => {
  it('indents like the hovered line, or like the block the hovered line opens', () => {
    const lines = ['def f():', '    return 1', ''];
    assert.deepEqual(placeSnippet(lines, 'x = 1\ny = 2', { line: 1, character: 0 }, false), { line: 1, character: 0, text: '    x = 1\n    y = 2\n' });
    const sibling = ['    a = 1', '    b = 2', 'c = 3'];
    assert.equal(placeSnippet(sibling, 'x', { line: 1, character: 0 }, false).text, '    x\n');
  });

  it('appends past the end after one blank line, and breaks a line when asked mid-line', () => {
    assert.deepEqual(placeSnippet(['a', 'b'], 'x', { line: 9, character: 0 }, false), { line: 1, character: 1, text: '\n\nx' });
    assert.deepEqual(placeSnippet(['a', ''], 'x', { line: 9, character: 0 }, false), { line: 1, character: 0, text: '\nx\n' });
    assert.deepEqual(placeSnippet(['a', '', ''], 'x', { line: 9, character: 0 }, false), { line: 2, character: 0, text: 'x\n' }, 'a blank line there already');
    assert.deepEqual(placeSnippet(['  foo(bar)'], 'x', { line: 0, character: 5 }, false), { line: 0, character: 5, text: '\n  x\n' });
  });

  it('.http: before the next ### separator with a blank line, never inside a request', () => {
    const lines = ['### A', 'GET https://x/a HTTP/1.1', 'Authorization: Bearer {{t}}', '', '### B', 'GET https://x/b HTTP/1.1'];
    assert.deepEqual(placeSnippet(lines, '### C\nGET https://x/c HTTP/1.1\n', { line: 2, character: 0 }, true), { line: 4, character: 0, text: '### C\nGET https://x/c HTTP/1.1\n\n' });
    // After the last request: at the end, after a blank line.
    assert.deepEqual(placeSnippet(lines, '### C\n', { line: 5, character: 0 }, true), { line: 5, character: 24, text: '\n\n### C' });
  });
});
