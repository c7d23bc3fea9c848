/**
 * A server that misbehaves on purpose, one behaviour per path segment, for the hostile-servers suite. The
 * same behaviour can be asked of a token endpoint (`/token/<behaviour>`), an API (`/api/<behaviour>`) or
 * a spec URL (`/spec/<behaviour>`); every request is counted per path so tests can prove there is no retry
 * storm. Built on TestServer from test/helpers/servers.ts (127.0.0.1, free port, `close()` cuts sockets).
 */
import type * as http from 'node:http';
import { TestServer, type TestServerOptions } from '../helpers/servers';

export type Behaviour =
  | 'ok'
  | 'slow'
  | 'never'
  | 'huge'
  | 'endless'
  | 'reset-mid-body'
  | 'reset-before-headers'
  | 'html-as-json'
  | 'json-as-html'
  | 'truncated-json'
  | 'redirect-loop'
  | 'slowloris'
  | '5xx-empty'
  | '5xx-json'
  | '5xx-html'
  | 'no-access-token'
  | 'non-json-200'
  | 'expires-abc'
  | 'expires-negative'
  | 'expires-huge'
  | '401-forever';

/** Every behaviour, in the order the suites walk them. */
export const BEHAVIOURS: readonly Behaviour[] = [
  'ok',
  'slow',
  'never',
  'huge',
  'endless',
  'reset-mid-body',
  'reset-before-headers',
  'html-as-json',
  'json-as-html',
  'truncated-json',
  'redirect-loop',
  'slowloris',
  '5xx-empty',
  '5xx-json',
  '5xx-html',
  'no-access-token',
  'non-json-200',
  'expires-abc',
  'expires-negative',
  'expires-huge',
  '401-forever',
];

/** How long `slow` waits before answering: longer than any time limit the suites set. */
export const SLOW_MS = 30_000;

const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>';

/** A token answer with the given fields (and a fresh access token per request). */
function tokenBody(n: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ access_token: `hostile-token-${n}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `hostile-refresh-${n}`, ...extra });
}

/** What `ok` answers on each kind of path. */
function okBody(kind: string, n: number): { type: string; body: string } {
  if (kind === 'token') return { type: 'application/json', body: tokenBody(n) };
  if (kind === 'jwt') return { type: 'application/json', body: JSON.stringify({ token: 'e30.eyJleHAiOjk5OTk5OTk5OTl9.sig' }) };
  if (kind === 'spec') return { type: 'application/yaml', body: 'openapi: 3.0.3\ninfo: {title: Hostile, version: "1"}\npaths: {}\n' };
  if (kind === 'logout') return { type: 'text/plain', body: 'OK!' };
  return { type: 'application/json', body: JSON.stringify({ ok: true, n }) };
}

export class HostileServer extends TestServer {
  /** Requests per path (no query), e.g. `POST /token/never`. */
  readonly counts = new Map<string, number>();
  private served = 0;

  constructor(options: TestServerOptions = {}) {
    super((req, res) => this.answer(req, res), options);
  }

  count(method: string, path: string): number {
    return this.counts.get(`${method} ${path}`) ?? 0;
  }

  /** Requests whose path starts with `prefix`, any method. */
  countUnder(prefix: string): number {
    let n = 0;
    for (const [key, v] of this.counts) if (key.split(' ')[1]?.startsWith(prefix)) n += v;
    return n;
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const key = `${req.method ?? 'GET'} ${path}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const [, kind = '', behaviour = 'ok'] = path.split('/');
    const n = ++this.served;
    res.on('error', () => undefined);
    switch (behaviour as Behaviour) {
      case 'ok': {
        const { type, body } = okBody(kind, n);
        res.writeHead(200, { 'content-type': type });
        res.end(body);
        return;
      }
      case 'slow': {
        const timer = setTimeout(() => {
          const { type, body } = okBody(kind, n);
          res.writeHead(200, { 'content-type': type });
          res.end(body);
        }, SLOW_MS);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'never':
        return; // the socket stays open and silent until the client gives up (or close() cuts it)
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) });
        res.end(Buffer.alloc(5 * 1024 * 1024, 0x20));
        return;
      case 'endless': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const block = Buffer.alloc(64 * 1024, 0x20);
        const pump = (): void => {
          while (!res.destroyed && res.write(block)) {
            /* fill the socket buffer */
          }
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        res.write('{"access_token": "');
        pump();
        return;
      }
      case 'reset-mid-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"access_token": "half-a-tok');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      case 'reset-before-headers':
        req.socket.destroy();
        return;
      case 'html-as-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(HTML_ERROR_PAGE);
        return;
      case 'json-as-html': {
        const { body } = okBody(kind, n);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(body);
        return;
      }
      case 'truncated-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"access_token": "abc", "expires_in": 36');
        return;
      case 'redirect-loop':
        res.writeHead(302, { location: path });
        res.end();
        return;
      case 'slowloris': {
        // The status line, then one header byte every 200 ms, never finishing the headers.
        const socket = req.socket;
        socket.write('HTTP/1.1 200 OK\r\nX-Slow: ');
        const timer = setInterval(() => {
          if (socket.destroyed) clearInterval(timer);
          else socket.write('a');
        }, 200);
        socket.on('close', () => clearInterval(timer));
        return;
      }
      case '5xx-empty':
        res.writeHead(502);
        res.end();
        return;
      case '5xx-json':
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: 'temporarily_unavailable', error_description: 'Try again later' }));
        return;
      case '5xx-html':
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end(HTML_ERROR_PAGE);
        return;
      case 'no-access-token':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3600, scope: 'openapi' }));
        return;
      case 'non-json-200':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('Welcome! Your session is active.');
        return;
      case 'expires-abc':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(tokenBody(n, { expires_in: 'abc' }));
        return;
      case 'expires-negative':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(tokenBody(n, { expires_in: -5 }));
        return;
      case 'expires-huge':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(tokenBody(n, { expires_in: 1e12 }));
        return;
      case '401-forever':
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="api.telenor.no", error="invalid_token"' });
        res.end(JSON.stringify({ httpStatus: 401, httpMessage: 'Unauthorized', errorCode: '40106', description: 'Access token expired' }));
        return;
    }
  }
}
