/**
 * Finds the URL or path under the cursor in one line of application code, a `.http` file or a spec, and
 * the HTTP method the code around it uses. Pure (no vscode): the hover runs it on every mouse move, so it
 * only looks at the hovered line (plus a few following lines for a `method:` option).
 *
 * What counts as URL-ish: a string literal or bare token that, after removing the base-URL part a program
 * builds at run time (`${BASE}`, `{base_url}`, `{{host}}`, `$BASE`, `%s`), is an absolute http(s) URL, a
 * path starting with `/`, or `a/b`-shaped text. Interpolations inside the path (`/accounts/${id}`) become
 * `{…}` segments, which match a template parameter but never a literal segment.
 */
import type { HttpMethod } from '../../core/spec/types';

export interface UrlCandidate {
  /** What to match: an absolute URL or a path starting with `/`, query and fragment removed. */
  target: string;
  /** Start and end (exclusive) of the hovered text in the line, for the hover's range. */
  start: number;
  end: number;
  /** Lower-cased `host[:port]` when the text is an absolute URL. */
  host?: string;
  /** Query parameters with concrete values (dynamic ones left out), repeated keys as arrays. */
  query: Record<string, string | string[]>;
}

/** The segment text that stands for a value computed at run time. */
export const DYNAMIC_SEGMENT = '{…}';

/** Lines longer than this (minified code, data) are not searched: nobody hovers a URL in them. */
const MAX_LINE = 4000;
const MAX_TOKEN = 2048;

/** Text that is a run-time value: `${x}`, `{{x}}`, `{x}`, `$X`, `%s`. */
const INTERPOLATION = /\$\{[^}]*\}|\{\{[^}]*\}\}|\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[sdv]/g;
const HAS_INTERPOLATION = new RegExp(INTERPOLATION.source);
const LEADING_INTERPOLATION = new RegExp(`^(?:${INTERPOLATION.source})+`);

interface Span {
  text: string;
  start: number;
  end: number;
  /** The literal ends with `/` and is followed by `+`: the code appends a value (`"/stores/" + id`). */
  concatenated: boolean;
}

/** The string literal (any of `"`, `'`, `` ` ``) whose content contains `ch`, if the line has one. */
function literalAt(line: string, ch: number): Span | undefined {
  let i = 0;
  while (i < line.length) {
    const quote = line[i] as string;
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < line.length && line[j] !== quote) j += line[j] === '\\' ? 2 : 1;
    if (j >= line.length) return undefined; // unterminated: an apostrophe in prose, or a multi-line string
    if (ch > i && ch <= j) {
      const text = line.slice(i + 1, j);
      const concatenated = text.endsWith('/') && /^\s*\+/.test(line.slice(j + 1));
      return { text, start: i + 1, end: j, concatenated };
    }
    i = j + 1;
  }
  return undefined;
}

