/**
 * Spec text → document. JSON goes through `JSON.parse` (the fastest parser V8 has); everything else
 * through js-yaml with the YAML 1.2 core schema, which builds only plain data (no custom tags that run
 * code, no timestamps turning `2024-01-01` examples into Dates). Syntax errors come back as located
 * problems, never as throws.
 */
import * as jsYaml from 'js-yaml';
import { CORE_SCHEMA, load as loadYaml, type LoadOptions, type Type } from 'js-yaml';
import type { SpecProblem, SpecProblemCode, SpecVersion } from './types';
import { isObject, previewJson, type JsonObject } from './pointer';

export type SpecFormat = 'json' | 'yaml';

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export type ParseOutcome =
  | { ok: true; doc: JsonObject; format: SpecFormat; specVersion: SpecVersion; problems: SpecProblem[] }
  | { ok: false; format?: SpecFormat; problems: SpecProblem[] };

// Merge keys (`<<: *base`) are common in hand-written YAML and are plain data, so they are allowed; js-yaml
// caps their total count itself. (`types` is exported by js-yaml 4 but missing from its typings.)
const YAML_SCHEMA = CORE_SCHEMA.extend({ implicit: [(jsYaml as unknown as { types: { merge: Type } }).types.merge] });

/** Generous for real specs (GitHub's nests ~40 levels), small enough that recursion can never overflow. */
const YAML_MAX_DEPTH = 1000;

/**
 * The one set of js-yaml options every YAML read uses. `json: true` lets a duplicate key win like in
 * JSON.parse; `listener` is js-yaml's node open/close hook (used to map pointers to positions).
 */
export function yamlLoadOptions(extra: { json?: boolean; listener?: (event: 'open' | 'close', state: never) => void } = {}): LoadOptions {
  return { schema: YAML_SCHEMA, maxDepth: YAML_MAX_DEPTH, ...extra } as LoadOptions;
}

/** "petstore.yaml line 12, column 3: bad indentation" — the shape every located message takes. */
export function locatedMessage(origin: string, position: TextPosition | undefined, what: string): string {
  return position ? `${origin} line ${position.line}, column ${position.column}: ${what}` : `${origin}: ${what}`;
}

export function problem(
  code: SpecProblemCode,
  message: string,
  extra: Partial<Omit<SpecProblem, 'code' | 'message'>> = {},
): SpecProblem {
  return { severity: 'error', ...extra, code, message };
}

/** 1-based line and column of a UTF-16 offset. */
export function positionAt(text: string, offset: number): TextPosition {
  const at = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/** Offsets where each line starts, for mapping many offsets at once (binary search in `positionFromStarts`). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function positionFromStarts(starts: readonly number[], offset: number): TextPosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
}

export type DecodeOutcome = { ok: true; text: string } | { ok: false; problem: SpecProblem };

/**
 * Bytes → text. UTF-8 (BOM stripped) and UTF-16 with a BOM; anything with NUL bytes or mostly undecodable
 * bytes near the start is reported as binary instead of being fed to a parser that would produce nonsense.
 */
export function decodeSpecBytes(bytes: Uint8Array, origin: string): DecodeOutcome {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { ok: true, text: buf.toString('utf16le', 2) };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const swapped = Buffer.from(buf.subarray(2));
    swapped.swap16();
    return { ok: true, text: swapped.toString('utf16le') };
  }
  const head = buf.subarray(0, 8192);
  if (head.includes(0)) return { ok: false, problem: binaryProblem(origin) };
  const text = buf.toString('utf8', buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
  const sample = text.slice(0, 65536);
  let bad = 0;
  for (let i = sample.indexOf('\ufffd'); i !== -1; i = sample.indexOf('\ufffd', i + 1)) bad++;
  if (bad > 8 && bad > sample.length / 100) return { ok: false, problem: binaryProblem(origin) };
  return { ok: true, text };
}

function binaryProblem(origin: string): SpecProblem {
  return problem('binary', `${origin}: this is not a text file (it contains binary data), so it cannot be an OpenAPI spec.`, {
    hint: 'Pick the .json or .yaml file of the spec; save it as UTF-8 text.',
  });
}

/** Parses JSON or YAML text into a value. Located syntax problems; never throws. */
export function parseText(
  text: string,
  origin: string,
): { ok: true; value: unknown; format: SpecFormat; problems: SpecProblem[] } | { ok: false; format: SpecFormat; problem: SpecProblem } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = firstNonSpace(body);
  if (first === '{') {
    try {
      return { ok: true, value: JSON.parse(body), format: 'json', problems: [] };
    } catch (e) {
      const jsonProblem = jsonSyntaxProblem(body, origin, e);
      // `{` also opens a YAML flow mapping (`{openapi: 3.0.0, …}`); only a `.json` name settles it as JSON.
      if (/\.json$/i.test(origin)) return { ok: false, format: 'json', problem: jsonProblem };
      const yaml = parseYaml(body, origin);
      return yaml.ok ? yaml : { ok: false, format: 'json', problem: jsonProblem };
    }
  }
  return parseYaml(body, origin);
}

