// Small request/response helpers for the sandbox's node:http handlers. Hand-written on purpose: the
// sandbox must stay dependency-free (it is bundled into dist/sandbox.js and started inside the extension
// host), and everything here is a few lines over node:http.

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

/** Headers every sandbox answer carries: nothing here may be cached or sniffed into something else. */
const BASE_HEADERS: OutgoingHttpHeaders = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: OutgoingHttpHeaders): void {
  if (res.headersSent) {
    // A handler already answered (or started to): a second answer would throw inside node:http.
    res.end();
    return;
  }
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': contentType,
    'Content-Length': payload.length,
    ...headers,
  });
  res.end(payload);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

export function sendText(res: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, 'text/plain; charset=utf-8', body, headers);
}

export function sendHtml(res: ServerResponse, status: number, html: string, csp: string): void {
  send(res, status, 'text/html; charset=utf-8', html, {
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
  });
}

export function sendRaw(res: ServerResponse, status: number, contentType: string, body: string): void {
  send(res, status, contentType, body, {});
}

export function redirect(res: ServerResponse, location: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(302, { ...BASE_HEADERS, Location: location, 'Content-Length': 0 });
  res.end();
}

// ---------------------------------------------------------------------------------------------------------
// Request bodies

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads the whole body, at most `maxBytes`. Past the cap it stops keeping bytes but keeps reading (and
 * discarding) so the client sees our 413 instead of a reset connection; past `drainLimit` it gives up and
 * destroys the socket, so an endless body cannot keep the server busy.
 */
export function readBody(req: IncomingMessage, maxBytes: number, drainLimit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    let settled = false;
    const settle = (r: BodyResult): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const chunks: Buffer[] = [];
    let received = 0;
    let over = Number.isFinite(declared) && declared > maxBytes;
    if (over) settle({ ok: false, reason: 'too-large' });
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > drainLimit) {
        req.destroy();
        return;
      }
      if (over) return;
      if (received > maxBytes) {
        over = true;
        chunks.length = 0;
        settle({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => settle({ ok: false, reason: 'aborted' }));
  });
}

/** `application/x-www-form-urlencoded` parameters, or none when the body is something else. */
export function parseForm(req: IncomingMessage, body: Buffer): URLSearchParams {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(body.toString('utf8'));
}

/** The single value of a form/query parameter; `undefined` when absent or repeated (OAuth forbids repeats). */
export function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  return all.length === 1 ? all[0] : undefined;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; reason: 'not-json' | 'bad-json' };

export function parseJson(req: IncomingMessage, body: Buffer): JsonResult {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!/^application\/([\w.+-]*\+)?json\b/.test(type)) return { ok: false, reason: 'not-json' };
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false, reason: 'bad-json' };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Authorization header

export type AuthorizationHeader =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; id: string; secret: string }
  /** `Basic` with something that is not base64 of `id:secret`. */
  | { kind: 'basic-malformed' }
  /** Another scheme, or a scheme with no credentials. */
  | { kind: 'other' };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

export function parseAuthorization(req: IncomingMessage): AuthorizationHeader {
  const raw = req.headers.authorization;
  if (raw === undefined || raw.trim() === '') return { kind: 'none' };
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(raw);
  if (!match) return /^\s*basic\s*$/i.test(raw) ? { kind: 'basic-malformed' } : { kind: 'other' };
  const scheme = (match[1] ?? '').toLowerCase();
  const value = match[2] ?? '';
  if (scheme === 'bearer') return TOKEN68.test(value) ? { kind: 'bearer', token: value } : { kind: 'other' };
  if (scheme !== 'basic') return { kind: 'other' };
  if (!BASE64.test(value) || value.length % 4 !== 0) return { kind: 'basic-malformed' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { kind: 'basic-malformed' };
  return { kind: 'basic', id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** A header's single value (node joins most repeated headers with ", "; we treat those as one value). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  if (Array.isArray(v)) return v[0];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
