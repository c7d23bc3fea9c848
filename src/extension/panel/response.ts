/**
 * From the engine's results and errors to what the panel shows (pure Node, no vscode): the response view
 * with its body cut to the display cap, the body's kind and editor language, and errors as "what happened,
 * what to do, which button helps".
 */
import type { SendResult } from '../../core/http/types';
import type { BodyKind, ErrorView, FieldIssue, PanelAction, ResponseView, SendOutcome } from '../../protocol';
import { describeError, isTelenorError } from '../../core/errors';
import { isJsonMediaType } from './form';
import type { SecretScanner } from './history';

/**
 * How much of a body is downloaded (for "Open in editor"); the panel shows at most the display cap of it.
 * Beyond this an answer is counted but not kept: an editor with more than this is no use either.
 */
export const DOWNLOAD_CAP_BYTES = 64 * 1024 * 1024;

const BINARY_TYPE = /^(?:image|audio|video|font)\/|^application\/(?:octet-stream|pdf|zip|gzip|x-gzip|x-tar|x-7z-compressed|x-protobuf|protobuf|x-msdownload|vnd\.ms-excel|vnd\.openxmlformats[\w.-]*|wasm)\b/i;

export function bodyKind(contentType: string | undefined, body: string): BodyKind {
  if (body === '') return 'empty';
  const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
  if (type !== '' && BINARY_TYPE.test(type) && !/[+/](?:json|xml)\b/i.test(type) && !/^image\/svg/i.test(type)) return 'binary';
  if (looksBinary(body)) return 'binary';
  if (isJsonMediaType(type)) return 'json';
  if (type === '' || /^text\/plain\b/i.test(type)) {
    const first = body.trimStart()[0];
    if (first === '{' || first === '[') return 'json';
  }
  return 'text';
}

/** NUL bytes, or many replacement characters (bytes that were not valid text), in the first 4 KB. */
function looksBinary(body: string): boolean {
  const head = body.slice(0, 4096);
  if (head.includes('\u0000')) return true;
  let bad = 0;
  for (const ch of head) if (ch === '\uFFFD') bad++;
  return head.length > 0 && bad / head.length > 0.1;
}

/** The VS Code language id for an untitled document holding the body. */
export function languageFor(contentType: string | undefined, kind: BodyKind): string {
  if (kind === 'json') return 'json';
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (/[/+]xml$/.test(type)) return 'xml';
  if (type === 'text/html') return 'html';
  if (type === 'text/css') return 'css';
  if (/javascript$/.test(type)) return 'javascript';
  if (/[/+-]yaml$/.test(type)) return 'yaml';
  if (type === 'text/markdown') return 'markdown';
  return 'plaintext';
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, never splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): { text: string; cut: boolean } {
  // Cheap exits: UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (text.length * 3 <= maxBytes) return { text, cut: false };
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= maxBytes) return { text, cut: false };
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the character that did not fit.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: buf.subarray(0, end).toString('utf8'), cut: true };
}

/** JSON pretty-printed for the editor when it parses; anything else as received. */
export function prettyBody(body: string, kind: BodyKind): string {
  if (kind !== 'json') return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export interface ResponseViewOptions {
  maxDisplayBytes: number;
  redactor: SecretScanner;
}

export function responseView(result: SendResult, options: ResponseViewOptions): ResponseView {
  const kind = bodyKind(result.contentType, result.body);
  // A registered secret echoed back (a token endpoint's answer, a server repeating the header) stays masked.
  const safeBody = options.redactor.containsSecret(result.body) ? options.redactor.redact(result.body) : result.body;
  const shown = kind === 'binary' ? { text: '', cut: false } : utf8Prefix(safeBody, options.maxDisplayBytes);
  const view: ResponseView = {
    status: result.status,
    statusText: result.statusText || reasonPhrase(result.status),
    durationMs: Math.round(result.timings.totalMs),
    bodyBytes: result.bodyBytes,
    url: options.redactor.redact(result.finalUrl ?? result.request.url),
    retriedAfter401: result.retriedAfter401,
    headers: result.headers.map(([k, v]) => [k, options.redactor.redactHeader(k, v)]),
    bodyKind: kind,
    body: shown.text,
    displayTruncated: shown.cut || result.truncated,
    displayLimitBytes: options.maxDisplayBytes,
    downloadTruncated: result.truncated,
  };
  if (result.contentType !== undefined) view.contentType = result.contentType;
  if (result.apiError !== undefined) {
    view.apiError = { meaning: result.apiError.meaning, hint: result.apiError.hint };
    if (result.apiError.code !== undefined) view.apiError.code = result.apiError.code;
  }
  return view;
}

/** Bodies at least this long are posted to the webview as bytes (see `ResponseView.bodyUtf8`). */
export const BINARY_TRANSFER_CHARS = 64 * 1024;

/** The outcome as it is posted: a large body as UTF-8 bytes. */
export function forWire(outcome: SendOutcome): SendOutcome {
  if (!outcome.ok || outcome.response.body.length < BINARY_TRANSFER_CHARS) return outcome;
  return { ok: true, response: { ...outcome.response, body: '', bodyUtf8: new TextEncoder().encode(outcome.response.body) } };
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** HTTP/2 has no reason phrase: use the standard one so the status line still reads well. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? '';
}

/** Which buttons help with an error of this kind. */
function actionsFor(kind: string): PanelAction[] {
  switch (kind) {
    case 'credentials-missing':
      return ['setCredentials'];
    case 'token-endpoint':
      return ['setCredentials', 'showLog'];
    case 'consent-denied':
    case 'callback':
      return ['signIn'];
    case 'network':
      return ['retry', 'fixServer', 'showLog'];
    case 'timeout':
      return ['retry', 'openSettings'];
    case 'policy':
      return ['openSettings'];
    case 'protocol':
      return ['retry', 'showLog'];
    case 'cancelled':
      return [];
    default:
      return ['showLog'];
  }
}

/** An error from building, signing in or sending, as the panel shows it. */
export function errorView(e: unknown, redactor: SecretScanner, extraActions: PanelAction[] = []): ErrorView {
  const kind = isTelenorError(e) ? e.kind : 'internal';
  const message = redactor.redact(isTelenorError(e) ? e.message : describeError(e));
  const hint = redactor.redact(isTelenorError(e) ? e.hint : 'This looks like a bug; the log has details.');
  const view: ErrorView = { kind, message, hint, actions: [...new Set([...extraActions, ...actionsFor(kind)])] };
  const missing = (e as { missing?: unknown } | null)?.missing;
  if (kind === 'input' && Array.isArray(missing)) {
    view.fields = missing
      .filter((m): m is { name: string; in: FieldIssue['in'] } => typeof m === 'object' && m !== null && typeof (m as { name?: unknown }).name === 'string')
      .map((m) => ({ in: m.in, name: m.name, severity: 'error', message: m.in === 'body' ? 'A request body is required.' : `${m.name} is required.` }));
    view.actions = [];
  }
  return view;
}
