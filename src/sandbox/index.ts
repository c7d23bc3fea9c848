// Entry of the sandbox bundle (dist/sandbox.js), loaded lazily by the extension's "Start sandbox" command
// and imported directly by tests. What it emulates, and every input behind every error: docs/sandbox.md.

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { TelenorError } from '../core/errors';
import { createRegistry, type DemoCredentials } from './clients';
import type { SandboxContext } from './context';
import { createNorwayData } from './norway/data';
import { RateLimiter, type RateLimitOptions } from './ratelimit';
import { createSandboxServer } from './server';
import { findSpecsDir } from './specs';
import { RandomStrings, SandboxStore, type RandomBytes } from './store';
import { createSwedenData } from './sweden/data';

export type { DemoCredentials } from './clients';
export type { RateLimitOptions } from './ratelimit';
export { BUILTIN_SPECS, type BuiltinSpec } from './specs';

export interface SandboxOptions {
  /** Default 4711; 0 picks a free port. The sandbox always binds to 127.0.0.1 only. */
  port?: number;
  /** Access token (and X-JWT) lifetime in seconds. Default 3600. */
  tokenTtlSeconds?: number;
  /** Authorization code lifetime in seconds. Default 60. */
  codeTtlSeconds?: number;
  /** Refresh token lifetime in seconds. Default 30 days. */
  refreshTtlSeconds?: number;
  /**
   * Norway gateway traffic policies (42901 quota, 42902 spike arrest). Defaults: 10,000 calls an hour and
   * 100 a second per app and API. `false` switches both off (load tests).
   */
  rateLimit?: RateLimitOptions | false;
  /** Largest request body accepted (413 above it). Default 64 KiB. */
  maxBodyBytes?: number;
  /** Clock seam (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Randomness seam for tokens, codes and keys. Default `crypto.randomBytes`. */
  randomBytes?: RandomBytes;
  /** One line per request (method, path with secrets masked, status, time). Default: no logging. */
  logger?: (line: string) => void;
  /** Where the shipped specs are. Default: found next to the running bundle (dist/specs) or in the repo. */
  specsDir?: string;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` — no trailing slash. */
  url: string;
  port: number;
  credentials: DemoCredentials;
  /** Stops listening and drops every open connection (keep-alive included). Safe to call twice. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 4711;

function checkNumber(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TelenorError('internal', `Sandbox option ${name} is ${String(value)}; it must be a whole number from ${min} to ${max}.`, {
      hint: `Pass ${name} between ${min} and ${max}, or leave it out for the default.`,
    });
  }
}

function checkRateLimit(r: RateLimitOptions | false | undefined): void {
  if (r === undefined || r === false) return;
  if (r.quota !== undefined && r.quota !== false) {
    checkNumber('rateLimit.quota.limit', r.quota.limit, 1, 1e9);
    checkNumber('rateLimit.quota.windowSeconds', r.quota.windowSeconds, 1, 1e7);
  }
  if (r.spikeArrest !== undefined && r.spikeArrest !== false) checkNumber('rateLimit.spikeArrest.perSecond', r.spikeArrest.perSecond, 1, 1e9);
}

function listen(server: ReturnType<typeof createSandboxServer>, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      const inUse = e.code === 'EADDRINUSE';
      reject(
        new TelenorError('network', inUse ? `Port ${port} on 127.0.0.1 is already in use.` : `The sandbox could not listen on 127.0.0.1:${port} (${e.code ?? 'error'}).`, {
          hint: inUse ? 'Stop whatever uses it, or choose another port (0 picks a free one).' : 'Choose another port (0 picks a free one).',
          cause: e,
        }),
      );
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, '127.0.0.1');
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  checkNumber('port', options.port, 0, 65535);
  checkNumber('tokenTtlSeconds', options.tokenTtlSeconds, 1, 365 * 24 * 3600);
  checkNumber('codeTtlSeconds', options.codeTtlSeconds, 1, 24 * 3600);
  checkNumber('refreshTtlSeconds', options.refreshTtlSeconds, 1, 365 * 24 * 3600);
  checkNumber('maxBodyBytes', options.maxBodyBytes, 1024, 64 * 1024 * 1024);
  checkRateLimit(options.rateLimit);

  const random = options.randomBytes ?? ((n: number) => randomBytes(n));
  const registry = createRegistry();
  const ctx: SandboxContext = {
    registry,
    store: new SandboxStore(),
    random: new RandomStrings(random),
    now: options.now ?? Date.now,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    codeTtlSeconds: options.codeTtlSeconds ?? 60,
    consentTtlSeconds: 600,
    refreshTtlSeconds: options.refreshTtlSeconds ?? 30 * 24 * 3600,
    jwtKey: random(32),
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    rateLimiter: new RateLimiter(options.rateLimit ?? {}),
    norway: createNorwayData(),
    sweden: createSwedenData(),
    specsDir: options.specsDir ?? findSpecsDir(__dirname),
  };
  const server = createSandboxServer(ctx, options.logger === undefined ? {} : { logger: options.logger });
  const address = await listen(server, options.port ?? DEFAULT_PORT);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // close() alone waits for idle keep-alive sockets to time out; drop them (and any in flight) now.
      server.closeAllConnections();
    });
    return closing;
  };
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    credentials: registry.credentials,
    close,
  };
}
