/**
 * JSON pointers (RFC 6901) in the `#/a/b` form the index uses for ids, plus lazy `$ref` resolution inside one
 * parsed document. The indexer resolves only what it needs (a parameter, a path item, a request body) by
 * pointer instead of dereferencing the whole spec, which is what keeps big specs cheap to index.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function escapeSegment(segment: string): string {
  // `~` first, or the `~1` written for `/` would be escaped again. Plain-string replaceAll is the fast path
  // in V8 (paths are escaped once per path item of a spec with thousands).
  const tilde = segment.indexOf('~') === -1 ? segment : segment.replaceAll('~', '~0');
  return tilde.indexOf('/') === -1 ? tilde : tilde.replaceAll('/', '~1');
}

export function unescapeSegment(segment: string): string {
  if (segment.indexOf('~') === -1) return segment;
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** `['paths', '/a/{id}', 'get']` → `#/paths/~1a~1{id}/get`. */
export function toPointer(segments: readonly (string | number)[]): string {
  let out = '#';
  for (const s of segments) out += '/' + escapeSegment(String(s));
  return out;
}

/** Appends segments to an existing pointer. */
export function childPointer(pointer: string, ...segments: (string | number)[]): string {
  let out = pointer === '' ? '#' : pointer;
  for (const s of segments) out += '/' + escapeSegment(String(s));
  return out;
}

/**
 * `#/a/b`, `/a/b`, `#` or `` → segments; `undefined` for anything that is not a local pointer.
 * Fragments in `$ref`s are URI fragments, so `%7B` etc. are decoded; a bad escape leaves the segment as is
 * rather than failing, because `{`/`}` appear unencoded in many real specs.
 */
export function parsePointer(pointer: string): string[] | undefined {
  let p = pointer;
  const uriFragment = p.startsWith('#');
  if (uriFragment) p = p.slice(1);
  if (p === '') return [];
  if (!p.startsWith('/')) return undefined;
  const raw = p.slice(1).split('/');
  if (p.indexOf('~') === -1 && p.indexOf('%') === -1) return raw;
  return raw.map((segment) => {
    let s = segment;
    if (uriFragment && s.includes('%')) {
      try {
        s = decodeURIComponent(s);
      } catch {
        // keep the raw text
      }
    }
    return unescapeSegment(s);
  });
}

/** The value at `segments` inside `doc`, or `undefined` when any step is missing. */
export function getAt(doc: unknown, segments: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const s of segments) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(s)) return undefined;
      cur = cur[Number(s)];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, s)) return undefined;
      cur = cur[s];
    } else {
      return undefined;
    }
  }
  return cur;
}

export function getAtPointer(doc: unknown, pointer: string): unknown {
  const segments = parsePointer(pointer);
  return segments === undefined ? undefined : getAt(doc, segments);
}

/** Why a `$ref` could not be followed. */
export type RefFailure = 'dangling' | 'external' | 'circular' | 'invalid';

export type Resolution =
  | { ok: true; value: unknown; pointer: string }
  | { ok: false; reason: RefFailure; ref: string; pointer: string };

/** The `$ref` string of a Reference Object, or `undefined`. */
export function refOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const ref = value['$ref'];
  return typeof ref === 'string' ? ref : undefined;
}

/** A `$ref` that does not start with `#` points into another document (relative file or URL). */
export function isExternalRef(ref: string): boolean {
  return !ref.startsWith('#');
}

/**
 * Follows a chain of local `$ref`s starting at `value` (found at `pointer`). Returns the first non-reference
 * value and where it lives. Chains longer than `maxHops` count as circular: a reference object that
 * refers to itself (directly or through others) has no value.
 */
export function resolveRef(doc: unknown, value: unknown, pointer: string, maxHops = 32): Resolution {
  let cur = value;
  let at = pointer;
  for (let hop = 0; hop <= maxHops; hop++) {
    const ref = refOf(cur);
    if (ref === undefined) return { ok: true, value: cur, pointer: at };
    if (isExternalRef(ref)) return { ok: false, reason: 'external', ref, pointer: at };
    const segments = parsePointer(ref);
    if (segments === undefined) return { ok: false, reason: 'invalid', ref, pointer: at };
    const next = getAt(doc, segments);
    if (next === undefined) return { ok: false, reason: 'dangling', ref, pointer: at };
    cur = next;
    at = toPointer(segments);
  }
  return { ok: false, reason: 'circular', ref: refOf(cur) ?? '', pointer: at };
}

