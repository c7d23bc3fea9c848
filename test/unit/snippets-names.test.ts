// A second snippet in the same file gets its own names: what the generators (httpsnippet and our JS one)
// declare is renamed when the file declares it already, and only where it is used as an identifier.
import * as assert from 'node:assert/strict';
import { buildRequest } from '../../src/core/http/build';
import { generateSnippet, type SnippetPlaceholder } from '../../src/core/snippets';
import type { OperationInfo } from '../../src/core/spec/types';
import { planImports } from '../../src/extension/snippets/imports';
import { avoidNameClashes } from '../../src/extension/snippets/names';
import type { InsertTargetId } from '../../src/extension/snippets/targets';

/** POST with a JSON body whose keys and values are the very names the snippets declare. */
const operation: OperationInfo = {
  id: '#/paths/~1stores~1{storeId}/post',
  operationId: 'getStore',
  method: 'post',
  path: '/stores/{storeId}',
  tags: [],
  deprecated: false,
  parameters: [{ name: 'storeId', in: 'path', required: true }],
  requestBody: { required: true, contents: [{ mediaType: 'application/json', hasExample: true }] },
  responses: [],
  security: [],
};

/** The code the inserter would put at the cursor of a file with content: generated, imports taken off. */
async function generated(target: Exclude<InsertTargetId, 'rest-client'>, documentText: string): Promise<{ body: string; placeholders: SnippetPlaceholder[] }> {
  const prepared = buildRequest(operation, {
    serverUrl: 'https://api.telenor.no/stores/v1',
    path: { storeId: '1001' },
    query: {},
    headers: { 'X-Note': 'response body client request' },
    body: '{"response":"body","body":1,"client":"request"}',
    contentType: 'application/json',
  });
  const raw = await generateSnippet(prepared, target, { maskSecrets: true, authHeaders: { Authorization: 'Bearer <access_token>' } });
  return { body: planImports(target, raw.code, documentText, operation).body, placeholders: raw.placeholders };
}

/** Inserts the same snippet three times (appended), as the inserter does; returns the three bodies. */
async function threeTimes(target: Exclude<InsertTargetId, 'rest-client'>, start: string): Promise<string[]> {
  let doc = start;
  const bodies: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { body, placeholders } = await generated(target, doc);
    const fitted = avoidNameClashes(target, body, doc, placeholders);
    if (i === 0) assert.equal(fitted, body, 'the first snippet keeps its names');
    bodies.push(fitted);
    doc += `\n${fitted}\n`;
  }
  return bodies;
}

/** `text` with each [from, to] replaced once, every one of them required to be there. */
function edited(text: string, ...changes: Array<[string, string]>): string {
  let out = text;
  for (const [from, to] of changes) {
    assert.ok(out.includes(from), `"${from}" is not in:\n${out}`);
    out = out.replace(from, to);
  }
  return out;
}

