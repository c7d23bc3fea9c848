/**
 * Token cache: live tokens per (environment, profile, credentials), renewed ahead of expiry, with exactly
 * one fetch in flight per key however many callers wait.
 *
 * When to renew: once less than `max(60 s, 10 % of the lifetime)` is left, but never earlier than after
 * 2/3 of the lifetime. 60 s covers clock skew and a slow token request; 10 % scales that margin for long
 * tokens (6 minutes for Telenor's 1-hour tokens); the 2/3 cap keeps short-lived tokens (the sandbox with a
 * 2-second TTL) usable for most of their life instead of being renewed on every call.
 */
import { createHash } from 'node:crypto';
import { Emitter, type Event, type IDisposable } from '../util/lifecycle';
import { isTelenorError, TelenorError } from '../errors';
import type { CredentialSet, EnvironmentId, TokenSet } from './types';
import { isInvalidRefreshToken } from './errors';

/** How to get a token for one key. */
export interface TokenSource {
  /** A full grant: client credentials, password, or an interactive sign-in. */
  acquire(signal?: AbortSignal): Promise<TokenSet>;
  /** Renew with `current.refreshToken`. Called only when the current token has one. */
  refresh?(current: TokenSet, signal?: AbortSignal): Promise<TokenSet>;
  /**
   * True when `acquire` needs a person. A refresh-ahead whose refresh token was rejected then keeps the
   * still-live token instead of popping up a sign-in; the sign-in happens once the token has expired.
   */
  interactive?: boolean;
}

export type TokenChangeReason = 'acquired' | 'refreshed' | 'invalidated';

export interface TokenChange {
  key: string;
  reason: TokenChangeReason;
  /** The new token; undefined after `invalidate`. */
  token: TokenSet | undefined;
}

export interface TokenCacheOptions {
  now?: () => number;
}

