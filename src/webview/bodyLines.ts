/**
 * A response body as display lines, without building them (pure, no DOM).
 *
 * A 5 MB JSON answer is ~556,000 lines once indented. Making each line a string up front (re-indent into one
 * string, then split it) cost ~130 ms of CPU and as much again in garbage collection, on the workbench's
 * thread in code-server. Instead the body stays one string and one pass records where each line starts (an
 * Int32Array of offsets, plus the nesting depth for JSON); a line's text is made only when the view draws it.
 * The pass is resumable at any token boundary, so a caller can spread a huge body over several tasks.
 */

/** What the body view draws from. */
export interface BodyLines {
  /** Lines found so far (all of them once `done`). Always at least 1: an empty body is one empty line. */
  readonly count: number;
  readonly done: boolean;
  /** Index at least `chars` more characters (whole tokens, so a little more); true once the body is done. */
  advance(chars: number): boolean;
  /** The text of line `i` (0-based), without its line break. */
  line(i: number): string;
}

/** Offsets grow in one typed array, doubled when full (no per-line objects for the collector to trace). */
class Offsets {
  starts: Int32Array;
  depths: Int32Array | undefined;
  count = 0;

  constructor(estimate: number, withDepth: boolean) {
    const size = Math.max(16, Math.min(estimate, 1 << 20));
    this.starts = new Int32Array(size);
    this.depths = withDepth ? new Int32Array(size) : undefined;
  }

  grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    if (this.depths) {
      const depths = new Int32Array(size);
      depths.set(this.depths);
      this.depths = depths;
    }
  }
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

/**
 * The end (exclusive) of the string token starting at `i` (a `"`): after its closing quote, or at a raw line
 * break (an unterminated string, e.g. a body cut at the display cap, runs to the end of its line — even after
 * a backslash, so no display line ever holds a line break), or at the end of the text.
 */
function stringEnd(text: string, i: number, n: number): number {
  let j = i + 1;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === QUOTE) return j + 1;
    if (d === LF) return j;
    if (d === BACKSLASH) {
      if (text.charCodeAt(j + 1) === LF) return j + 1;
      j += 2;
    } else j++;
  }
  return n;
}

/** The end of a bare word (number, literal or anything else): the next structural character or whitespace. */
function wordEnd(text: string, i: number, n: number): number {
  let j = i + 1;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (isSpace(d) || d === QUOTE || d === COMMA || d === COLON || d === OPEN_BRACE || d === CLOSE_BRACE || d === OPEN_BRACKET || d === CLOSE_BRACKET) break;
    j++;
  }
  return j;
}

/**
 * JSON re-indented by its structure, exactly as sent: a line break after `{`, `[` and `,` and before `}` and
 * `]`, one space after `:`, whitespace between tokens dropped (one space kept between two values, as in
 * `[1 2]`: not JSON, but the space is part of what was sent); string contents, numbers of any size, duplicate
 * keys and every other character are kept as they are (not `JSON.parse` + `JSON.stringify`, which would round
 * `12345678901234567890`, drop a duplicate key and fail on a body cut at the display cap). Empty `{}` and `[]`
 * stay on one line. Works on any text, valid JSON or not.
 *
 * Line `i` holds the tokens in `text[starts[i], starts[i + 1])` at indentation `depths[i]`.
 */
export class JsonLines implements BodyLines {
  private readonly offsets: Offsets;
  private pos = 0;
  private depth = 0;
  private pendingOpen = false;
  private readonly indents: string[] = [''];

  constructor(
    readonly text: string,
    private readonly indentUnit = '  ',
  ) {
    // Pretty-printed records run ~9 characters a line; start near that and double when needed.
    this.offsets = new Offsets(Math.ceil(text.length / 8), true);
    this.offsets.count = 1;
  }

