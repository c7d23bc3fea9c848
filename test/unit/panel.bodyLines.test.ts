/**
 * The request panel's big-body pieces, in plain Node: the line index that re-indents JSON one line at a time
 * (exact text kept: escaped quotes and brackets inside strings, big numbers, duplicate keys, deep nesting,
 * non-JSON), its slices (the same lines whichever token a slice ends at), plain-text lines, the virtual
 * window (the jump to the end shows the last line whole) and the range hint.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { advanceFor, JsonLines, looksLikeJson, MAX_SCROLL_PX, SLICE_CHARS, TextLines, virtualWindow, type BodyLines } from '../../src/webview/bodyLines';
import { rangeHint } from '../../src/webview/dom';
import { reformatJson } from '../helpers/reformatJson';

/**
 * The re-indenter the panel used before the line index (commit 27ed0a7), kept as the reference: one string
 * for the whole body, then split into lines. The index must give the same lines. One change since: a space
 * between two values (`[1 2]`, `{"a": not json}`) is kept (marked `new:`), where the old one joined them.
 */
function referenceLines(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  let pendingOpen = false;
  // new: whitespace since the last token, and whether that token was a value.
  let spaced = false;
  let afterValue = false;
  const newline = (): void => {
    out.push('\n', '  '.repeat(Math.max(0, depth)));
  };
  const ws = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (ws(c)) {
      spaced = true;
      i++;
      continue;
    }
    const wasSpaced = spaced;
    const wasValue = afterValue;
    spaced = false;
    afterValue = c !== 0x7b && c !== 0x7d && c !== 0x5b && c !== 0x5d && c !== 0x2c && c !== 0x3a;
    if (afterValue && wasSpaced && wasValue) out.push(' ');
    if (pendingOpen) {
      pendingOpen = false;
      if (c === 0x7d || c === 0x5d) {
        depth--;
        out.push(text[i] as string);
        i++;
        continue;
      }
      newline();
    }
    if (c === 0x22) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) {
          j++;
          break;
        } else if (d === 0x0a) break;
        else j++;
      }
      out.push(text.slice(i, Math.min(j, n)));
      i = Math.min(j, n);
      continue;
    }
    if (c === 0x7b || c === 0x5b) {
      out.push(text[i] as string);
      depth++;
      pendingOpen = true;
      i++;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      depth--;
      newline();
      out.push(text[i] as string);
      i++;
      continue;
    }
    if (c === 0x2c) {
      out.push(',');
      newline();
      i++;
      continue;
    }
    if (c === 0x3a) {
      out.push(': ');
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && !ws(text.charCodeAt(j)) && !'",:{}[]'.includes(text[j] as string)) j++;
    out.push(text.slice(i, j));
    i = j;
  }
  return out.join('').split(/\r?\n/);
}

function all(lines: BodyLines): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.count; i++) out.push(lines.line(i));
  return out;
}

function indexed(text: string, chunks: readonly number[] = [Number.POSITIVE_INFINITY]): JsonLines {
  const lines = new JsonLines(text);
  let k = 0;
  while (!lines.advance(chunks[k % chunks.length] as number)) k++;
  return lines;
}

function starts(lines: JsonLines): Array<{ offset: number; depth: number }> {
  return Array.from({ length: lines.count }, (_, i) => lines.lineStart(i));
}

const stripSpace = (s: string): string => s.replace(/[ \t\r\n]/g, '');

/** Text made of JSON's own characters, so structure, strings and escapes collide often. */
const jsonish = fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '\r', '\t', 'a', '1', '-', 'é', '<'), maxLength: 120 });

