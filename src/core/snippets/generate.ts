/**
 * Code snippets for a prepared request, through @readme/httpsnippet, with secrets masked by default.
 *
 * httpsnippet is loaded on the first call (dynamic import), so the engine pays for it only when a snippet
 * is asked for. Its output is then post-processed:
 * - placeholders it percent-encoded (`%3Caccess_token%3E`) are written back as `<access_token>`;
 * - shell targets get environment variables (`$TELENOR_TOKEN`) instead, quoted so the shell expands them;
 * - curl's JSON here-document is escaped, since an unquoted `<<EOF` would expand `$`, backticks and `\\`
 *   in the body.
 */
import type { Headers, PreparedRequest } from '../http/types';
import type { Redactor } from '../util/redact';
import { PLACEHOLDER_BY_TEXT, toHar, type HarRequest } from './har';

export type SnippetTargetId =
  | 'curl'
  | 'httpie'
  | 'wget'
  | 'powershell'
  | 'http'
  | 'js-fetch'
  | 'node-undici'
  | 'python-requests'
  | 'go'
  | 'java-nethttp'
  | 'java-okhttp'
  | 'kotlin-okhttp'
  | 'csharp-httpclient'
  | 'php-guzzle'
  | 'ruby'
  | 'swift';

export interface SnippetTarget {
  id: SnippetTargetId;
  label: string;
  /** VS Code language id for an untitled document or snippet insertion. */
  language: string;
  /** Placeholders become `$ENV` variables (POSIX shell quoting). */
  shell: boolean;
  /** httpsnippet's target and client; absent for our own generators. */
  httpsnippet?: { target: string; client: string };
}

export const SNIPPET_TARGETS: readonly SnippetTarget[] = [
  { id: 'curl', label: 'cURL', language: 'shellscript', shell: true, httpsnippet: { target: 'shell', client: 'curl' } },
  { id: 'httpie', label: 'HTTPie', language: 'shellscript', shell: true, httpsnippet: { target: 'shell', client: 'httpie' } },
  { id: 'wget', label: 'Wget', language: 'shellscript', shell: true, httpsnippet: { target: 'shell', client: 'wget' } },
  { id: 'powershell', label: 'PowerShell (Invoke-RestMethod)', language: 'powershell', shell: false, httpsnippet: { target: 'powershell', client: 'restmethod' } },
  { id: 'http', label: 'Raw HTTP/1.1', language: 'http', shell: false, httpsnippet: { target: 'http', client: 'http1.1' } },
  { id: 'js-fetch', label: 'JavaScript / Node.js fetch', language: 'javascript', shell: false },
  { id: 'node-undici', label: 'Node.js undici', language: 'javascript', shell: false },
  { id: 'python-requests', label: 'Python requests', language: 'python', shell: false, httpsnippet: { target: 'python', client: 'requests' } },
  { id: 'go', label: 'Go net/http', language: 'go', shell: false, httpsnippet: { target: 'go', client: 'native' } },
  { id: 'java-nethttp', label: 'Java HttpClient', language: 'java', shell: false, httpsnippet: { target: 'java', client: 'nethttp' } },
  { id: 'java-okhttp', label: 'Java OkHttp', language: 'java', shell: false, httpsnippet: { target: 'java', client: 'okhttp' } },
  { id: 'kotlin-okhttp', label: 'Kotlin OkHttp', language: 'kotlin', shell: false, httpsnippet: { target: 'kotlin', client: 'okhttp' } },
  { id: 'csharp-httpclient', label: 'C# HttpClient', language: 'csharp', shell: false, httpsnippet: { target: 'csharp', client: 'httpclient' } },
  { id: 'php-guzzle', label: 'PHP Guzzle', language: 'php', shell: false, httpsnippet: { target: 'php', client: 'guzzle' } },
  { id: 'ruby', label: 'Ruby net/http', language: 'ruby', shell: false, httpsnippet: { target: 'ruby', client: 'native' } },
  { id: 'swift', label: 'Swift URLSession', language: 'swift', shell: false, httpsnippet: { target: 'swift', client: 'urlsession' } },
];