  get count(): number {
    return this.offsets.count;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  advance(chars: number): boolean {
    const text = this.text;
    const n = text.length;
    const limit = Math.min(n, this.pos + Math.max(1, chars));
    const o = this.offsets;
    let starts = o.starts;
    let depths = o.depths as Int32Array;
    let count = o.count;
    let depth = this.depth;
    let pendingOpen = this.pendingOpen;
    let i = this.pos;
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      // Where a line starts in this step, if one does.
      let at = -1;
      if (pendingOpen) {
        pendingOpen = false;
        if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
          // `{}` / `[]`: closed on the same line.
          depth--;
          i++;
          continue;
        }
        // A line starts at this token, which the next turn of the loop reads again (it may start one too: `[,`).
        at = i;
      } else if (c === QUOTE) {
        i = stringEnd(text, i, n);
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
        pendingOpen = true;
        i++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        at = i;
        i++;
      } else if (c === COMMA) {
        i++;
        at = i;
      } else if (c === COLON) {
        i++;
      } else {
        i = wordEnd(text, i, n);
      }
      if (at >= 0) {
        // Inlined (no closure, no call): this runs once per line, 556,000 times for the 5 MB benchmark body.
        if (count === starts.length) {
          o.count = count;
          o.grow();
          starts = o.starts;
          depths = o.depths as Int32Array;
        }
        starts[count] = at;
        depths[count++] = depth;
      }
    }
    o.count = count;
    this.pos = i;
    this.depth = depth;
    this.pendingOpen = pendingOpen;
    return i >= n;
  }

  line(i: number): string {
    const o = this.offsets;
    if (i < 0 || i >= o.count) return '';
    const text = this.text;
    const end = i + 1 < o.count ? (o.starts[i + 1] as number) : this.pos;
    let out = this.indent((o.depths as Int32Array)[i] as number);
    let j = o.starts[i] as number;
    // Whitespace seen since the last token, and whether that token was a value (a string or a word).
    let spaced = false;
    let afterValue = false;
    // The same tokens the indexing pass saw, now written out: whitespace dropped, `: ` after a colon.
    while (j < end) {
      const c = text.charCodeAt(j);
      if (isSpace(c)) {
        spaced = true;
        j++;
        continue;
      }
      let k: number;
      let value = false;
      if (c === COLON) {
        out += ': ';
        j++;
        spaced = false;
        afterValue = false;
        continue;
      } else if (c === COMMA || c === OPEN_BRACE || c === CLOSE_BRACE || c === OPEN_BRACKET || c === CLOSE_BRACKET) k = j + 1;
      else {
        k = c === QUOTE ? stringEnd(text, j, end) : wordEnd(text, j, end);
        value = true;
        // Two values apart (`[1 2]`, `{"a": not json}`): not JSON, and the space between them is meaning.
        if (afterValue && spaced) out += ' ';
      }
      out += text.slice(j, k);
      j = k;
      spaced = false;
      afterValue = value;
    }
    return out;
  }

  /** Where line `i` starts in the text and how deep it is (tests and diagnostics). */
  lineStart(i: number): { offset: number; depth: number } {
    return { offset: this.offsets.starts[i] ?? -1, depth: this.offsets.depths?.[i] ?? 0 };
  }

  private indent(depth: number): string {
    if (depth <= 0) return '';
    // Cached per depth: one string per level instead of one per line.
    for (let d = this.indents.length; d <= depth; d++) this.indents.push(this.indents[d - 1] + this.indentUnit);
    return this.indents[depth] as string;
  }
}

/**
 * Whether a body labelled JSON is worth re-indenting: it starts (after whitespace) like a JSON value. An HTML
 * error page sent as `application/json` is shown as the text it is.
 */
