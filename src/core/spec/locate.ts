/**
 * JSON pointer → line/column in the spec's text, for problems found after parsing (validation, indexing).
 * Only run on demand for the handful of pointers that have problems, so the fast load path never pays for
 * position tracking.
 *
 * Hand-written because neither parser we use keeps positions: `JSON.parse` has none, and js-yaml only
 * reports node boundaries through its `listener` hook, which this module turns into object → range.
 */
import { load as loadYaml } from 'js-yaml';
import { lineStarts, positionFromStarts, yamlLoadOptions, type SpecFormat, type TextPosition } from './parse';
import { parsePointer } from './pointer';

interface Trie {
  children: Map<string, Trie>;
  /** Pointers that end at this node. */
  ends: string[];
}

function buildTrie(pointers: readonly string[]): Trie {
  const root: Trie = { children: new Map(), ends: [] };
  for (const p of pointers) {
    const segments = parsePointer(p);
    if (segments === undefined) continue;
    let node = root;
    for (const s of segments) {
      let next = node.children.get(s);
      if (!next) {
        next = { children: new Map(), ends: [] };
        node.children.set(s, next);
      }
      node = next;
    }
    node.ends.push(p);
  }
  return root;
}

/**
 * Positions of the given pointers in `text`: an object member is placed at its key, an array item at its
 * first character. Pointers that cannot be found (a path the text does not hold) are left out.
 */
export function locatePointers(text: string, format: SpecFormat, pointers: readonly string[]): Map<string, TextPosition> {
  const found = new Map<string, number>();
  if (pointers.length === 0) return new Map();
  try {
    if (format === 'json') locateJson(text, buildTrie(pointers), found);
    else locateYaml(text, pointers, found);
  } catch {
    // Positions are a convenience: a text we cannot walk simply yields none.
  }
  const starts = lineStarts(text);
  const out = new Map<string, TextPosition>();
  for (const [p, offset] of found) out.set(p, positionFromStarts(starts, offset));
  return out;
}

// ---------------------------------------------------------------------------------------------- JSON

function locateJson(text: string, trie: Trie, found: Map<string, number>): void {
  const start = skipJsonSpace(text, 0);
  for (const p of trie.ends) found.set(p, start);
  walkJson(text, start, trie, found);
}

function skipJsonSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) i++;
    else break;
  }
  return i;
}

