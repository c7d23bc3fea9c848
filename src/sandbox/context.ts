// What every sandbox handler gets: the instance's registry, state, clock and randomness (all injected by
// startSandbox, none module-global), plus the request at hand.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from './clients';
import type { NorwayData } from './norway/data';
import type { RateLimiter } from './ratelimit';
import type { RandomStrings, SandboxStore } from './store';
import type { SwedenData } from './sweden/data';
import { readBody, sendJson } from './http';

export interface SandboxContext {
  registry: Registry;
  store: SandboxStore;
  random: RandomStrings;
  now: () => number;
  tokenTtlSeconds: number;
  codeTtlSeconds: number;
  /** How long a consent page stays answerable. */
  consentTtlSeconds: number;
  refreshTtlSeconds: number;
  /** HS256 key for the Sweden X-JWTs of this instance (random per start, so old JWTs never verify). */
  jwtKey: Uint8Array;
  maxBodyBytes: number;
  rateLimiter: RateLimiter;
  norway: NorwayData;
  sweden: SwedenData;
  /** Directory holding the shipped specs, when one was found. */
  specsDir: string | undefined;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  ctx: SandboxContext;
}

export type Handler = (x: Exchange) => void | Promise<void>;

/** The request body, or `undefined` after answering 413 (too large) or when the client went away. */
export async function bodyOr413(x: Exchange): Promise<Buffer | undefined> {
  const limit = x.ctx.maxBodyBytes;
  const result = await readBody(x.req, limit, Math.max(limit * 16, 1024 * 1024));
  if (result.ok) return result.body;
  if (result.reason === 'too-large') {
    sendJson(x.res, 413, {
      error: 'payload_too_large',
      error_description: `Request bodies are limited to ${limit} bytes by the sandbox.`,
    });
  }
  return undefined;
}

/** Epoch ms `seconds` from now on the instance clock. */
export function after(ctx: SandboxContext, seconds: number): number {
  return ctx.now() + seconds * 1000;
}