function firstNonSpace(text: string): string {
  const m = /\S/.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  return m ? m[0] : '';
}

/**
 * How many values YAML aliases may add to a document. Aliases share one object in memory, so a "billion
 * laughs" file (nine aliases of nine aliases of…) parses in a few kilobytes; but everything that walks
 * the document as a tree (bundling external $refs, validation, writing an example as JSON) visits every
 * alias again and runs for minutes or out of memory. Real specs use aliases for a few shared snippets.
 */
export const MAX_ALIAS_EXPANSION = 1_000_000;

/**
 * Values the document holds when every alias is written out, minus the values it really holds: zero for
 * a document without aliases. Memoised per object, so it costs one pass over the unique values even for an
 * alias bomb. Stops counting past `limit`.
 */
export function aliasExpansion(value: unknown, limit = MAX_ALIAS_EXPANSION): number {
  const size = new Map<object, number>();
  let unique = 0;
  // Iterative post-order walk: a node's size is known once all its children's are.
  const stack: Array<{ node: object; expanded: boolean }> = [];
  const visit = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) return 1;
    const known = size.get(v);
    if (known !== undefined) return known;
    stack.push({ node: v, expanded: false });
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: object; expanded: boolean };
      if (!top.expanded && size.has(top.node)) {
        stack.pop(); // the same alias pushed twice: already sized (or being sized) through the other entry
        continue;
      }
      const children = Array.isArray(top.node) ? top.node : Object.values(top.node);
      if (!top.expanded) {
        top.expanded = true;
        size.set(top.node, 1); // provisional: a cycle counts once
        unique++;
        for (const c of children) {
          if (typeof c !== 'object' || c === null) unique++; // a scalar is held once, by this node
          else if (!size.has(c)) stack.push({ node: c, expanded: false });
        }
        continue;
      }
      stack.pop();
      let total = 1;
      for (const c of children) total += typeof c === 'object' && c !== null ? (size.get(c) ?? 1) : 1;
      size.set(top.node, Math.min(total, Number.MAX_SAFE_INTEGER));
      if (total - unique > limit * 4) {
        // Already far past the limit: no need to size the rest.
        stack.length = 0;
        return total;
      }
    }
    return size.get(v) ?? 1;
  };
  const total = visit(value);
  return Math.max(0, total - unique);
}

function parseYaml(
  text: string,
  origin: string,
): { ok: true; value: unknown; format: 'yaml'; problems: SpecProblem[] } | { ok: false; format: 'yaml'; problem: SpecProblem } {
  const checked = (value: unknown, problems: SpecProblem[]): ReturnType<typeof parseYaml> => {
    // Without both an anchor (&) and an alias (*) there is nothing to expand: skip the walk.
    if (text.includes('*') && text.includes('&') && aliasExpansion(value) > MAX_ALIAS_EXPANSION) {
      return {
        ok: false,
        format: 'yaml',
        problem: problem(
          'too-large',
          `${origin}: its YAML aliases (*name) expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values, so it is not loaded (this is how an "alias bomb" works).`,
          { hint: 'Use aliases only for small shared pieces, or write the repeated parts out; a spec from an untrusted source may be hostile.' },
        ),
      };
    }
    return { ok: true, value, format: 'yaml', problems };
  };
  try {
    return checked(loadYaml(text, yamlLoadOptions()), []);
  } catch (e) {
    const first = yamlSyntaxProblem(origin, e);
    if (!/duplicated mapping key/.test(yamlReason(e))) return { ok: false, format: 'yaml', problem: first };
    // Duplicate keys are a real mistake but the rest of the spec is fine: load it (the last key wins, as
    // JSON.parse does) and report the duplicate as a warning at its place.
    try {
      const value = loadYaml(text, yamlLoadOptions({ json: true }));
      return checked(value, [{ ...first, severity: 'warning' }]);
    } catch (e2) {
      return { ok: false, format: 'yaml', problem: yamlSyntaxProblem(origin, e2) };
    }
  }
}

