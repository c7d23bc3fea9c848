/**
 * The one place that decides how bytes leave the machine: which proxy, which CAs, whether plain http is
 * allowed. The auth code (token endpoints) and the send path share the dispatcher made here, so a corporate
 * proxy or CA set up once works for sign-in and for API calls alike.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, Dispatcher, ProxyAgent } from 'undici';
import { TelenorError } from '../errors';
import { isLoopbackHost } from './policy';

// The policy lives in an import-free module (the spec worker uses it without loading undici); re-exported
// here for the callers that always imported it from this file.
export { ALLOW_INSECURE_HTTP_SETTING, checkTransportPolicy, isLoopbackHost } from './policy';

export interface TransportOptions {
  /**
   * `http://[user:pass@]host:port` of a proxy; requests to loopback hosts and `noProxy` hosts go direct.
   * Absent or empty: `HTTPS_PROXY` / `HTTP_PROXY` from `env` (VS Code's rule for an empty `http.proxy`).
   */
  proxy?: string;
  /** Hosts (or `.suffix` / `suffix` domains) that bypass the proxy, as in `NO_PROXY`. Default: `NO_PROXY` from `env`. */
  noProxy?: string[];
  /** `false` accepts any server certificate (VS Code's `http.proxyStrictSSL: false`). Default true. */
  strictSSL?: boolean;
  /** A PEM file with extra CAs (one or more certificates), added to Node's bundled roots. */
  extraCaCertsPath?: string;
  /** Recorded for callers that pass the same options to `checkTransportPolicy`. */
  allowInsecureHttp?: boolean;
  /** TCP + TLS connect timeout. Default 10 s. */
  connectTimeoutMs?: number;
  /** Seam: the environment to read `NODE_EXTRA_CA_CERTS` and the proxy variables from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Seam: how to read a CA file. Default `fs.readFileSync(path, 'utf8')`. */
  readFile?: (path: string) => string;
}

/**
 * An undici dispatcher for the user's network: a `ProxyAgent` when a proxy is set (with a direct `Agent` for
 * loopback and `noProxy` hosts), an `Agent` otherwise; extra CAs from `extraCaCertsPath` and
 * `NODE_EXTRA_CA_CERTS` added to the bundled roots. The caller owns it: `close()` it when settings change.
 */
export function createDispatcher(options: TransportOptions = {}): Dispatcher {
  const tls = tlsOptions(options);
  const connect = { ...tls, timeout: options.connectTimeoutMs ?? 10_000 };
  const direct = new Agent({ connect });
  // As VS Code does: without a proxy setting, the environment's HTTPS_PROXY / HTTP_PROXY and NO_PROXY.
  const env = options.env ?? process.env;
  const proxy = options.proxy !== undefined && options.proxy.trim() !== '' ? options.proxy : proxyFromEnv(env);
  if (proxy === undefined) return direct;
  const proxyUri = parseProxy(proxy);
  // ProxyAgent replaces `connect` with its tunnel; the TLS options and timeout go per leg instead.
  const proxied = new ProxyAgent({ uri: proxyUri, requestTls: connect, proxyTls: connect });
  return new RoutingDispatcher(direct, proxied, options.noProxy ?? noProxyFromEnv(env));
}

function envValue(env: Readonly<Record<string, string | undefined>>, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = env[name];
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** One proxy for both schemes (Telenor's APIs are all https, so HTTPS_PROXY is asked first). */
export function proxyFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return envValue(env, 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy');
}

/** `NO_PROXY` / `no_proxy` as a list (comma or space separated). */
export function noProxyFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  return (envValue(env, 'NO_PROXY', 'no_proxy') ?? '').split(/[\s,]+/).filter((e) => e !== '');
}

function tlsOptions(options: TransportOptions): { ca?: string[]; rejectUnauthorized?: boolean } {
  const out: { ca?: string[]; rejectUnauthorized?: boolean } = {};
  if (options.strictSSL === false) out.rejectUnauthorized = false;
  const env = options.env ?? process.env;
  const read = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const extra: string[] = [];
  for (const path of [env['NODE_EXTRA_CA_CERTS'], options.extraCaCertsPath]) {
    if (path === undefined || path.trim() === '') continue;
    let pem: string;
    try {
      pem = read(path);
    } catch (e) {
      throw new TelenorError('network', `Could not read the extra CA certificates file ${path}.`, {
        hint: 'Check that the file exists and is readable, or clear the extra CA setting (and NODE_EXTRA_CA_CERTS).',
        cause: e,
      });
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new TelenorError('network', `${path} holds no PEM certificate.`, {
        hint: 'Export the CA as PEM (text starting with -----BEGIN CERTIFICATE-----).',
      });
    }
    extra.push(pem);
  }
  // Setting `ca` replaces Node's default roots, so the bundled ones must be passed along with the extras.
  if (extra.length > 0) out.ca = [...rootCertificates, ...extra];
  return out;
}

function parseProxy(proxy: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (e) {
    throw new TelenorError('network', `The proxy setting "${clip(stripUserInfo(proxy))}" is not a URL.`, {
      hint: 'Set the proxy as http://host:port (VS Code setting http.proxy).',
      cause: e,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TelenorError('network', `Proxies of type ${url.protocol} are not supported.`, {
      hint: 'Use an http:// or https:// proxy.',
    });
  }
  return url.href;
}

function stripUserInfo(s: string): string {
  return s.replace(/\/\/[^/@]*@/, '//');
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

/** True when `hostname` is listed in `noProxy` (exact, `.suffix`, `*.suffix` or a parent domain; `*` for all). */
export function matchesNoProxy(hostname: string, noProxy: readonly string[]): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  for (const raw of noProxy) {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (entry === '') continue;
    if (entry === '*') return true;
    const bare = entry.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/**
 * Sends each request through the proxy or directly, by origin. The sandbox runs on this machine, and a
 * corporate proxy cannot reach the user's loopback, so loopback never goes through the proxy.
 * (undici's EnvHttpProxyAgent reads NO_PROXY but knows nothing of 127.0.0.0/8, hence this small router.)
 */
class RoutingDispatcher extends Dispatcher {
  constructor(
    private readonly direct: Dispatcher,
    private readonly proxied: Dispatcher,
    private readonly noProxy: readonly string[],
  ) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.pick(options.origin).dispatch(options, handler);
  }

  private pick(origin: Dispatcher.DispatchOptions['origin']): Dispatcher {
    if (origin === undefined) return this.proxied;
    let hostname: string;
    try {
      hostname = (typeof origin === 'string' ? new URL(origin) : origin).hostname;
    } catch {
      return this.proxied;
    }
    return isLoopbackHost(hostname) || matchesNoProxy(hostname, this.noProxy) ? this.direct : this.proxied;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const done = Promise.all([this.direct.close(), this.proxied.close()]).then(() => undefined);
    if (callback) void done.then(callback, callback);
    else return done;
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' ? null : (a ?? null);
    const callback = typeof a === 'function' ? a : b;
    const done = Promise.all([this.direct.destroy(err), this.proxied.destroy(err)]).then(() => undefined);
    if (callback) void done.then(callback, callback);
    else return done;
  }
}
