/**
 * A request in the `.http` format that REST Client (and VS Code's other HTTP-file runners) read:
 *
 *     ### GET /corporate-accounts/v2/accounts — List accounts
 *     GET https://api.telenor.no/corporate-accounts/v2/accounts HTTP/1.1
 *     Accept: application/json
 *     Authorization: Bearer {{access_token}}
 *
 * httpsnippet's raw HTTP target writes origin-form (`GET /path` + `Host:`), which these runners do not
 * send, and keeps our `<access_token>` placeholders as literal text. Here placeholders become `{{name}}`
 * variables the file can define once (`@access_token = …`), and the transaction id REST Client's own
 * `{{$guid}}`, so the request runs as soon as its variables are set. Pure: works on the masked HAR.
 */
import type { HarRequest } from '../../core/snippets';
import type { SnippetPlaceholder } from '../../core/snippets';

const PLACEHOLDER = /<([\w.-]+)>/g;
/** A value that is nothing but a placeholder (`<access_token>`), as the masking writes it. */
const WHOLE_PLACEHOLDER = /^<([\w.-]+)>$/;

function variable(name: string): string {
  // A fresh id per send, which is what Sweden's X-Transaction-Id asks for.
  return name === 'transaction_id' ? '{{$guid}}' : `{{${name}}}`;
}

function encodeQuery(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function queryValue(value: string): string {
  const m = WHOLE_PLACEHOLDER.exec(value);
  return m ? variable(m[1] as string) : encodeQuery(value);
}

/** Header values keep their scheme (`Bearer <access_token>` → `Bearer {{access_token}}`). */
function headerValue(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(PLACEHOLDER, (_m, name: string) => variable(name));
}

function body(har: HarRequest): string | undefined {
  const post = har.postData;
  if (post === undefined) return undefined;
  if (post.params !== undefined) return post.params.map((p) => `${encodeQuery(p.name)}=${queryValue(p.value)}`).join('&');
  const text = post.text ?? '';
  // Only whole JSON string values are placeholders; other `<…>` text in a body is content.
  return text.replace(/"<([\w.-]+)>"/g, (_m, name: string) => `"${variable(name)}"`);
}

function prettyJson(text: string, mimeType: string): string {
  if (!/[/+]json\b/i.test(mimeType)) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export interface RestClientSnippet {
  code: string;
  /** `{{name}}` variables in order of first appearance (`{{$guid}}` is REST Client's own, not listed). */
  placeholders: SnippetPlaceholder[];
}

/** Formats a masked HAR request; `title` becomes the `###` separator line that names the request. */
export function restClientSnippet(har: HarRequest, title?: string): RestClientSnippet {
  const qs = har.queryString.map((q) => `${encodeQuery(q.name)}=${queryValue(q.value)}`).join('&');
  const lines: string[] = [];
  lines.push(title === undefined || title.trim() === '' ? '###' : `### ${title.replace(/[\r\n]+/g, ' ').trim()}`);
  lines.push(`${har.method} ${har.url}${qs === '' ? '' : `?${qs}`} HTTP/1.1`);
  for (const h of har.headers) lines.push(`${h.name}: ${headerValue(h.value)}`);
  const text = body(har);
  if (text !== undefined && text !== '') lines.push('', prettyJson(text, har.postData?.mimeType ?? ''));
  const code = `${lines.join('\n')}\n`;

  const placeholders: SnippetPlaceholder[] = [];
  for (const m of code.matchAll(/\{\{([\w.-]+)\}\}/g)) {
    const text = m[0];
    if (!placeholders.some((p) => p.text === text)) placeholders.push({ text, name: m[1] as string });
  }
  return { code, placeholders };
}