/** The run of non-space characters around `ch` that could be a bare URL (shell, `.http`, YAML keys, comments). */
function bareTokenAt(line: string, ch: number): Span | undefined {
  const stop = /[\s"'`()<>,;[\]|]/;
  let start = Math.min(ch, line.length);
  let end = start;
  while (start > 0 && !stop.test(line[start - 1] as string)) start--;
  while (end < line.length && !stop.test(line[end] as string)) end++;
  if (end <= start) return undefined;
  let text = line.slice(start, end);
  // Trailing punctuation belongs to the sentence or syntax around the URL (`/path:` as a YAML key, `url.`).
  const trimmed = text.replace(/[.:!?]+$/, '');
  end -= text.length - trimmed.length;
  text = trimmed;
  return text === '' ? undefined : { text, start, end, concatenated: false };
}

function splitQuery(rest: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const q = rest.replace(/#.*$/s, '');
  if (q === '') return query;
  for (const part of q.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    if (rawValue === '' || HAS_INTERPOLATION.test(rawName) || HAS_INTERPOLATION.test(rawValue)) continue;
    const name = decode(rawName);
    const value = decode(rawValue.replace(/\+/g, ' '));
    const previous = query[name];
    query[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return query;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Turns the text of a literal or token into something to match, or undefined when it is not URL-ish.
 * `knownHosts` lets a scheme-less `api.telenor.no/…` count as a URL on that host.
 */
export function normalizeUrlish(raw: string, knownHosts: ReadonlySet<string> = new Set()): Omit<UrlCandidate, 'start' | 'end'> | undefined {
  let text = raw.trim();
  if (text === '' || text.length > MAX_TOKEN || /\s/.test(text)) return undefined;
  text = text.replace(LEADING_INTERPOLATION, '');

  const q = text.search(/[?#]/);
  const query = q >= 0 && text[q] === '?' ? splitQuery(text.slice(q + 1)) : {};
  let beforeQuery = q >= 0 ? text.slice(0, q) : text;

  let host: string | undefined;
  let path: string;
  const scheme = /^(https?):\/\/([^/]+)(.*)$/i.exec(beforeQuery);
  if (scheme) {
    // A host built at run time (`https://${host}/x`) is no host we can check: treat the rest as a path.
    if (!HAS_INTERPOLATION.test(scheme[2] as string)) host = (scheme[2] as string).toLowerCase();
    path = scheme[3] ?? '';
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(beforeQuery)) {
    return undefined; // mailto:, file:, urn:… are not API calls
  } else {
    const first = beforeQuery.split('/')[0]?.toLowerCase() ?? '';
    if (first.includes('.') && knownHosts.has(first)) {
      host = first;
      beforeQuery = beforeQuery.slice(first.length);
    }
    path = beforeQuery;
  }

  if (!path.startsWith('/')) {
    if (host !== undefined) path = `/${path}`;
    // `v2/accounts` is a relative path a client joins to its base URL; one word is not.
    else if (/^[\w.~%{}$-]+\/\S/.test(path)) path = `/${path}`;
    else return undefined;
  }
  path = path.replace(INTERPOLATION, DYNAMIC_SEGMENT);
  if (path.replace(/\/+/g, '') === '' && host === undefined) return undefined;

  const target = host !== undefined ? `https://${host}${path}` : path;
  return host !== undefined ? { target, host, query } : { target, query };
}

/** The URL-ish text under `ch` in `line`, or undefined. */
export function urlCandidateAt(line: string, ch: number, knownHosts: ReadonlySet<string> = new Set()): UrlCandidate | undefined {
  if (line.length > MAX_LINE) return undefined;
  for (const span of [literalAt(line, ch), bareTokenAt(line, ch)]) {
    if (span === undefined) continue;
    const text = span.concatenated ? `${span.text}${DYNAMIC_SEGMENT}` : span.text;
    const n = normalizeUrlish(text, knownHosts);
    if (n !== undefined) return { ...n, start: span.start, end: span.end };
  }
  return undefined;
}

// ---- method hints --------------------------------------------------------------------------------------

const METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function method(word: string | undefined): HttpMethod | undefined {
  const m = word?.toLowerCase();
  return METHODS.find((x) => x === m);
}

/**
 * Patterns that name a method, each with the group holding it. Upper-case words cover `.http` request
 * lines, `curl -X POST`, Java's `.POST(`, Go's `http.NewRequest("POST"`; the others are the client
 * libraries' spellings.
 */
const HINTS: readonly RegExp[] = [
  /\b(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)\b/g,
  /\.(get|put|post|delete|options|head|patch)\s*\(/g,
  /\bhttp\.(Get|Post|Head)\s*\(/g,
  /\bhttp\.Method(Get|Put|Post|Delete|Options|Head|Patch|Trace)\b/g,
  /\bHttpMethod\.(Get|Put|Post|Delete|Options|Head|Patch|Trace)\b/g,
  /\b(Get|Put|Post|Delete|Patch)(?:Async|StringAsync|StreamAsync|ByteArrayAsync|FromJsonAsync|AsJsonAsync)\b/g,
  /\bmethod\s*[:=]\s*['"](get|put|post|delete|options|head|patch|trace)['"]/gi,
  /(?:^|\s)(?:-X\s*|--request[\s=]+)['"]?(get|put|post|delete|options|head|patch|trace)\b/gi,
];
const OPTION_HINT = /\bmethod\s*[:=]\s*['"](get|put|post|delete|options|head|patch|trace)['"]/i;

/**
 * The HTTP method the code names near the URL: the hint on the same line closest to the URL wins; with
 * none there, a `method: '…'` option on one of `following` lines (a `fetch(url, {\n  method: 'POST'`).
 * The URL's own text is left out, so a path containing `/get/` is no hint.
 */
export function methodHint(line: string, candidate: Pick<UrlCandidate, 'start' | 'end'>, following: readonly string[] = []): HttpMethod | undefined {
  const masked = line.slice(0, candidate.start) + ' '.repeat(candidate.end - candidate.start) + line.slice(candidate.end);
  let best: { method: HttpMethod; distance: number } | undefined;
  for (const pattern of HINTS) {
    pattern.lastIndex = 0;
    for (const m of masked.matchAll(pattern)) {
      const found = method(m[1]);
      if (found === undefined) continue;
      const at = m.index ?? 0;
      const distance = at < candidate.start ? candidate.start - at : at - candidate.end;
      if (best === undefined || distance < best.distance) best = { method: found, distance };
    }
  }
  if (best) return best.method;
  for (const next of following) {
    const found = method(OPTION_HINT.exec(next)?.[1]);
    if (found) return found;
  }
  return undefined;
}
