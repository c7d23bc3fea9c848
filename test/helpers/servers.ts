/**
 * Small purpose-built HTTP servers for tests that must talk real HTTP: a route per misbehaviour (slow,
 * never answers, endless body, reset, redirect loop, 401 forms…), a CONNECT/forwarding proxy and a
 * self-signed certificate maker. Every server is its own instance (no shared state between test files):
 * `await server.start()` then `await server.close()`, which also cuts connections still open.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export interface TestServerOptions {
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
  /** Keep request bodies up to this many bytes in `requests` (default 1 MiB; more is counted only). */
  maxRecordedBody?: number;
}

/** An http(s) server on 127.0.0.1 with a free port; `close()` also cuts connections still open. */
abstract class LoopbackServer {
  protected readonly sockets = new Set<net.Socket>();
  protected port = 0;

  constructor(protected readonly server: http.Server) {
    server.on('connection', (s: net.Socket) => this.track(s));
    server.on('secureConnection', (s: net.Socket) => this.track(s));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr !== null ? addr.port : 0;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
  }
}

/** A node:http(s) server on 127.0.0.1 with a free port that records what it receives. */
export class TestServer extends LoopbackServer {
  readonly requests: RecordedRequest[] = [];

  constructor(
    private readonly handler: Handler,
    private readonly options: TestServerOptions = {},
  ) {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => this.onRequest(req, res);
    super(options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener));
  }

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const limit = this.options.maxRecordedBody ?? 1024 * 1024;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      if (size < limit) chunks.push(c);
      size += c.length;
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      try {
        this.handler(req, res, body);
      } catch (e) {
        res.statusCode = 500;
        res.end(String(e));
      }
    });
  }
}

/** The 401 bodies Telenor's gateways may send (telenor-facts.md "Error bodies"), keyed by form. */
export const UNAUTHORIZED_FORMS: Readonly<
  Record<string, { body: string; contentType?: string; headers?: Record<string, string>; tokenProblem: boolean }>
> = {
  'norway-40106': { body: JSON.stringify({ errorCode: 40106, message: 'access token expired' }), contentType: 'application/json', tokenProblem: true },
  'norway-40105': { body: JSON.stringify({ code: '40105', message: 'invalid access token' }), contentType: 'application/json', tokenProblem: true },
  'norway-nested': { body: JSON.stringify({ error: { details: [{ code: 40106 }] } }), contentType: 'application/json', tokenProblem: true },
  'norway-text': { body: 'Error 40106: access token expired', contentType: 'text/plain', tokenProblem: true },
  'telenor-digital': {
    body: JSON.stringify({ httpStatus: 401, httpMessage: 'Unauthorized', description: 'Token rejected', errorCode: '40105', resourceId: 'x', origin: 'gw' }),
    contentType: 'application/json',
    tokenProblem: true,
  },
  'apigee-expired': {
    body: JSON.stringify({ fault: { faultstring: 'Access Token expired', detail: { errorcode: 'keymanagement.service.access_token_expired' } } }),
    contentType: 'application/json',
    tokenProblem: true,
  },
  'apigee-invalid': {
    body: JSON.stringify({ fault: { faultstring: 'Invalid access token', detail: { errorcode: 'keymanagement.service.invalid_access_token' } } }),
    contentType: 'application/json',
    tokenProblem: true,
  },
  camara: {
    body: JSON.stringify({ status: 401, code: 'UNAUTHENTICATED', message: 'Request not authenticated due to missing, invalid, or expired credentials.' }),
    contentType: 'application/json',
    tokenProblem: true,
  },
  'text-expired': { body: 'The access token has expired. A new one must be requested.', contentType: 'text/plain', tokenProblem: true },
  empty: { body: '', tokenProblem: true },
  'www-authenticate': {
    body: 'Unauthorized',
    contentType: 'text/plain',
    headers: { 'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="The access token expired"' },
    tokenProblem: true,
  },
  'norway-40104': { body: JSON.stringify({ errorCode: 40104, message: 'not authorized to use given MSISDN' }), contentType: 'application/json', tokenProblem: false },
  'plain-unauthorized': { body: JSON.stringify({ message: 'Unauthorized' }), contentType: 'application/json', tokenProblem: false },
};