describe('request panel big bodies', () => {
  describe('JsonLines: the re-indenter, one line at a time', () => {
    const cases: Array<[string, string, string[]]> = [
      [
        'escaped quotes and brackets inside strings stay in their string',
        '{"a":"x\\"]},{[y","b\\\\":"\\\\","c":"\\"{"}',
        ['{', '  "a": "x\\"]},{[y",', '  "b\\\\": "\\\\",', '  "c": "\\"{"', '}'],
      ],
      [
        'big numbers and duplicate keys as sent (what JSON.parse would round or drop)',
        '{"id":12345678901234567890,"id":-0.10000000000000000000001e+400,"n":1E5}',
        ['{', '  "id": 12345678901234567890,', '  "id": -0.10000000000000000000001e+400,', '  "n": 1E5', '}'],
      ],
      ['whitespace between tokens is dropped, inside strings kept', ' {\r\n\t"a b" :\t[ 1 , 2 ]\n}\n', ['{', '  "a b": [', '    1,', '    2', '  ]', '}']],
      ['empty objects and arrays stay on one line', '{"e":{},"l":[ ],"x":[{}]}', ['{', '  "e": {},', '  "l": [],', '  "x": [', '    {}', '  ]', '}']],
      ['a body cut at the display cap', '{"a":[1,2,{"b":"unterminat', ['{', '  "a": [', '    1,', '    2,', '    {', '      "b": "unterminat']],
      ['unbalanced closers never indent below zero', ']]{"a":1}]', ['', ']', ']{', '"a": 1', '}', ']']],
      ['commas with nothing between them', '[,1,]', ['[', '  ,', '  1,', '  ', ']']],
      ['not JSON: the space between two values is kept', '{"a": not json, "b":[1 2,"x" "y"]}', ['{', '  "a": not json,', '  "b": [', '    1 2,', '    "x" "y"', '  ]', '}']],
      ['an empty or blank body is one empty line', '  \n ', ['']],
      ['unicode and an astral character pass through', '["ø","😀",{"ключ":"ж"}]', ['[', '  "ø",', '  "😀",', '  {', '    "ключ": "ж"', '  }', ']']],
    ];
    for (const [name, text, expected] of cases) {
      it(name, () => {
        assert.deepEqual(all(indexed(text)), expected);
        assert.deepEqual(all(indexed(text)), referenceLines(text), 'same lines as the previous re-indenter');
      });
    }

    it('nests 10,000 deep without recursion, one cached indent string per level', () => {
      const depth = 10_000;
      const text = `${'['.repeat(depth)}"deep"${']'.repeat(depth)}`;
      const lines = indexed(text);
      assert.equal(lines.count, 2 * depth + 1);
      assert.equal(lines.line(depth), `${'  '.repeat(depth)}"deep"`);
      assert.equal(lines.line(2 * depth), ']');
      assert.deepEqual(all(lines), referenceLines(text));
    });

    it('a raw line break in a string (after a backslash too) ends that line: no drawn line holds a line break', () => {
      const text = '["a\\\nb",{"k":"v\nw"}]';
      const lines = all(indexed(text));
      assert.ok(lines.every((l) => !l.includes('\n')), JSON.stringify(lines));
      assert.equal(stripSpace(lines.join('')), stripSpace(text));
    });

    it('gives the previous re-indenter’s lines for any JSON-like text', () => {
      fc.assert(
        fc.property(jsonish, (text) => {
          // Where they differ by design: a backslash before a raw line break, and a \r before a line break
          // the old split swallowed.
          fc.pre(!/\\\n/.test(text) && !text.includes('\r'));
          assert.deepEqual(all(indexed(text)), referenceLines(text));
        }),
        { numRuns: 1000 },
      );
    });

    it('loses and adds no character but whitespace, for any text', () => {
      fc.assert(
        fc.property(fc.oneof(jsonish, fc.string({ maxLength: 200 }), fc.json()), (text) => {
          const lines = all(indexed(text));
          assert.equal(stripSpace(lines.join('\n')), stripSpace(text));
          assert.ok(lines.every((l) => !l.includes('\n')));
        }),
        { numRuns: 1000 },
      );
    });

    it('pretty-prints valid JSON exactly as JSON.stringify(…, 2) whatever its whitespace', () => {
      fc.assert(
        fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 4, '\t', ' \r\n '), (value, space) => {
          const text = JSON.stringify(value, null, space);
          assert.equal(reformatJson(text), JSON.stringify(value, null, 2));
          assert.equal(indexed(text).count, JSON.stringify(value, null, 2).split('\n').length);
        }),
        { numRuns: 500 },
      );
    });

    it('slices ending at any character give the same line starts and lines (every boundary of a tricky text)', () => {
      const text = '{"a\\"]":[1,{},[ ],"x,y"],"n":12345678901234567890 ,\n "z":{"q":[true,null]},"cut":"unterm';
      const whole = indexed(text);
      for (let k = 1; k <= text.length; k++) {
        const sliced = new JsonLines(text);
        const doneEarly = sliced.advance(k);
        assert.equal(doneEarly, sliced.done);
        sliced.advance(Number.POSITIVE_INFINITY);
        assert.deepEqual(starts(sliced), starts(whole), `first slice ${k} chars`);
        assert.deepEqual(all(sliced), all(whole), `first slice ${k} chars`);
      }
    });

    it('slices of any sizes give the same index as one pass, for any JSON-like text', () => {
      fc.assert(
        fc.property(fc.oneof(jsonish, fc.json()), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 5 }), (text, chunks) => {
          const whole = indexed(text);
          const sliced = indexed(text, chunks);
          assert.deepEqual(starts(sliced), starts(whole));
          assert.deepEqual(all(sliced), all(whole));
        }),
        { numRuns: 1000 },
      );
    });

    it('grows its offset arrays past the first estimate, also in the middle of a slice', () => {
      // Two characters a line: many times the estimate of one line per 8 characters.
      const text = `[${'1,'.repeat(50_000)}1]`;
      const whole = indexed(text);
      assert.equal(whole.count, 50_003);
      assert.equal(whole.line(50_001), '  1');
      assert.deepEqual(all(indexed(text, [7, 4096, 13])), all(whole));
      assert.deepEqual(all(whole), referenceLines(text));
    });

    it('indexes the benchmark’s 5 MB body into its 555,972 lines, the last one `]`', () => {
      const records: unknown[] = [];
      let size = 2;
      for (let i = 0; size < 5_000_000; i++) {
        const r = { id: i, name: `store-${i}`, city: 'Oslo', open: i % 3 !== 0, tags: ['mobile', 'broadband'] };
        size += JSON.stringify(r).length + 1;
        records.push(r);
      }
      const text = JSON.stringify(records);
      const lines = indexed(text, [SLICE_CHARS]);
      assert.equal(lines.count, 555_972);
      assert.equal(lines.line(lines.count - 1), ']');
      const pretty = JSON.stringify(records, null, 2).split('\n');
      for (const i of [0, 1, 2, 9, 277_777, lines.count - 2]) assert.equal(lines.line(i), pretty[i], `line ${i}`);
    });

    it('a body labelled JSON is re-indented only when it starts like JSON (an HTML error page stays text)', () => {
      for (const t of ['{"a":1}', ' \n[1]', '"s"', '-1', '42', 'true', 'null', '']) assert.equal(looksLikeJson(t), true, t);
      for (const t of ['<html><body>Bad gateway</body></html>', 'Service Unavailable', '  <?xml version="1.0"?>', 'Not found']) assert.equal(looksLikeJson(t), false, t);
    });

    it('an out-of-range line is empty, never undefined text', () => {
      const lines = indexed('[1]');
      assert.equal(lines.line(-1), '');
      assert.equal(lines.line(99), '');
    });
  });

  describe('TextLines: plain text', () => {
    it('splits as text.split(/\\r?\\n/) does, in slices of any size', () => {
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\r', ' ', 'ø'), maxLength: 80 }), fc.integer({ min: 1, max: 7 }), (text, chunk) => {
          const lines = new TextLines(text);
          while (!lines.advance(chunk));
          assert.deepEqual(all(lines), text.split(/\r?\n/));
        }),
        { numRuns: 1000 },
      );
    });

    it('an empty body is done at once with one empty line', () => {
      const lines = new TextLines('');
      assert.equal(lines.done, true);
      assert.equal(lines.count, 1);
      assert.equal(lines.line(0), '');
    });
  });

  describe('advanceFor: a time budget per task', () => {
    it('stops once the budget is spent and resumes where it stopped', () => {
      const text = `[${'"x",'.repeat(200_000)}0]`;
      let clock = 0;
      // Each clock reading costs 10 ms: the budget of 25 ms allows three slices.
      const now = (): number => (clock += 10);
      const lines = new JsonLines(text);
      let tasks = 0;
      while (!advanceFor(lines, 25, now)) tasks++;
      assert.ok(tasks >= 1, 'a body this big takes more than one task');
      assert.ok(tasks < text.length / SLICE_CHARS, `${tasks} tasks`);
      assert.equal(lines.count, 200_003);
      assert.deepEqual(all(lines), all(indexed(text)));
    });

    it('a small body is done in the first task', () => {
      const lines = new JsonLines('{"a":1}');
      assert.equal(
        advanceFor(lines, 25, () => 0),
        true,
      );
    });
  });

  describe('virtualWindow', () => {
    const base = { lineHeight: 18.85, padTop: 6, padBottom: 6, clientHeight: 500, overscan: 40 };

    it('the jump to the end shows the last line whole (the 6 px paddings are in the scroll range: finding 6)', () => {
      const count = 555_972;
      const top = virtualWindow({ ...base, count, scrollTop: 0 });
      const spacerPx = count * base.lineHeight + 12;
      assert.equal(top.spacerPx, spacerPx);
      const end = virtualWindow({ ...base, count, scrollTop: spacerPx - base.clientHeight });
      assert.equal(end.last, count);
      // The drawn block: its top, padding, the lines, padding — its bottom is the bottom of the scroll range.
      const lastLineBottom = end.codeTop + base.padTop + (end.last - end.first) * base.lineHeight;
      assert.ok(Math.abs(lastLineBottom + base.padBottom - spacerPx) < 1e-6, `${lastLineBottom} vs ${spacerPx}`);
      assert.ok(lastLineBottom <= spacerPx - base.padBottom + 1e-6, 'the last line ends inside the view');
      assert.equal(end.codeTop, end.first * base.lineHeight);
    });

    it('draws the visible lines plus the overscan, no more', () => {
      const w = virtualWindow({ ...base, lineHeight: 20, count: 100_000, scrollTop: 20 * 1000 + 6 });
      assert.equal(w.first, 1000 - 40);
      assert.equal(w.last, 1000 + 25 + 1 + 40);
      assert.equal(w.codeTop, w.first * 20);
    });

    it('past the browsers’ height limit the range is scaled and both ends stay reachable', () => {
      const count = 3_000_000;
      const spacerPx = MAX_SCROLL_PX;
      const top = virtualWindow({ ...base, count, scrollTop: 0 });
      assert.equal(top.spacerPx, spacerPx);
      assert.equal(top.first, 0);
      const end = virtualWindow({ ...base, count, scrollTop: spacerPx - base.clientHeight });
      assert.equal(end.last, count);
      const blockBottom = end.codeTop + base.padTop + (end.last - end.first) * base.lineHeight + base.padBottom;
      assert.ok(Math.abs(blockBottom - spacerPx) < 1e-3, `${blockBottom} vs ${spacerPx}`);
      // Halfway down the scroll bar is halfway through the body.
      const mid = virtualWindow({ ...base, count, scrollTop: (spacerPx - base.clientHeight) / 2 });
      assert.ok(Math.abs(mid.first + 40 - count / 2) < 30, `${mid.first}`);
      // The drawn block sits in view wherever the scroll bar is.
      for (const scrollTop of [0, 12_345, spacerPx / 3, spacerPx - base.clientHeight]) {
        const w = virtualWindow({ ...base, count, scrollTop });
        const firstVisibleTop = w.codeTop + base.padTop + Math.min(40, w.first) * base.lineHeight;
        assert.ok(firstVisibleTop <= scrollTop + base.padTop + 1e-6 && firstVisibleTop > scrollTop - base.lineHeight, `at ${scrollTop}: ${firstVisibleTop}`);
      }
    });

    it('a scroll position past the range (a stale one) is clamped', () => {
      const w = virtualWindow({ ...base, count: 5000, scrollTop: 1e9 });
      assert.equal(w.last, 5000);
    });
  });

  describe('rangeHint', () => {
    it('says what bounds there are, without dangling ellipses', () => {
      assert.equal(rangeHint(2, 9), 'Range: 2 to 9.');
      assert.equal(rangeHint(2, undefined), 'Range: at least 2.');
      assert.equal(rangeHint(undefined, 9), 'Range: at most 9.');
      assert.equal(rangeHint(0, undefined), 'Range: at least 0.');
      assert.equal(rangeHint(5, 5), 'Range: exactly 5.');
      assert.equal(rangeHint(undefined, undefined), '');
    });
  });
});