function yamlReason(e: unknown): string {
  if (isObject(e) || e instanceof Error) {
    const reason = (e as { reason?: unknown }).reason;
    if (typeof reason === 'string' && reason) return reason;
    if (e instanceof Error) return e.message.split('\n')[0] ?? e.message;
  }
  return String(e);
}

function yamlSyntaxProblem(origin: string, e: unknown): SpecProblem {
  const mark = (e as { mark?: { line?: unknown; column?: unknown } } | null)?.mark;
  const position =
    mark && typeof mark.line === 'number' && typeof mark.column === 'number'
      ? { line: mark.line + 1, column: mark.column + 1 }
      : undefined;
  return problem('syntax', locatedMessage(origin, position, yamlReason(e)), {
    ...(position ?? {}),
    hint: 'Fix the YAML and the tree refreshes.',
  });
}

function jsonSyntaxProblem(text: string, origin: string, e: unknown): SpecProblem {
  const raw = e instanceof Error ? e.message : String(e);
  let position: TextPosition | undefined;
  // V8 says "… in JSON at position 42" (Node 20) or "(line 3 column 5)" (newer); older forms name no place,
  // so the offset is found by our own scan.
  const lc = /\(line (\d+) column (\d+)\)/.exec(raw);
  const at = /at position (\d+)/.exec(raw);
  if (lc) position = { line: Number(lc[1]), column: Number(lc[2]) };
  else position = positionAt(text, at ? Number(at[1]) : findJsonErrorOffset(text));
  const reason =
    raw
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+[\s\S]*$/, '')
      .replace(/, "[\s\S]*" is not valid JSON$/, '')
      .trim() || 'invalid JSON';
  return problem('syntax', locatedMessage(origin, position, reason), {
    ...position,
    hint: 'Fix the JSON and the tree refreshes.',
  });
}

/**
 * Offset of the first JSON syntax error in `text` (or its length when the text ends too early). Only used
 * when V8's message names no position; it follows RFC 8259 closely enough to land on the same character.
 */
export function findJsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const literal = (word: string): boolean => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) return fail(i + k);
    i += word.length;
    return true;
  };
  let errorAt = -1;
  const fail = (at: number): false => {
    errorAt = Math.min(at, n);
    return false;
  };
  const str = (): boolean => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return fail(i);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail(i + 2);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return fail(i + 1);
      } else i++;
    }
    return fail(n);
  };
  const digits = (): boolean => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i > start;
  };
  // Like V8: the error is at the first character that cannot continue the number.
  const num = (): boolean => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return fail(i);
    if (text[i] === '.') {
      i++;
      if (!digits()) return fail(i);
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return fail(i);
    }
    return true;
  };
  // Iterative over containers so a deeply nested file cannot overflow the stack.
  const stack: string[] = [];
  const value = (): boolean => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      return true;
    }
    if (c === '"') return str();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return num();
    return fail(i);
  };
  if (!value()) return errorAt;
  // After a value: either we just opened a container (expect its first member or its end) or we finished one.
  let justOpened = stack.length > 0;
  while (stack.length > 0) {
    ws();
    const top = stack[stack.length - 1];
    const close = top === '{' ? '}' : ']';
    if (text[i] === close) {
      stack.pop();
      i++;
      justOpened = false;
      continue;
    }
    if (!justOpened) {
      if (text[i] !== ',') return i < n ? i : n;
      i++;
      ws();
    }
    if (top === '{') {
      if (text[i] !== '"') return i < n ? i : n;
      if (!str()) return errorAt;
      ws();
      if (text[i] !== ':') return i < n ? i : n;
      i++;
    }
    const depth = stack.length;
    if (!value()) return errorAt;
    justOpened = stack.length > depth;
  }
  ws();
  return i < n ? i : n;
}