/**
 * Maps a pointer into a dereferenced copy (what a validator reports) back to the place in the original
 * document that holds the value: each step that lands on a `$ref` jumps to the referenced location.
 */
export function pointerThroughRefs(doc: unknown, segments: readonly string[]): string {
  let cur: unknown = doc;
  let at: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as string;
    const resolved = resolveRef(doc, cur, toPointer(at));
    if (resolved.ok) {
      cur = resolved.value;
      at = parsePointer(resolved.pointer) ?? at;
    }
    const next = getAt(cur, [s]);
    if (next === undefined) {
      // Past what the original holds: the deepest real place plus the rest of the path, as given.
      return toPointer([...at, ...segments.slice(i)]);
    }
    cur = next;
    at = [...at, s];
  }
  // A problem about a value that is a `$ref` is a problem of the referenced definition.
  const last = resolveRef(doc, cur, toPointer(at));
  return last.ok ? last.pointer : toPointer(at);
}

/** Whether `value` holds at most `maxNodes` values in total (stops counting early). */
export function isSmallValue(value: unknown, maxNodes: number): boolean {
  let budget = maxNodes;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (--budget < 0) return false;
    if (typeof v === 'object' && v !== null) {
      for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push(child);
    }
  }
  return true;
}

/**
 * Raw values the indexer copies into what it sends to the host (a parameter's `example`, `default`,
 * `enum`) must be small: the index is serialized with `JSON.stringify`, and a YAML alias bomb (nine
 * aliases of nine aliases…) is a few hundred bytes of text that shares its objects in memory but expands to
 * gigabytes when written out. Bigger values are left out of the index; the form then simply has no
 * example or default, and the spec itself is untouched.
 */
export const MAX_COPIED_VALUE_NODES = 10_000;

/** `value` when it is small enough to copy into the index (see MAX_COPIED_VALUE_NODES), else undefined. */
export function smallOrUndefined<T>(value: T): T | undefined {
  return typeof value !== 'object' || value === null || isSmallValue(value, MAX_COPIED_VALUE_NODES) ? value : undefined;
}

/**
 * At most `max` characters of `value` written as JSON, for messages. Never serializes more than it shows:
 * `JSON.stringify` on a hostile value (an alias bomb, a 100 MB string) would take minutes or run out of
 * memory just to be cut to a few characters afterwards.
 */
export function previewJson(value: unknown, max = 40): string {
  type Piece = { text: string } | { value: unknown };
  const clip = (t: string): string => JSON.stringify(t.length > max ? t.slice(0, max + 1) : t);
  let out = '';
  const stack: Piece[] = [{ value }];
  while (stack.length > 0 && out.length <= max) {
    const piece = stack.pop() as Piece;
    if ('text' in piece) {
      out += piece.text;
      continue;
    }
    const v = piece.value;
    if (typeof v === 'string') out += clip(v);
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) out += JSON.stringify(v);
    else if (typeof v === 'object') {
      // Children are pushed in reverse; each prints at least one character, so more than `max` never show.
      const isArray = Array.isArray(v);
      const keys = isArray ? [] : Object.keys(v).slice(0, max + 1);
      const n = isArray ? Math.min(v.length, max + 1) : keys.length;
      stack.push({ text: isArray ? ']' : '}' });
      for (let i = n - 1; i >= 0; i--) {
        if (isArray) stack.push({ value: v[i] });
        else {
          const k = keys[i] as string;
          stack.push({ value: (v as Record<string, unknown>)[k] }, { text: `${clip(k)}:` });
        }
        if (i > 0) stack.push({ text: ',' });
      }
      stack.push({ text: isArray ? '[' : '{' });
    } else out += String(v);
  }
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

/** Extensions bigger than this many values are not copied into summaries (GitHub's `x-webhooks` is 600 KB). */
export const MAX_EXTENSION_NODES = 2000;

/**
 * Own `x-…` keys of an object (vendor extensions). Big values are replaced by
 * `{ "$ref": "#/…/x-name", "x-unresolved": "size" }`, the same marker schema display uses, so a caller
 * that needs one fetches it by pointer instead of every summary carrying it.
 */
export function extensionsOf(obj: JsonObject, pointer = '#'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (!key.startsWith('x-')) continue;
    const value = obj[key];
    out[key] = isSmallValue(value, MAX_EXTENSION_NODES) ? value : { $ref: childPointer(pointer, key), 'x-unresolved': 'size' };
  }
  return out;
}