export interface SnippetOptions {
  /** Replace secrets with placeholders. Default true; false only when the user asked for secrets. */
  maskSecrets?: boolean;
  /** Auth headers to show (from the AuthHeaderProvider), masked unless `maskSecrets` is false. */
  authHeaders?: Headers;
  /** With `maskSecrets`: anything still holding a registered secret is masked (a safety net). */
  redactor?: Redactor;
}

export interface SnippetPlaceholder {
  /** As it appears in `code`: `<access_token>` or `$TELENOR_TOKEN`. */
  text: string;
  /** The secret's name, e.g. `access_token`. */
  name: string;
}

export interface Snippet {
  target: SnippetTargetId;
  label: string;
  language: string;
  code: string;
  /** Placeholders in `code`, in order of first appearance. */
  placeholders: SnippetPlaceholder[];
}

export async function generateSnippet(prepared: PreparedRequest, targetId: SnippetTargetId, options: SnippetOptions = {}): Promise<Snippet> {
  const target = SNIPPET_TARGETS.find((t) => t.id === targetId);
  if (target === undefined) throw new RangeError(`Unknown snippet target ${String(targetId)}`);
  const mask = options.maskSecrets ?? true;
  const har = toHar(prepared, {
    maskSecrets: mask,
    ...(options.authHeaders === undefined ? {} : { authHeaders: options.authHeaders }),
    ...(options.redactor === undefined ? {} : { redactor: options.redactor }),
  });

  let code: string;
  if (target.httpsnippet === undefined) {
    code = jsSnippet(har, target.id === 'node-undici' ? 'undici' : 'fetch');
  } else {
    const { HTTPSnippet } = await import('@readme/httpsnippet');
    const input = TEXT_BODY_TARGETS.has(target.id) ? withTextBody(har) : har;
    const snippet = new HTTPSnippet(input as unknown as ConstructorParameters<typeof HTTPSnippet>[0]);
    const out = snippet.convert(target.httpsnippet.target as never, target.httpsnippet.client);
    code = Array.isArray(out) ? out.join('\n') : '';
    code = fixKnownQuoting(code, target.id, har);
  }

  code = unescapePlaceholders(code);
  if (target.shell) code = shellPlaceholders(code);
  // By value only: the placeholders above are secret-shaped on purpose and must survive.
  if (mask && options.redactor !== undefined) code = options.redactor.redactKnown(code);
  return { target: target.id, label: target.label, language: target.language, code, placeholders: findPlaceholders(code, target.shell) };
}

/**
 * httpsnippet writes JSON bodies as object literals for these targets and does not escape backslashes in
 * them (`"a\\b"` comes out as `"a\b"`); as a string body it escapes correctly.
 */
const TEXT_BODY_TARGETS: ReadonlySet<SnippetTargetId> = new Set(['python-requests', 'ruby', 'php-guzzle', 'csharp-httpclient']);

function withTextBody(har: HarRequest): HarRequest {
  const post = har.postData;
  if (post?.text === undefined || post.params !== undefined || !post.text.includes('\\')) return har;
  return { ...har, postData: { mimeType: 'text/plain', text: post.text } };
}

/** Repairs for httpsnippet output that would send something else than the request. */
function fixKnownQuoting(code: string, target: SnippetTargetId, har: HarRequest): string {
  // curl: it sends form values with --data as they are, so `&`, `=`, `+` or `%` in a value would split or
  // change it; --data-urlencode makes curl encode each value.
  if (target === 'curl' && har.postData?.params !== undefined) return code.replace(/^(\s*)--data (?!@)/gm, '$1--data-urlencode ');
  // PowerShell: the body goes into a single-quoted string unescaped; '' is PowerShell's quote inside '…'.
  const text = har.postData?.text;
  if (target === 'powershell' && text !== undefined && text.includes("'")) {
    return code.split(`-Body '${text}'`).join(`-Body '${text.replace(/'/g, "''")}'`);
  }
  return code;
}

