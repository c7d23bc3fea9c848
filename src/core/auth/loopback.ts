/**
 * The authorization-code callback server: plain `node:http` on 127.0.0.1 only.
 *
 * - `/start` redirects the browser to Telenor's authorize URL. It is plain http on purpose: the seeds say
 *   the network-authentication flow must be started from an http page.
 * - The callback path takes exactly one valid callback (matching `state`), shows the person a page that
 *   says what happened, and settles `result`. Afterwards every request gets 410 until the server closes
 *   (at `close()`, or by itself after a short linger).
 * - Callbacks with a missing or different `state` get a 400 page and are otherwise ignored, so a stray or
 *   forged request cannot end (or hijack) the sign-in in progress.
 * - It times out, can be cancelled with an AbortSignal, never throws inside the request handler, and
 *   HTML-escapes everything it reflects. No page ever shows the code, a token or a secret.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isTelenorError, TelenorError } from '../errors';
import { classifyCallback, type AuthorizationCallback } from './authorizationCode';

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;
const LOOPBACK_HOST = '127.0.0.1';

export interface LoopbackOptions {
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
  /** Path the authorization server redirects to. Default `/callback`. */
  callbackPath?: string;
  /** Default 5 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * How long the server stays up after the sign-in settled, answering 410 (so a reload of the tab says
   * "already finished" rather than "cannot connect"), unless `close()` comes first. Default 2 s.
   */
  lingerMs?: number;
}

/** What the server must know before the browser arrives. */
export interface LoopbackExpectation {
  authorizeUrl: string;
  state: string;
  /**
   * The `redirect_uri` sent in the authorize URL. It may differ from `callbackUrl` (the extension maps it
   * with `vscode.env.asExternalUri` in remote workspaces); only its path has to reach this server.
   */
  redirectUri: string;
}

