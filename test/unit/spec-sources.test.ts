// Pure parts of the spec registry (src/extension/specs/sources.ts): what is remembered about added
// specs, URL checks, problem lists and the problems document.
import * as assert from 'node:assert/strict';
import type { SpecProblem } from '../../src/core/spec/types';
import { checkSpecUrl, countText, locationText, mayCarrySecrets, mergeProblems, messageWithoutPlace, secretPartsOfUrl, parseStoredSpecs, primaryOrigin, problemReport } from '../../src/extension/specs/sources';

describe('spec sources', () => {
  it('keeps only well-formed stored entries', () => {
    const stored = parseStoredSpecs([
      { kind: 'file', path: '/a.yaml' },
      { kind: 'url', url: 'https://x/openapi.json' },
      { kind: 'url', secretId: 'id-1', display: 'https://y/spec.yaml' },
      { kind: 'file', path: '' },
      { kind: 'url' },
      { kind: 'url', secretId: 'id-2' },
      'junk',
      null,
      { kind: 'folder', path: '/x' },
    ]);
    assert.deepEqual(stored, [
      { kind: 'file', path: '/a.yaml' },
      { kind: 'url', url: 'https://x/openapi.json' },
      { kind: 'url', secretId: 'id-1', display: 'https://y/spec.yaml' },
    ]);
    assert.deepEqual(parseStoredSpecs(undefined), []);
    assert.deepEqual(parseStoredSpecs({ kind: 'file', path: '/a' }), [], 'not a list');
  });

  it('keeps URLs with user-info or a query out of plain storage', () => {
    assert.equal(mayCarrySecrets('https://h/spec.yaml?apikey=abc'), true);
    assert.equal(mayCarrySecrets('https://user:pw@h/spec.yaml'), true);
    assert.equal(mayCarrySecrets('https://h/spec.yaml'), false);
    assert.equal(mayCarrySecrets('https://h/spec.yaml#frag'), false);
  });

  it('names the parts of a URL the Redactor must mask', () => {
    assert.deepEqual(secretPartsOfUrl('https://me:p%40ss@h/spec.yaml?apikey=abc123&v=abc123&x='), ['me', 'p@ss', 'abc123']);
    assert.deepEqual(secretPartsOfUrl('https://h/spec.yaml'), []);
    assert.deepEqual(secretPartsOfUrl('not a url'), []);
  });

  it('accepts http(s) spec URLs and says what is wrong with anything else', () => {
    assert.deepEqual(checkSpecUrl('  https://example.com/openapi.yaml#x '), { ok: true, url: 'https://example.com/openapi.yaml' });
    assert.deepEqual(checkSpecUrl('http://127.0.0.1:4711/specs/telenor-stores.json'), { ok: true, url: 'http://127.0.0.1:4711/specs/telenor-stores.json' });
    const bad = (text: string, pattern: RegExp): void => {
      const r = checkSpecUrl(text);
      assert.ok(!r.ok && pattern.test(r.message), `${text}: ${JSON.stringify(r)}`);
    };
    bad('', /Type the http\(s\) URL/);
    bad('example.com/openapi.yaml', /not a URL/);
    bad('file:///etc/passwd', /Only http and https .* \(this one is file\).*Add OpenAPI Spec File/);
    bad('ftp://example.com/x.yaml', /this one is ftp/);
  });

  it('shows the person’s own origin before built-in', () => {
    assert.equal(primaryOrigin(new Set(['builtin', 'file'])), 'file');
    assert.equal(primaryOrigin(new Set(['file', 'workspace'])), 'workspace');
  });

  const syntax: SpecProblem = { severity: 'error', code: 'syntax', message: 'a.yaml line 3, column 7: bad indentation', line: 3, column: 7, hint: 'Fix the indentation.' };
  const warning: SpecProblem = { severity: 'warning', code: 'validation', message: 'a.yaml: info has no version', pointer: '#/info' };

  it('drops the place from a message when the view shows it anyway', () => {
    assert.equal(messageWithoutPlace('a.yaml line 3, column 7: bad indentation', 'a.yaml'), 'bad indentation');
    assert.equal(messageWithoutPlace('a.yaml line 3: x', 'a.yaml'), 'x');
    assert.equal(messageWithoutPlace('a.yaml: no info', 'a.yaml'), 'no info');
    assert.equal(messageWithoutPlace('b.yaml line 3: x', 'a.yaml'), 'b.yaml line 3: x', 'another file is named on purpose');
    assert.equal(messageWithoutPlace('http://h/x.yaml: the server answered HTTP 404.', 'http://h/x.yaml'), 'the server answered HTTP 404.');
  });

  it('merges validation problems without repeating load problems', () => {
    assert.deepEqual(mergeProblems([syntax], [{ ...syntax }, warning]), [syntax, warning]);
    assert.equal(countText([syntax, warning, warning]), '1 error, 2 warnings');
    assert.equal(countText([]), 'no problems');
    assert.equal(locationText(syntax), 'line 3, column 7');
    assert.equal(locationText(warning), '#/info');
    assert.equal(locationText({ line: 4 }), 'line 4');
  });

  it('writes a problems document with locations that link to the file', () => {
    const report = problemReport({ label: 'a.yaml', origin: 'a.yaml', location: '/ws/a.yaml', state: 'failed', problems: [syntax, warning] }, true);
    const lines = report.text.split('\n');
    assert.deepEqual(lines.slice(0, 3), ['Problems of a.yaml', '/ws/a.yaml', 'failed to load · 1 error, 1 warning']);
    assert.ok(report.text.includes('Error (syntax) at line 3, column 7\n    bad indentation\n    What to do: Fix the indentation.'), 'the place is said once');
    assert.ok(report.text.includes('Warning (validation) at #/info'));
    assert.equal(report.links.length, 1, 'only positions link (a pointer has no line)');
    const link = report.links[0];
    assert.ok(link);
    assert.equal(lines[link.reportLine]?.slice(link.start, link.end), 'line 3, column 7');
    assert.deepEqual([link.line, link.column], [3, 7]);
    assert.deepEqual(problemReport({ label: 'u', origin: 'u', location: 'https://x/u.yaml', state: 'failed', problems: [syntax] }, false).links, [], 'URL specs: no links');
    assert.ok(problemReport({ label: 'ok', origin: 'ok.yaml', location: '/ok.yaml', state: 'loaded', problems: [] }, true).text.includes('No problems were found.'));
  });
});