/** httpsnippet percent-encodes query and form values: turn `%3Caccess_token%3E` back into `<access_token>`. */
function unescapePlaceholders(code: string): string {
  return code.replace(/%3C([\w.-]+)%3E/gi, (m, name: string) => (PLACEHOLDER_BY_TEXT.has(`<${name}>`) ? `<${name}>` : m));
}

function findPlaceholders(code: string, shell: boolean): SnippetPlaceholder[] {
  const found = new Map<string, SnippetPlaceholder>();
  const pattern = shell ? /\$\{?(TELENOR_[A-Z_]+)\}?/g : /<([\w.-]+)>/g;
  for (const m of code.matchAll(pattern)) {
    const token = m[1] ?? '';
    const info = shell ? [...PLACEHOLDER_BY_TEXT.values()].find((p) => p.env === token) : PLACEHOLDER_BY_TEXT.get(`<${token}>`);
    if (info === undefined) continue;
    const text = shell ? `$${token}` : `<${token}>`;
    if (!found.has(text)) found.set(text, { text, name: info.name });
  }
  return [...found.values()];
}

// ---- shell ---------------------------------------------------------------------------------------------

/**
 * `<access_token>` → `$TELENOR_TOKEN`, quoted for where it stands: inside '…' the quote is closed and the
 * variable double-quoted (`'Bearer '"$TELENOR_TOKEN"''`), inside a here-document it is left bare.
 */