export type VersionOutcome = { ok: true; specVersion: SpecVersion; problems: SpecProblem[] } | { ok: false; problem: SpecProblem };

const VERSION_HINT = 'Start the file with `openapi: 3.0.3` (or 3.1.0), or `swagger: "2.0"` for a Swagger 2.0 spec.';

/** Which spec version a parsed document claims to be. Unknown or missing → a clear problem. */
export function detectVersion(doc: unknown, origin: string): VersionOutcome {
  if (!isObject(doc)) {
    const what = Array.isArray(doc) ? 'a list' : doc === null || doc === undefined ? 'empty' : `a ${typeof doc}`;
    return {
      ok: false,
      problem: problem('version', `${origin}: this is not an OpenAPI or Swagger document (its top level is ${what}, not an object).`, {
        pointer: '#',
        hint: VERSION_HINT,
      }),
    };
  }
  const warnings: SpecProblem[] = [];
  const swagger = doc['swagger'];
  const openapi = doc['openapi'];
  if (swagger !== undefined) {
    if (swagger === '2.0' || swagger === 2) {
      if (swagger === 2) warnings.push(numberVersionWarning(origin, 'swagger', '"2.0"'));
      return { ok: true, specVersion: '2.0', problems: warnings };
    }
    return { ok: false, problem: unknownVersion(origin, 'swagger', swagger) };
  }
  if (openapi !== undefined) {
    const text = typeof openapi === 'number' ? String(openapi) : openapi;
    if (typeof text === 'string') {
      const m = /^3\.([01])(\.\d+)?(-[\w.]+)?$/.exec(text.trim());
      if (m) {
        if (typeof openapi === 'number') warnings.push(numberVersionWarning(origin, 'openapi', `"${text}.0"`));
        return { ok: true, specVersion: m[1] === '0' ? '3.0' : '3.1', problems: warnings };
      }
    }
    return { ok: false, problem: unknownVersion(origin, 'openapi', openapi) };
  }
  return {
    ok: false,
    problem: problem('version', `${origin}: has neither an \`openapi\` nor a \`swagger\` field at the top level, so its version is unknown.`, {
      pointer: '#',
      hint: VERSION_HINT,
    }),
  };
}

function unknownVersion(origin: string, field: string, value: unknown): SpecProblem {
  // Bounded: the value may be a YAML alias bomb, which JSON.stringify would expand to gigabytes.
  const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : previewJson(value, 40);
  return problem(
    'version',
    `${origin}: unsupported spec version ${field}: ${shown} (supported: Swagger 2.0, OpenAPI 3.0 and 3.1).`,
    { pointer: `#/${field}`, hint: VERSION_HINT },
  );
}

function numberVersionWarning(origin: string, field: string, quoted: string): SpecProblem {
  return {
    severity: 'warning',
    code: 'validation',
    message: `${origin}: \`${field}\` is a number; it must be a string.`,
    pointer: `#/${field}`,
    hint: `Write ${field}: ${quoted} with quotes.`,
  };
}

/** Text → document with a known spec version, or the problems that stop it. Never throws. */
export function parseSpec(text: string, origin: string): ParseOutcome {
  const parsed = parseText(text, origin);
  if (!parsed.ok) return { ok: false, format: parsed.format, problems: [parsed.problem] };
  const version = detectVersion(parsed.value, origin);
  if (!version.ok) return { ok: false, format: parsed.format, problems: [...parsed.problems, version.problem] };
  return {
    ok: true,
    doc: parsed.value as JsonObject,
    format: parsed.format,
    specVersion: version.specVersion,
    problems: [...parsed.problems, ...version.problems],
  };
}