export function looksLikeJson(text: string): boolean {
  const m = /\S/.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  if (!m) return true;
  const rest = text.slice(m.index, m.index + 5);
  return /^[{["\-0-9]/.test(rest) || /^(?:true|false|null)/.test(rest);
}

/** Plain text split at `\n` / `\r\n` (a lone `\r` stays in its line), as `text.split(/\r?\n/)` would. */
export class TextLines implements BodyLines {
  private readonly offsets: Offsets;
  private pos = 0;
  private finished: boolean;

  constructor(readonly text: string) {
    this.offsets = new Offsets(Math.ceil(text.length / 40), false);
    this.offsets.count = 1;
    this.finished = text.length === 0;
  }

  get count(): number {
    return this.offsets.count;
  }

  get done(): boolean {
    return this.finished;
  }

  advance(chars: number): boolean {
    if (this.finished) return true;
    const text = this.text;
    const limit = Math.min(text.length, this.pos + Math.max(1, chars));
    const o = this.offsets;
    let i = this.pos;
    while (i < limit) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) {
        i = text.length;
        break;
      }
      if (o.count === o.starts.length) o.grow();
      o.starts[o.count++] = nl + 1;
      i = nl + 1;
    }
    this.pos = i;
    this.finished = i >= text.length;
    return this.finished;
  }

  line(i: number): string {
    const o = this.offsets;
    if (i < 0 || i >= o.count) return '';
    const start = o.starts[i] as number;
    if (i + 1 < o.count) {
      const next = (o.starts[i + 1] as number) - 1;
      return this.text.slice(start, next > start && this.text.charCodeAt(next - 1) === CR ? next - 1 : next);
    }
    return this.text.slice(start, this.pos);
  }
}

/** How many characters one `advance` call takes between clock checks (~1–3 ms of work at 5 MB). */
export const SLICE_CHARS = 256 * 1024;

/**
 * Indexes for up to `budgetMs` (checked every `SLICE_CHARS`), so one task stays short: the caller yields to
 * the browser and calls again until it returns true.
 */
export function advanceFor(lines: BodyLines, budgetMs: number, now: () => number): boolean {
  const t0 = now();
  while (!lines.advance(SLICE_CHARS)) {
    if (now() - t0 >= budgetMs) return false;
  }
  return true;
}

/**
 * Browsers cap how tall an element can be (Chromium ~33.5 million px, Firefox ~17.9 million); past this the
 * scroll range is scaled, so the end of a very long body stays reachable by scrolling.
 */
export const MAX_SCROLL_PX = 15_000_000;

export interface WindowInput {
  count: number;
  lineHeight: number;
  /** The code block's vertical padding: part of the scroll range, so the last line is not cut (finding 6). */
  padTop: number;
  padBottom: number;
  scrollTop: number;
  clientHeight: number;
  /** Lines drawn beyond the visible ones on each side, so a small scroll shows drawn lines at once. */
  overscan: number;
  maxScrollPx?: number;
}

export interface WindowLayout {
  /** Height of the element that makes the scroll range. */
  spacerPx: number;
  /** Lines `[first, last)` are drawn. */
  first: number;
  last: number;
  /** Where the drawn block's top (its padding included) goes, in the scroller's coordinates. */
  codeTop: number;
}

/**
 * Which lines a virtualised body draws and where. The content is `count × lineHeight` plus the padding; the
 * spacer is as tall (or `maxScrollPx`, with scroll positions mapped proportionally). At the largest scroll
 * position the drawn block's bottom meets the spacer's bottom, so the last line shows whole.
 */
export function virtualWindow(w: WindowInput): WindowLayout {
  const lh = w.lineHeight;
  const contentPx = w.count * lh + w.padTop + w.padBottom;
  const spacerPx = Math.min(contentPx, w.maxScrollPx ?? MAX_SCROLL_PX);
  const scrollRange = Math.max(0, spacerPx - w.clientHeight);
  const contentRange = Math.max(0, contentPx - w.clientHeight);
  const scrollTop = Math.min(Math.max(0, w.scrollTop), scrollRange);
  // The content's own position for this scroll position: the same number unless the range is scaled.
  const v = spacerPx === contentPx || scrollRange === 0 ? scrollTop : (scrollTop / scrollRange) * contentRange;
  const firstVisible = Math.min(w.count - 1, Math.max(0, Math.floor((v - w.padTop) / lh)));
  const visible = Math.ceil(w.clientHeight / lh) + 1;
  const first = Math.max(0, firstVisible - w.overscan);
  const last = Math.min(w.count, firstVisible + visible + w.overscan);
  return { spacerPx, first, last, codeTop: first * lh + (scrollTop - v) };
}