function sendUnauthorized(res: http.ServerResponse, form: string): void {
  const f = UNAUTHORIZED_FORMS[form] ?? UNAUTHORIZED_FORMS['empty'];
  res.statusCode = 401;
  if (f?.contentType !== undefined) res.setHeader('content-type', f.contentType);
  for (const [k, v] of Object.entries(f?.headers ?? {})) res.setHeader(k, v);
  res.end(f?.body ?? '');
}

function json(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** Write `total` bytes as fast as the client reads, `Infinity` for an endless body; stops when the client leaves. */
function stream(res: http.ServerResponse, total: number, withLength: boolean): void {
  const block = Buffer.alloc(64 * 1024, 0x61);
  res.writeHead(200, { 'content-type': 'text/plain', ...(withLength ? { 'content-length': String(total) } : {}) });
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(block.length, total - sent);
      sent += n;
      if (!res.write(n === block.length ? block : block.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (sent >= total) res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

/**
 * One server with a route per behaviour:
 * - `/echo…` → 200 JSON `{method, url, headers, body}`
 * - `/status/<code>?body=…&type=…` → that status
 * - `/slow?ms=N` (headers late) · `/slow-body?ms=N` (headers now, body late) · `/never` (no answer)
 * - `/huge?bytes=N` · `/endless` (never ends) · `/reset` (socket destroyed)
 * - `/redirect?to=<url>&status=302` · `/loop/a` ⇄ `/loop/b` · `/chain/<n>` (n redirects, then echo)
 * - `/malformed-json` · `/401-then-200/<key>?form=<form>` (first call per key 401) · `/401-forever?form=<form>`
 * - `/compressed?enc=gzip|br|deflate|deflate-raw` · `/charset?cs=<charset>` (text "blåbærsyltetøy ✓" when
 *   the charset can hold it)
 */
export function createTestServer(options: TestServerOptions = {}): TestServer {
  const seen = new Map<string, number>();
  const handler: Handler = (req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const path = url.pathname;
    if (path.startsWith('/echo')) {
      json(res, 200, { method: req.method, url: req.url, headers: req.headers, body });
    } else if (path.startsWith('/status/')) {
      res.writeHead(Number(path.slice('/status/'.length)) || 500, { 'content-type': q.get('type') ?? 'text/plain' });
      res.end(q.get('body') ?? '');
    } else if (path === '/slow') {
      setTimeout(() => json(res, 200, { slow: true }), Number(q.get('ms') ?? '1000'));
    } else if (path === '/slow-body') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part;');
      setTimeout(() => res.end('second part'), Number(q.get('ms') ?? '1000'));
    } else if (path === '/never') {
      // Hold the socket open and say nothing; close() destroys it.
    } else if (path === '/huge') {
      stream(res, Number(q.get('bytes') ?? String(50 * 1024 * 1024)), true);
    } else if (path === '/endless') {
      stream(res, Number.POSITIVE_INFINITY, false);
    } else if (path === '/reset') {
      req.socket.destroy();
    } else if (path === '/redirect') {
      res.writeHead(Number(q.get('status') ?? '302'), { location: q.get('to') ?? '/echo' });
      res.end();
    } else if (path === '/loop/a' || path === '/loop/b') {
      res.writeHead(302, { location: path === '/loop/a' ? '/loop/b' : '/loop/a' });
      res.end();
    } else if (path.startsWith('/chain/')) {
      const n = Number(path.slice('/chain/'.length));
      res.writeHead(n > 0 ? 307 : 200, n > 0 ? { location: `/chain/${n - 1}` } : { 'content-type': 'application/json' });
      res.end(n > 0 ? '' : JSON.stringify({ method: req.method, body }));
    } else if (path === '/malformed-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [1, 2,');
    } else if (path.startsWith('/401-then-200/')) {
      const key = path.slice('/401-then-200/'.length);
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n === 1) sendUnauthorized(res, q.get('form') ?? 'empty');
      else json(res, 200, { ok: true, attempt: n, headers: req.headers });
    } else if (path === '/401-forever') {
      sendUnauthorized(res, q.get('form') ?? 'empty');
    } else if (path === '/compressed') {
      const text = JSON.stringify({ compressed: true, filler: 'x'.repeat(10_000) });
      const enc = q.get('enc') ?? 'gzip';
      const raw = Buffer.from(text);
      const data =
        enc === 'br' ? brotliCompressSync(raw) : enc === 'deflate' ? deflateSync(raw) : enc === 'deflate-raw' ? deflateRawSync(raw) : gzipSync(raw);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': enc === 'deflate-raw' ? 'deflate' : enc });
      res.end(data);
    } else if (path === '/charset') {
      const cs = q.get('cs') ?? 'utf-8';
      const text = cs === 'utf-8' ? 'blåbærsyltetøy ✓' : 'blåbærsyltetøy';
      const nodeEncoding: BufferEncoding = cs === 'utf-8' ? 'utf8' : cs === 'utf-16le' ? 'utf16le' : 'latin1';
      res.writeHead(200, { 'content-type': q.has('nocs') ? 'text/plain' : `text/plain; charset=${cs}` });
      res.end(Buffer.from(text, nodeEncoding));
    } else {
      json(res, 404, { error: 'no such test route', path });
    }
  };
  return new TestServer(handler, options);
}

/**
 * An HTTP proxy on 127.0.0.1 that tunnels CONNECT and forwards absolute-form requests. `hosts` maps
 * host names to `127.0.0.1:<port>`, so tests can use names no DNS knows: a request that reaches the
 * target proves it went through the proxy. `requireAuth` demands that `Proxy-Authorization` value.
 */
export class TestProxy extends LoopbackServer {
  readonly connects: string[] = [];
  readonly forwards: string[] = [];
  readonly proxyAuthorizations: Array<string | undefined> = [];

  constructor(private readonly options: { hosts?: Record<string, string>; requireAuth?: string } = {}) {
    super(http.createServer((req, res) => this.forward(req, res)));
    this.server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => this.tunnel(req, socket, head));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private target(hostPort: string): { host: string; port: number } {
    const mapped = this.options.hosts?.[hostPort] ?? this.options.hosts?.[hostPort.replace(/:\d+$/, '')] ?? hostPort;
    const i = mapped.lastIndexOf(':');
    return { host: mapped.slice(0, i), port: Number(mapped.slice(i + 1)) };
  }

  private authorized(req: http.IncomingMessage): boolean {
    this.proxyAuthorizations.push(req.headers['proxy-authorization']);
    return this.options.requireAuth === undefined || req.headers['proxy-authorization'] === this.options.requireAuth;
  }

  private tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    if (!this.authorized(req)) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    this.connects.push(req.url ?? '');
    const { host, port } = this.target(req.url ?? '');
    const upstream = net.connect(port, host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!this.authorized(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '');
    this.forwards.push(url.href);
    const { host, port } = this.target(url.host);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request({ host, port, method: req.method, path: url.pathname + url.search, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  }
}

const execFileAsync = promisify(execFile);

export interface TestCertificate {
  key: string;
  cert: string;
  /** A file holding `cert`, for extra-CA settings. */
  certPath: string;
  /** Removes the temporary folder (key included). */
  dispose(): Promise<void>;
}

/**
 * A fresh self-signed certificate (EC P-256, so it takes milliseconds) for `localhost`, 127.0.0.1 and
 * `extraDnsNames`,
 * made with the openssl CLI in a temporary folder: keys are never committed.
 */
export async function makeSelfSignedCertificate(extraDnsNames: readonly string[] = []): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'telenor-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    `subjectAltName=${['DNS:localhost', 'IP:127.0.0.1', ...extraDnsNames.map((n) => `DNS:${n}`)].join(',')}`,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
  return { key, cert, certPath, dispose: () => rm(dir, { recursive: true, force: true }) };
}
