import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { locatePointers } from '../../src/core/spec/locate';
import { decodeSpecBytes, detectVersion, findJsonErrorOffset, parseSpec, parseText, positionAt } from '../../src/core/spec/parse';
import { escapeSegment, parsePointer, pointerThroughRefs, resolveRef, toPointer, unescapeSegment } from '../../src/core/spec/pointer';
import { fixture } from '../fixtures/specs/helpers';

describe('spec parse', () => {
  describe('JSON and YAML', () => {
    it('parses JSON through the fast path and YAML with js-yaml', () => {
      const json = parseText('  {"openapi":"3.0.3","n":1}', 'a.json');
      assert.ok(json.ok);
      assert.equal(json.format, 'json');
      const yaml = parseText('openapi: 3.0.3\nn: 1\n', 'a.yaml');
      assert.ok(yaml.ok);
      assert.equal(yaml.format, 'yaml');
      assert.deepEqual(yaml.value, { openapi: '3.0.3', n: 1 });
    });

    it('keeps YAML dates and custom tags as plain data (no Date objects, no code)', () => {
      const r = parseText('example: 2024-01-31\nwhen: 2024-01-31T10:00:00Z\n', 'd.yaml');
      assert.ok(r.ok);
      assert.deepEqual(r.value, { example: '2024-01-31', when: '2024-01-31T10:00:00Z' });
      const tagged = parseText('x: !!js/function "function () { return 1 }"\n', 't.yaml');
      assert.equal(tagged.ok, false, 'unknown tags are a syntax problem, never executed');
    });

    it('supports YAML merge keys', () => {
      const r = parseText('base: &b {type: string}\nfield:\n  <<: *b\n  format: uuid\n', 'm.yaml');
      assert.ok(r.ok);
      assert.deepEqual((r.value as Record<string, unknown>)['field'], { type: 'string', format: 'uuid' });
    });

    it('reports broken YAML with file, line, column and a hint', () => {
      const text = readFileSync(fixture('broken.yaml'), 'utf8');
      const r = parseSpec(text, 'broken.yaml');
      assert.equal(r.ok, false);
      const [p] = r.problems;
      assert.ok(p);
      assert.equal(p.code, 'syntax');
      assert.equal(p.line, 7);
      assert.equal(p.column, 3);
      assert.match(p.message, /^broken\.yaml line 7, column 3: bad indentation/);
      assert.match(p.hint ?? '', /fix the YAML/i);
    });

    it('reports broken JSON with file, line and column derived from the parser position', () => {
      const text = readFileSync(fixture('broken.json'), 'utf8');
      const r = parseSpec(text, 'broken.json');
      assert.equal(r.ok, false);
      const [p] = r.problems;
      assert.ok(p);
      assert.equal(p.code, 'syntax');
      assert.equal(p.line, 5);
      assert.equal(p.column, 1);
      assert.match(p.message, /^broken\.json line 5, column 1: /);
      assert.doesNotMatch(p.message, /at position/, 'the raw V8 position text is replaced by line/column');
    });

    it('locates JSON errors whose V8 message names no position', () => {
      const text = '{\n  "a": tru\n}';
      const r = parseText(text, 'x.json');
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.problem.line, 2);
      assert.equal(r.problem.column, 11);
    });

    it('turns a duplicate YAML key into a located warning and keeps the document', () => {
      const r = parseText('a: 1\nb: 2\na: 3\n', 'dup.yaml');
      assert.ok(r.ok);
      assert.deepEqual(r.value, { a: 3, b: 2 });
      assert.equal(r.problems[0]?.severity, 'warning');
      assert.equal(r.problems[0]?.line, 3);
    });

    it('never throws on hostile input: deep nesting, huge aliases, random bytes', () => {
      assert.equal(parseText('['.repeat(100_000), 'deep.json').ok, false);
      assert.equal(parseText('a:\n' + '  - '.repeat(1) + '['.repeat(5000), 'deep.yaml').ok, false);
      const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
      const r = parseText(bomb, 'bomb.yaml');
      assert.ok(r.ok, 'aliases share objects, so a "billion laughs" file parses in constant memory');
      fc.assert(
        fc.property(fc.string({ maxLength: 300 }), (s) => {
          const out = parseSpec(s, 'fuzz.yaml');
          assert.equal(typeof out.ok, 'boolean');
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('findJsonErrorOffset', () => {
    it('finds the same offset V8 reports, for random corruptions of valid JSON', () => {
      fc.assert(
        fc.property(fc.json({ maxDepth: 4 }), fc.nat(), fc.constantFrom('', ',', '}', ']', ':', '"', 'x', '{', '\n'), (json, at, insert) => {
          const pos = json.length === 0 ? 0 : at % json.length;
          const text = json.slice(0, pos) + insert + json.slice(pos);
          let v8: number | undefined;
          try {
            JSON.parse(text);
            return;
          } catch (e) {
            const m = /at position (\d+)/.exec((e as Error).message);
            if (m) v8 = Number(m[1]);
            else if (/Unexpected end of JSON input/.test((e as Error).message)) v8 = text.length;
          }
          if (v8 === undefined) return;
          assert.equal(findJsonErrorOffset(text), v8, `for ${JSON.stringify(text)}`);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('versions', () => {
    it('detects Swagger 2.0, OpenAPI 3.0 and 3.1', () => {
      assert.deepEqual(detectVersion({ swagger: '2.0' }, 'x'), { ok: true, specVersion: '2.0', problems: [] });
      assert.deepEqual(detectVersion({ openapi: '3.0.3' }, 'x'), { ok: true, specVersion: '3.0', problems: [] });
      assert.deepEqual(detectVersion({ openapi: '3.1.0' }, 'x'), { ok: true, specVersion: '3.1', problems: [] });
      const numeric = detectVersion({ openapi: 3.1 }, 'x');
      assert.ok(numeric.ok);
      assert.equal(numeric.problems[0]?.severity, 'warning', 'a number version loads with a warning');
    });

    it('rejects unknown and missing versions with a clear problem', () => {
      const unknown = parseSpec(readFileSync(fixture('unknown-version.yaml'), 'utf8'), 'unknown-version.yaml');
      assert.equal(unknown.ok, false);
      assert.equal(unknown.problems[0]?.code, 'version');
      assert.match(unknown.problems[0]?.message ?? '', /unknown-version\.yaml: unsupported spec version openapi: "4\.0\.0"/);
      assert.equal(unknown.problems[0]?.pointer, '#/openapi');
      const missing = parseSpec(readFileSync(fixture('no-version.json'), 'utf8'), 'no-version.json');
      assert.equal(missing.ok, false);
      assert.equal(missing.problems[0]?.code, 'version');
      assert.match(missing.problems[0]?.hint ?? '', /openapi: 3\.0\.3/);
      const list = parseSpec('- a\n- b\n', 'list.yaml');
      assert.equal(list.problems[0]?.code, 'version');
    });
  });

  describe('bytes', () => {
    it('reports binary garbage as binary, not as a syntax error', () => {
      const r = decodeSpecBytes(readFileSync(fixture('garbage.bin')), 'garbage.bin');
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.problem.code, 'binary');
    });

    it('strips a UTF-8 BOM and decodes UTF-16 with a BOM', () => {
      const bom = decodeSpecBytes(Buffer.from('\ufeffopenapi: 3.0.0', 'utf8'), 'b.yaml');
      assert.deepEqual(bom, { ok: true, text: 'openapi: 3.0.0' });
      const utf16 = decodeSpecBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]), 'w.json');
      assert.deepEqual(utf16, { ok: true, text: '{"a":1}' });
    });
  });

  describe('pointers', () => {
    it('escapes and unescapes segments both ways', () => {
      fc.assert(fc.property(fc.string(), (s) => assert.equal(unescapeSegment(escapeSegment(s)), s)));
      assert.equal(toPointer(['paths', '/oauth/v2/token', 'post']), '#/paths/~1oauth~1v2~1token/post');
      assert.deepEqual(parsePointer('#/paths/~1a~1%7Bid%7D/get'), ['paths', '/a/{id}', 'get']);
      assert.deepEqual(parsePointer('#/a~0b'), ['a~b']);
      assert.equal(parsePointer('other.yaml#/a'), undefined);
    });

    it('follows $ref chains, and reports dangling, external and circular ones', () => {
      const doc = { a: { $ref: '#/b' }, b: { $ref: '#/c' }, c: 1, d: { $ref: '#/e' }, e: { $ref: '#/d' }, f: { $ref: '#/nope' }, g: { $ref: 'x.yaml#/y' } };
      assert.deepEqual(resolveRef(doc, doc.a, '#/a'), { ok: true, value: 1, pointer: '#/c' });
      assert.equal((resolveRef(doc, doc.d, '#/d') as { reason?: string }).reason, 'circular');
      assert.equal((resolveRef(doc, doc.f, '#/f') as { reason?: string }).reason, 'dangling');
      assert.equal((resolveRef(doc, doc.g, '#/g') as { reason?: string }).reason, 'external');
    });

    it('maps a pointer into a dereferenced copy back through the $refs of the original', () => {
      const doc = { paths: { '/a': { get: { parameters: [{ $ref: '#/components/parameters/P' }] } } }, components: { parameters: { P: { name: 'p' } } } };
      assert.equal(pointerThroughRefs(doc, ['paths', '/a', 'get', 'parameters', '0', 'name']), '#/components/parameters/P/name');
    });
  });

  describe('locatePointers', () => {
    const json = '{\n  "paths": {\n    "/a/b": {\n      "get": { "x": [1, {"y": 2}] }\n    }\n  },\n  "k\\"q": 3\n}';
    it('places JSON members at their key and array items at their first character', () => {
      const at = locatePointers(json, 'json', ['#/paths/~1a~1b/get', '#/paths/~1a~1b/get/x/1/y', '#/k"q', '#/paths/missing', '#']);
      assert.deepEqual(at.get('#/paths/~1a~1b/get'), positionAt(json, json.indexOf('"get"')));
      assert.deepEqual(at.get('#/paths/~1a~1b/get/x/1/y'), positionAt(json, json.indexOf('"y"')));
      assert.deepEqual(at.get('#/k"q'), { line: 7, column: 3 });
      assert.deepEqual(at.get('#'), { line: 1, column: 1 });
      assert.equal(at.has('#/paths/missing'), false);
    });

    it('places YAML members at their key, not at a deeper key with the same name', () => {
      const yaml = 'info:\n  title: T\npaths:\n  /a:\n    get:\n      summary: x\n      tags: [t]\n  /b:\n    get:\n      responses:\n        "200": {description: ok}\nlist:\n  - name: one\n  - name: two\n    get: 1\n';
      const at = locatePointers(yaml, 'yaml', ['#/paths/~1b/get', '#/paths/~1b/get/responses/200/description', '#/list/1/name', '#/list/1/get', '#/info/title']);
      assert.deepEqual(at.get('#/paths/~1b/get'), { line: 9, column: 5 });
      assert.deepEqual(at.get('#/paths/~1b/get/responses/200/description'), { line: 11, column: 17 });
      assert.deepEqual(at.get('#/list/1/name'), { line: 14, column: 5 });
      assert.deepEqual(at.get('#/list/1/get'), { line: 15, column: 5 });
      assert.deepEqual(at.get('#/info/title'), { line: 2, column: 3 });
    });
  });
});