/** sha256 of the credentials, so a cache key changes when they change without ever containing them. */
export function credentialFingerprint(credentials: CredentialSet): string {
  const canonical = JSON.stringify([
    credentials.client ? [credentials.client.clientId, credentials.client.clientSecret] : null,
    credentials.machineUser ? [credentials.machineUser.username, credentials.machineUser.password] : null,
    credentials.jwt ? [credentials.jwt.clientId, credentials.jwt.userId, credentials.jwt.password] : null,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** A cache key. JSON keeps the three parts unambiguous whatever characters a profile id contains. */
export function tokenCacheKey(environment: EnvironmentId, profileId: string, credentials: CredentialSet): string {
  return JSON.stringify([environment, profileId, credentialFingerprint(credentials)]);
}

/** True when `key` was made for this environment and profile (with any credentials). */
export function keyBelongsTo(key: string, environment: EnvironmentId, profileId: string): boolean {
  try {
    const parts: unknown = JSON.parse(key);
    return Array.isArray(parts) && parts[0] === environment && parts[1] === profileId;
  } catch {
    return false;
  }
}

/** The earliest moment any part of the token set (access token or X-JWT) stops working. */
export function effectiveExpiry(token: TokenSet): number {
  return token.jwt ? Math.min(token.expiresAt, token.jwt.expiresAt) : token.expiresAt;
}

/** When to start renewing (see the module comment for the reasoning). */
export function refreshAt(token: TokenSet): number {
  const expiry = effectiveExpiry(token);
  const lifetime = Math.max(0, expiry - token.obtainedAt);
  const margin = Math.min(Math.max(60_000, lifetime / 10), lifetime / 3);
  return expiry - margin;
}

/** Network trouble is "try again later"; anything else is an answer that must be reported. */
function isTransient(e: unknown): boolean {
  return isTelenorError(e) && (e.kind === 'network' || e.kind === 'timeout');
}

interface Flight {
  promise: Promise<TokenSet>;
  /** Aborted when every caller waiting for this fetch has given up (an interactive sign-in stops then). */
  controller: AbortController;
  /** Callers still waiting that can give up; callers without a signal pin the fetch. */
  cancellable: number;
  pinned: boolean;
}

export class TokenCache implements IDisposable {
  private readonly entries = new Map<string, TokenSet>();
  private readonly flights = new Map<string, Flight>();
  /** Bumped by `invalidate`, so a fetch that started before it cannot store its (now unwanted) result. */
  private readonly generations = new Map<string, number>();
  private readonly changed = new Emitter<TokenChange>();
  private readonly now: () => number;

  readonly onDidChange: Event<TokenChange> = this.changed.event;

  constructor(options: TokenCacheOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** The cached token set without fetching (for the UI: expiry, scope). May be expired. */
  peek(key: string): TokenSet | undefined {
    return this.entries.get(key);
  }

  /** A live token: cached, renewed ahead of expiry, or freshly acquired. Concurrent callers share one fetch. */
  get(key: string, source: TokenSource, signal?: AbortSignal): Promise<TokenSet> {
    if (signal?.aborted) return Promise.reject(cancelled());
    const current = this.entries.get(key);
    const now = this.now();
    if (current && now < refreshAt(current)) return Promise.resolve(current);
    // Renewing an interactive token without a refresh token means a browser sign-in: not while it still works.
    if (current && source.interactive && !current.refreshToken && now < effectiveExpiry(current)) return Promise.resolve(current);
    let flight = this.flights.get(key);
    if (!flight) {
      const generation = this.generations.get(key) ?? 0;
      const controller = new AbortController();
      const promise = this.fetch(key, source, current, generation, controller.signal).finally(() => {
        if (this.flights.get(key)?.promise === promise) this.flights.delete(key);
      });
      flight = { promise, controller, cancellable: 0, pinned: false };
      this.flights.set(key, flight);
    }
    if (!signal) {
      flight.pinned = true;
      return flight.promise;
    }
    // One caller giving up rejects only that caller; the shared fetch stops when nobody is left waiting.
    const f = flight;
    f.cancellable++;
    return raceAbort(f.promise, signal, () => {
      f.cancellable--;
      if (f.cancellable === 0 && !f.pinned) f.controller.abort();
    });
  }

  /** Forget the token (a 401 said it is dead, or the user signed out). A fetch in flight is not stored. */
  invalidate(key: string): void {
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.flights.delete(key);
    const had = this.entries.delete(key);
    if (had) this.changed.fire({ key, reason: 'invalidated', token: undefined });
  }

  /**
   * Forget every token whose key matches (e.g. every key of one environment after its base URL changed).
   * With `stillHolds`, only keys whose cached token matches it are dropped: a key with no cached token or a
   * different one (already renewed, or being renewed right now) is left alone.
   */
  invalidateWhere(predicate: (key: string) => boolean, stillHolds?: (token: TokenSet) => boolean): void {
    for (const key of new Set([...this.entries.keys(), ...this.flights.keys()])) {
      if (!predicate(key)) continue;
      if (stillHolds !== undefined) {
        const entry = this.entries.get(key);
        if (entry === undefined || !stillHolds(entry)) continue;
        if (this.flights.has(key)) {
          // A renewal is already under way (refresh ahead of expiry): drop only the rejected token and let
          // that renewal deliver the new one, rather than discarding it and starting a second fetch.
          this.entries.delete(key);
          this.changed.fire({ key, reason: 'invalidated', token: undefined });
          continue;
        }
      }
      this.invalidate(key);
    }
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  dispose(): void {
    this.entries.clear();
    this.flights.clear();
    this.changed.dispose();
  }

  private async fetch(
    key: string,
    source: TokenSource,
    current: TokenSet | undefined,
    generation: number,
    signal: AbortSignal,
  ): Promise<TokenSet> {
    const live = current !== undefined && this.now() < effectiveExpiry(current);
    let token: TokenSet;
    let reason: TokenChangeReason = 'acquired';
    try {
      if (current?.refreshToken && source.refresh) {
        try {
          token = await source.refresh(current, signal);
          reason = 'refreshed';
        } catch (e) {
          if (!isInvalidRefreshToken(e)) throw e;
          if (live && source.interactive) {
            // Keep working with the live token; the person signs in again only when it has expired.
            const { refreshToken: _dropped, ...withoutRefresh } = current;
            token = withoutRefresh;
            reason = 'refreshed';
          } else {
            token = await source.acquire(signal);
          }
        }
      } else {
        token = await source.acquire(signal);
      }
    } catch (e) {
      // A renewal ahead of expiry that failed for network reasons: the current token still works.
      if (live && isTransient(e)) return current;
      throw e;
    }
    if ((this.generations.get(key) ?? 0) === generation) {
      this.entries.set(key, token);
      this.changed.fire({ key, reason, token });
    }
    return token;
  }
}

function cancelled(): TelenorError {
  return new TelenorError('cancelled', 'Getting a token was cancelled.', { hint: '' });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, onGiveUp: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(cancelled());
      onGiveUp();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