function shellPlaceholders(code: string): string {
  const heredoc = /(<<(['"]?)(\w+)\2\n)([\s\S]*?)(\n\3(?:\n|$))/g;
  let out = '';
  let last = 0;
  for (const m of code.matchAll(heredoc)) {
    const start = m.index ?? 0;
    out += quotedPlaceholders(code.slice(last, start));
    const quotedDelimiter = (m[2] ?? '') !== '';
    const body = m[4] ?? '';
    out += (m[1] ?? '') + (quotedDelimiter ? body : heredocBody(body)) + (m[5] ?? '');
    last = start + m[0].length;
  }
  return out + quotedPlaceholders(code.slice(last));
}

/** An unquoted here-document expands `$`, backticks and `\`: escape them, then let our variables expand. */
function heredocBody(body: string): string {
  return body.replace(/[\\`$]/g, (c) => `\\${c}`).replace(/<([\w.-]+)>/g, (m, name: string) => {
    const env = PLACEHOLDER_BY_TEXT.get(`<${name}>`)?.env;
    return env === undefined ? m : `\${${env}}`;
  });
}

function quotedPlaceholders(segment: string): string {
  let out = '';
  let inSingle = false;
  let inDouble = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '<') {
      const m = /^<([\w.-]+)>/.exec(segment.slice(i, i + 64));
      const env = m === null ? undefined : PLACEHOLDER_BY_TEXT.get(m[0])?.env;
      if (m !== null && env !== undefined) {
        out += inSingle ? `'"$${env}"'` : inDouble ? `\${${env}}` : `"$${env}"`;
        i += m[0].length - 1;
        continue;
      }
    }
    if (c === "'" && !inDouble) inSingle = !inSingle;
    else if (c === '"' && !inSingle) inDouble = !inDouble;
    else if (c === '\\' && !inSingle) {
      out += c + (segment[i + 1] ?? '');
      i++;
      continue;
    }
    out += c;
  }
  return out;
}

// ---- JavaScript: fetch and undici ---------------------------------------------------------------------

/**
 * Ours, not httpsnippet's: its JavaScript clients write bodies as object literals without escaping
 * backslashes, its `node/fetch` client targets the old node-fetch package, and it has no undici client.
 * `JSON.stringify` gives correct literals; the same code runs in browsers and Node 18+ (whose fetch is
 * undici) — and the undici flavour makes the same calls the extension itself makes.
 */
function jsSnippet(har: HarRequest, flavor: 'fetch' | 'undici'): string {
  const qs = har.queryString.map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(q.value)}`).join('&');
  const url = JSON.stringify(qs === '' ? har.url : `${har.url}?${qs}`);
  const lines =
    flavor === 'undici'
      ? ["import { request } from 'undici';", '', `const { statusCode, body } = await request(${url}, {`]
      : [`const response = await fetch(${url}, {`];
  lines.push(`  method: ${JSON.stringify(har.method)},`);
  if (har.headers.length > 0) {
    lines.push('  headers: {');
    har.headers.forEach((h, i) => lines.push(`    ${JSON.stringify(h.name)}: ${JSON.stringify(h.value)}${i < har.headers.length - 1 ? ',' : ''}`));
    lines.push('  },');
  }
  const post = har.postData;
  if (post !== undefined) {
    if (post.params !== undefined) {
      const fields = post.params.map((p) => `${JSON.stringify(p.name)}: ${JSON.stringify(p.value)}`).join(', ');
      lines.push(`  body: new URLSearchParams({ ${fields} }).toString(),`);
    } else if (/[/+]json\b/i.test(post.mimeType) && isJson(post.text ?? '')) {
      const pretty = JSON.stringify(JSON.parse(post.text ?? 'null'), null, 2).replace(/\n/g, '\n  ');
      lines.push(`  body: JSON.stringify(${pretty}),`);
    } else {
      lines.push(`  body: ${JSON.stringify(post.text ?? '')},`);
    }
  }
  lines.push('});', '');
  lines.push(flavor === 'undici' ? 'console.log(statusCode, await body.text());' : 'console.log(response.status, await response.text());');
  return lines.join('\n');
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// ---- VS Code snippet syntax ----------------------------------------------------------------------------

/**
 * The snippet as VS Code snippet text (for `SnippetString`): `$`, `}` and `\` escaped, each placeholder a
 * tab stop (`${1:<access_token>}`), the same placeholder the same stop so filling one fills all.
 */
export function toSnippetWithTabStops(snippet: Pick<Snippet, 'code' | 'placeholders'>): string {
  const escape = (s: string): string => s.replace(/[\\$}]/g, (c) => `\\${c}`);
  const texts = snippet.placeholders.map((p) => p.text).filter((t) => t !== '');
  if (texts.length === 0) return escape(snippet.code);
  // Longest first, and `${NAME}` before `$NAME`, so one placeholder never matches inside another.
  const alternatives = texts
    .flatMap((t) => (t.startsWith('$') ? [`\${${t.slice(1)}}`, t] : [t]))
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(alternatives.join('|'), 'g');
  // Stops are numbered in the placeholders' order, not the code's: the token comes first, so typing right
  // after the insert fills the one value the person must supply (the hovered URL's values are already
  // there), and the editor does not scroll sideways to a value at the end of a long URL line.
  const present = [...new Set(texts)].filter((t) => snippet.code.includes(t) || (t.startsWith('$') && snippet.code.includes(`\${${t.slice(1)}}`)));
  const numbers = new Map<string, number>(present.map((t, i) => [t, i + 1]));
  let out = '';
  let last = 0;
  for (const m of snippet.code.matchAll(pattern)) {
    const start = m.index ?? 0;
    const text = m[0].replace(/^\$\{(\w+)\}$/, '$$$1');
    let n = numbers.get(text);
    if (n === undefined) {
      n = numbers.size + 1;
      numbers.set(text, n);
    }
    out += `${escape(snippet.code.slice(last, start))}\${${n}:${escape(m[0])}}`;
    last = start + m[0].length;
  }
  return out + escape(snippet.code.slice(last));
}