/** The code exchange's input. */
export interface LoopbackResult extends AuthorizationCallback {
  redirectUri: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const PAGE_STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: Canvas; color: CanvasText; }
  main { max-width: 40rem; margin: 4rem auto; padding: 0 1.5rem; line-height: 1.5; font-size: 1.05rem; }
  h1 { font-size: 1.6rem; margin-bottom: 1rem; }
  .ok h1 { color: #1a7f37; } .problem h1 { color: #b3261e; }
  @media (prefers-color-scheme: dark) { .ok h1 { color: #57d977; } .problem h1 { color: #ff8a80; } }
  a { color: LinkText; }
`;
/** The CSP allows exactly this stylesheet and nothing else: no scripts, no images, no forms. */
const PAGE_STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`;

interface Page {
  status: number;
  title: string;
  tone: 'ok' | 'problem';
  /** Plain text paragraphs; escaped when rendered. */
  paragraphs: string[];
}

function renderPage(page: Page): string {
  const paragraphs = page.paragraphs.map((p) => `    <p>${escapeHtml(p)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(page.title)} – Telenor API Explorer</title>
  <style>${PAGE_STYLE}</style>
</head>
<body>
  <main class="${page.tone}"${page.tone === 'problem' ? ' role="alert"' : ''}>
    <h1>${escapeHtml(page.title)}</h1>
${paragraphs}
  </main>
</body>
</html>
`;
}

const CLOSE_TAB = 'You can close this tab and return to VS Code.';

const PAGES = {
  success: (): Page => ({
    status: 200,
    tone: 'ok',
    title: 'Signed in to Telenor',
    paragraphs: ['Telenor API Explorer received the authorization and is now getting an access token.', CLOSE_TAB],
  }),
  denied: (description: string | undefined): Page => ({
    status: 200,
    tone: 'problem',
    title: 'Consent was not given',
    paragraphs: [
      description
        ? `Telenor reported that consent was not given: “${description}”.`
        : 'Telenor reported that consent was not given.',
      'What this means: Telenor API Explorer did not get access to your Telenor data, so requests to APIs that need your consent will not work. Nothing else was changed.',
      'If this was a mistake, start the sign-in again from VS Code and approve on Telenor’s page.',
      CLOSE_TAB,
    ],
  }),
  error: (message: string): Page => ({
    status: 200,
    tone: 'problem',
    title: 'Sign-in failed',
    paragraphs: [message, 'You can close this tab and try again from VS Code.'],
  }),
  foreign: (): Page => ({
    status: 400,
    tone: 'problem',
    title: 'This sign-in response was not expected',
    paragraphs: [
      'This page was opened with a sign-in response that does not belong to the sign-in VS Code is waiting for (it may come from an older attempt). It was ignored.',
      'If you are signing in, finish it in the tab that VS Code opened. You can close this tab.',
    ],
  }),
  finished: (): Page => ({
    status: 410,
    tone: 'problem',
    title: 'This sign-in is already finished',
    paragraphs: ['This sign-in link can only be used once. To sign in again, start from VS Code.', 'You can close this tab.'],
  }),
  notReady: (): Page => ({
    status: 503,
    tone: 'problem',
    title: 'Sign-in is not ready yet',
    paragraphs: ['VS Code has not finished preparing this sign-in. Reload this page in a moment.'],
  }),
  notFound: (): Page => ({
    status: 404,
    tone: 'problem',
    title: 'Not found',
    paragraphs: ['This address is only used for signing in to Telenor from VS Code.'],
  }),
  methodNotAllowed: (): Page => ({
    status: 405,
    tone: 'problem',
    title: 'Not allowed',
    paragraphs: ['Only the browser’s ordinary page loads are accepted here.'],
  }),
  internal: (): Page => ({
    status: 500,
    tone: 'problem',
    title: 'Something went wrong',
    paragraphs: ['Telenor API Explorer could not handle this page. Start the sign-in again from VS Code.', CLOSE_TAB],
  }),
};

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': `default-src 'none'; style-src ${PAGE_STYLE_HASH}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    // The callback URL carries the authorization code: never let it leak as a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
}

type Outcome = { ok: true; value: LoopbackResult } | { ok: false; error: TelenorError };

export class LoopbackServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>/start`: open this in the browser (mapped with asExternalUri when remote). */
  readonly startUrl: string;
  /** `http://127.0.0.1:<port><callbackPath>`: the local callback; map it before using it as redirect_uri. */
  readonly callbackUrl: string;
  /** Settles once: the callback's code, or why there is none (consent-denied, timeout, cancelled…). */
  readonly result: Promise<LoopbackResult>;

  private expectation: LoopbackExpectation | undefined;
  private outcome: Outcome | undefined;
  private closing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private readonly lingerMs: number;
  private settleResult: (o: Outcome) => void = () => undefined;
  private readonly removeAbortListener: () => void;

  private constructor(
    private readonly server: Server,
    private readonly callbackPath: string,
    options: LoopbackOptions,
  ) {
    this.port = (server.address() as AddressInfo).port;
    this.startUrl = `http://${LOOPBACK_HOST}:${this.port}/start`;
    this.callbackUrl = `http://${LOOPBACK_HOST}:${this.port}${callbackPath}`;
    this.result = new Promise<LoopbackResult>((resolve, reject) => {
      this.settleResult = (o) => (o.ok ? resolve(o.value) : reject(o.error));
    });
    // The result may legitimately be left unobserved (the owner closed early); that is not a crash.
    this.result.catch(() => undefined);

    this.lingerMs = options.lingerMs ?? 2_000;
    const timeoutMs = options.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    this.timer = setTimeout(() => {
      const minutes = timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} min` : `${Math.round(timeoutMs / 1000)} s`;
      this.finish({
        ok: false,
        error: new TelenorError('timeout', `No answer came back from Telenor’s sign-in page within ${minutes}.`, {
          hint: 'Start the sign-in again and complete it in the browser tab that opens.',
        }),
      });
    }, timeoutMs);
    const onAbort = (): void =>
      this.finish({ ok: false, error: new TelenorError('cancelled', 'The sign-in was cancelled.', { hint: '' }) });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.removeAbortListener = () => options.signal?.removeEventListener('abort', onAbort);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  /** Listen on 127.0.0.1. Rejects with `cancelled` if the signal is already aborted, `network` if the port is taken. */
  static async start(options: LoopbackOptions = {}): Promise<LoopbackServer> {
    if (options.signal?.aborted) throw new TelenorError('cancelled', 'The sign-in was cancelled.', { hint: '' });
    const callbackPath = normalisePath(options.callbackPath ?? '/callback');
    const server = createServer();
    server.keepAliveTimeout = 2_000;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => {
        const code = (e as { code?: unknown }).code;
        reject(
          new TelenorError(
            'network',
            code === 'EADDRINUSE'
              ? `Port ${options.port ?? 0} on ${LOOPBACK_HOST} is already in use, so the sign-in callback cannot be received.`
              : `Could not open the sign-in callback server on ${LOOPBACK_HOST}: ${String(code ?? e.message)}.`,
            { hint: 'Close the program using that port, or choose another callback port in the settings.', cause: e },
          ),
        );
      };
      server.once('error', onError);
      server.listen(options.port ?? 0, LOOPBACK_HOST, () => {
        server.off('error', onError);
        resolve();
      });
    });
    // A late socket error (a browser resetting a connection) must not become an uncaught exception.
    server.on('error', () => undefined);
    // Malformed or oversized requests never reach the handler. Answer them with a status (a browser then
    // shows a page instead of "connection reset"; 431 for a query string past Node's header limit), then
    // drop the connection.
    server.on('clientError', (e: NodeJS.ErrnoException, socket) => {
      if (socket.writable && !socket.writableEnded) {
        const status = e.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
        socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      }
      socket.destroy();
    });
    return new LoopbackServer(server, callbackPath, options);
  }

  /** Where it listens: always 127.0.0.1 (IPv4 loopback only), for checks and diagnostics. */
  address(): AddressInfo {
    return this.server.address() as AddressInfo;
  }

  /** Arm the server: `/start` redirects to `authorizeUrl`, and only a callback with this `state` counts. */
  expect(expectation: LoopbackExpectation): void {
    this.expectation = expectation;
  }

  get settled(): boolean {
    return this.outcome !== undefined;
  }

  /** Stop listening and drop every connection. Idempotent; rejects `result` with `cancelled` if still open. */
  close(): Promise<void> {
    if (!this.outcome) {
      this.finish({ ok: false, error: new TelenorError('cancelled', 'The sign-in was stopped before it finished.', { hint: '' }) });
    }
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.closing ??= new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Every page was fully written before `result` settled, so nothing in flight is cut off here.
    this.server.closeAllConnections();
    return this.closing;
  }

  private finish(outcome: Outcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.removeAbortListener();
    this.settleResult(outcome);
    // From now on every request gets 410; the server goes away at `close()` or after the linger time.
    this.lingerTimer = setTimeout(() => void this.close(), this.lingerMs);
  }

  private send(req: IncomingMessage, res: ServerResponse, page: Page, extra: Record<string, string> = {}): void {
    const body = renderPage(page);
    res.writeHead(page.status, {
      ...securityHeaders(),
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      ...extra,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.route(req, res);
    } catch {
      // Never let a bad request take the server (or the extension host) down.
      try {
        if (!res.headersSent) this.send(req, res, PAGES.internal());
        else res.destroy();
      } catch {
        res.destroy();
      }
    }
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      this.send(req, res, PAGES.methodNotAllowed(), { Allow: 'GET, HEAD' });
      return;
    }
    if (this.outcome) {
      this.send(req, res, PAGES.finished(), { Connection: 'close' });
      return;
    }
    const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}`);
    const path = normalisePath(url.pathname);
    if (path === '/start') {
      const expectation = this.expectation;
      if (!expectation) {
        this.send(req, res, PAGES.notReady());
        return;
      }
      res.writeHead(302, { ...securityHeaders(), Location: expectation.authorizeUrl, 'Content-Length': 0 });
      res.end();
      return;
    }
    if (path !== this.callbackPath) {
      this.send(req, res, PAGES.notFound());
      return;
    }
    const expectation = this.expectation;
    if (!expectation) {
      this.send(req, res, PAGES.foreign());
      return;
    }
    const result = classifyCallback(url.searchParams, expectation.state);
    let outcome: Outcome;
    let page: Page;
    switch (result.outcome) {
      case 'foreign':
        this.send(req, res, PAGES.foreign());
        return;
      case 'code':
        outcome = { ok: true, value: { ...result.callback, redirectUri: expectation.redirectUri } };
        page = PAGES.success();
        break;
      case 'denied':
        outcome = { ok: false, error: result.error };
        page = PAGES.denied(result.description);
        break;
      case 'error':
      case 'incomplete':
        outcome = { ok: false, error: result.error };
        page = PAGES.error(result.error.message);
        break;
    }
    // Settle only once the page is on its way, so closing the server cannot cut it off.
    res.once('close', () => this.finish(outcome));
    this.send(req, res, page, { Connection: 'close' });
  }
}

function normalisePath(path: string): string {
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, '') : withSlash;
}

export interface LoopbackSignInOptions extends LoopbackOptions {
  /**
   * Called once the server listens, with its local callback URL. Returns the authorize URL, the state in
   * it and the `redirect_uri` it names (the local URL, or its externally reachable form).
   */
  prepare(localCallbackUrl: string): Promise<LoopbackExpectation> | LoopbackExpectation;
  /** Open the start page in the person's browser. */
  openBrowser(startUrl: string): Promise<unknown>;
}

/** Start a loopback server, send the person through `/start`, wait for the callback; always closes. */
export async function runLoopbackSignIn(options: LoopbackSignInOptions): Promise<LoopbackResult> {
  const server = await LoopbackServer.start(options);
  try {
    server.expect(await options.prepare(server.callbackUrl));
    const opened = Promise.resolve(options.openBrowser(server.startUrl)).then(
      () => server.result,
      (e: unknown) => {
        throw isTelenorError(e)
          ? e
          : new TelenorError('internal', 'The browser could not be opened for the sign-in.', {
              hint: 'Open the sign-in page manually, or check the default browser settings.',
              cause: e,
            });
      },
    );
    return await Promise.race([opened, server.result]);
  } finally {
    await server.close();
  }
}