/** End offset (exclusive) of the string starting at the quote at `i`. */
function skipJsonString(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q === -1) return text.length;
    let backslashes = 0;
    for (let k = q - 1; k > i && text.charCodeAt(k) === 0x5c; k--) backslashes++;
    if (backslashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** End offset of the value starting at `i` (already past whitespace). */
function skipJsonValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipJsonString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    let j = i;
    while (j < text.length) {
      const ch = text.charCodeAt(j);
      if (ch === 0x22) {
        j = skipJsonString(text, j);
        continue;
      }
      if (ch === 0x7b || ch === 0x5b) depth++;
      else if (ch === 0x7d || ch === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !',}] \n\r\t'.includes(text[j] as string)) j++;
  return j;
}

/** Walks the container at `i` looking only into members named in `trie`. Returns the end offset. */
function walkJson(text: string, i: number, trie: Trie, found: Map<string, number>): number {
  if (trie.children.size === 0) return skipJsonValue(text, i);
  const open = text[i];
  if (open !== '{' && open !== '[') return skipJsonValue(text, i);
  const close = open === '{' ? '}' : ']';
  let j = skipJsonSpace(text, i + 1);
  let index = 0;
  while (j < text.length && text[j] !== close) {
    let segment: string;
    let placeAt = j;
    if (open === '{') {
      const keyEnd = skipJsonString(text, j);
      const raw = text.slice(j + 1, keyEnd - 1);
      segment = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
      placeAt = j;
      j = skipJsonSpace(text, keyEnd);
      j = skipJsonSpace(text, j + 1); // past ':'
    } else {
      segment = String(index++);
      placeAt = j;
    }
    const child = trie.children.get(segment);
    if (child) {
      for (const p of child.ends) found.set(p, placeAt);
      j = walkJson(text, j, child, found);
    } else {
      j = skipJsonValue(text, j);
    }
    j = skipJsonSpace(text, j);
    if (text[j] === ',') j = skipJsonSpace(text, j + 1);
  }
  return j + 1;
}

// ---------------------------------------------------------------------------------------------- YAML

interface YamlListenerState {
  position: number;
  kind: string | null;
  result: unknown;
}

function locateYaml(text: string, pointers: readonly string[], found: Map<string, number>): void {
  // Every collection object the loader builds, with the text range it came from. Keys of js-yaml results
  // are the very objects in the returned document, so a pointer walk over the result can look them up.
  const ranges = new Map<object, { start: number; end: number }>();
  const opens: number[] = [];
  const listener = (event: 'open' | 'close', state: YamlListenerState): void => {
    if (event === 'open') {
      opens.push(state.position);
      return;
    }
    const start = opens.pop() ?? 0;
    if ((state.kind === 'mapping' || state.kind === 'sequence') && typeof state.result === 'object' && state.result !== null) {
      if (!ranges.has(state.result)) ranges.set(state.result, { start, end: state.position });
    }
  };
  const doc = loadYaml(text, yamlLoadOptions({ json: true, listener: listener as (event: 'open' | 'close', state: never) => void }));
  for (const p of pointers) {
    const at = locateInYaml(text, doc, ranges, p);
    if (at !== undefined) found.set(p, at);
  }
}

function locateInYaml(
  text: string,
  doc: unknown,
  ranges: Map<object, { start: number; end: number }>,
  pointer: string,
): number | undefined {
  const segments = parsePointer(pointer);
  if (segments === undefined) return undefined;
  let cur: unknown = doc;
  let best = typeof doc === 'object' && doc !== null ? skipYamlSpace(text, ranges.get(doc)?.start ?? 0) : 0;
  for (const s of segments) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    const range = ranges.get(cur);
    let child: unknown;
    if (Array.isArray(cur)) {
      child = cur[Number(s)];
      if (child === undefined) return undefined;
    } else {
      const obj = cur as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(obj, s)) return undefined;
      child = obj[s];
      const keyAt = range ? findYamlKey(text, range.start, range.end, s) : undefined;
      if (keyAt !== undefined) best = keyAt;
    }
    if (Array.isArray(cur) && typeof child === 'object' && child !== null) {
      const childRange = ranges.get(child);
      if (childRange) best = skipYamlSpace(text, childRange.start);
    }
    cur = child;
  }
  return best;
}

function skipYamlSpace(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const c = text[j];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || (c === '-' && /\s/.test(text[j + 1] ?? ' '))) j++;
    else if (c === '#') {
      const nl = text.indexOf('\n', j);
      j = nl === -1 ? text.length : nl + 1;
    } else break;
  }
  return j;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Offset of `key` as a key of the mapping whose text spans [start, end). */
function findYamlKey(text: string, start: number, end: number, key: string): number | undefined {
  const first = skipYamlSpace(text, start);
  const flow = text[first] === '{';
  const column = first - (text.lastIndexOf('\n', first - 1) + 1);
  const k = escapeRegExp(key);
  // Quoted keys may touch their value in flow style (`{"a":1}`); plain keys need a space after the colon.
  const re = new RegExp(`(?:"${k}"|'${k}')[ \\t]*:|${k}[ \\t]*:(?=\\s|$)`, 'g');
  // A sliced string costs nothing in V8 and keeps the scan inside this mapping.
  const hay = text.slice(first, end);
  for (let m = re.exec(hay); m !== null; m = re.exec(hay)) {
    const at = first + m.index;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (flow) {
      const before = text[at - 1] ?? '';
      if (/[\s{,]/.test(before)) return at;
    } else if (at - lineStart === column) {
      // Block style: keys of this mapping all start at its column; deeper keys with the same name do not.
      return at;
    }
  }
  return undefined;
}
