/**
 * A "witness" in front of a sandbox, for the secret-leak scans (test/ui/leak*.ui.ts, test/vscode/leak*.test.ts).
 *
 * Two jobs the sandbox cannot do by itself:
 * 1. **Distinct credentials.** The sandbox only accepts its published demo credentials, and those strings
 *    are inside the shipped bundles (dist/sandbox.js), so a scan for them would find the extension's own
 *    code. The witness accepts credentials chosen by the test (long random values, found nowhere else)
 *    and swaps them for the demo ones on the way in: the extension only ever holds the distinct ones.
 *    A wrong secret (or password) for a known id is passed on unchanged, so the sandbox answers with the
 *    real error code (22, 20, invalid_client…) and the wrong value is a distinct string too.
 * 2. **Every token.** The sandbox logger masks tokens; the witness sees them in the clear: access and
 *    refresh tokens and X-JWTs in token answers, authorization codes in redirects, and anything sent as
 *    `Authorization: Bearer` / `X-JWT`. The scan searches for all of them afterwards.
 *
 * Plain HTTP on 127.0.0.1 only; bodies are buffered (the sandbox's answers are small).
 */
import { request, createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ClientMapping {
  id: string;
  secret: string;
  /** The sandbox's own client this one stands for. */
  as: { id: string; secret: string };
}

export interface UserMapping {
  username: string;
  password: string;
  as: { username: string; password: string };
}

export interface JwtUserMapping {
  clientId: string;
  /** Digits: the body field is a number. */
  userId: string;
  password: string;
  as: { clientId: string; userId: string; password: string };
}

export interface WitnessOptions {
  /** The sandbox (or any server) to forward to, `http://127.0.0.1:<port>`. */
  target: string;
  clients?: ClientMapping[];
  users?: UserMapping[];
  jwtUsers?: JwtUserMapping[];
}

export type TokenKind = 'access_token' | 'refresh_token' | 'x-jwt' | 'authorization_code' | 'bearer';

export interface Witness {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every token seen, with what it was. */
  readonly tokens: ReadonlyMap<string, TokenKind>;
  /** Requests forwarded so far. */
  readonly requests: number;
  /** Token endpoint answers by status (`200`, `401`…), to check that failing sign-ins really failed there. */
  readonly tokenAnswers: readonly { path: string; status: number; body: string }[];
  /** Stops listening and cuts open connections (then the URL is an unreachable host). */
  close(): Promise<void>;
}

const TOKEN_PATHS = /\/(oauth2?|openapi\/oauth2)\/(v2\/)?token$|\/oauth\/token$/;

function basic(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? undefined : { id: text.slice(0, i), secret: text.slice(i + 1) };
}

export async function startWitness(options: WitnessOptions): Promise<Witness> {
  const target = new URL(options.target);
  const tokens = new Map<string, TokenKind>();
  const tokenAnswers: { path: string; status: number; body: string }[] = [];
  let requests = 0;
  const clients = options.clients ?? [];
  const users = options.users ?? [];
  const jwtUsers = options.jwtUsers ?? [];

  const note = (value: unknown, kind: TokenKind): void => {
    if (typeof value === 'string' && value.length >= 8 && !tokens.has(value)) tokens.set(value, kind);
  };

  const mapClient = (given: { id: string; secret: string }): { id: string; secret: string } => {
    const c = clients.find((x) => x.id === given.id);
    if (!c) return given;
    return { id: c.as.id, secret: given.secret === c.secret ? c.as.secret : given.secret };
  };

  const rewriteForm = (body: string): string => {
    const form = new URLSearchParams(body);
    const username = form.get('username');
    const u = users.find((x) => x.username === username);
    if (u) {
      form.set('username', u.as.username);
      if (form.get('password') === u.password) form.set('password', u.as.password);
    }
    const clientId = form.get('client_id');
    const c = clients.find((x) => x.id === clientId);
    if (c) {
      form.set('client_id', c.as.id);
      if (form.get('client_secret') === c.secret) form.set('client_secret', c.as.secret);
    }
    for (const key of ['refresh_token', 'code']) note(form.get(key), key === 'code' ? 'authorization_code' : 'refresh_token');
    return form.toString();
  };

  const rewriteJson = (body: string): string => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return body;
    }
    if (typeof parsed !== 'object' || parsed === null) return body;
    const o = parsed as Record<string, unknown>;
    const j = jwtUsers.find((x) => x.clientId === o['clientId']);
    if (!j) return body;
    o['clientId'] = j.as.clientId;
    if (String(o['userId']) === j.userId) o['userId'] = Number(j.as.userId);
    if (o['password'] === j.password) o['password'] = j.as.password;
    return JSON.stringify(o);
  };

  const recordAnswer = (path: string, status: number, headers: IncomingHttpHeaders, body: string): void => {
    const location = headers['location'];
    if (typeof location === 'string') {
      try {
        note(new URL(location, 'http://x').searchParams.get('code'), 'authorization_code');
      } catch {
        // Not a URL: nothing to record.
      }
    }
    if (!/json/i.test(String(headers['content-type'] ?? ''))) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const o = parsed as Record<string, unknown>;
    note(o['access_token'], 'access_token');
    note(o['refresh_token'], 'refresh_token');
    // hasPermission answers {"token": "<JWT>"}.
    note(o['token'], 'x-jwt');
    if (TOKEN_PATHS.test(path)) tokenAnswers.push({ path, status, body });
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: IncomingHttpHeaders = { ...req.headers };
    const given = basic(headers['authorization']);
    if (given) headers['authorization'] = `Basic ${Buffer.from(`${mapClient(given).id}:${mapClient(given).secret}`).toString('base64')}`;
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(headers['authorization'] ?? ''))?.[1];
    note(bearer, 'bearer');
    note(headers['x-jwt'], 'x-jwt');
    // The consent page is asked for with the app's client id in the query.
    const clientId = url.searchParams.get('client_id');
    const c = clients.find((x) => x.id === clientId);
    if (c) url.searchParams.set('client_id', c.as.id);
    let out = body;
    const type = String(headers['content-type'] ?? '');
    if (body.length > 0 && /x-www-form-urlencoded/i.test(type)) out = Buffer.from(rewriteForm(body.toString('utf8')));
    else if (body.length > 0 && /json/i.test(type)) out = Buffer.from(rewriteJson(body.toString('utf8')));
    if (out !== body) headers['content-length'] = String(out.length);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: `${url.pathname}${url.search}`, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (d: Buffer) => chunks.push(d));
        answer.on('end', () => {
          const text = Buffer.concat(chunks);
          recordAnswer(url.pathname, answer.statusCode ?? 0, answer.headers, text.toString('utf8'));
          const h = { ...answer.headers };
          delete h['transfer-encoding'];
          h['content-length'] = String(text.length);
          res.writeHead(answer.statusCode ?? 502, h).end(text);
        });
        answer.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('witness: upstream failed');
      else res.destroy();
    });
    upstream.end(out);
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
    req.on('error', () => res.destroy());
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    get requests() {
      return requests;
    },
    tokenAnswers,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

/**
 * A value nobody could guess and nothing else contains: `<label>-<24 random hex>`. The label says what it
 * is when a scan finds it.
 */
export function distinct(label: string, random: (n: number) => Buffer): string {
  return `${label}-${random(12).toString('hex')}`;
}