describe('snippets: a second snippet does not redeclare the first one’s names', function () {
  this.timeout(30_000);

  it('js-fetch: response2, then response3; the body: key, strings and .status stay', async () => {
    const [first, second, third] = (await threeTimes('js-fetch', '// app\n')) as [string, string, string];
    assert.match(first, /^const response = await fetch\(/);
    assert.match(first, /^ {2}body: JSON\.stringify\(\{\n {4}"response": "body",\n {4}"body": 1,/m);
    const expected = (n: string): string =>
      edited(first, ['const response =', `const response${n} =`], ['console.log(response.status, await response.text());', `console.log(response${n}.status, await response${n}.text());`]);
    assert.equal(second, expected('2'));
    assert.equal(third, expected('3'));
    assert.ok(second.includes('"X-Note": "response body client request"'));
  });

  it('node-undici: the destructured names keep their keys (body: body2), the body: option stays', async () => {
    const [first, second, third] = (await threeTimes('node-undici', "import { request } from 'undici';\n")) as [string, string, string];
    assert.match(first, /^const \{ statusCode, body \} = await request\(/);
    const expected = (n: string): string =>
      edited(
        first,
        ['const { statusCode, body } =', `const { statusCode: statusCode${n}, body: body${n} } =`],
        ['console.log(statusCode, await body.text());', `console.log(statusCode${n}, await body${n}.text());`],
      );
    assert.equal(second, expected('2'));
    assert.equal(third, expected('3'));
    assert.match(third, /^ {2}body: JSON\.stringify\(\{$/m);
  });

  it('csharp-httpclient: client, request, response and body; initializer members and strings stay', async () => {
    const [first, second, third] = (await threeTimes('csharp-httpclient', 'using System.Net.Http;\n')) as [string, string, string];
    const expected = (n: string): string =>
      edited(
        first,
        ['var client = new HttpClient();', `var client${n} = new HttpClient();`],
        ['var request = new HttpRequestMessage', `var request${n} = new HttpRequestMessage`],
        ['using (var response = await client.SendAsync(request))', `using (var response${n} = await client${n}.SendAsync(request${n}))`],
        ['    response.EnsureSuccessStatusCode();', `    response${n}.EnsureSuccessStatusCode();`],
        ['var body = await response.Content.ReadAsStringAsync();', `var body${n} = await response${n}.Content.ReadAsStringAsync();`],
        ['Console.WriteLine(body);', `Console.WriteLine(body${n});`],
      );
    assert.equal(second, expected('2'));
    assert.equal(third, expected('3'));
    assert.match(third, /^ {4}Headers =$/m);
  });

  it('java-nethttp: request and response; HttpRequest, .body() and the string body stay', async () => {
    const [first, second, third] = (await threeTimes('java-nethttp', 'class App {}\n')) as [string, string, string];
    const expected = (n: string): string =>
      edited(
        first,
        ['HttpRequest request = HttpRequest.newBuilder()', `HttpRequest request${n} = HttpRequest.newBuilder()`],
        ['HttpResponse<String> response = HttpClient.newHttpClient().send(request, ', `HttpResponse<String> response${n} = HttpClient.newHttpClient().send(request${n}, `],
        ['System.out.println(response.body());', `System.out.println(response${n}.body());`],
      );
    assert.equal(second, expected('2'));
    assert.equal(third, expected('3'));
    assert.ok(third.includes('ofString("{\\"response\\":\\"body\\",\\"body\\":1,\\"client\\":\\"request\\"}")'), third);
  });

  it('go: the function named after the operation becomes getStore2, its locals stay', async () => {
    const [first, second, third] = (await threeTimes('go', 'package app\n\nimport "net/http"\n')) as [string, string, string];
    assert.match(first, /^func getStore\(\) \{$/m);
    assert.equal(second, edited(first, ['func getStore()', 'func getStore2()']));
    assert.equal(third, edited(first, ['func getStore()', 'func getStore3()']));
    assert.match(third, /^\tbody, _ := io\.ReadAll\(res\.Body\)$/m);
  });

  it('kotlin-okhttp: client, request and response; .url() and the string body stay', async () => {
    const [first, second] = (await threeTimes('kotlin-okhttp', 'fun main() {}\n')) as [string, string, string];
    assert.equal(
      second,
      edited(
        first,
        ['val client = OkHttpClient()', 'val client2 = OkHttpClient()'],
        ['val mediaType = MediaType.parse(', 'val mediaType2 = MediaType.parse('],
        ['val body = RequestBody.create(mediaType, ', 'val body2 = RequestBody.create(mediaType2, '],
        ['val request = Request.Builder()', 'val request2 = Request.Builder()'],
        ['.post(body)', '.post(body2)'],
        ['val response = client.newCall(request).execute()', 'val response2 = client2.newCall(request2).execute()'],
      ),
    );
  });

  it('swift: parameters, postData, url, request and the tuple’s data; argument labels and properties stay', async () => {
    const [first, second] = (await threeTimes('swift', 'import Foundation\n')) as [string, string, string];
    assert.equal(
      second,
      edited(
        first,
        ['let parameters = [', 'let parameters2 = ['],
        ['let postData = try JSONSerialization.data(withJSONObject: parameters, ', 'let postData2 = try JSONSerialization.data(withJSONObject: parameters2, '],
        ['let url = URL(string: ', 'let url2 = URL(string: '],
        ['var request = URLRequest(url: url)', 'var request2 = URLRequest(url: url2)'],
        ['request.httpMethod = ', 'request2.httpMethod = '],
        ['request.timeoutInterval = ', 'request2.timeoutInterval = '],
        ['request.allHTTPHeaderFields = ', 'request2.allHTTPHeaderFields = '],
        ['request.httpBody = postData', 'request2.httpBody = postData2'],
        ['let (data, _) = try await URLSession.shared.data(for: request)', 'let (data2, _) = try await URLSession.shared.data(for: request2)'],
        ['print(String(decoding: data, as: ', 'print(String(decoding: data2, as: '],
      ),
      'labels (url:, withJSONObject:, for:, decoding:) and the dictionary’s string keys stay',
    );
  });

  it('leaves the snippet byte for byte when nothing clashes, or the file only mentions the names', async () => {
    for (const target of ['js-fetch', 'node-undici', 'csharp-httpclient', 'java-nethttp', 'go', 'kotlin-okhttp', 'swift'] as const) {
      const doc = "// const response = old; var client = x; func getStore() {}\nfoo.response = 1; bar({ body: 2 }); s = 'let body = 3';\n";
      const { body, placeholders } = await generated(target, doc);
      assert.equal(avoidNameClashes(target, body, doc, placeholders), body, target);
    }
  });

  it('python-requests, curl and REST Client rebind freely: untouched', async () => {
    const { body } = await generated('python-requests', 'import requests\n');
    const doc = `import requests\n\n${body}\n`;
    assert.match(doc, /^response = requests\.post\(/m);
    assert.equal(avoidNameClashes('python-requests', body, doc), body);
    assert.equal(avoidNameClashes('curl', 'response=1', 'response=0'), 'response=1');
    assert.equal(avoidNameClashes('rest-client', '### a\nGET https://x', 'const response = 1;'), '### a\nGET https://x');
  });
});

describe('snippets: renaming reads the code around a name', () => {
  it('JS: shorthand, spread, ternary and array uses; keys, properties, comments and strings stay', () => {
    const body = [
      'const body = make(); // body',
      'send({ body, other: body?.body, body: x ? body : [a, body], ...body });',
      'log(`body`, "body", \'body\', obj.body, obj\n  .body);',
    ].join('\n');
    assert.equal(
      avoidNameClashes('js-fetch', body, 'let body;'),
      [
        'const body2 = make(); // body',
        'send({ body: body2, other: body2?.body, body: x ? body2 : [a, body2], ...body2 });',
        'log(`body`, "body", \'body\', obj.body, obj\n  .body);',
      ].join('\n'),
    );
  });

  it('reads declarations in the file: destructuring, functions, and Java/C# parameters', () => {
    assert.equal(avoidNameClashes('js-fetch', 'const response = 1;', 'const { a: { response } } = x;'), 'const response2 = 1;');
    assert.equal(avoidNameClashes('js-fetch', 'const response = 1;', 'async function response() {}'), 'const response2 = 1;');
    assert.equal(avoidNameClashes('js-fetch', 'const response = 1;', 'const { response: r } = x;'), 'const response = 1;', 'a key declares nothing');
    assert.equal(avoidNameClashes('csharp-httpclient', 'var client = new HttpClient();', 'static Task<string> ListAsync(HttpClient client, string baseUrl) {}'), 'var client2 = new HttpClient();');
    assert.equal(avoidNameClashes('csharp-httpclient', 'var client = new HttpClient();', 'HttpClient http; HttpClient client;'), 'var client2 = new HttpClient();');
    assert.equal(avoidNameClashes('java-nethttp', 'HttpRequest request = b();\nsend(request);', 'void f(final HttpRequest request) {}'), 'HttpRequest request2 = b();\nsend(request2);');
    assert.equal(avoidNameClashes('java-nethttp', 'HttpRequest request = b();', 'return request;'), 'HttpRequest request = b();', '`return` is no type');
  });

  it('C#: a named argument keeps its name', () => {
    assert.equal(avoidNameClashes('csharp-httpclient', 'var body = 1;\nf(body: body);', 'var body = 0;'), 'var body2 = 1;\nf(body: body2);');
  });

  it('skips a name whose renaming would change a placeholder, and takes a number no word of the file has', () => {
    const body = 'const response = await fetch("<access_token>");\nconst body = response.status;';
    const doc = 'const response = 1, body = 2;\nlet body;\nconst response2 = 3; // body2';
    assert.equal(avoidNameClashes('js-fetch', body, doc, [{ text: 'const body' }]), 'const response3 = await fetch("<access_token>");\nconst body = response3.status;');
    assert.equal(avoidNameClashes('js-fetch', body, doc, [{ text: '<access_token>' }]), 'const response3 = await fetch("<access_token>");\nconst body3 = response3.status;');
  });

  describe('where the snippet goes decides which declarations count', () => {
    const body = 'const response = await fetch(url);\nconsole.log(response.status);';
    const renamed = 'const response2 = await fetch(url);\nconsole.log(response2.status);';
    /** The document with `|` marking the insertion point, and the offset of that point. */
    const at = (marked: string): [string, number] => [marked.replace('|', ''), marked.indexOf('|')];

    it('JS: a name inside another function is no clash at the top level or in a sibling function', () => {
      const file = [
        'export async function listAccounts(token) {',
        '  const response = await fetch(URL, { headers: { Authorization: token } });',
        '  return response.json();',
        '}',
        '|',
      ].join('\n');
      assert.equal(avoidNameClashes('js-fetch', body, ...withAt(at(file))), body, 'top level');
      const sibling = `${file.replace('|', '')}\nexport async function other() {\n  |\n}\n`;
      assert.equal(avoidNameClashes('js-fetch', body, ...withAt(at(sibling))), body, 'a sibling function');
      // Without a position (no cursor known) the whole file counts, as before.
      assert.equal(avoidNameClashes('js-fetch', body, file.replace('|', '')), renamed);
    });

    it('JS: braces that are no block (destructuring, object literals) hide nothing; a TS return type is a header', () => {
      const undici = 'const { statusCode, body } = await request(url);\nconsole.log(statusCode, await body.text());';
      const file = 'export async function storesIn(city: string): Promise<unknown> {\n  |\n  const { body } = await request(u, { headers: { a: 1 } });\n  return body.json();\n}';
      assert.equal(
        avoidNameClashes('node-undici', undici, ...withAt(at(file))),
        'const { statusCode, body: body2 } = await request(url);\nconsole.log(statusCode, await body2.text());',
      );
      const typed = 'export async function list(token: string): Promise<unknown> {\n  const response = await fetch(u);\n  return response.json();\n}\n|';
      assert.equal(avoidNameClashes('js-fetch', body, ...withAt(at(typed))), body);
      const arrow = 'const get = async (u) => {\n  const response = await fetch(u);\n};\n|';
      assert.equal(avoidNameClashes('js-fetch', body, ...withAt(at(arrow))), body, 'an arrow function’s body');
    });

    it('JS: a name of the same block or an enclosing one clashes, also when declared after the point', () => {
      assert.equal(avoidNameClashes('js-fetch', body, ...withAt(at('async function f() {\n  |\n  const response = 1;\n}'))), renamed, 'same block, later');
      assert.equal(avoidNameClashes('js-fetch', body, ...withAt(at('const response = 1;\nasync function f() {\n  if (x) {\n    |\n  }\n}'))), renamed, 'top level, seen from a nested block');
      assert.equal(avoidNameClashes('js-fetch', body, ...withAt(at('const response = 1;\n|'))), renamed, 'top level');
    });

    it('C#: a name in a block inside the same method clashes (CS0136); one in another method does not', () => {
      const cs = 'var client = new HttpClient();\nvar response = await client.SendAsync(r);';
      const file = [
        'class A {',
        '  async Task One() {',
        '    using (var response = await c.SendAsync(r)) { }',
        '    |',
        '  }',
        '  async Task Two(HttpClient client) {',
        '    var response = 1;',
        '  }',
        '}',
      ].join('\n');
      assert.equal(
        avoidNameClashes('csharp-httpclient', cs, ...withAt(at(file))),
        'var client = new HttpClient();\nvar response2 = await client.SendAsync(r);',
        'response from the using block inside One; client is only Two’s parameter',
      );
    });

    it('Java: an enclosing method’s parameter clashes; another method’s does not', () => {
      const java = 'HttpRequest request = b();\nsend(request);';
      const file = 'class A {\n  void one(HttpRequest request) throws IOException {\n    |\n  }\n  void two(HttpRequest other) {}\n}';
      assert.equal(avoidNameClashes('java-nethttp', java, ...withAt(at(file))), 'HttpRequest request2 = b();\nsend(request2);');
      const elsewhere = 'class A {\n  void one(HttpRequest request) throws IOException {\n  }\n  void two() {\n    |\n  }\n}';
      assert.equal(avoidNameClashes('java-nethttp', java, ...withAt(at(elsewhere))), java);
    });

    it('Go: functions are top-level names wherever the snippet goes', () => {
      const go = 'func getStore() {\n}';
      assert.equal(avoidNameClashes('go', go, ...withAt(at('package main\n\nfunc getStore() {\n}\n\nfunc main() {\n  |\n}'))), 'func getStore2() {\n}');
    });
  });
});

/** `[documentText, placeholders, at]` for avoidNameClashes from `[documentText, at]`. */
function withAt([text, offset]: [string, number]): [string, [], number] {
  return [text, [], offset];
}
